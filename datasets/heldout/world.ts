/**
 * The world outside the organisations: places (as GeoIP names them) and the networks that reach
 * the internet from them, each with its autonomous system and a few /24 prefixes. GeoIP is
 * rendered from these the way Elastic's geoip processor writes `source.geo` and `source.as`,
 * including its habits: mobile carriers place everyone at their hub city, and some ranges have a
 * country but no city.
 */
import type { Dice } from './dice';

export type Season = 'winter' | 'summer';

export interface Place {
  city: string;
  region: string;
  regionIso: string;
  cc: string;
  country: string;
  continent: string;
  lat: number;
  lon: number;
  /** UTC offset in hours, by season (northern-hemisphere naming: "winter" is Nov–Feb). */
  offset: Record<Season, number>;
}

export type NetworkKind = 'business' | 'residential' | 'mobile' | 'hotel' | 'secure-edge' | 'cloud' | 'hosting' | 'vpn' | 'tor';

export interface Network {
  asn: number;
  org: string;
  kind: NetworkKind;
  /** Where GeoIP puts its addresses. */
  place: Place;
  /** First three octets of the /24s it announces. */
  prefixes: readonly string[];
  /** GeoIP knows the country only (no city, region or location). */
  countryOnly?: boolean;
  /**
   * The set that added it, for networks added after set 4: pools drawn from the whole table
   * across countries (the covert network of home routers) leave these out, so that the sets
   * built before them stay byte for byte as they were.
   */
  introducedBy?: string;
}

const EU = 'Europe';
const AS = 'Asia';
const AF = 'Africa';
const NA = 'North America';
const OC = 'Oceania';
const SA = 'South America';

const place = (city: string, region: string, regionIso: string, cc: string, country: string, continent: string, lat: number, lon: number, winter: number, summer: number): Place => ({
  city,
  region,
  regionIso,
  cc,
  country,
  continent,
  lat,
  lon,
  offset: { winter, summer },
});

