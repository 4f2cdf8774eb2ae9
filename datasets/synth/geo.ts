/**
 * Places and networks: a catalogue of cities (with their time zone rules) and autonomous systems
 * (residential, mobile, business, hosting, VPN/relay), and stable IP addresses derived from them.
 * GeoIP as Elastic's pipelines index it (`source.geo`, `source.as`) is rendered from these, including
 * its real imperfections: mobile carriers geolocate to a hub city, some IPs have no city, some no ASN.
 */
import { hash32, Rng } from './rng';
import type { DstRule } from './time';

export interface City {
  key: string;
  name: string;
  cc: string;
  country: string;
  continent: string;
  region: string;
  regionIso: string;
  lat: number;
  lon: number;
  tz: number;
  dst: DstRule;
}

type CityRow = [string, string, string, string, string, string, number, number, number, DstRule];

const NA = 'North America';
const EU = 'Europe';
const AS = 'Asia';
const OC = 'Oceania';
const SA = 'South America';
const AF = 'Africa';

// name, cc, country, continent, region, region iso, lat, lon, std offset, dst rule
const CITY_ROWS: CityRow[] = [
  ['New York', 'US', 'United States', NA, 'New York', 'US-NY', 40.7128, -74.006, -5, 'us'],
  ['Boston', 'US', 'United States', NA, 'Massachusetts', 'US-MA', 42.3601, -71.0589, -5, 'us'],
  ['Philadelphia', 'US', 'United States', NA, 'Pennsylvania', 'US-PA', 39.9526, -75.1652, -5, 'us'],
  ['Atlanta', 'US', 'United States', NA, 'Georgia', 'US-GA', 33.749, -84.388, -5, 'us'],
  ['Raleigh', 'US', 'United States', NA, 'North Carolina', 'US-NC', 35.7796, -78.6382, -5, 'us'],
  ['Miami', 'US', 'United States', NA, 'Florida', 'US-FL', 25.7617, -80.1918, -5, 'us'],
  ['Ashburn', 'US', 'United States', NA, 'Virginia', 'US-VA', 39.0438, -77.4874, -5, 'us'],
  ['Piscataway', 'US', 'United States', NA, 'New Jersey', 'US-NJ', 40.5549, -74.4643, -5, 'us'],
  ['Chicago', 'US', 'United States', NA, 'Illinois', 'US-IL', 41.8781, -87.6298, -6, 'us'],
  ['Austin', 'US', 'United States', NA, 'Texas', 'US-TX', 30.2672, -97.7431, -6, 'us'],
  ['Dallas', 'US', 'United States', NA, 'Texas', 'US-TX', 32.7767, -96.797, -6, 'us'],
  ['Minneapolis', 'US', 'United States', NA, 'Minnesota', 'US-MN', 44.9778, -93.265, -6, 'us'],
  ['Denver', 'US', 'United States', NA, 'Colorado', 'US-CO', 39.7392, -104.9903, -7, 'us'],
  ['Phoenix', 'US', 'United States', NA, 'Arizona', 'US-AZ', 33.4484, -112.074, -7, 'none'],
  ['Seattle', 'US', 'United States', NA, 'Washington', 'US-WA', 47.6062, -122.3321, -8, 'us'],
  ['San Francisco', 'US', 'United States', NA, 'California', 'US-CA', 37.7749, -122.4194, -8, 'us'],
  ['San Jose', 'US', 'United States', NA, 'California', 'US-CA', 37.3382, -121.8863, -8, 'us'],
  ['Los Angeles', 'US', 'United States', NA, 'California', 'US-CA', 34.0522, -118.2437, -8, 'us'],
  ['Boardman', 'US', 'United States', NA, 'Oregon', 'US-OR', 45.8399, -119.7006, -8, 'us'],
  ['Toronto', 'CA', 'Canada', NA, 'Ontario', 'CA-ON', 43.6532, -79.3832, -5, 'us'],
  ['Montreal', 'CA', 'Canada', NA, 'Quebec', 'CA-QC', 45.5017, -73.5673, -5, 'us'],
  ['Vancouver', 'CA', 'Canada', NA, 'British Columbia', 'CA-BC', 49.2827, -123.1207, -8, 'us'],
  ['Mexico City', 'MX', 'Mexico', NA, 'Mexico City', 'MX-CMX', 19.4326, -99.1332, -6, 'none'],
  ['London', 'GB', 'United Kingdom', EU, 'England', 'GB-ENG', 51.5142, -0.0931, 0, 'eu'],
  ['Manchester', 'GB', 'United Kingdom', EU, 'England', 'GB-ENG', 53.4808, -2.2426, 0, 'eu'],
  ['Edinburgh', 'GB', 'United Kingdom', EU, 'Scotland', 'GB-SCT', 55.9533, -3.1883, 0, 'eu'],
  ['Dublin', 'IE', 'Ireland', EU, 'Leinster', 'IE-L', 53.3498, -6.2603, 0, 'eu'],
  ['Paris', 'FR', 'France', EU, 'Île-de-France', 'FR-IDF', 48.8566, 2.3522, 1, 'eu'],
  ['Lyon', 'FR', 'France', EU, 'Auvergne-Rhône-Alpes', 'FR-ARA', 45.764, 4.8357, 1, 'eu'],
  ['Roubaix', 'FR', 'France', EU, 'Hauts-de-France', 'FR-HDF', 50.6942, 3.1746, 1, 'eu'],
  ['Berlin', 'DE', 'Germany', EU, 'Land Berlin', 'DE-BE', 52.52, 13.405, 1, 'eu'],
  ['Munich', 'DE', 'Germany', EU, 'Bavaria', 'DE-BY', 48.1351, 11.582, 1, 'eu'],
  ['Frankfurt am Main', 'DE', 'Germany', EU, 'Hesse', 'DE-HE', 50.1109, 8.6821, 1, 'eu'],
  ['Hamburg', 'DE', 'Germany', EU, 'Hamburg', 'DE-HH', 53.5511, 9.9937, 1, 'eu'],
  ['Falkenstein', 'DE', 'Germany', EU, 'Saxony', 'DE-SN', 50.4779, 12.3713, 1, 'eu'],
  ['Amsterdam', 'NL', 'Netherlands', EU, 'North Holland', 'NL-NH', 52.3676, 4.9041, 1, 'eu'],
  ['Madrid', 'ES', 'Spain', EU, 'Madrid', 'ES-MD', 40.4168, -3.7038, 1, 'eu'],
  ['Barcelona', 'ES', 'Spain', EU, 'Catalonia', 'ES-CT', 41.3874, 2.1686, 1, 'eu'],
  ['Milan', 'IT', 'Italy', EU, 'Lombardy', 'IT-25', 45.4642, 9.19, 1, 'eu'],
  ['Stockholm', 'SE', 'Sweden', EU, 'Stockholm County', 'SE-AB', 59.3293, 18.0686, 1, 'eu'],
  ['Linköping', 'SE', 'Sweden', EU, 'Östergötland County', 'SE-E', 58.4167, 15.6167, 1, 'eu'],
  ['Warsaw', 'PL', 'Poland', EU, 'Mazovia', 'PL-14', 52.2297, 21.0122, 1, 'eu'],
  ['Zurich', 'CH', 'Switzerland', EU, 'Zurich', 'CH-ZH', 47.3769, 8.5417, 1, 'eu'],
  ['Bucharest', 'RO', 'Romania', EU, 'Bucuresti', 'RO-B', 44.4268, 26.1025, 2, 'eu'],
  ['Kyiv', 'UA', 'Ukraine', EU, 'Kyiv City', 'UA-30', 50.4501, 30.5234, 2, 'eu'],
  ['Moscow', 'RU', 'Russia', EU, 'Moscow', 'RU-MOW', 55.7558, 37.6173, 3, 'none'],
  ['Saint Petersburg', 'RU', 'Russia', EU, 'St.-Petersburg', 'RU-SPE', 59.9343, 30.3351, 3, 'none'],
  ['Istanbul', 'TR', 'Türkiye', AS, 'Istanbul', 'TR-34', 41.0082, 28.9784, 3, 'none'],
  ['Tel Aviv', 'IL', 'Israel', AS, 'Tel Aviv', 'IL-TA', 32.0853, 34.7818, 2, 'eu'],
  ['Dubai', 'AE', 'United Arab Emirates', AS, 'Dubai', 'AE-DU', 25.2048, 55.2708, 4, 'none'],
  ['Bengaluru', 'IN', 'India', AS, 'Karnataka', 'IN-KA', 12.9716, 77.5946, 5.5, 'none'],
  ['Hyderabad', 'IN', 'India', AS, 'Telangana', 'IN-TG', 17.385, 78.4867, 5.5, 'none'],
  ['Pune', 'IN', 'India', AS, 'Maharashtra', 'IN-MH', 18.5204, 73.8567, 5.5, 'none'],
  ['Mumbai', 'IN', 'India', AS, 'Maharashtra', 'IN-MH', 19.076, 72.8777, 5.5, 'none'],
  ['Singapore', 'SG', 'Singapore', AS, 'Singapore', 'SG-01', 1.3521, 103.8198, 8, 'none'],
  ['Hong Kong', 'HK', 'Hong Kong', AS, 'Central and Western District', 'HK-HCW', 22.3193, 114.1694, 8, 'none'],
  ['Shanghai', 'CN', 'China', AS, 'Shanghai', 'CN-SH', 31.2304, 121.4737, 8, 'none'],
  ['Ho Chi Minh City', 'VN', 'Vietnam', AS, 'Ho Chi Minh', 'VN-SG', 10.8231, 106.6297, 7, 'none'],
  ['Jakarta', 'ID', 'Indonesia', AS, 'Jakarta', 'ID-JK', -6.2088, 106.8456, 7, 'none'],
  ['Tokyo', 'JP', 'Japan', AS, 'Tokyo', 'JP-13', 35.6762, 139.6503, 9, 'none'],
  ['Osaka', 'JP', 'Japan', AS, 'Osaka', 'JP-27', 34.6937, 135.5023, 9, 'none'],
  ['Seoul', 'KR', 'South Korea', AS, 'Seoul', 'KR-11', 37.5665, 126.978, 9, 'none'],
  ['Sydney', 'AU', 'Australia', OC, 'New South Wales', 'AU-NSW', -33.8688, 151.2093, 10, 'au'],
  ['Melbourne', 'AU', 'Australia', OC, 'Victoria', 'AU-VIC', -37.8136, 144.9631, 10, 'au'],
  ['São Paulo', 'BR', 'Brazil', SA, 'São Paulo', 'BR-SP', -23.5505, -46.6333, -3, 'none'],
  ['Lagos', 'NG', 'Nigeria', AF, 'Lagos', 'NG-LA', 6.5244, 3.3792, 1, 'none'],
  ['Johannesburg', 'ZA', 'South Africa', AF, 'Gauteng', 'ZA-GP', -26.2041, 28.0473, 2, 'none'],
];

