/**
 * People's names by the place they were hired in, and how an organisation turns a name into a
 * sign-in name (given.family@domain, ASCII only, a number on a clash).
 */
import type { Dice } from './dice';

export type Locale = 'nl' | 'pl' | 'sg' | 'za' | 'us' | 'ie' | 'pt' | 'in' | 'gb' | 'au' | 'ca' | 'mx' | 'br' | 'de' | 'nz' | 'vn' | 'jp' | 'se' | 'ke' | 'cl' | 'no' | 'is' | 'ee' | 'ph';

const GIVEN: Record<Locale, readonly string[]> = {
  nl: ['Sanne', 'Daan', 'Femke', 'Joris', 'Lieke', 'Bram', 'Noor', 'Thijs', 'Maaike', 'Wouter', 'Eline', 'Ruben', 'Anouk', 'Sem', 'Fleur', 'Jeroen', 'Ilse', 'Koen', 'Marloes', 'Stijn'],
  pl: ['Agnieszka', 'Piotr', 'Katarzyna', 'Tomasz', 'Magdalena', 'Paweł', 'Joanna', 'Krzysztof', 'Aleksandra', 'Michał', 'Zofia', 'Łukasz', 'Natalia', 'Marcin', 'Weronika', 'Grzegorz', 'Ewa', 'Bartosz'],
  sg: ['Wei Ling', 'Jun Hao', 'Siti', 'Arjun', 'Mei Xin', 'Darren', 'Nurul', 'Kai Wen', 'Priya', 'Hafiz', 'Xin Yi', 'Marcus', 'Farah', 'Zhi Hao'],
  za: ['Thandiwe', 'Sipho', 'Anika', 'Lwazi', 'Nomvula', 'Pieter', 'Ayanda', 'Riaan', 'Zanele', 'Themba', 'Lindiwe', 'Johan', 'Naledi', 'Kagiso'],
  us: ['Marisol', 'Tyler', 'Jasmine', 'Brandon', 'Guadalupe', 'Cody', 'Alexis', 'Trevor', 'Destiny', 'Hector', 'Brianna', 'Dustin', 'Yesenia', 'Garrett'],
  ie: ['Aoife', 'Cian', 'Niamh', 'Oisín', 'Saoirse', 'Cillian', 'Róisín', 'Darragh', 'Clodagh', 'Fionn', 'Síofra', 'Eoin', 'Caoimhe', 'Tadhg', 'Orla', 'Ronan'],
  pt: ['Inês', 'Tiago', 'Beatriz', 'Gonçalo', 'Mariana', 'Rodrigo', 'Leonor', 'Duarte', 'Carolina', 'Afonso', 'Matilde', 'Francisco', 'Joana', 'Vasco'],
  in: ['Ananya', 'Rohan', 'Kavya', 'Vikram', 'Divya', 'Karthik', 'Meera', 'Siddharth', 'Lakshmi', 'Arvind', 'Nandini', 'Pranav', 'Shreya', 'Harish', 'Deepika', 'Suresh'],
  gb: ['Imogen', 'Callum', 'Harriet', 'Rhys', 'Eleanor', 'Hamish', 'Phoebe', 'Alfie', 'Georgia', 'Fraser', 'Bethany', 'Toby', 'Lydia', 'Ewan'],
  au: ['Matilda', 'Lachlan', 'Ruby', 'Hamish', 'Isla', 'Mitchell', 'Chloe', 'Jarrah', 'Sienna', 'Brodie', 'Tahlia', 'Flynn'],
  ca: ['Olivia', 'Liam', 'Chloé', 'Étienne', 'Maya', 'Connor', 'Harpreet', 'Jasmine', 'Mathieu', 'Avery', 'Gurpreet', 'Kaitlyn', 'Nathan', 'Émilie', 'Wei', 'Brayden'],
  mx: ['Alejandra', 'José Luis', 'Mariana', 'Diego', 'Fernanda', 'Luis', 'Ximena', 'Jorge', 'Valeria', 'Ricardo', 'Daniela', 'Eduardo', 'Paola', 'Emiliano', 'Guadalupe', 'Rodrigo'],
  br: ['Ana Clara', 'João', 'Beatriz', 'Lucas', 'Larissa', 'Gabriel', 'Camila', 'Matheus', 'Juliana', 'Rafael', 'Letícia', 'Thiago', 'Bruna', 'Felipe'],
  de: ['Lena', 'Jonas', 'Hannah', 'Lukas', 'Mia', 'Felix', 'Lea', 'Maximilian', 'Sophie', 'Paul', 'Clara', 'Niklas', 'Johanna', 'Tim'],
  nz: ['Aroha', 'Tāne', 'Mereana', 'Wiremu', 'Kiri', 'Nikau', 'Sione', 'Mele', 'Hunter', 'Charlotte', 'Manaia', 'Isla', 'Hemi', 'Ruby', 'Jayden', 'Anahera', 'Liam', 'Priya'],
  vn: ['Minh', 'Lan', 'Huy', 'Thảo', 'Tuấn', 'Ngọc', 'Khánh', 'Phương', 'Đức', 'Hương', 'Quang', 'Trang', 'Bảo', 'Linh', 'Hải', 'Vy'],
  jp: ['Haruto', 'Yui', 'Sota', 'Hina', 'Ren', 'Aoi', 'Yuto', 'Sakura', 'Kenji', 'Mei', 'Takumi', 'Yuna', 'Daiki', 'Misaki'],
  se: ['Astrid', 'Erik', 'Ebba', 'Oskar', 'Maja', 'Gustav', 'Saga', 'Axel', 'Linnea', 'Viktor', 'Elsa', 'Johan', 'Ingrid', 'Hugo', 'Alva', 'Nils', 'Amira', 'Ahmed', 'Sofia', 'Mikael'],
  ke: ['Achieng', 'Otieno', 'Wanjiru', 'Kipchoge', 'Akinyi', 'Ochieng', 'Njeri', 'Kamau', 'Atieno', 'Odhiambo', 'Wambui', 'Mwangi', 'Adhiambo', 'Kiprono'],
  cl: ['Catalina', 'Matías', 'Javiera', 'Benjamín', 'Constanza', 'Vicente', 'Francisca', 'Joaquín', 'Antonia', 'Tomás', 'Fernanda', 'Cristóbal', 'Isidora', 'Sebastián'],
  no: ['Ingrid', 'Sindre', 'Marte', 'Eirik', 'Silje', 'Håkon', 'Ragnhild', 'Torbjørn', 'Kari', 'Øyvind', 'Synnøve', 'Magnus', 'Tuva', 'Jørgen', 'Hanne', 'Vegard', 'Amina', 'Mathias'],
  is: ['Guðrún', 'Jón', 'Sigríður', 'Gunnar', 'Kristín', 'Ólafur', 'Helga', 'Einar', 'Anna', 'Stefán', 'Katrín', 'Sigurður', 'Hildur', 'Bjarni'],
  ee: ['Kadri', 'Martin', 'Liis', 'Rasmus', 'Triin', 'Andres', 'Kertu', 'Siim', 'Maarja', 'Tanel', 'Anastasia', 'Dmitri', 'Piret', 'Margus'],
  ph: ['Maria Cristina', 'Jose', 'Angelica', 'Mark Anthony', 'Kimberly', 'John Paul', 'Rowena', 'Jerome', 'Mary Grace', 'Ramil', 'Jhoanna', 'Carlo', 'Rhea', 'Jericho'],
};

