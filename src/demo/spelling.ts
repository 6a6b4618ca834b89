import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { between, digits, pick } from './random';

/*
 * Parties as the three administrations' records write them, for generated demo and benchmark
 * data. One consignee reaches the hub from Guangdong in Simplified characters or pinyin, from
 * Hong Kong in English or Traditional characters, from Macao in Traditional characters or
 * English; its phone as +852 9386 1247, (852)93861247 or ９３８６ １２４７; its flat as
 * "Flat 1203, 12/F" or "RM 1203 12F". Each party is a structured identity (what it really is);
 * `spell*` writes it the way one record would. The variants are those normalizeIdentifier
 * (src/correlation/identifier-normalize.ts) folds into one, plus, where asked for, a few it
 * cannot fold (a region added or left out), because real records have those too.
 */

/** How a record is written: English (romanised names), Traditional or Simplified Chinese. */
export type Script = 'en' | 'zh-Hant' | 'zh-Hans';

/** [romanisation, Traditional, Simplified]. */
export type Words = readonly [string, string, string];

/**
 * Syllables of shop names and given names: [Cantonese romanisation, pinyin, Traditional,
 * Simplified]. Two of them make a trade name (Kam Lung 金龍, Jinlong 金龙) or a given name
 * (Ka Wai 家偉): enough pairs that unrelated firms and people seldom share a name, as in life.
 */
export const SYLLABLES: readonly (readonly [string, string, string, string])[] = [
  ['Kam', 'Jin', '金', '金'], ['Wing', 'Yong', '永', '永'], ['Tai', 'Tai', '泰', '泰'], ['Yue', 'Yu', '裕', '裕'],
  ['Po', 'Bao', '寶', '宝'], ['Kin', 'Jian', '建', '建'], ['Sun', 'Xin', '新', '新'], ['Hang', 'Heng', '恆', '恒'],
  ['Lung', 'Long', '龍', '龙'], ['Wah', 'Hua', '華', '华'], ['Man', 'Wan', '萬', '万'], ['Yat', 'Ri', '日', '日'],
  ['Kwong', 'Guang', '廣', '广'], ['Tin', 'Tian', '天', '天'], ['Cheung', 'Xiang', '祥', '祥'], ['On', 'An', '安', '安'],
  ['Ming', 'Ming', '明', '明'], ['Hoi', 'Hai', '海', '海'], ['Lai', 'Li', '麗', '丽'], ['Ka', 'Jia', '嘉', '嘉'],
  ['Wai', 'Wei', '偉', '伟'], ['Fu', 'Fu', '富', '富'], ['Tak', 'De', '德', '德'], ['Shing', 'Sheng', '盛', '盛'],
  ['Fat', 'Fa', '發', '发'], ['Lok', 'Le', '樂', '乐'], ['Hing', 'Xing', '興', '兴'], ['Fung', 'Feng', '豐', '丰'],
  ['Kwok', 'Guo', '國', '国'], ['Chi', 'Zhi', '志', '志'], ['Keung', 'Qiang', '強', '强'], ['Kit', 'Jie', '傑', '杰'],
  ['Peng', 'Peng', '鵬', '鹏'], ['Tat', 'Da', '達', '达'], ['Wang', 'Wang', '宏', '宏'], ['Yuet', 'Yue', '粵', '粤'],
];

/** Two syllables: a trade name in the romanisation of the region (Kam Lung; Jinlong on the mainland). */
export function tradeName(r: () => number, region: Region): Words {
  const a = pick(r, SYLLABLES);
  const b = pick(r, SYLLABLES);
  const roman = region === 'CN' ? a[1] + b[1].toLowerCase() : `${a[0]} ${b[0]}`;
  return [roman, a[2] + b[2], a[3] + b[3]];
}

/** Two syllables: a given name, [Cantonese romanisation, pinyin, Traditional, Simplified]. */
function givenName(r: () => number): readonly [string, string, string, string] {
  const a = pick(r, SYLLABLES);
  const b = pick(r, SYLLABLES);
  return [`${a[0]} ${b[0]}`, a[1] + b[1].toLowerCase(), a[2] + b[2], a[3] + b[3]];
}