export const PLACES = {
  rotterdam: place('Rotterdam', 'South Holland', 'NL-ZH', 'NL', 'Netherlands', EU, 51.9225, 4.4792, 1, 2),
  amsterdam: place('Amsterdam', 'North Holland', 'NL-NH', 'NL', 'Netherlands', EU, 52.3676, 4.9041, 1, 2),
  delft: place('Delft', 'South Holland', 'NL-ZH', 'NL', 'Netherlands', EU, 52.0116, 4.3571, 1, 2),
  gdansk: place('Gdańsk', 'Pomerania', 'PL-22', 'PL', 'Poland', EU, 54.352, 18.6466, 1, 2),
  gdynia: place('Gdynia', 'Pomerania', 'PL-22', 'PL', 'Poland', EU, 54.5189, 18.5305, 1, 2),
  warsaw: place('Warsaw', 'Mazovia', 'PL-14', 'PL', 'Poland', EU, 52.2297, 21.0122, 1, 2),
  singapore: place('Singapore', 'Central Singapore', 'SG-01', 'SG', 'Singapore', AS, 1.3521, 103.8198, 8, 8),
  durban: place('Durban', 'KwaZulu-Natal', 'ZA-KZN', 'ZA', 'South Africa', AF, -29.8587, 31.0218, 2, 2),
  johannesburg: place('Johannesburg', 'Gauteng', 'ZA-GT', 'ZA', 'South Africa', AF, -26.2041, 28.0473, 2, 2),
  houston: place('Houston', 'Texas', 'US-TX', 'US', 'United States', NA, 29.7604, -95.3698, -6, -5),
  pasadenaTx: place('Pasadena', 'Texas', 'US-TX', 'US', 'United States', NA, 29.6911, -95.2091, -6, -5),
  dallas: place('Dallas', 'Texas', 'US-TX', 'US', 'United States', NA, 32.7767, -96.797, -6, -5),
  hamburg: place('Hamburg', 'Hamburg', 'DE-HH', 'DE', 'Germany', EU, 53.5511, 9.9937, 1, 2),
  antwerp: place('Antwerp', 'Flanders', 'BE-VAN', 'BE', 'Belgium', EU, 51.2194, 4.4025, 1, 2),
  dubai: place('Dubai', 'Dubai', 'AE-DU', 'AE', 'United Arab Emirates', AS, 25.2048, 55.2708, 4, 4),
  shanghai: place('Shanghai', 'Shanghai', 'CN-SH', 'CN', 'China', AS, 31.2304, 121.4737, 8, 8),
  busan: place('Busan', 'Busan', 'KR-26', 'KR', 'South Korea', AS, 35.1796, 129.0756, 9, 9),
  santos: place('Santos', 'São Paulo', 'BR-SP', 'BR', 'Brazil', SA, -23.9608, -46.3336, -3, -3),
  panama: place('Panama City', 'Panamá', 'PA-8', 'PA', 'Panama', NA, 8.9824, -79.5199, -5, -5),
  dublin: place('Dublin', 'Leinster', 'IE-L', 'IE', 'Ireland', EU, 53.3498, -6.2603, 0, 1),
  maynooth: place('Maynooth', 'Leinster', 'IE-L', 'IE', 'Ireland', EU, 53.3813, -6.5918, 0, 1),
  lisbon: place('Lisbon', 'Lisbon', 'PT-11', 'PT', 'Portugal', EU, 38.7223, -9.1393, 0, 1),
  oeiras: place('Oeiras', 'Lisbon', 'PT-11', 'PT', 'Portugal', EU, 38.6979, -9.3146, 0, 1),
  bengaluru: place('Bengaluru', 'Karnataka', 'IN-KA', 'IN', 'India', AS, 12.9716, 77.5946, 5.5, 5.5),
  mumbai: place('Mumbai', 'Maharashtra', 'IN-MH', 'IN', 'India', AS, 19.076, 72.8777, 5.5, 5.5),
  cambridge: place('Cambridge', 'England', 'GB-ENG', 'GB', 'United Kingdom', EU, 52.2053, 0.1218, 0, 1),
  london: place('London', 'England', 'GB-ENG', 'GB', 'United Kingdom', EU, 51.5072, -0.1276, 0, 1),
  melbourne: place('Melbourne', 'Victoria', 'AU-VIC', 'AU', 'Australia', OC, -37.8136, 144.9631, 11, 10),
  sydney: place('Sydney', 'New South Wales', 'AU-NSW', 'AU', 'Australia', OC, -33.8688, 151.2093, 11, 10),
  basel: place('Basel', 'Basel-City', 'CH-BS', 'CH', 'Switzerland', EU, 47.5596, 7.5886, 1, 2),
  boston: place('Boston', 'Massachusetts', 'US-MA', 'US', 'United States', NA, 42.3601, -71.0589, -5, -4),
  sanDiego: place('San Diego', 'California', 'US-CA', 'US', 'United States', NA, 32.7157, -117.1611, -8, -7),
  copenhagen: place('Copenhagen', 'Capital Region', 'DK-84', 'DK', 'Denmark', EU, 55.6761, 12.5683, 1, 2),
  heidelberg: place('Heidelberg', 'Baden-Württemberg', 'DE-BW', 'DE', 'Germany', EU, 49.3988, 8.6724, 1, 2),
  tokyo: place('Tokyo', 'Tokyo', 'JP-13', 'JP', 'Japan', AS, 35.6762, 139.6503, 9, 9),
  frankfurt: place('Frankfurt am Main', 'Hesse', 'DE-HE', 'DE', 'Germany', EU, 50.1109, 8.6821, 1, 2),
  bucharest: place('Bucharest', 'Bucureşti', 'RO-B', 'RO', 'Romania', EU, 44.4268, 26.1025, 2, 3),
  moscow: place('Moscow', 'Moscow', 'RU-MOW', 'RU', 'Russia', EU, 55.7558, 37.6173, 3, 3),
  lagos: place('Lagos', 'Lagos', 'NG-LA', 'NG', 'Nigeria', AF, 6.5244, 3.3792, 1, 1),
  hongKong: place('Hong Kong', 'Central and Western', 'HK-HCW', 'HK', 'Hong Kong', AS, 22.3193, 114.1694, 8, 8),
  saoPaulo: place('São Paulo', 'São Paulo', 'BR-SP', 'BR', 'Brazil', SA, -23.5505, -46.6333, -3, -3),
  roubaix: place('Roubaix', 'Hauts-de-France', 'FR-HDF', 'FR', 'France', EU, 50.6942, 3.1746, 1, 2),
  falkenstein: place('Falkenstein', 'Saxony', 'DE-SN', 'DE', 'Germany', EU, 50.4779, 12.3713, 1, 2),
  ashburn: place('Ashburn', 'Virginia', 'US-VA', 'US', 'United States', NA, 39.0438, -77.4874, -5, -4),
  boardman: place('Boardman', 'Oregon', 'US-OR', 'US', 'United States', NA, 45.8399, -119.7006, -8, -7),
  sanAntonio: place('San Antonio', 'Texas', 'US-TX', 'US', 'United States', NA, 29.4241, -98.4936, -6, -5),
  desMoines: place('Des Moines', 'Iowa', 'US-IA', 'US', 'United States', NA, 41.5868, -93.625, -6, -5),
  boydton: place('Boydton', 'Virginia', 'US-VA', 'US', 'United States', NA, 36.6676, -78.3875, -5, -4),
  kyiv: place('Kyiv', 'Kyiv City', 'UA-30', 'UA', 'Ukraine', EU, 50.4501, 30.5234, 2, 3),
  vilnius: place('Vilnius', 'Vilnius', 'LT-VL', 'LT', 'Lithuania', EU, 54.6872, 25.2797, 2, 3),
  // Maplecrest's places (set 3). Mexico and Brazil keep one offset all year.
  toronto: place('Toronto', 'Ontario', 'CA-ON', 'CA', 'Canada', NA, 43.6532, -79.3832, -5, -4),
  mississauga: place('Mississauga', 'Ontario', 'CA-ON', 'CA', 'Canada', NA, 43.589, -79.6441, -5, -4),
  calgary: place('Calgary', 'Alberta', 'CA-AB', 'CA', 'Canada', NA, 51.0447, -114.0719, -7, -6),
  montreal: place('Montreal', 'Quebec', 'CA-QC', 'CA', 'Canada', NA, 45.5019, -73.5674, -5, -4),
  beauharnois: place('Beauharnois', 'Quebec', 'CA-QC', 'CA', 'Canada', NA, 45.3151, -73.8779, -5, -4),
  monterrey: place('Monterrey', 'Nuevo León', 'MX-NLE', 'MX', 'Mexico', NA, 25.6866, -100.3161, -6, -6),
  sanNicolas: place('San Nicolás de los Garza', 'Nuevo León', 'MX-NLE', 'MX', 'Mexico', NA, 25.7417, -100.3022, -6, -6),
  mexicoCity: place('Mexico City', 'Mexico City', 'MX-CMX', 'MX', 'Mexico', NA, 19.4326, -99.1332, -6, -6),
  queretaro: place('Querétaro', 'Querétaro', 'MX-QUE', 'MX', 'Mexico', NA, 20.5888, -100.3899, -6, -6),
  curitiba: place('Curitiba', 'Paraná', 'BR-PR', 'BR', 'Brazil', SA, -25.4284, -49.2733, -3, -3),
  saoJose: place('São José dos Pinhais', 'Paraná', 'BR-PR', 'BR', 'Brazil', SA, -25.5313, -49.2031, -3, -3),
  berlin: place('Berlin', 'Land Berlin', 'DE-BE', 'DE', 'Germany', EU, 52.52, 13.405, 1, 2),
  potsdam: place('Potsdam', 'Brandenburg', 'DE-BB', 'DE', 'Germany', EU, 52.3906, 13.0645, 1, 2),
  munich: place('Munich', 'Bavaria', 'DE-BY', 'DE', 'Germany', EU, 48.1351, 11.582, 1, 2),
  madrid: place('Madrid', 'Madrid', 'ES-MD', 'ES', 'Spain', EU, 40.4168, -3.7038, 1, 2),
  bogota: place('Bogotá', 'Bogota D.C.', 'CO-DC', 'CO', 'Colombia', SA, 4.711, -74.0721, -5, -5),
  newYork: place('New York', 'New York', 'US-NY', 'US', 'United States', NA, 40.7128, -74.006, -5, -4),
  // Tōtara's places (set 4). New Zealand keeps daylight time from late September to early April:
  // its "winter" (Nov–Feb, northern naming) offset is NZDT.
  auckland: place('Auckland', 'Auckland', 'NZ-AUK', 'NZ', 'New Zealand', OC, -36.8485, 174.7633, 13, 12),
  hamilton: place('Hamilton', 'Waikato', 'NZ-WKO', 'NZ', 'New Zealand', OC, -37.787, 175.2793, 13, 12),
  christchurch: place('Christchurch', 'Canterbury', 'NZ-CAN', 'NZ', 'New Zealand', OC, -43.5321, 172.6362, 13, 12),
  rolleston: place('Rolleston', 'Canterbury', 'NZ-CAN', 'NZ', 'New Zealand', OC, -43.5906, 172.3797, 13, 12),
  wellington: place('Wellington', 'Wellington', 'NZ-WGN', 'NZ', 'New Zealand', OC, -41.2866, 174.7756, 13, 12),
  thuDauMot: place('Thu Dau Mot', 'Binh Duong Province', 'VN-57', 'VN', 'Vietnam', AS, 10.9804, 106.6519, 7, 7),
  hoChiMinh: place('Ho Chi Minh City', 'Ho Chi Minh', 'VN-SG', 'VN', 'Vietnam', AS, 10.8231, 106.6297, 7, 7),
  hanoi: place('Hanoi', 'Hanoi', 'VN-HN', 'VN', 'Vietnam', AS, 21.0278, 105.8342, 7, 7),
  // Sörmark's places (set 5). Sweden keeps summer time from late March to late October; Chile
  // its standard time (UTC−4) from April to September (southern winter: the "summer" offset here).
  solna: place('Solna', 'Stockholm', 'SE-AB', 'SE', 'Sweden', EU, 59.36, 18.0009, 1, 2),
  stockholm: place('Stockholm', 'Stockholm', 'SE-AB', 'SE', 'Sweden', EU, 59.3293, 18.0686, 1, 2),
  sundbyberg: place('Sundbyberg', 'Stockholm', 'SE-AB', 'SE', 'Sweden', EU, 59.3612, 17.971, 1, 2),
  umea: place('Umeå', 'Västerbotten', 'SE-AC', 'SE', 'Sweden', EU, 63.8258, 20.263, 1, 2),
  kisumu: place('Kisumu', 'Kisumu', 'KE-17', 'KE', 'Kenya', AF, -0.0917, 34.768, 3, 3),
  nairobi: place('Nairobi', 'Nairobi County', 'KE-30', 'KE', 'Kenya', AF, -1.2921, 36.8219, 3, 3),
  santiago: place('Santiago', 'Santiago Metropolitan', 'CL-RM', 'CL', 'Chile', SA, -33.4489, -70.6693, -3, -4),
  providencia: place('Providencia', 'Santiago Metropolitan', 'CL-RM', 'CL', 'Chile', SA, -33.4314, -70.6093, -3, -4),
  kawasaki: place('Kawasaki', 'Kanagawa', 'JP-14', 'JP', 'Japan', AS, 35.5308, 139.7029, 9, 9),
  osaka: place('Osaka', 'Osaka', 'JP-27', 'JP', 'Japan', AS, 34.6937, 135.5023, 9, 9),
  // Skarv Air's places (set 6). Norway and the Faroes keep summer time until 25 October 2026,
  // Estonia, Latvia and Finland too (UTC+3); Iceland keeps UTC all year; the Philippines UTC+8.
  bergen: place('Bergen', 'Vestland', 'NO-46', 'NO', 'Norway', EU, 60.3913, 5.3221, 1, 2),
  askoy: place('Askøy', 'Vestland', 'NO-46', 'NO', 'Norway', EU, 60.4085, 5.2264, 1, 2),
  oslo: place('Oslo', 'Oslo', 'NO-03', 'NO', 'Norway', EU, 59.9139, 10.7522, 1, 2),
  tromso: place('Tromsø', 'Troms', 'NO-55', 'NO', 'Norway', EU, 69.6492, 18.9553, 1, 2),
  reykjavik: place('Reykjavík', 'Capital Region', 'IS-1', 'IS', 'Iceland', EU, 64.1466, -21.9426, 0, 0),
  keflavik: place('Keflavík', 'Southern Peninsula', 'IS-2', 'IS', 'Iceland', EU, 64.0049, -22.5624, 0, 0),
  akureyri: place('Akureyri', 'Northeast', 'IS-6', 'IS', 'Iceland', EU, 65.6885, -18.1262, 0, 0),
  tallinn: place('Tallinn', 'Harju', 'EE-37', 'EE', 'Estonia', EU, 59.437, 24.7536, 2, 3),
  tartu: place('Tartu', 'Tartu', 'EE-79', 'EE', 'Estonia', EU, 58.378, 26.729, 2, 3),
  cebu: place('Cebu City', 'Central Visayas', 'PH-07', 'PH', 'Philippines', AS, 10.3157, 123.8854, 8, 8),
  mandaue: place('Mandaue City', 'Central Visayas', 'PH-07', 'PH', 'Philippines', AS, 10.3236, 123.9223, 8, 8),
  manila: place('Manila', 'Metro Manila', 'PH-00', 'PH', 'Philippines', AS, 14.5995, 120.9842, 8, 8),
  torshavn: place('Tórshavn', 'Streymoy', 'FO-ST', 'FO', 'Faroe Islands', EU, 62.0079, -6.7903, 0, 1),
  riga: place('Riga', 'Riga', 'LV-RIX', 'LV', 'Latvia', EU, 56.9496, 24.1052, 2, 3),
  helsinki: place('Helsinki', 'Uusimaa', 'FI-18', 'FI', 'Finland', EU, 60.1699, 24.9384, 2, 3),
  // Bandada Games' places (set 7). Uruguay, Argentina, Peru and Costa Rica keep one offset all
  // year (no daylight saving), so both seasons read the same.
  montevideo: place('Montevideo', 'Montevideo', 'UY-MO', 'UY', 'Uruguay', SA, -34.9011, -56.1645, -3, -3),
  ciudadDeLaCosta: place('Ciudad de la Costa', 'Canelones', 'UY-CA', 'UY', 'Uruguay', SA, -34.8167, -55.95, -3, -3),
  buenosAires: place('Buenos Aires', 'Buenos Aires F.D.', 'AR-C', 'AR', 'Argentina', SA, -34.6037, -58.3816, -3, -3),
  laPlata: place('La Plata', 'Buenos Aires', 'AR-B', 'AR', 'Argentina', SA, -34.9205, -57.9536, -3, -3),
  lima: place('Lima', 'Lima Province', 'PE-LMA', 'PE', 'Peru', SA, -12.0464, -77.0428, -5, -5),
  miraflores: place('Miraflores', 'Lima Province', 'PE-LMA', 'PE', 'Peru', SA, -12.1211, -77.0297, -5, -5),
  sanJoseCr: place('San José', 'Provincia de San José', 'CR-SJ', 'CR', 'Costa Rica', NA, 9.9281, -84.0907, -6, -6),
  heredia: place('Heredia', 'Provincia de Heredia', 'CR-H', 'CR', 'Costa Rica', NA, 9.9986, -84.1165, -6, -6),
} satisfies Record<string, Place>;