export const CITIES: Record<string, City> = {};
for (const r of CITY_ROWS) {
  const key = r[0];
  CITIES[key] = {
    key,
    name: r[0],
    cc: r[1],
    country: r[2],
    continent: r[3],
    region: r[4],
    regionIso: r[5],
    lat: r[6],
    lon: r[7],
    tz: r[8],
    dst: r[9],
  };
}

export function city(key: string): City {
  const c = CITIES[key];
  if (!c) throw new Error(`unknown city ${key}`);
  return c;
}

export function citiesIn(cc: string): City[] {
  return Object.values(CITIES).filter((c) => c.cc === cc);
}

/** Great-circle distance in km. */
export function distanceKm(a: City, b: City): number {
  const r = 6371;
  const dLat = ((b.lat - a.lat) * Math.PI) / 180;
  const dLon = ((b.lon - a.lon) * Math.PI) / 180;
  const la1 = (a.lat * Math.PI) / 180;
  const la2 = (b.lat * Math.PI) / 180;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(la1) * Math.cos(la2) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

export type AsnKind = 'residential' | 'mobile' | 'business' | 'hosting' | 'vpn' | 'relay' | 'cloud';

export interface Asn {
  number: number;
  org: string;
  /** Country the ASN mostly serves ('*' = global). */
  cc: string;
  kind: AsnKind;
  /** First octets of the blocks this ASN announces (synthetic but fixed). */
  blocks: number[][];
  /** Domain (Okta's security context). */
  domain: string;
  /** Some of its addresses come as IPv6. */
  v6?: string;
}

type AsnRow = [number, string, string, AsnKind, number[][], string, string?];

const ASN_ROWS: AsnRow[] = [
  // United States
  [7922, 'Comcast Cable Communications, LLC', 'US', 'residential', [[73], [98], [24, 60]], 'comcast.net', '2601'],
  [7018, 'AT&T Services, Inc.', 'US', 'residential', [[99], [108], [107, 77]], 'att.net', '2600:1700'],
  [701, 'Verizon Business', 'US', 'residential', [[71], [96, 224], [100, 2]], 'verizon.net'],
  [20115, 'Charter Communications', 'US', 'residential', [[66, 168], [97, 83], [174, 108]], 'charter.com', '2603:6000'],
  [22773, 'Cox Communications Inc.', 'US', 'residential', [[68, 4], [70, 180], [98, 164]], 'cox.net'],
  [209, 'CenturyLink Communications, LLC', 'US', 'residential', [[67, 0], [75, 160], [216, 160]], 'centurylink.net'],
  [21928, 'T-Mobile USA, Inc.', 'US', 'mobile', [[172, 56], [172, 58], [208, 54]], 'tmobile.com', '2607:fb90'],
  [22394, 'Cellco Partnership DBA Verizon Wireless', 'US', 'mobile', [[174, 192], [174, 205], [97, 32]], 'verizonwireless.com', '2600:1000'],
  [20057, 'AT&T Mobility LLC', 'US', 'mobile', [[166, 137], [107, 115], [166, 205]], 'att.net', '2600:380'],
  [3356, 'Level 3 Parent, LLC', 'US', 'business', [[4, 14], [8, 9], [63, 208]], 'lumen.com'],
  [174, 'Cogent Communications', '*', 'business', [[38, 104], [38, 140], [154, 6]], 'cogentco.com'],
  [6461, 'Zayo Bell', 'US', 'business', [[64, 125], [208, 185], [128, 177]], 'zayo.com'],
  // Canada, Mexico, Brazil
  [812, 'Rogers Communications Canada Inc.', 'CA', 'residential', [[99, 224], [174, 112], [72, 139]], 'rogers.com'],
  [577, 'Bell Canada', 'CA', 'residential', [[70, 49], [142, 112], [184, 144]], 'bell.ca'],
  [852, 'TELUS Communications Inc.', 'CA', 'mobile', [[142, 198], [75, 152], [154, 20]], 'telus.net'],
  [8151, 'Uninet S.A. de C.V.', 'MX', 'residential', [[187, 188], [189, 203], [201, 141]], 'telmex.com'],
  [28573, 'Claro NXT Telecomunicacoes Ltda', 'BR', 'residential', [[177, 94], [179, 218], [191, 183]], 'claro.com.br'],
  [26599, 'TELEFONICA BRASIL S.A', 'BR', 'mobile', [[177, 79], [187, 56], [189, 40]], 'vivo.com.br'],
  // Europe
  [2856, 'British Telecommunications PLC', 'GB', 'residential', [[81, 151], [86, 128], [109, 144]], 'bt.com'],
  [5089, 'Virgin Media Limited', 'GB', 'residential', [[82, 0], [86, 2], [92, 232]], 'virginmedia.com'],
  [5607, 'Sky UK Limited', 'GB', 'residential', [[2, 120], [90, 192], [94, 0]], 'sky.com'],
  [12576, 'EE Limited', 'GB', 'mobile', [[31, 94], [149, 254], [31, 125]], 'ee.co.uk'],
  [25135, 'Vodafone Limited', 'GB', 'mobile', [[85, 255], [82, 132], [185, 69]], 'vodafone.co.uk'],
  [5466, 'Eircom Limited', 'IE', 'residential', [[86, 40], [79, 97], [159, 134]], 'eir.ie'],
  [6830, 'Liberty Global B.V.', 'IE', 'residential', [[89, 100], [84, 203], [213, 202]], 'libertyglobal.com'],
  [3215, 'Orange S.A.', 'FR', 'residential', [[90, 1], [86, 195], [92, 184]], 'orange.fr', '2a01:cb00'],
  [12322, 'Free SAS', 'FR', 'residential', [[82, 64], [88, 120], [78, 192]], 'free.fr', '2a01:e0a'],
  [15557, 'Societe Francaise du Radiotelephone - SFR SA', 'FR', 'mobile', [[109, 7], [77, 154], [93, 22]], 'sfr.fr'],
  [3320, 'Deutsche Telekom AG', 'DE', 'residential', [[79, 192], [87, 128], [91, 32]], 't-online.de', '2003'],
  [3209, 'Vodafone GmbH', 'DE', 'residential', [[88, 64], [94, 134], [188, 192]], 'vodafone.de'],
  [6805, 'Telefonica Germany GmbH & Co.OHG', 'DE', 'mobile', [[2, 240], [77, 1], [176, 0]], 'telefonica.de'],
  [1136, 'KPN B.V.', 'NL', 'residential', [[77, 160], [145, 53], [86, 80]], 'kpn.com'],
  [33915, 'Vodafone Libertel B.V.', 'NL', 'mobile', [[84, 241], [31, 151], [89, 205]], 'vodafone.nl'],
  [3352, 'TELEFONICA DE ESPANA S.A.U.', 'ES', 'residential', [[80, 28], [83, 32], [88, 0]], 'telefonica.es'],
  [3269, 'Telecom Italia S.p.A.', 'IT', 'residential', [[79, 0], [87, 0], [93, 144]], 'telecomitalia.it'],
  [3301, 'Telia Company AB', 'SE', 'residential', [[78, 64], [81, 224], [90, 224]], 'telia.se'],
  [29518, 'Bredband2 AB', 'SE', 'residential', [[89, 160], [83, 233], [94, 191]], 'bredband2.se'],
  [5617, 'Orange Polska Spolka Akcyjna', 'PL', 'residential', [[83, 0], [79, 184], [89, 64]], 'orange.pl'],
  [3303, 'Swisscom (Schweiz) AG', 'CH', 'residential', [[85, 0], [178, 196], [213, 55]], 'swisscom.ch'],
  [8708, 'RCS & RDS SA', 'RO', 'residential', [[86, 120], [89, 136], [79, 112]], 'rcs-rds.ro'],
  [15895, 'Kyivstar PJSC', 'UA', 'residential', [[46, 211], [176, 36], [94, 153]], 'kyivstar.net'],
  [12389, 'PJSC Rostelecom', 'RU', 'residential', [[95, 24], [188, 32], [5, 138]], 'rt.ru'],
  [8359, 'MTS PJSC', 'RU', 'mobile', [[83, 149], [91, 76], [176, 59]], 'mts.ru'],
  [9121, 'Turk Telekomunikasyon Anonim Sirketi', 'TR', 'residential', [[78, 160], [88, 224], [85, 96]], 'turktelekom.com.tr'],
  [8551, 'Bezeq International', 'IL', 'residential', [[79, 176], [84, 108], [212, 179]], 'bezeqint.net'],
  [5384, 'Emirates Telecommunications Group Company (Etisalat Group) PJSC', 'AE', 'residential', [[94, 200], [86, 96], [2, 49]], 'etisalat.ae'],
  // Asia-Pacific, Africa
  [55836, 'Reliance Jio Infocomm Limited', 'IN', 'mobile', [[49, 36], [157, 32], [106, 192]], 'jio.com', '2409:4040'],
  [24560, 'Bharti Airtel Ltd., Telemedia Services', 'IN', 'residential', [[122, 161], [182, 64], [117, 96]], 'airtel.in'],
  [24309, 'Atria Convergence Technologies Pvt. Ltd.', 'IN', 'residential', [[106, 51], [49, 207], [183, 82]], 'actcorp.in'],
  [7473, 'Singapore Telecommunications Ltd', 'SG', 'residential', [[116, 14], [220, 255], [118, 200]], 'singtel.com'],
  [4657, 'StarHub Ltd', 'SG', 'mobile', [[58, 182], [101, 127], [116, 86]], 'starhub.com'],
  [4760, 'HKT Limited', 'HK', 'residential', [[112, 118], [203, 198], [218, 102]], 'hkt.com'],
  [4134, 'CHINANET-BACKBONE', 'CN', 'residential', [[180, 160], [114, 80], [222, 64]], 'chinatelecom.cn'],
  [7552, 'Viettel Group', 'VN', 'residential', [[27, 72], [171, 224], [116, 96]], 'viettel.com.vn'],
  [7713, 'PT Telekomunikasi Indonesia', 'ID', 'residential', [[36, 64], [110, 136], [180, 244]], 'telkom.co.id'],
  [4713, 'NTT Communications Corporation', 'JP', 'residential', [[114, 160], [153, 156], [125, 0]], 'ntt.com'],
  [2516, 'KDDI CORPORATION', 'JP', 'mobile', [[106, 128], [111, 86], [182, 248]], 'kddi.com'],
  [4766, 'Korea Telecom', 'KR', 'residential', [[211, 234], [121, 128], [175, 192]], 'kt.com'],
  [1221, 'Telstra Pty Ltd', 'AU', 'residential', [[1, 128], [101, 160], [120, 144]], 'telstra.com'],
  [4804, 'Optus Internet', 'AU', 'mobile', [[49, 176], [110, 174], [211, 30]], 'optus.com.au'],
  [29465, 'MTN NIGERIA Communication limited', 'NG', 'mobile', [[102, 89], [105, 112], [197, 210]], 'mtnnigeria.net'],
  [36874, 'Cybersmart', 'ZA', 'residential', [[102, 132], [41, 193], [196, 210]], 'cybersmart.co.za'],
  // Clouds, hosting, VPN and relays
  [16509, 'Amazon.com, Inc.', '*', 'cloud', [[3], [18], [52], [54], [44]], 'amazonaws.com'],
  [14618, 'Amazon.com, Inc.', 'US', 'cloud', [[34, 192], [3, 80], [52, 0]], 'amazonaws.com'],
  [8075, 'Microsoft Corporation', '*', 'cloud', [[20], [40], [52, 160], [13, 64]], 'microsoft.com'],
  [396982, 'Google LLC', '*', 'cloud', [[34], [35]], 'googleusercontent.com'],
  [14061, 'DigitalOcean, LLC', '*', 'hosting', [[104, 131], [159, 65], [167, 99], [178, 62], [206, 189]], 'digitalocean.com'],
  [16276, 'OVH SAS', '*', 'hosting', [[51, 75], [54, 36], [145, 239], [147, 135]], 'ovh.net'],
  [24940, 'Hetzner Online GmbH', '*', 'hosting', [[5, 9], [78, 46], [88, 198], [95, 216], [116, 202]], 'your-server.de'],
  [20473, 'The Constant Company, LLC', '*', 'hosting', [[45, 32], [45, 76], [149, 28], [207, 148]], 'vultr.com'],
  [63949, 'Akamai Connected Cloud', '*', 'hosting', [[45, 33], [139, 162], [172, 105], [194, 195]], 'linode.com'],
  [60781, 'LeaseWeb Netherlands B.V.', '*', 'hosting', [[37, 48], [85, 17], [212, 32]], 'leaseweb.com'],
  [9009, 'M247 Europe SRL', '*', 'vpn', [[37, 120], [89, 238], [146, 70], [185, 156]], 'm247.com'],
  [60068, 'Datacamp Limited', '*', 'vpn', [[84, 17], [89, 187], [185, 59], [212, 102]], 'cdn77.com'],
  [49505, 'JSC Selectel', 'RU', 'hosting', [[5, 188], [31, 184], [92, 53]], 'selectel.ru'],
  [45102, 'Alibaba US Technology Co., Ltd.', '*', 'hosting', [[47, 74], [47, 88], [8, 209]], 'alibaba.com'],
  [62044, 'Zscaler, Inc.', '*', 'vpn', [[136, 226], [165, 225], [147, 161]], 'zscaler.net'],
  [36183, 'Akamai Technologies, Inc.', '*', 'relay', [[172, 224], [172, 225], [172, 226]], 'akamai.com'],
  [13335, 'Cloudflare, Inc.', '*', 'relay', [[104, 28], [172, 68], [162, 158]], 'cloudflare.com'],
];

export const ASNS: Record<number, Asn> = {};
for (const r of ASN_ROWS) {
  ASNS[r[0]] = { number: r[0], org: r[1], cc: r[2], kind: r[3], blocks: r[4], domain: r[5], ...(r[6] ? { v6: r[6] } : {}) };
}

export function asn(n: number): Asn {
  const a = ASNS[n];
  if (!a) throw new Error(`unknown ASN ${n}`);
  return a;
}

export function asnsIn(cc: string, kind: AsnKind): Asn[] {
  return Object.values(ASNS).filter((a) => a.cc === cc && a.kind === kind);
}

/** Hosting/VPN/cloud providers that attackers and benign tools both rent. */
export function providers(kinds: AsnKind[] = ['hosting', 'vpn']): Asn[] {
  return Object.values(ASNS).filter((a) => kinds.includes(a.kind));
}

/**
 * A stable IPv4 (or IPv6 when the ASN has a v6 prefix and `v6` is set) for a slot name inside an
 * ASN: the same (asn, city, slot) always gives the same address, so an office egress or a home
 * router keeps its address across the dataset while different slots get different ones.
 */
export function ipFor(a: Asn, cityKey: string, slot: string, v6 = false): string {
  const h1 = hash32(`${a.number}|${cityKey}`);
  const h2 = hash32(`${a.number}|${cityKey}|${slot}`);
  if (v6 && a.v6) {
    // Provider prefix, then a per-site /64 from the city hash and the slot, then an interface id.
    const groups = a.v6.split(':');
    let k = 0;
    while (groups.length < 4) groups.push((((h1 >>> (k * 5)) ^ (h2 >>> 16)) & 0xffff).toString(16)), k++;
    return `${groups.join(':')}:${(h2 & 0xffff).toString(16)}:${((h2 >>> 7) & 0xffff).toString(16)}:${((h1 ^ h2) & 0xffff).toString(16)}:${((h2 >>> 3) & 0xfff).toString(16)}`;
  }
  const block = a.blocks[h1 % a.blocks.length] as number[];
  const o: number[] = block.slice();
  // City keeps the second/third octet stable so addresses of one city share a /16 or /24.
  if (o.length === 1) o.push(h1 % 251 + 2);
  if (o.length === 2) o.push((h1 >>> 8) % 254 + 1);
  // A few /24s per city, then the host.
  o[2] = ((o[2] as number) + ((h2 >>> 20) % 4)) % 255;
  o.push((h2 % 253) + 2);
  return o.slice(0, 4).join('.');
}

export interface NetGeo {
  /** Where the traffic is geolocated by GeoIP (may differ from where the user is). */
  city: City;
  /** GeoIP has no city for this address (country only). */
  noCity?: boolean;
}

/** The `source.geo` object as Elastic's geoip processor writes it. */
export function geoDoc(g: NetGeo): Record<string, unknown> {
  const c = g.city;
  if (g.noCity) {
    return {
      continent_name: c.continent,
      country_iso_code: c.cc,
      country_name: c.country,
      location: { lat: round4(c.lat + 0.3), lon: round4(c.lon - 0.2) },
    };
  }
  return {
    city_name: c.name,
    continent_name: c.continent,
    country_iso_code: c.cc,
    country_name: c.country,
    location: { lat: c.lat, lon: c.lon },
    region_iso_code: c.regionIso,
    region_name: c.region,
  };
}

export function asDoc(a: Asn): Record<string, unknown> {
  return { number: a.number, organization: { name: a.org } };
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** GeoIP hub cities per country: where mobile-carrier and relay addresses get geolocated. */
export const HUBS: Record<string, string[]> = {
  US: ['Ashburn', 'Dallas', 'Chicago', 'Los Angeles', 'New York', 'Seattle', 'Atlanta'],
  CA: ['Toronto', 'Montreal', 'Vancouver'],
  GB: ['London', 'Manchester'],
  IE: ['Dublin'],
  FR: ['Paris', 'Lyon'],
  DE: ['Frankfurt am Main', 'Berlin', 'Hamburg', 'Munich'],
  NL: ['Amsterdam'],
  ES: ['Madrid', 'Barcelona'],
  IT: ['Milan'],
  SE: ['Stockholm'],
  PL: ['Warsaw'],
  CH: ['Zurich'],
  IN: ['Mumbai', 'Bengaluru', 'Hyderabad', 'Pune'],
  SG: ['Singapore'],
  JP: ['Tokyo', 'Osaka'],
  AU: ['Sydney', 'Melbourne'],
  BR: ['São Paulo'],
  MX: ['Mexico City'],
};

export function hubCity(cc: string, rng: Rng, fallback: City): City {
  const hubs = HUBS[cc];
  if (!hubs || hubs.length === 0) return fallback;
  return city(rng.pick(hubs));
}

/** A home broadband provider of a country (US providers where the catalogue has none). */
export function residential(cc: string, rng: Rng): Asn {
  const list = asnsIn(cc, 'residential');
  if (list.length > 0) return rng.pick(list);
  return rng.pick(asnsIn('US', 'residential'));
}

export function mobileCarrier(cc: string, rng: Rng): Asn {
  const list = asnsIn(cc, 'mobile');
  if (list.length > 0) return rng.pick(list);
  return residential(cc, rng);
}

/** The business line of an office: a transit provider or the national incumbent. */
export function businessIsp(cc: string, rng: Rng): Asn {
  if (cc === 'US') return asn(rng.pick([3356, 6461, 174]));
  return rng.chance(0.5) ? asn(174) : residential(cc, rng);
}