/** Lines of business, in the words firms put in their names. */
export const TRADE_LINES: readonly Words[] = [
  ['Electronic Components', '電子元件', '电子元件'], ['Semiconductor', '半導體', '半导体'], ['Leather Goods', '皮具', '皮具'],
  ['Handbags', '手袋', '手袋'], ['Telecom Accessories', '通訊配件', '通讯配件'], ['Mobile Accessories', '手機配件', '手机配件'],
  ['Watches', '鐘錶', '钟表'], ['Cosmetics', '化妝品', '化妆品'], ['Garments', '製衣', '制衣'], ['Footwear', '鞋業', '鞋业'],
  ['Toys', '玩具', '玩具'], ['Digital Products', '數碼產品', '数码产品'], ['Logistics', '物流', '物流'], ['Import Export', '進出口', '进出口'],
];

/** Surnames: [Cantonese romanisation, pinyin, Traditional, Simplified]. */
export const SURNAMES: readonly (readonly [string, string, string, string])[] = [
  ['Chan', 'Chen', '陳', '陈'], ['Wong', 'Huang', '黃', '黄'], ['Leung', 'Liang', '梁', '梁'], ['Cheung', 'Zhang', '張', '张'],
  ['Lau', 'Liu', '劉', '刘'], ['Lee', 'Li', '李', '李'], ['Ho', 'He', '何', '何'], ['Lam', 'Lin', '林', '林'],
  ['Ng', 'Wu', '吳', '吴'], ['Chow', 'Zhou', '周', '周'], ['Tsang', 'Zeng', '曾', '曾'], ['Yeung', 'Yang', '楊', '杨'],
  ['Kwok', 'Guo', '郭', '郭'], ['Fung', 'Feng', '馮', '冯'], ['Tang', 'Deng', '鄧', '邓'], ['Lo', 'Lu', '盧', '卢'],
];

/** Where a party is: the place its address, phone and name belong to. */
export type Region = 'HK' | 'MO' | 'CN';

interface District {
  en: string;
  zh: Words;
  /** Hong Kong's area (Kowloon …) or a mainland city, written after the district in English and before it in Chinese. */
  area: Words;
}

const HK_DISTRICTS: readonly District[] = [
  { en: 'Sham Shui Po', zh: ['', '深水埗', '深水埗'], area: ['Kowloon', '九龍', '九龙'] },
  { en: 'Kwun Tong', zh: ['', '觀塘', '观塘'], area: ['Kowloon', '九龍', '九龙'] },
  { en: 'Mong Kok', zh: ['', '旺角', '旺角'], area: ['Kowloon', '九龍', '九龙'] },
  { en: 'San Po Kong', zh: ['', '新蒲崗', '新蒲岗'], area: ['Kowloon', '九龍', '九龙'] },
  { en: 'Tsuen Wan', zh: ['', '荃灣', '荃湾'], area: ['New Territories', '新界', '新界'] },
  { en: 'Kwai Chung', zh: ['', '葵涌', '葵涌'], area: ['New Territories', '新界', '新界'] },
  { en: 'Sheung Wan', zh: ['', '上環', '上环'], area: ['Hong Kong', '香港', '香港'] },
  { en: 'Chai Wan', zh: ['', '柴灣', '柴湾'], area: ['Hong Kong', '香港', '香港'] },
];

const CN_DISTRICTS: readonly District[] = [
  { en: 'Futian District', zh: ['', '福田區', '福田区'], area: ['Shenzhen', '深圳市', '深圳市'] },
  { en: 'Luohu District', zh: ['', '羅湖區', '罗湖区'], area: ['Shenzhen', '深圳市', '深圳市'] },
  { en: 'Nanshan District', zh: ['', '南山區', '南山区'], area: ['Shenzhen', '深圳市', '深圳市'] },
  { en: 'Xiangzhou District', zh: ['', '香洲區', '香洲区'], area: ['Zhuhai', '珠海市', '珠海市'] },
  { en: 'Huangpu District', zh: ['', '黃埔區', '黄埔区'], area: ['Guangzhou', '廣州市', '广州市'] },
  { en: 'Baiyun District', zh: ['', '白雲區', '白云区'], area: ['Guangzhou', '廣州市', '广州市'] },
];