const FAMILY: Record<Locale, readonly string[]> = {
  nl: ['de Vries', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Dijk', 'Dekker', 'Brouwer', 'van Leeuwen', 'Kok', 'Jacobs', 'Vermeulen'],
  pl: ['Nowak', 'Kowalczyk', 'Wiśniewska', 'Wójcik', 'Kamiński', 'Lewandowska', 'Zieliński', 'Szymańska', 'Woźniak', 'Dąbrowski', 'Kozłowska', 'Jankowski', 'Mazur', 'Krawczyk'],
  sg: ['Tan', 'Lim', 'Ng', 'Ong', 'Wong', 'Goh', 'Chua', 'Rahman', 'Pillai', 'Koh', 'Teo', 'Ismail', 'Nair', 'Yeo'],
  za: ['Dlamini', 'Nkosi', 'van der Merwe', 'Botha', 'Mokoena', 'Naidoo', 'Khumalo', 'Pretorius', 'Zulu', 'Govender', 'Mthembu', 'du Plessis'],
  us: ['Garza', 'Nguyen', 'Hernandez', 'Walker', 'Reyes', 'Mitchell', 'Ramirez', 'Coleman', 'Delgado', 'Brooks', 'Salinas', 'Patterson'],
  ie: ['Murphy', 'Kelly', "O'Sullivan", 'Walsh', 'Byrne', 'Ryan', "O'Brien", 'Lynch', 'Doyle', 'McCarthy', 'Gallagher', 'Kavanagh', 'Brennan', 'Nolan', 'Fitzgerald'],
  pt: ['Silva', 'Santos', 'Ferreira', 'Pereira', 'Oliveira', 'Costa', 'Rodrigues', 'Martins', 'Sousa', 'Fernandes', 'Gonçalves', 'Lopes', 'Marques', 'Almeida'],
  in: ['Iyer', 'Reddy', 'Sharma', 'Rao', 'Krishnan', 'Menon', 'Gupta', 'Hegde', 'Kulkarni', 'Subramanian', 'Patil', 'Banerjee', 'Shetty', 'Venkatesh'],
  gb: ['Ashworth', 'Pemberton', 'Whitfield', 'Barker', 'Holloway', 'Fairbairn', 'Stirling', 'Cartwright', 'Lockwood', 'Harding', 'Templeton', 'Marsh'],
  au: ['Nguyen', 'Campbell', 'Harris', 'McKenzie', 'Fraser', 'Kowalski', 'Papadopoulos', 'Sullivan', 'Bennett', 'Morrison', 'Chen', 'Doherty'],
  ca: ['Tremblay', 'Gagnon', 'MacDonald', 'Singh', 'Wong', 'Bouchard', 'Leblanc', 'Patel', 'Côté', 'Campbell', 'Gill', 'Lavoie', 'Anderson', 'Nguyen', 'Pelletier', 'Sandhu'],
  mx: ['García', 'Hernández', 'Martínez', 'López', 'González', 'Treviño', 'Garza', 'Villarreal', 'Cantú', 'Salinas', 'Ramírez', 'Flores', 'Cavazos', 'Elizondo'],
  br: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Pereira', 'Costa', 'Almeida', 'Ribeiro', 'Carvalho', 'Kowalski', 'Gomes', 'Wolff', 'Lima', 'Schmidt'],
  de: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Koch', 'Richter', 'Wolf', 'Neumann'],
  nz: ['Ngata', 'Parata', 'Herewini', 'Te Whare', 'Pōmare', 'Tupou', "Fa'asolo", 'Walker', 'Wilson', 'McLeod', 'Robinson', 'Kaur', 'Chen', 'Reid', 'Thompson', 'Patel'],
  vn: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Võ'],
  jp: ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato', 'Yoshida', 'Yamada', 'Sasaki', 'Matsumoto'],
  se: ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Larsson', 'Olsson', 'Persson', 'Svensson', 'Lindqvist', 'Björk', 'Holm', 'Lundgren', 'Sandberg', 'Hassan', 'Ali'],
  ke: ['Otieno', 'Odhiambo', 'Ochieng', 'Kamau', 'Mwangi', 'Wanjiku', 'Kiprotich', 'Chebet', 'Onyango', 'Mutua', 'Njoroge', 'Akinyi', 'Owino', 'Korir'],
  cl: ['González', 'Muñoz', 'Rojas', 'Díaz', 'Pérez', 'Soto', 'Contreras', 'Silva', 'Martínez', 'Sepúlveda', 'Morales', 'Fuentes', 'Valenzuela', 'Araya'],
  no: ['Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Haugen', 'Berg', 'Halvorsen', 'Solheim', 'Myklebust', 'Haaland', 'Nygård', 'Vik'],
  is: ['Jónsdóttir', 'Jónsson', 'Sigurðardóttir', 'Guðmundsson', 'Gunnarsdóttir', 'Ólafsson', 'Einarsdóttir', 'Kristjánsson', 'Magnúsdóttir', 'Stefánsson', 'Björnsdóttir', 'Helgason'],
  ee: ['Tamm', 'Saar', 'Sepp', 'Mägi', 'Kask', 'Kukk', 'Rebane', 'Ilves', 'Pärn', 'Koppel', 'Ivanova', 'Smirnov', 'Lepik', 'Oja'],
  ph: ['Santos', 'Reyes', 'Cruz', 'Bautista', 'Ocampo', 'Garcia', 'Mendoza', 'Torres', 'Villanueva', 'Aquino', 'Dela Cruz', 'Ramos', 'Castillo', 'Fernandez'],
};

export interface PersonName {
  given: string;
  family: string;
  display: string;
}

export function drawName(locale: Locale, dice: Dice): PersonName {
  const given = dice.one(GIVEN[locale]);
  const family = dice.one(FAMILY[locale]);
  return { given, family, display: `${given} ${family}` };
}

/** "Róisín O'Sullivan" → "roisin.osullivan". */
export function loginPart(name: PersonName): string {
  const fold = (s: string): string =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/ł/g, 'l')
      .replace(/Ł/g, 'L')
      .replace(/đ/g, 'd')
      .replace(/ð/g, 'd')
      .replace(/Ð/g, 'D')
      .replace(/ø/g, 'o')
      .replace(/Ø/g, 'O')
      .replace(/æ/g, 'ae')
      .replace(/þ/g, 'th')
      .replace(/Þ/g, 'Th')
      .replace(/Đ/g, 'D')
      .toLowerCase()
      .replace(/[^a-z]/g, '');
  return `${fold(name.given)}.${fold(name.family)}`;
}

/** Gives each person a unique login part, numbering clashes the way IT desks do (anna.smit2). */
export class LoginRegistry {
  private readonly taken = new Set<string>();

  claim(base: string): string {
    let candidate = base;
    for (let n = 2; this.taken.has(candidate); n++) candidate = `${base}${n}`;
    this.taken.add(candidate);
    return candidate;
  }
}