export type PlaceName = keyof typeof PLACES;

const net = (asn: number, org: string, kind: NetworkKind, at: PlaceName, prefixes: string[], countryOnly = false): Network => ({
  asn,
  org,
  kind,
  place: PLACES[at],
  prefixes,
  countryOnly,
});

/** A network added for set 5 (see `introducedBy`). */
const net5 = (asn: number, org: string, kind: NetworkKind, at: PlaceName, prefixes: string[], countryOnly = false): Network => ({ ...net(asn, org, kind, at, prefixes, countryOnly), introducedBy: 'set5' });

/** A network added for set 6 (see `introducedBy`). */
const net6 = (asn: number, org: string, kind: NetworkKind, at: PlaceName, prefixes: string[], countryOnly = false): Network => ({ ...net(asn, org, kind, at, prefixes, countryOnly), introducedBy: 'set6' });

/** A network added for set 7 (see `introducedBy`). */
const net7 = (asn: number, org: string, kind: NetworkKind, at: PlaceName, prefixes: string[], countryOnly = false): Network => ({ ...net(asn, org, kind, at, prefixes, countryOnly), introducedBy: 'set7' });

/** Every network a set can draw on, by a short name the organisations refer to. */
export const NETWORKS = {
  // Harbourline's countries
  kpnBusiness: net(1136, 'KPN B.V.', 'business', 'rotterdam', ['145.7.36', '145.7.37']),
  ziggo: net(33915, 'Vodafone Libertel B.V.', 'residential', 'rotterdam', ['84.86.12', '84.86.140', '89.98.51']),
  ziggoDelft: net(33915, 'Vodafone Libertel B.V.', 'residential', 'delft', ['77.170.8', '77.170.92']),
  odido: net(31615, 'Odido Netherlands B.V.', 'mobile', 'amsterdam', ['62.140.132', '62.140.137']),
  orangePlBusiness: net(5617, 'Orange Polska Spolka Akcyjna', 'business', 'gdansk', ['83.18.62', '83.18.63']),
  netia: net(12741, 'Netia SA', 'residential', 'gdynia', ['89.174.40', '89.174.91', '94.254.144']),
  play: net(39375, 'P4 Sp. z o.o.', 'mobile', 'warsaw', ['37.248.160', '37.248.174'], true),
  singtelBusiness: net(7473, 'Singapore Telecommunications Ltd', 'business', 'singapore', ['165.21.12', '165.21.13']),
  starhub: net(4657, 'StarHub Ltd', 'residential', 'singapore', ['116.86.40', '116.88.152']),
  m1: net(17547, 'M1 Limited', 'mobile', 'singapore', ['118.200.64', '118.200.65']),
  telkomBusiness: net(37457, 'Telkom SA Ltd.', 'business', 'durban', ['196.25.98', '196.25.99']),
  vumatel: net(37153, 'Hetzner (Pty) Ltd', 'residential', 'durban', ['41.185.22', '41.185.71']),
  vodacom: net(29975, 'Vodacom', 'mobile', 'johannesburg', ['41.13.200', '41.13.201']),
  attBusiness: net(7018, 'AT&T Enterprises, LLC', 'business', 'houston', ['12.190.84', '12.190.85']),
  comcast: net(7922, 'Comcast Cable Communications, LLC', 'residential', 'pasadenaTx', ['73.155.36', '73.166.200', '98.195.12']),
  tmobileUs: net(21928, 'T-Mobile USA, Inc.', 'mobile', 'dallas', ['172.56.10', '172.56.11'], true),
  // Places Harbourline people travel to
  vodafoneDe: net(3209, 'Vodafone GmbH', 'hotel', 'hamburg', ['88.130.60', '88.130.61']),
  proximus: net(5432, 'Proximus NV', 'hotel', 'antwerp', ['81.244.16', '81.244.17']),
  etisalat: net(5384, 'Emirates Telecommunications Group Company (Etisalat Group) PJSC', 'hotel', 'dubai', ['86.96.4', '86.96.5']),
  chinaTelecom: net(4812, 'China Telecom (Group)', 'hotel', 'shanghai', ['101.226.36', '101.226.37']),
  kt: net(4766, 'Korea Telecom', 'hotel', 'busan', ['121.190.20', '121.190.21']),
  vivo: net(26599, 'TELEFÔNICA BRASIL S.A', 'hotel', 'santos', ['177.32.80', '177.32.81']),
  cwPanama: net(11556, 'Cable & Wireless Panama', 'hotel', 'panama', ['190.140.12', '190.140.13']),
  // Kestrel's countries
  eirBusiness: net(5466, 'Eircom Limited', 'business', 'dublin', ['86.43.98', '86.43.99']),
  virginIe: net(6830, 'Liberty Global B.V.', 'residential', 'maynooth', ['89.101.12', '89.101.160', '109.255.40']),
  threeIe: net(13280, 'Three Ireland (Hutchison) limited', 'mobile', 'dublin', ['37.228.200', '37.228.201']),
  meoBusiness: net(3243, 'MEO - SERVICOS DE COMUNICACOES E MULTIMEDIA S.A.', 'business', 'lisbon', ['194.65.14', '194.65.15']),
  nos: net(2860, 'NOS COMUNICACOES, S.A.', 'residential', 'oeiras', ['85.240.88', '85.241.12', '188.81.44']),
  vodafonePt: net(12353, 'Vodafone Portugal - Communicacoes Pessoais S.A.', 'mobile', 'lisbon', ['148.69.20', '148.69.21'], true),
  tataBusiness: net(4755, 'TATA Communications formerly VSNL is Leading ISP', 'business', 'bengaluru', ['14.142.30', '14.142.31']),
  actFibernet: net(24309, 'Atria Convergence Technologies Ltd.', 'residential', 'bengaluru', ['49.206.12', '49.207.180', '106.51.72']),
  jio: net(55836, 'Reliance Jio Infocomm Limited', 'mobile', 'mumbai', ['49.36.88', '49.36.89'], true),
  janet: net(786, 'Jisc Services Limited', 'business', 'cambridge', ['131.111.8', '131.111.9']),
  bt: net(2856, 'British Telecommunications PLC', 'residential', 'cambridge', ['86.140.28', '86.150.112', '81.156.44']),
  ee: net(12576, 'EE Limited', 'mobile', 'london', ['31.94.20', '31.94.21']),
  telstraBusiness: net(1221, 'Telstra Limited', 'business', 'melbourne', ['203.45.60', '203.45.61']),
  aussieBroadband: net(4764, 'Aussie Broadband', 'residential', 'melbourne', ['180.150.36', '180.150.99', '119.18.12']),
  optus: net(4804, 'Optus Internet', 'mobile', 'sydney', ['49.176.20', '49.176.21']),
  // The secure web gateway Kestrel's remote staff egress through, by data centre
  zscalerLondon: net(53813, 'ZSCALER, INC.', 'secure-edge', 'london', ['165.225.80', '165.225.81']),
  zscalerAmsterdam: net(53813, 'ZSCALER, INC.', 'secure-edge', 'amsterdam', ['147.161.172', '147.161.173']),
  zscalerFrankfurt: net(53813, 'ZSCALER, INC.', 'secure-edge', 'frankfurt', ['165.225.72', '165.225.73']),
  zscalerMumbai: net(53813, 'ZSCALER, INC.', 'secure-edge', 'mumbai', ['165.225.104', '165.225.106']),
  zscalerSydney: net(53813, 'ZSCALER, INC.', 'secure-edge', 'sydney', ['165.225.114', '165.225.116']),
  // Places Kestrel people travel to
  swisscom: net(3303, 'Swisscom (Schweiz) AG', 'hotel', 'basel', ['85.0.40', '85.0.41']),
  verizonBoston: net(701, 'Verizon Business', 'hotel', 'boston', ['108.20.60', '108.20.61']),
  cox: net(22773, 'Cox Communications Inc.', 'hotel', 'sanDiego', ['68.8.100', '68.8.101']),
  tdc: net(3292, 'TDC Holding A/S', 'hotel', 'copenhagen', ['87.49.40', '87.49.41']),
  telekomDe: net(3320, 'Deutsche Telekom AG', 'hotel', 'heidelberg', ['91.32.64', '91.32.65']),
  ntt: net(4713, 'NTT Communications Corporation', 'hotel', 'tokyo', ['153.156.20', '153.156.21']),
  singtelHotel: net(7473, 'Singapore Telecommunications Ltd', 'hotel', 'singapore', ['165.21.80', '165.21.81']),
  // Clouds: where workloads, CI runners and some attackers live
  awsDublin: net(16509, 'AMAZON-02', 'cloud', 'dublin', ['54.170.12', '54.170.98', '52.208.40', '34.240.8']),
  awsFrankfurt: net(16509, 'AMAZON-02', 'cloud', 'frankfurt', ['3.120.20', '18.196.40', '35.156.8']),
  awsSingapore: net(16509, 'AMAZON-02', 'cloud', 'singapore', ['13.212.30', '18.138.44', '54.169.12']),
  awsSydney: net(16509, 'AMAZON-02', 'cloud', 'sydney', ['13.210.60', '3.105.12', '54.206.40']),
  awsAshburn: net(14618, 'AMAZON-AES', 'cloud', 'ashburn', ['34.228.10', '44.192.30', '3.80.120']),
  awsOregon: net(16509, 'AMAZON-02', 'cloud', 'boardman', ['34.212.40', '44.226.12', '52.32.88']),
  azureSanAntonio: net(8075, 'MICROSOFT-CORP-MSN-AS-BLOCK', 'cloud', 'sanAntonio', ['20.97.12', '20.97.140', '52.171.40', '40.84.200']),
  azureDesMoines: net(8075, 'MICROSOFT-CORP-MSN-AS-BLOCK', 'cloud', 'desMoines', ['20.15.40', '52.165.160', '13.89.172']),
  azureBoydton: net(8075, 'MICROSOFT-CORP-MSN-AS-BLOCK', 'cloud', 'boydton', ['20.25.30', '40.76.120', '52.224.88']),
  // Hosting, VPN exits and Tor: where most intrusions come from
  m247: net(9009, 'M247 Europe SRL', 'vpn', 'bucharest', ['185.156.46', '89.46.223', '37.120.217']),
  datacamp: net(60068, 'Datacamp Limited', 'vpn', 'frankfurt', ['156.146.62', '195.181.170', '212.102.57']),
  stark: net(44477, 'PQ Hosting Plus S.R.L.', 'hosting', 'moscow', ['45.134.26', '194.26.29']),
  ovh: net(16276, 'OVH SAS', 'hosting', 'roubaix', ['51.75.144', '54.37.130', '141.95.8']),
  hetzner: net(24940, 'Hetzner Online GmbH', 'hosting', 'falkenstein', ['88.198.40', '159.69.12', '116.202.100']),
  digitalocean: net(14061, 'DIGITALOCEAN-ASN', 'hosting', 'singapore', ['128.199.96', '159.223.40', '143.198.200']),
  tencent: net(132203, 'Tencent Building, Kejizhongyi Avenue', 'hosting', 'hongKong', ['43.154.20', '43.135.140']),
  ngHosting: net(37282, 'MainOne Cable Company', 'hosting', 'lagos', ['41.75.200', '41.75.201']),
  brHosting: net(262287, 'Latitude.sh LTDA', 'hosting', 'saoPaulo', ['177.54.148', '177.54.149']),
  torExit: net(208323, 'Foundation for Applied Privacy', 'tor', 'vilnius', ['185.220.101', '185.220.100']),
  uaResidential: net(15895, 'Kyivstar PJSC', 'residential', 'kyiv', ['46.211.40', '46.211.41']),
  // Maplecrest's countries (set 3). Residential and mobile networks only in countries no
  // earlier set lives in: attacks pick home-country proxies by filtering this table.
  bellBusiness: net(577, 'Bell Canada', 'business', 'toronto', ['142.114.60', '142.114.61']),
  rogersToronto: net(812, 'Rogers Communications Canada Inc.', 'residential', 'toronto', ['99.228.40', '99.231.112', '174.112.36']),
  bellFibe: net(577, 'Bell Canada', 'residential', 'mississauga', ['70.48.20', '70.50.144', '184.144.88']),
  teksavvy: net(5645, 'TekSavvy Solutions, Inc.', 'residential', 'toronto', ['76.10.140', '206.248.160']),
  telusMobility: net(852, 'TELUS Communications Inc.', 'mobile', 'calgary', ['70.66.16', '70.66.17'], true),
  telusBusiness: net(852, 'TELUS Communications Inc.', 'business', 'calgary', ['154.20.88', '154.20.89']),
  shawCalgary: net(6327, 'Shaw Communications Inc.', 'residential', 'calgary', ['68.146.40', '68.147.200', '24.64.112']),
  telmexBusiness: net(8151, 'UNINET', 'business', 'monterrey', ['201.144.88', '201.144.89']),
  megacable: net(13999, 'Mega Cable, S.A. de C.V.', 'residential', 'sanNicolas', ['177.226.40', '187.190.112', '201.175.20']),
  totalplay: net(22884, 'TOTAL PLAY TELECOMUNICACIONES SA DE CV', 'residential', 'monterrey', ['189.203.60', '187.188.140']),
  telcel: net(28403, 'Radiomovil Dipsa, S.A. de C.V.', 'mobile', 'mexicoCity', ['189.217.200', '189.217.201'], true),
  embratelBusiness: net(4230, 'CLARO S.A.', 'business', 'curitiba', ['200.230.72', '200.230.73']),
  claroNet: net(28573, 'Claro NXT Telecomunicacoes Ltda', 'residential', 'curitiba', ['177.97.40', '179.219.112', '189.110.20']),
  vivoFibraPr: net(18881, 'TELEFÔNICA BRASIL S.A', 'residential', 'saoJose', ['179.125.60', '187.57.144']),
  timBrasil: net(26615, 'TIM S/A', 'mobile', 'saoPaulo', ['177.26.200', '177.26.201']),
  versatelBerlin: net(8881, '1&1 Versatel Deutschland GmbH', 'business', 'berlin', ['62.96.170', '62.96.171']),
  telekomBerlin: net(3320, 'Deutsche Telekom AG', 'residential', 'berlin', ['87.178.40', '91.64.112', '93.193.20']),
  vodafoneKabelPotsdam: net(3209, 'Vodafone GmbH', 'residential', 'potsdam', ['88.72.60', '92.116.140']),
  o2De: net(6805, 'Telefonica Germany GmbH & Co.OHG', 'mobile', 'munich', ['176.0.20', '176.0.21'], true),
  // Where Maplecrest people travel to
  telefonicaMadrid: net(3352, 'TELEFONICA DE ESPANA S.A.U.', 'hotel', 'madrid', ['80.58.60', '80.58.61']),
  claroBogota: net(10620, 'Telmex Colombia S.A.', 'hotel', 'bogota', ['181.48.20', '181.48.21']),
  verizonNewYork: net(701, 'Verizon Business', 'hotel', 'newYork', ['108.41.20', '108.41.21']),
  // Maplecrest's own infrastructure: the full-tunnel VPN concentrators (own AS) and the
  // virtual-desktop host pool in Azure Canada Central.
  maplecrestVpnToronto: net(397245, 'MAPLECREST-MUTUAL', 'business', 'toronto', ['198.51.140', '198.51.141']),
  maplecrestVpnCalgary: net(397245, 'MAPLECREST-MUTUAL', 'business', 'calgary', ['198.51.150', '198.51.151']),
  azureCanadaCentral: net(8075, 'MICROSOFT-CORP-MSN-AS-BLOCK', 'cloud', 'toronto', ['20.151.12', '20.48.200', '52.228.100']),
  // Clouds, hosting and VPN exits in Maplecrest's countries (an intruder's "local" addresses)
  awsMontreal: net(16509, 'AMAZON-02', 'cloud', 'montreal', ['15.222.40', '3.98.120', '35.182.12', '99.79.60']),
  awsSaoPaulo: net(16509, 'AMAZON-02', 'cloud', 'saoPaulo', ['18.228.40', '54.232.12', '177.71.200']),
  awsQueretaro: net(16509, 'AMAZON-02', 'cloud', 'queretaro', ['78.12.40', '78.13.120']),
  ovhBeauharnois: net(16276, 'OVH SAS', 'hosting', 'beauharnois', ['51.222.40', '144.217.88', '158.69.120']),
  m247Toronto: net(9009, 'M247 Europe SRL', 'vpn', 'toronto', ['37.120.205', '89.44.201']),
  m247SaoPaulo: net(9009, 'M247 Europe SRL', 'vpn', 'saoPaulo', ['146.70.98', '149.102.232']),
  datacampMexico: net(60068, 'Datacamp Limited', 'vpn', 'mexicoCity', ['146.70.12', '169.150.226']),
  // Tōtara's countries (set 4): New Zealand, Vietnam, Japan, where no earlier set lives (attacks
  // pick home-country networks by filtering this table, so sets 1–3 must see none of these).
  sparkBusiness: net(4771, 'Spark New Zealand Trading Ltd.', 'business', 'auckland', ['122.56.96', '122.56.97']),
  sparkBusinessHamilton: net(4771, 'Spark New Zealand Trading Ltd.', 'business', 'hamilton', ['122.57.40', '122.57.41']),
  oneNzBusiness: net(9500, 'One New Zealand Group Limited', 'business', 'christchurch', ['203.109.140', '203.109.141']),
  sparkHome: net(4771, 'Spark New Zealand Trading Ltd.', 'residential', 'auckland', ['125.236.60', '125.238.112', '222.152.40']),
  sparkRolleston: net(4771, 'Spark New Zealand Trading Ltd.', 'residential', 'rolleston', ['122.61.20', '122.61.88']),
  oneNzFibre: net(9500, 'One New Zealand Group Limited', 'residential', 'hamilton', ['27.252.80', '114.23.140', '121.98.36']),
  twoDegreesBroadband: net(9790, 'Two Degrees Networks Limited', 'residential', 'christchurch', ['118.92.40', '118.93.112', '202.36.60']),
  oneNzMobile: net(9500, 'One New Zealand Group Limited', 'mobile', 'auckland', ['49.224.20', '49.224.21'], true),
  twoDegreesMobile: net(23655, 'Two Degrees Mobile Limited', 'mobile', 'wellington', ['101.98.20', '101.98.21']),
  awsAuckland: net(16509, 'AMAZON-02', 'cloud', 'auckland', ['43.208.12', '16.50.40', '3.102.60']),
  azureNzNorth: net(8075, 'MICROSOFT-CORP-MSN-AS-BLOCK', 'cloud', 'auckland', ['20.11.40', '172.204.12']),
  gslAuckland: net(137409, 'GSL Networks Pty LTD', 'vpn', 'auckland', ['103.108.94', '103.231.91']),
  viettelBusiness: net(7552, 'Viettel Group', 'business', 'thuDauMot', ['27.72.56', '27.72.57']),
  fptTelecom: net(18403, 'FPT Telecom Company', 'residential', 'hoChiMinh', ['42.116.40', '42.117.112', '1.53.112']),
  vnptHome: net(45899, 'VNPT Corp', 'residential', 'thuDauMot', ['14.161.20', '14.186.88', '113.172.40']),
  viettelMobile: net(7552, 'Viettel Group', 'mobile', 'hanoi', ['171.224.40', '171.224.41'], true),
  viettelIdc: net(7552, 'Viettel Group', 'hosting', 'hanoi', ['125.212.200', '125.212.201']),
  iijBusiness: net(2497, 'Internet Initiative Japan Inc.', 'business', 'tokyo', ['210.130.40', '210.130.41']),
  softbankHome: net(17676, 'SoftBank Corp.', 'residential', 'kawasaki', ['126.36.40', '126.114.88', '60.96.20']),
  kddiHome: net(2516, 'KDDI CORPORATION', 'residential', 'tokyo', ['106.128.40', '111.99.112']),
  docomo: net(9605, 'NTT DOCOMO, INC.', 'mobile', 'tokyo', ['1.66.40', '1.66.41'], true),
  kddiBusinessOsaka: net(2516, 'KDDI CORPORATION', 'business', 'osaka', ['210.196.40', '210.196.41']),
  awsTokyo: net(16509, 'AMAZON-02', 'cloud', 'tokyo', ['13.112.40', '54.238.12', '52.193.88']),
  sakura: net(9370, 'SAKURA Internet Inc.', 'hosting', 'osaka', ['153.120.40', '160.16.88']),
  // Sörmark's countries (set 5): Sweden, Kenya, Chile, where no earlier set lives. The hospital's
  // own network, the research campus on the university network (eduroam), the secure web gateway
  // the hospital's administrative staff leave through from home, and Stockholm's cloud region.
  teliaBusinessSolna: net5(3301, 'Telia Company AB', 'business', 'solna', ['62.20.140', '62.20.141']),
  sunetSolna: net5(1653, 'SUNET Swedish University Network', 'business', 'solna', ['130.237.40', '130.237.41']),
  teliaBusinessUmea: net5(3301, 'Telia Company AB', 'business', 'umea', ['62.20.180', '62.20.181']),
  teliaHome: net5(3301, 'Telia Company AB', 'residential', 'stockholm', ['81.224.40', '81.227.112', '90.229.20']),
  tele2Home: net5(1257, 'Tele2 Sverige AB', 'residential', 'sundbyberg', ['90.224.40', '213.112.60', '94.191.112']),
  bahnhof: net5(8473, 'Bahnhof AB', 'residential', 'stockholm', ['83.248.40', '85.24.140', '155.4.60']),
  ipOnlyUmea: net5(12552, 'IP-Only Networks AB', 'residential', 'umea', ['31.208.40', '46.59.112']),
  teliaMobile: net5(3301, 'Telia Company AB', 'mobile', 'stockholm', ['78.79.20', '78.79.21'], true),
  tele2Mobile: net5(1257, 'Tele2 Sverige AB', 'mobile', 'stockholm', ['176.10.136', '176.10.137']),
  netskopeStockholm: net5(55256, 'NETSKOPE', 'secure-edge', 'stockholm', ['163.116.160', '163.116.161']),
  netskopeCopenhagen: net5(55256, 'NETSKOPE', 'secure-edge', 'copenhagen', ['163.116.196', '163.116.197']),
  awsStockholm: net5(16509, 'AMAZON-02', 'cloud', 'stockholm', ['13.48.40', '13.53.112', '16.16.60']),
  azureSwedenCentral: net5(8075, 'MICROSOFT-CORP-MSN-AS-BLOCK', 'cloud', 'stockholm', ['4.225.40', '20.91.112']),
  glesys: net5(42708, 'GleSYS AB', 'hosting', 'stockholm', ['46.246.40', '159.253.20']),
  m247Stockholm: net5(9009, 'M247 Europe SRL', 'vpn', 'stockholm', ['185.195.233', '193.138.218']),
  safaricomBusiness: net5(33771, 'Safaricom Limited', 'business', 'kisumu', ['41.90.100', '41.90.101']),
  safaricomHome: net5(33771, 'Safaricom Limited', 'residential', 'kisumu', ['105.160.40', '105.161.112']),
  zuku: net5(15399, 'Wananchi Group (Kenya) Limited', 'residential', 'kisumu', ['41.212.40', '197.237.112']),
  safaricomMobile: net5(33771, 'Safaricom Limited', 'mobile', 'nairobi', ['197.232.60', '197.232.61'], true),
  airtelKenya: net5(36926, 'Airtel Networks Kenya Limited', 'mobile', 'nairobi', ['102.0.40', '102.0.41']),
  entelBusiness: net5(27651, 'ENTEL CHILE S.A.', 'business', 'santiago', ['200.72.140', '200.72.141']),
  vtr: net5(22047, 'VTR BANDA ANCHA S.A.', 'residential', 'providencia', ['190.100.40', '186.104.112', '201.188.20']),
  movistarChile: net5(7418, 'TELEFONICA CHILE S.A.', 'residential', 'santiago', ['190.160.40', '181.43.112']),
  entelMobile: net5(27651, 'ENTEL CHILE S.A.', 'mobile', 'santiago', ['191.126.40', '191.126.41'], true),
  // Skarv Air's countries (set 6): Norway, Iceland, Estonia, the Philippines, where no earlier set
  // lives; the crews' outstation hotels in the Faroes, Latvia and Finland (countries no set lives in).
  telenorBusinessBergen: net6(2119, 'Telenor Norge AS', 'business', 'bergen', ['84.208.140', '84.208.141']),
  avinorFlesland: net6(39832, 'Avinor AS', 'business', 'bergen', ['193.90.214', '193.90.215']),
  telenorHome: net6(2119, 'Telenor Norge AS', 'residential', 'bergen', ['84.210.40', '84.212.112', '88.88.60']),
  altibox: net6(29695, 'Altibox AS', 'residential', 'askoy', ['46.9.40', '79.160.112', '85.164.20']),
  teliaNorgeHome: net6(12929, 'Telia Norge AS', 'residential', 'oslo', ['46.212.40', '89.8.112']),
  telenorMobile: net6(2119, 'Telenor Norge AS', 'mobile', 'oslo', ['77.16.40', '77.16.41'], true),
  iceMobile: net6(206616, 'Ice Norge AS', 'mobile', 'oslo', ['176.11.20', '176.11.21']),
  azureNorwayEast: net6(8075, 'MICROSOFT-CORP-MSN-AS-BLOCK', 'cloud', 'oslo', ['51.120.40', '51.120.112']),
  redpill: net6(39029, 'Redpill Linpro AS', 'hosting', 'oslo', ['87.238.40', '87.238.41']),
  m247Oslo: net6(9009, 'M247 Europe SRL', 'vpn', 'oslo', ['91.219.215', '185.206.225']),
  siminnBusiness: net6(6677, 'Siminn hf', 'business', 'keflavik', ['157.157.140', '157.157.141']),
  vodafoneIs: net6(12969, 'Syn hf', 'residential', 'reykjavik', ['89.160.40', '89.17.112', '213.213.60']),
  hringdu: net6(15474, 'Hringdu ehf', 'residential', 'reykjavik', ['82.221.40', '82.221.112']),
  novaMobile: net6(44735, 'Nova hf', 'mobile', 'reykjavik', ['31.209.136', '31.209.137'], true),
  flokiHosting: net6(44925, '1984 ehf', 'hosting', 'reykjavik', ['93.95.224', '185.112.144']),
  teliaEestiBusiness: net6(3249, 'Telia Eesti AS', 'business', 'tallinn', ['194.126.100', '194.126.101']),
  elisaEesti: net6(16089, 'Elisa Eesti AS', 'residential', 'tallinn', ['90.190.40', '90.191.112', '82.131.20']),
  teliaEestiHome: net6(3249, 'Telia Eesti AS', 'residential', 'tartu', ['90.128.40', '90.129.112']),
  tele2Eesti: net6(2586, 'Tele2 Eesti AS', 'mobile', 'tallinn', ['37.157.40', '37.157.41']),
  pldtBusiness: net6(9299, 'Philippine Long Distance Telephone Company', 'business', 'cebu', ['122.3.140', '122.3.141']),
  converge: net6(17639, 'Converge ICT Solutions Inc.', 'residential', 'mandaue', ['136.158.40', '136.158.112', '180.190.20']),
  pldtHome: net6(9299, 'Philippine Long Distance Telephone Company', 'residential', 'cebu', ['112.198.40', '112.200.112']),
  globeMobile: net6(4775, 'Globe Telecom (GMCR,INC)', 'mobile', 'manila', ['49.144.40', '49.144.41'], true),
  smartMobile: net6(10139, 'Smart Broadband, Inc.', 'mobile', 'manila', ['110.54.140', '110.54.141']),
  // The crews' outstation hotels (layovers, in the weeks learnt from and the scored week alike).
  telenorTromso: net6(2119, 'Telenor Norge AS', 'hotel', 'tromso', ['84.214.40', '84.214.41']),
  siminnAkureyri: net6(6677, 'Siminn hf', 'hotel', 'akureyri', ['157.157.200', '157.157.201']),
  foroyaTele: net6(15389, 'Foroya Tele', 'hotel', 'torshavn', ['185.23.168', '185.23.169']),
  tetRiga: net6(12578, 'SIA Tet', 'hotel', 'riga', ['87.110.40', '87.110.41']),
  elisaHelsinki: net6(719, 'Elisa Oyj', 'hotel', 'helsinki', ['91.152.40', '91.152.41']),
  // Bandada Games' countries (set 7): Uruguay, Argentina, Peru, Costa Rica, where no earlier set
  // lives (attacks pick home-country networks by filtering this table, so sets 1–6 see none).
  antelBusiness: net7(6057, 'Administracion Nacional de Telecomunicaciones', 'business', 'montevideo', ['167.60.140', '167.60.141']),
  antelFibra: net7(6057, 'Administracion Nacional de Telecomunicaciones', 'residential', 'montevideo', ['179.24.40', '186.52.112', '167.57.20']),
  antelCosta: net7(6057, 'Administracion Nacional de Telecomunicaciones', 'residential', 'ciudadDeLaCosta', ['179.26.60', '190.64.144']),
  movistarUy: net7(19422, 'Telefonica Moviles del Uruguay SA', 'mobile', 'montevideo', ['191.34.40', '191.34.41'], true),
  telecomArBusiness: net7(7303, 'Telecom Argentina S.A.', 'business', 'buenosAires', ['181.30.140', '181.30.141']),
  fibertel: net7(10318, 'Telecom Argentina S.A.', 'residential', 'buenosAires', ['181.46.40', '186.22.112', '201.212.60']),
  telecentro: net7(27747, 'Telecentro S.A.', 'residential', 'laPlata', ['190.55.40', '200.115.112']),
  claroAr: net7(11664, 'AMX Argentina S.A.', 'mobile', 'buenosAires', ['170.51.40', '170.51.41'], true),
  telefonicaPeBusiness: net7(6147, 'Telefonica del Peru S.A.A.', 'business', 'lima', ['200.37.140', '200.37.141']),
  movistarPe: net7(6147, 'Telefonica del Peru S.A.A.', 'residential', 'miraflores', ['190.42.40', '179.6.112', '190.237.60']),
  winPeru: net7(269857, 'WIN EMPRESAS S.A.C.', 'residential', 'lima', ['38.25.40', '38.25.112']),
  claroPe: net7(12252, 'America Movil Peru S.A.C.', 'mobile', 'lima', ['179.7.40', '179.7.41'], true),
  iceBusiness: net7(11830, 'Instituto Costarricense de Electricidad y Telecom.', 'business', 'sanJoseCr', ['201.196.140', '201.196.141']),
  kolbiHome: net7(11830, 'Instituto Costarricense de Electricidad y Telecom.', 'residential', 'sanJoseCr', ['201.200.40', '186.176.112']),
  tigoCr: net7(52228, 'Millicom Cable Costa Rica S.A.', 'residential', 'heredia', ['186.15.40', '181.193.112']),
  kolbiMobile: net7(11830, 'Instituto Costarricense de Electricidad y Telecom.', 'mobile', 'sanJoseCr', ['186.26.120', '186.26.121'], true),
} satisfies Record<string, Network>;

export type NetworkName = keyof typeof NETWORKS;

/** An address in a network: a stable one for a key (a home router), or any one (dice given). */
export function addressIn(network: Network, dice: Dice): string {
  return `${dice.one(network.prefixes)}.${dice.between(2, 254)}`;
}

/** `source.geo` as the geoip processor writes it (country only for some ranges). */
export function geoOf(network: Network): Record<string, unknown> {
  const p = network.place;
  if (network.countryOnly) return { continent_name: p.continent, country_iso_code: p.cc, country_name: p.country };
  return {
    city_name: p.city,
    continent_name: p.continent,
    country_iso_code: p.cc,
    country_name: p.country,
    location: { lat: p.lat, lon: p.lon },
    region_iso_code: p.regionIso,
    region_name: p.region,
  };
}

export const asOf = (network: Network): Record<string, unknown> => ({ number: network.asn, organization: { name: network.org } });