/** Streets: English name and kind, Chinese name with its kind. */
interface Street {
  en: string;
  kind: 'Street' | 'Road' | 'Avenue' | '';
  zh: Words;
}

const HK_STREETS: readonly Street[] = [
  { en: 'Tai Nan', kind: 'Street', zh: ['', '大南街', '大南街'] },
  { en: 'Hung To', kind: 'Road', zh: ['', '鴻圖道', '鸿图道'] },
  { en: 'Castle Peak', kind: 'Road', zh: ['', '青山道', '青山道'] },
  { en: 'Hing Wah', kind: 'Street', zh: ['', '興華街', '兴华街'] },
  { en: 'Tsun Yip', kind: 'Street', zh: ['', '駿業街', '骏业街'] },
  { en: 'Lai Chi Kok', kind: 'Road', zh: ['', '荔枝角道', '荔枝角道'] },
  { en: 'Shanghai', kind: 'Street', zh: ['', '上海街', '上海街'] },
  { en: 'Yu Chau', kind: 'Street', zh: ['', '汝州街', '汝州街'] },
];

/** Macao's streets keep their Portuguese names in English records. */
const MO_STREETS: readonly Street[] = [
  { en: 'Avenida de Horta e Costa', kind: '', zh: ['', '荷蘭園大馬路', '荷兰园大马路'] },
  { en: 'Avenida do Almirante Lacerda', kind: '', zh: ['', '罅些喇提督大馬路', '罅些喇提督大马路'] },
  { en: 'Avenida de Venceslau de Morais', kind: '', zh: ['', '慕拉士大馬路', '慕拉士大马路'] },
  { en: 'Rua Norte do Patane', kind: '', zh: ['', '沙梨頭北街', '沙梨头北街'] },
  { en: 'Avenida do Coronel Mesquita', kind: '', zh: ['', '美副將大馬路', '美副将大马路'] },
];

const CN_STREETS: readonly Street[] = [
  { en: 'Huaqiang North', kind: 'Road', zh: ['', '華強北路', '华强北路'] },
  { en: 'Yingbin South', kind: 'Road', zh: ['', '迎賓南路', '迎宾南路'] },
  { en: 'Qiaoguang', kind: 'Road', zh: ['', '僑光路', '侨光路'] },
  { en: 'Kaifa', kind: 'Road', zh: ['', '開發路', '开发路'] },
  { en: 'Shennan Middle', kind: 'Road', zh: ['', '深南中路', '深南中路'] },
  { en: 'Jichang', kind: 'Road', zh: ['', '機場路', '机场路'] },
];

/** A building's kind: English word, Traditional, Simplified. */
const BUILDING_KINDS: readonly Words[] = [
  ['Industrial Building', '工業大廈', '工业大厦'], ['Building', '大廈', '大厦'], ['Centre', '中心', '中心'],
  ['Commercial Centre', '商業中心', '商业中心'], ['Mansion', '大樓', '大楼'],
];

/** A party's address, as the place it is, not as any record wrote it. */
export interface Address {
  region: Region;
  /** A flat: '1203', 'B'. */
  flat: string;
  floor: number;
  /** A block or tower letter, if the building has several. */
  block: string | null;
  building: Words;
  buildingKind: Words;
  number: number;
  street: Street;
  district: District | null;
}

/** A phone number: country calling code and national number, digits only. */
export interface Phone {
  cc: '852' | '853' | '86';
  national: string;
}

/** A consignee or consignor: a firm or a person, with where it is. */
export interface Party {
  region: Region;
  kind: 'firm' | 'person';
  /** A firm: its trade name and line; a person: surname and given name (both romanisations). */
  trade?: Words;
  line?: Words;
  surname?: readonly [string, string, string, string];
  given?: readonly [string, string, string, string];
  /** A mainland firm's city, which its name starts with (Shenzhen, 深圳市). */
  city?: Words;
  /** ISO country of the party. */
  country: 'HK' | 'MO' | 'CN';
}

const CN_CITIES: readonly Words[] = [['Shenzhen', '深圳市', '深圳市'], ['Zhuhai', '珠海市', '珠海市'], ['Guangzhou', '廣州市', '广州市'], ['Dongguan', '東莞市', '东莞市']];

export const REGION_COUNTRY: Readonly<Record<Region, 'HK' | 'MO' | 'CN'>> = { HK: 'HK', MO: 'MO', CN: 'CN' };

export function randomParty(r: () => number, region: Region, kind: 'firm' | 'person'): Party {
  if (kind === 'firm') {
    const party: Party = { region, kind, trade: tradeName(r, region), line: pick(r, TRADE_LINES), country: REGION_COUNTRY[region] };
    if (region === 'CN') party.city = pick(r, CN_CITIES);
    return party;
  }
  return { region, kind, surname: pick(r, SURNAMES), given: givenName(r), country: REGION_COUNTRY[region] };
}

export function randomAddress(r: () => number, region: Region): Address {
  const streets = region === 'HK' ? HK_STREETS : region === 'MO' ? MO_STREETS : CN_STREETS;
  const districts = region === 'HK' ? HK_DISTRICTS : region === 'MO' ? [] : CN_DISTRICTS;
  const floor = between(r, 2, 32);
  return {
    region,
    flat: r() < 0.5 ? `${floor}${String(between(r, 1, 18)).padStart(2, '0')}` : pick(r, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']),
    floor,
    block: r() < 0.4 ? pick(r, ['A', 'B', 'C', '1', '2']) : null,
    building: tradeName(r, region),
    buildingKind: pick(r, BUILDING_KINDS),
    number: between(r, 1, region === 'CN' ? 3200 : 280),
    street: pick(r, streets),
    district: districts.length ? pick(r, districts) : null,
  };
}

/** A mobile number of the region, valid in its numbering plan. */
export function randomPhone(r: () => number, region: Region): Phone {
  for (;;) {
    const p: Phone =
      region === 'HK'
        ? { cc: '852', national: pick(r, ['5', '6', '9']) + digits(r, 7) }
        : region === 'MO'
          ? { cc: '853', national: `6${pick(r, ['2', '3', '5', '6', '8'])}${digits(r, 6)}` }
          : { cc: '86', national: `1${pick(r, ['35', '36', '37', '38', '39', '58', '59', '86', '88'])}${digits(r, 8)}` };
    if (isValidPhoneNumber(`+${p.cc}${p.national}`)) return p;
  }
}

/** The same number with one digit changed (still a valid number): a look-alike, not the same line. */
export function phoneOneDigitOff(r: () => number, p: Phone): Phone {
  for (;;) {
    const at = between(r, 3, p.national.length - 1);
    const d = (Number(p.national[at]) + between(r, 1, 9)) % 10;
    const q: Phone = { cc: p.cc, national: p.national.slice(0, at) + d + p.national.slice(at + 1) };
    if (isValidPhoneNumber(`+${q.cc}${q.national}`)) return q;
  }
}

/** E.164 form: what every spelling of the number normalizes to. */
export function e164(p: Phone): string {
  return `+${p.cc}${p.national}`;
}

/** ASCII to the full-width forms Chinese input methods type (digits, letters, punctuation; space to the ideographic space). */
export function fullWidth(s: string): string {
  return s.replace(/[!-~ ]/g, (c) => (c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
}

function group(s: string, sizes: number[], sep: string): string {
  const out: string[] = [];
  let at = 0;
  for (const n of sizes) {
    out.push(s.slice(at, at + n));
    at += n;
  }
  if (at < s.length) out.push(s.slice(at));
  return out.join(sep);
}

/**
 * The number as one record writes it. `local` allows the form without a country code (for a
 * writer whose numbering plan, or whose party's country, is the number's).
 */
export function spellPhone(r: () => number, p: Phone, local: boolean): string {
  const n = p.national;
  const g = p.cc === '86' ? [3, 4, 4] : [4, 4];
  const forms = [
    `+${p.cc} ${group(n, g, ' ')}`,
    `(${p.cc})${n}`,
    `00${p.cc}-${group(n, g, '-')}`,
    `${p.cc} ${group(n, g, ' ')}`,
    `+${p.cc}-${n}`,
    `(+${p.cc}) ${group(n, g, ' ')}`,
    `00${p.cc} ${n}`,
    `+${p.cc}${n}`,
    ...(p.cc === '86' ? [`+86 ${group(n, g, '-')}`, `86-${n}`] : []),
    ...(local ? [group(n, g, ' '), group(n, g, '-'), n] : []),
  ];
  const s = pick(r, forms);
  return r() < 0.1 ? fullWidth(s) : s;
}

/** Upper case, title case as written, or (rarely) lower case: how officers type names. */
function casing(r: () => number, s: string): string {
  const x = r();
  return x < 0.3 ? s.toUpperCase() : x < 0.35 ? s.toLowerCase() : s;
}

/** Spaces doubled here and there, as typed. */
function spacing(r: () => number, s: string): string {
  return r() < 0.15 ? s.replace(/ /g, () => (r() < 0.3 ? '  ' : ' ')) : s;
}

/** Romanised syllables written apart, hyphenated or joined: Kam Lung, Kam-Lung, KamLung. */
function syllables(r: () => number, roman: string): string {
  const x = r();
  return x < 0.15 ? roman.replace(/ /g, '-') : x < 0.22 ? roman.replace(/ /g, '') : roman;
}

const EN_FIRM_SUFFIX = ['Co., Limited', 'Co., Ltd.', 'Company Limited', 'Co Ltd', 'Co. Ltd', 'Co.,Ltd.', 'Company Ltd.', 'CO., LTD'];

/** The script a record of `agency` is written in, for a party of `region`. */
export function scriptOf(r: () => number, agency: string): Script {
  const x = r();
  if (agency === 'GD') return x < 0.6 ? 'zh-Hans' : 'en';
  if (agency === 'MO') return x < 0.55 ? 'zh-Hant' : 'en';
  return x < 0.35 ? 'zh-Hant' : 'en';
}

function zh(w: Words, script: Script): string {
  return script === 'zh-Hans' ? w[2] : w[1];
}

/**
 * The party's name as one record writes it. A firm: "Kam Lung Electronic Components Trading
 * Co., Limited", "KAM-LUNG ELECTRONIC COMPONENTS TRADING CO LTD", 金龍電子元件貿易有限公司,
 * 金龙电子元件贸易有限责任公司; a mainland firm with its city (Shenzhen, 深圳市). A person:
 * "CHAN Ka Wai", "Chan Ka-wai", "Chan, Ka Wai", 陳家偉, 陈家伟 (pinyin for a mainland person).
 */
export function spellName(r: () => number, party: Party, script: Script): string {
  if (party.kind === 'person') {
    const [canto, pinyin, trad, simp] = party.surname!;
    const given = party.given!;
    if (script !== 'en') return r() < 0.1 ? `${script === 'zh-Hans' ? simp : trad} ${script === 'zh-Hans' ? given[3] : given[2]}` : `${script === 'zh-Hans' ? simp : trad}${script === 'zh-Hans' ? given[3] : given[2]}`;
    const sur = party.region === 'CN' ? pinyin : canto;
    const giv = party.region === 'CN' ? given[1] : given[0];
    const x = r();
    const givWritten = x < 0.2 ? giv.replace(/ /, '-').replace(/-(\w)/, (_, c: string) => `-${c.toLowerCase()}`) : giv;
    const s = x < 0.35 ? `${sur.toUpperCase()} ${givWritten}` : x < 0.5 ? `${sur}, ${givWritten}` : `${sur} ${givWritten}`;
    return spacing(r, casing(r, s));
  }
  const trade = party.trade!;
  const line = party.line!;
  const city = party.city ?? null;
  if (script !== 'en') {
    const suffix = script === 'zh-Hans' && r() < 0.3 ? '贸易有限责任公司' : script === 'zh-Hans' ? '贸易有限公司' : '貿易有限公司';
    return `${city ? zh(city, script) : ''}${zh(trade, script)}${zh(line, script)}${suffix}`;
  }
  const s = `${city ? `${city[0]} ` : ''}${syllables(r, trade[0])} ${line[0]} Trading ${pick(r, EN_FIRM_SUFFIX)}`;
  return spacing(r, casing(r, s));
}

/** Ordinals as officers write floors: 12th. */
function ordinal(n: number): string {
  const t = n % 100;
  if (t >= 11 && t <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

const EN_BUILDING_ABBREV: Readonly<Record<string, readonly string[]>> = {
  'Industrial Building': ['Industrial Building', 'Ind. Bldg.', 'Industrial Bldg', 'Ind Bldg'],
  Building: ['Building', 'Bldg', 'Bldg.'],
  Centre: ['Centre', 'Center', 'Ctr'],
  'Commercial Centre': ['Commercial Centre', 'Commercial Ctr.', 'Commercial Center'],
  Mansion: ['Mansion'],
};

const EN_STREET_ABBREV: Readonly<Record<string, readonly string[]>> = {
  Street: ['Street', 'St', 'St.'],
  Road: ['Road', 'Rd', 'Rd.'],
  Avenue: ['Avenue', 'Ave', 'Ave.'],
  '': [''],
};

/**
 * The address as one record writes it. English: flat, floor, block, building, number and
 * street, district, area, in that order, with the abbreviations of the place (Rm/Room/Flat/Unit,
 * 12/F/12F/12th Floor, Blk/Block, Bldg/Building, Rd/Road); Chinese: area, district, street,
 * number, building, block, floor, flat (樓/楼/層, 座/栋, 室), full-width digits now and then.
 * `hard` writes one of the variants normalization does not fold: the region's name added (or,
 * in Chinese, left off), as records do.
 */
export function spellAddress(r: () => number, a: Address, script: Script, hard = false): string {
  if (script === 'en') {
    const flatWord = pick(r, ['Flat', 'Room', 'Rm', 'Rm.', 'Unit', 'FLAT', 'RM']);
    const floor = pick(r, [`${a.floor}/F`, `${a.floor}F`, `${ordinal(a.floor)} Floor`, `${a.floor}/F.`, `${ordinal(a.floor)} Fl.`]);
    const block = a.block ? `${pick(r, ['Block', 'Blk', 'Blk.', 'BLOCK'])} ${a.block}` : null;
    const building = `${a.building[0]} ${pick(r, EN_BUILDING_ABBREV[a.buildingKind[0]])}`;
    const number = pick(r, [`${a.number}`, `No. ${a.number}`, `No.${a.number}`]);
    const street = `${number} ${a.street.en}${a.street.kind ? ` ${pick(r, EN_STREET_ABBREV[a.street.kind])}` : ''}`;
    const district = a.district ? (a.district.en.endsWith(' District') && r() < 0.4 ? a.district.en.replace(/ District$/, ' Dist.') : a.district.en) : null;
    const area = a.region === 'MO' ? (r() < 0.5 ? 'Macao' : 'Macau') : a.district!.area[0];
    const parts = [`${flatWord} ${a.flat}`, floor, block, building, street, district, area].filter((p): p is string => !!p);
    if (hard) parts.push(a.region === 'HK' ? 'Hong Kong' : a.region === 'MO' ? 'China' : 'Guangdong, China');
    const sep = pick(r, [', ', ', ', ' ', ',']);
    return spacing(r, casing(r, parts.join(sep)));
  }
  const t = script === 'zh-Hans';
  const area = a.region === 'MO' ? (t ? '澳门' : '澳門') : zh(a.district!.area, script);
  const district = a.district ? zh(a.district.zh, script) : '';
  const num = (n: number | string) => (r() < 0.25 ? fullWidth(String(n)) : String(n));
  const floorWord = t ? pick(r, ['楼', '楼', '层']) : pick(r, ['樓', '樓', '層']);
  const blockWord = t ? pick(r, ['座', '栋']) : '座';
  const parts = [
    hard ? '' : area,
    district,
    zh(a.street.zh, script),
    `${num(a.number)}${t ? '号' : '號'}`,
    `${zh(a.building, script)}${zh(a.buildingKind, script)}`,
    a.block ? `${num(a.block)}${blockWord}` : '',
    `${num(a.floor)}${floorWord}`,
    `${num(a.flat)}室`,
  ].filter(Boolean);
  return parts.join(r() < 0.15 ? ' ' : '');
}

/** A firm's e-mail address as written: case varies, the address does not. */
export function spellEmail(r: () => number, email: string): string {
  const x = r();
  return x < 0.2 ? email.toUpperCase() : x < 0.4 ? email.replace(/^(.)/, (c) => c.toUpperCase()) : email;
}
