import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreateAlertInput, PartyInput } from '../alerts/alert.inputs';
import { AlertService } from '../alerts/alert.service';
import {
  AlertStatus,
  DistributionScope,
  GoodsCategory,
  IdentifierKind,
  InfringementType,
  ModusOperandi,
  RiskLevel,
  Role,
  SourceReliability,
  TradeDirection,
  TransportChannel,
} from '../common/enums';
import type { MatchKeyring } from '../correlation/match-keys';

/*
 * Three split-shipment rings for the demo, modelled on the field facts: integrated circuits
 * broken into cross-border e-commerce parcels through Huangpu; handbags carried in small lots
 * across the Hong Kong-Zhuhai-Macao Bridge between Macao and Zhuhai (Gongbei); phone
 * accessories carried from Hong Kong through Shenzhen Bay. Each parcel is small and each
 * agency sees only some of them; together they are tens of thousands of pieces to one
 * consignee. The consignee, its address and its phone numbers are written as the records of
 * the three places write them: English or Chinese, Traditional characters in Hong Kong and
 * Macao and Simplified in Guangdong, full-width digits, +852 / (852) / 00852 / bare local
 * numbers, Rm/Room/Flat/Unit, 12/F/12th Floor, Blk/Block, Bldg/Building, Co./Company,
 * Ltd/Limited, 有限公司/有限责任公司. Beside them, look-alikes that are not part of any ring (the
 * same building but another flat, a phone one digit off, a firm with the same trade name in
 * another line), so that matching can be seen not to over-reach.
 *
 * Every spelling in a set below is one that normalizeIdentifier folds into the others of its
 * set (test/unit/demo-rings.test.ts checks it); English and Chinese spellings of a name or an
 * address are separate sets, as normalization does not romanise. The parcels go through
 * AlertService like any partner's alert and are then dated back over a few weeks before the
 * load, so that they sit in the last 90 days whenever the demo is started.
 */

export type DemoAgency = 'GD' | 'HK' | 'MO';

/** Spellings of one identifier that must normalize to one value, by the agency that writes each. */
export interface SpellingSet {
  kind: IdentifierKind;
  /** The ring's consignee's country: normalization reads phone numbers without a country code in its plan. */
  spellings: Readonly<Record<DemoAgency, readonly string[]>>;
}

/**
 * One parcel: [days before the load, agency, quantity, script, what its consignee carries,
 * status, distribution]. Script 'en' or 'zh' picks the English or Chinese name and address;
 * carries: N name, A address, P the first phone or Q the second (a party has one phone field),
 * E e-mail, R company registration.
 * Status PUBLISHED and distribution ALL_PARTNERS unless given; 'GD>MO' is SELECTED_AGENCIES
 * naming MO, 'own' is ORIGINATOR_ONLY.
 */
export type ParcelRow = readonly [number, DemoAgency, number, 'en' | 'zh', string, AlertStatus?, string?];

export interface DemoRing {
  key: string;
  /** What the ring is, in a line (for the load summary and the docs). */
  description: string;
  category: GoodsCategory;
  channel: TransportChannel;
  modus: ModusOperandi[];
  hsCode: string;
  unit: string;
  goods: { en: string; hant: string; hans: string };
  /** The demo rights holder (demo-data.ts key) whose mark the goods bear. */
  rightsHolder: string;
  /** [port of loading, port of discharge] as each agency records the parcels. */
  ports: Readonly<Record<DemoAgency, readonly [string, string]>>;
  consignee: {
    country: 'HK' | 'MO' | 'CN';
    /** English and Chinese spellings of its name. */
    names: readonly [SpellingSet, SpellingSet];
    addresses: readonly [SpellingSet, SpellingSet];
    phones: readonly [SpellingSet, SpellingSet];
    email?: SpellingSet;
    registration?: SpellingSet;
  };
  /** Those who sent the parcels: a few names, none of them tying the parcels together. */
  consignors: readonly { name: string; country: string }[];
  parcels: readonly ParcelRow[];
}

const K = IdentifierKind;
const { PUBLISHED, UNDER_INSPECTION, SEIZED, CLEARED } = AlertStatus;

export const DEMO_RINGS: readonly DemoRing[] = [
  {
    key: 'ic-huangpu',
    description: 'integrated circuits split into cross-border e-commerce parcels through Huangpu, to one Sham Shui Po trader',
    category: GoodsCategory.INTEGRATED_CIRCUITS,
    channel: TransportChannel.CROSS_BORDER_ECOMMERCE,
    modus: [ModusOperandi.SMALL_PARCEL_SPLITTING],
    hsCode: '854231',
    unit: 'pcs',
    goods: { en: 'power management integrated circuits', hant: '電源管理集成電路', hans: '电源管理集成电路' },
    rightsHolder: 'lumen',
    ports: { GD: ['CNHUA', 'HKHKG'], HK: ['CNHUA', 'HKHKG'], MO: ['CNHUA', 'MOMFM'] },
    consignee: {
      country: 'HK',
      names: [
        {
          kind: K.PARTY_NAME,
          spellings: {
            GD: ['KAM LUNG ELECTRONIC COMPONENTS TRADING CO., LIMITED', 'Kam Lung Electronic Components Trading Co Ltd'],
            HK: ['Kam Lung Electronic Components Trading Co., Ltd.', 'KAM LUNG ELECTRONIC COMPONENTS TRADING COMPANY LIMITED', 'Kam-Lung Electronic Components Trading Co.,Ltd.'],
            MO: ['Kam Lung Electronic Components Trading Company Limited', 'ＫＡＭ ＬＵＮＧ ＥＬＥＣＴＲＯＮＩＣ ＣＯＭＰＯＮＥＮＴＳ ＴＲＡＤＩＮＧ ＣＯ．， ＬＴＤ．'],
          },
        },
        {
          kind: K.PARTY_NAME,
          spellings: {
            GD: ['金龙电子元件贸易有限公司', '金龙电子元件贸易有限责任公司'],
            HK: ['金龍電子元件貿易有限公司'],
            MO: ['金龍電子元件貿易有限公司', '金龍 電子元件 貿易 有限公司'],
          },
        },
      ],
      addresses: [
        {
          kind: K.ADDRESS,
          spellings: {
            GD: ['Room 1203, 12F, Block B, Wing Lok Industrial Building, No.168 Tai Nan Street, Sham Shui Po, Kowloon'],
            HK: [
              'Flat 1203, 12/F, Block B, Wing Lok Industrial Building, 168 Tai Nan Street, Sham Shui Po, Kowloon',
              'RM 1203 12/F BLK B WING LOK IND BLDG 168 TAI NAN ST SHAM SHUI PO KOWLOON',
              'Unit 1203, 12th Floor, Blk. B, Wing Lok Industrial Bldg., No. 168 Tai Nan Street, Sham Shui Po, Kowloon',
            ],
            MO: ['Flat 1203, 12/F., Block B, Wing Lok Ind. Bldg., 168 Tai Nan St., Sham Shui Po, Kowloon'],
          },
        },
        {
          kind: K.ADDRESS,
          spellings: {
            GD: ['九龙深水埗大南街168号永乐工业大厦B座12楼1203室', '九龙 深水埗 大南街168号 永乐工业大厦B栋12层1203室'],
            HK: ['九龍深水埗大南街168號永樂工業大廈B座12樓1203室', '九龍深水埗大南街１６８號永樂工業大廈Ｂ座１２樓１２０３室'],
            MO: ['九龍深水埗大南街168號永樂工業大廈B座12樓1203室'],
          },
        },
      ],
      phones: [
        {
          kind: K.PHONE,
          spellings: {
            GD: ['+852 9386 1247', '00852-9386-1247', '(852)93861247', '852 9386 1247'],
            HK: ['9386 1247', '+852 9386 1247', '9386-1247'],
            MO: ['00852 93861247', '+852-9386-1247', '（８５２）９３８６　１２４７'],
          },
        },
        {
          kind: K.PHONE,
          spellings: {
            GD: ['13827416635', '138-2741-6635', '+86 138 2741 6635'],
            HK: ['+86 138-2741-6635', '0086 138 2741 6635', '(86)13827416635'],
            MO: ['0086-13827416635', '86-13827416635'],
          },
        },
      ],
      email: {
        kind: K.EMAIL,
        spellings: { GD: ['kamlung.ec@example.com'], HK: ['KamLung.EC@example.com'], MO: ['KAMLUNG.EC@EXAMPLE.COM'] },
      },
      registration: {
        kind: K.COMPANY_REGISTRATION,
        spellings: { GD: ['73418260'], HK: ['73418260-000-03-26-8', 'BR No. 73418260-000-03-26-8'], MO: ['73418260'] },
      },
    },
    consignors: [
      { name: 'Guangzhou Xinlian E-commerce Co., Ltd.', country: 'CN' },
      { name: '广州市信联电子商务有限公司', country: 'CN' },
      { name: 'Dongguan Haoyu Supply Chain Co., Ltd.', country: 'CN' },
    ],
    parcels: [
      [62, 'GD', 1850, 'zh', 'NAP'],
      [60, 'GD', 1620, 'en', 'NAP', SEIZED],
      [59, 'HK', 2100, 'en', 'NAP'],
      [57, 'GD', 1480, 'zh', 'NQ', CLEARED],
      [55, 'MO', 1200, 'zh', 'NAP'],
      [54, 'HK', 1760, 'zh', 'NAR', UNDER_INSPECTION],
      [52, 'GD', 2400, 'en', 'NPE', PUBLISHED, 'GD>MO'],
      [50, 'HK', 980, 'en', 'NAQ', CLEARED],
      [49, 'GD', 1900, 'zh', 'NAQ'],
      [47, 'MO', 1340, 'en', 'NQ'],
      [46, 'HK', 2250, 'en', 'NAPR', SEIZED],
      [44, 'GD', 1560, 'en', 'NAR', CLEARED],
      [43, 'MO', 1580, 'zh', 'NQ'],
      [42, 'GD', 2780, 'zh', 'NAQ'],
      [41, 'HK', 1130, 'zh', 'NAP', PUBLISHED, 'own'],
      [39, 'MO', 1720, 'en', 'NAPER'],
      [37, 'GD', 1290, 'zh', 'NP', UNDER_INSPECTION],
      [36, 'HK', 2040, 'en', 'NAQ'],
      [34, 'GD', 1670, 'en', 'NAP', SEIZED],
      [33, 'MO', 890, 'zh', 'NP', CLEARED],
      [31, 'GD', 2130, 'zh', 'NA', PUBLISHED, 'own'],
      [30, 'HK', 1410, 'en', 'NQE'],
      [28, 'GD', 1950, 'en', 'NAP'],
    ],
  },
  {
    key: 'bags-bridge',
    description: 'handbags carried in small lots over the Hong Kong-Zhuhai-Macao Bridge between Macao and Zhuhai (Gongbei), to one Macao receiver',
    category: GoodsCategory.BAGS,
    channel: TransportChannel.LAND_BORDER,
    modus: [ModusOperandi.ANT_MOVING, ModusOperandi.FAST_TRACK_ABUSE],
    hsCode: '420221',
    unit: 'pcs',
    goods: { en: 'handbags bearing a monogram mark', hant: '印有交織字母標誌的手袋', hans: '印有交织字母标志的手提包' },
    rightsHolder: 'meridian',
    ports: { GD: ['CNZUH', 'MOMFM'], HK: ['HKHKG', 'MOMFM'], MO: ['CNZUH', 'MOMFM'] },
    consignee: {
      country: 'MO',
      names: [
        {
          kind: K.PARTY_NAME,
          spellings: {
            GD: ['LEONG KA WAI', 'Leong  Ka Wai'],
            HK: ['Leong Ka Wai', 'LEONG, Ka Wai'],
            MO: ['LEONG Ka Wai', 'Leong Ka-wai', 'LEONG KA WAI'],
          },
        },
        {
          kind: K.PARTY_NAME,
          spellings: { GD: ['梁家伟'], HK: ['梁家偉', '梁 家偉'], MO: ['梁家偉'] },
        },
      ],
      addresses: [
        {
          kind: K.ADDRESS,
          spellings: {
            GD: ['Room B, 8F, Kam Lei Building, No.45 Avenida de Horta e Costa, Macao'],
            HK: ['Flat B, 8th Floor, Kam Lei Bldg., No. 45 Avenida de Horta e Costa, Macau'],
            MO: ['Flat B, 8/F, Kam Lei Building, 45 Avenida de Horta e Costa, Macao', 'FLAT B 8/F KAM LEI BLDG 45 AVENIDA DE HORTA E COSTA MACAU'],
          },
        },
        {
          kind: K.ADDRESS,
          spellings: {
            GD: ['澳门荷兰园大马路45号金利大厦8楼B座', '澳门 荷兰园大马路 45号 金利大厦 8层 B座'],
            HK: ['澳門荷蘭園大馬路45號金利大廈8樓B座'],
            MO: ['澳門荷蘭園大馬路45號金利大廈8樓B座', '澳門荷蘭園大馬路４５號金利大廈８樓Ｂ座'],
          },
        },
      ],
      phones: [
        {
          kind: K.PHONE,
          spellings: {
            GD: ['00853 6628 4173', '853 6628 4173', '+853 66284173'],
            HK: ['(853)66284173', '+853-6628-4173'],
            MO: ['6628 4173', '+853 6628 4173', '66284173'],
          },
        },
        {
          kind: K.PHONE,
          spellings: {
            GD: ['139 2635 8841', '13926358841', '+86 139-2635-8841'],
            HK: ['86 139 2635 8841', '(86)139 2635 8841'],
            MO: ['+86 13926358841', '0086-139-2635-8841'],
          },
        },
      ],
    },
    consignors: [
      { name: 'WONG Siu Ming', country: 'CN' },
      { name: '黄小明', country: 'CN' },
      { name: 'Zhuhai Yuefeng Leather Goods Trading Co., Ltd.', country: 'CN' },
      { name: 'CHAN Mei Ling', country: 'HK' },
    ],
    parcels: [
      [45, 'GD', 1200, 'zh', 'NAP'],
      [44, 'MO', 860, 'zh', 'NAP', SEIZED],
      [43, 'MO', 1450, 'en', 'NP'],
      [41, 'GD', 980, 'en', 'NQ', CLEARED],
      [40, 'HK', 1320, 'en', 'NAP'],
      [38, 'MO', 1610, 'zh', 'NAQ', UNDER_INSPECTION],
      [37, 'GD', 740, 'zh', 'NP', PUBLISHED, 'GD>MO'],
      [35, 'MO', 1180, 'zh', 'NA', CLEARED],
      [34, 'HK', 1540, 'zh', 'NP'],
      [32, 'GD', 1900, 'en', 'NAP', SEIZED],
      [31, 'MO', 1270, 'en', 'NAQ'],
      [29, 'GD', 1060, 'zh', 'NQ'],
      [28, 'HK', 1730, 'zh', 'NA', CLEARED],
      [26, 'MO', 690, 'zh', 'NP', PUBLISHED, 'own'],
      [25, 'GD', 1380, 'zh', 'NAP', UNDER_INSPECTION],
      [23, 'MO', 1820, 'en', 'NAP'],
      [21, 'HK', 1090, 'en', 'NQ'],
      [19, 'GD', 1640, 'en', 'NA'],
      [17, 'MO', 920, 'zh', 'NAP', SEIZED],
      [15, 'GD', 1510, 'zh', 'NAQ'],
      [14, 'HK', 1160, 'en', 'NQ'],
      [12, 'MO', 1280, 'en', 'NP'],
    ],
  },
  {
    key: 'accessories-shenzhen-bay',
    description: 'phone accessories carried from Hong Kong through Shenzhen Bay in small lots, to one Huaqiangbei firm',
    category: GoodsCategory.ELECTRONICS,
    channel: TransportChannel.PASSENGER,
    modus: [ModusOperandi.ANT_MOVING],
    hsCode: '850440',
    unit: 'pcs',
    goods: { en: 'phone chargers and earphones bearing a recorded mark', hant: '帶註冊商標的手機充電器及耳機', hans: '带注册商标的手机充电器及耳机' },
    rightsHolder: 'aurora',
    ports: { GD: ['HKHKG', 'CNSZX'], HK: ['HKHKG', 'CNSZX'], MO: ['MOMFM', 'CNSZX'] },
    consignee: {
      country: 'CN',
      names: [
        {
          kind: K.PARTY_NAME,
          spellings: {
            GD: ['Shenzhen Pengxin Telecom Accessories Co., Ltd.', 'SHENZHEN PENGXIN TELECOM ACCESSORIES CO LTD'],
            HK: ['Shenzhen Pengxin Telecom Accessories Company Limited', 'SHENZHEN PENGXIN TELECOM ACCESSORIES CO., LTD.'],
            MO: ['Shenzhen Pengxin Telecom Accessories Co.,Ltd'],
          },
        },
        {
          kind: K.PARTY_NAME,
          spellings: {
            GD: ['深圳市鹏鑫通讯配件有限公司', '深圳市鹏鑫通讯配件有限责任公司'],
            HK: ['深圳市鵬鑫通訊配件有限公司'],
            MO: ['深圳市鵬鑫通訊配件有限公司'],
          },
        },
      ],
      addresses: [
        {
          kind: K.ADDRESS,
          spellings: {
            GD: [
              'Room 1508, 15/F, Block A, Pengxin Building, 3018 Huaqiang North Road, Futian District, Shenzhen',
              'RM 1508 15F BLK A PENGXIN BLDG 3018 HUAQIANG NORTH RD FUTIAN DIST SHENZHEN',
            ],
            HK: ['Flat 1508, 15/F, Block A, Pengxin Bldg., No. 3018 Huaqiang North Rd., Futian District, Shenzhen'],
            MO: ['Unit 1508, 15th Floor, Blk A, Pengxin Building, 3018 Huaqiang North Road, Futian Dist., Shenzhen'],
          },
        },
        {
          kind: K.ADDRESS,
          spellings: {
            GD: ['深圳市福田区华强北路3018号鹏鑫大厦A栋15楼1508室', '深圳市福田区华强北路３０１８号鹏鑫大厦Ａ座１５层１５０８室'],
            HK: ['深圳市福田區華強北路3018號鵬鑫大廈A座15樓1508室'],
            MO: ['深圳市福田區華強北路3018號鵬鑫大廈A座15樓1508室'],
          },
        },
      ],
      phones: [
        {
          kind: K.PHONE,
          spellings: {
            GD: ['135 3892 7714', '13538927714', '+86 135-3892-7714'],
            HK: ['+86 135 3892 7714', '0086-135-3892-7714', '86 13538927714'],
            MO: ['0086 13538927714', '(86)135-3892-7714'],
          },
        },
        {
          kind: K.PHONE,
          spellings: {
            GD: ['00852-5147-2908', '(852)51472908', '+852 5147-2908'],
            HK: ['5147 2908', '+852 5147 2908'],
            MO: ['852 5147 2908'],
          },
        },
      ],
      email: {
        kind: K.EMAIL,
        spellings: { GD: ['pengxin.acc@example.com'], HK: ['Pengxin.Acc@example.com'], MO: ['PENGXIN.ACC@EXAMPLE.COM'] },
      },
      registration: {
        kind: K.COMPANY_REGISTRATION,
        spellings: { GD: ['91440300MA5G7K2P3M'], HK: ['91440300 MA5G7K2P3M'], MO: ['91440300ma5g7k2p3m'] },
      },
    },
    consignors: [
      { name: 'LAM Chi Keung', country: 'HK' },
      { name: 'Yat Fai Mobile Accessories Trading Co., Limited', country: 'HK' },
      { name: '林志強', country: 'HK' },
      { name: 'NG Wing Yan', country: 'HK' },
    ],
    parcels: [
      [38, 'HK', 1650, 'en', 'NAP'],
      [37, 'GD', 1420, 'zh', 'NAP', SEIZED],
      [36, 'HK', 980, 'en', 'NQ'],
      [34, 'GD', 2200, 'zh', 'NAPR', UNDER_INSPECTION],
      [33, 'MO', 760, 'zh', 'NAP'],
      [31, 'HK', 1880, 'zh', 'NP', CLEARED],
      [30, 'GD', 1130, 'en', 'NAQ'],
      [28, 'HK', 1570, 'en', 'NAQ', PUBLISHED, 'HK>GD'],
      [27, 'GD', 1990, 'zh', 'NPE', SEIZED],
      [25, 'MO', 1240, 'en', 'NAPR', CLEARED],
      [24, 'HK', 1360, 'en', 'NA'],
      [22, 'GD', 870, 'zh', 'NAQ'],
      [21, 'HK', 2050, 'zh', 'NAP', UNDER_INSPECTION],
      [19, 'GD', 1480, 'en', 'NP', PUBLISHED, 'own'],
      [17, 'MO', 1120, 'zh', 'NAE'],
      [16, 'HK', 1730, 'en', 'NPE'],
      [14, 'GD', 2380, 'zh', 'NAP', SEIZED],
      [12, 'HK', 940, 'en', 'NAR'],
      [10, 'GD', 1610, 'en', 'NAP'],
      [8, 'MO', 1390, 'en', 'NQ', CLEARED],
      [6, 'HK', 1270, 'zh', 'NAP'],
      [5, 'GD', 1820, 'zh', 'NAQ'],
      [3, 'HK', 1060, 'en', 'NQ'],
    ],
  },
];

/** A look-alike: an ordinary small parcel that resembles one ring in one identifier and is not part of it. */
export interface DemoDecoy {
  ring: string;
  /** What it imitates: ADDRESS (same building, another flat), PHONE (one digit off), PARTY_NAME (same trade name or surname, another name). */
  kind: IdentifierKind.ADDRESS | IdentifierKind.PHONE | IdentifierKind.PARTY_NAME;
  agency: DemoAgency;
  daysAgo: number;
  quantity: number;
  script: 'en' | 'zh';
  consignee: PartyInput & { country: string };
}

export const DEMO_DECOYS: readonly DemoDecoy[] = [
  {
    ring: 'ic-huangpu', kind: K.ADDRESS, agency: 'HK', daysAgo: 53, quantity: 1400, script: 'en',
    consignee: { name: 'Tai Hing Electronic Components Trading Co., Limited', address: 'Flat 1207, 12/F, Block B, Wing Lok Industrial Building, 168 Tai Nan Street, Sham Shui Po, Kowloon', phone: '+852 6218 3390', country: 'HK' },
  },
  {
    ring: 'ic-huangpu', kind: K.ADDRESS, agency: 'GD', daysAgo: 40, quantity: 900, script: 'zh',
    consignee: { name: '泰兴电子元件贸易有限公司', address: '九龙深水埗大南街168号永乐工业大厦B座12楼1207室', country: 'HK' },
  },
  {
    ring: 'ic-huangpu', kind: K.PHONE, agency: 'GD', daysAgo: 48, quantity: 1100, script: 'zh',
    consignee: { name: '陈志强', address: '九龙旺角上海街301号富华大厦9楼C室', phone: '+852 9386 1241', country: 'HK' },
  },
  {
    ring: 'ic-huangpu', kind: K.PARTY_NAME, agency: 'MO', daysAgo: 35, quantity: 1600, script: 'en',
    consignee: { name: 'Kam Lung Watch Trading Co., Limited', address: 'Flat D, 5/F, Hoi Tin Building, 22 Hing Wah Street, Sham Shui Po, Kowloon', country: 'HK' },
  },
  {
    ring: 'bags-bridge', kind: K.ADDRESS, agency: 'MO', daysAgo: 39, quantity: 1250, script: 'zh',
    consignee: { name: '何美玲', address: '澳門荷蘭園大馬路45號金利大廈8樓C座', phone: '+853 6281 5530', country: 'MO' },
  },
  {
    ring: 'bags-bridge', kind: K.PHONE, agency: 'GD', daysAgo: 30, quantity: 1050, script: 'en',
    consignee: { name: 'LAU Chi Keung', address: 'Flat A, 3/F, On Fat Building, 12 Avenida do Coronel Mesquita, Macao', phone: '+853 6628 4178', country: 'MO' },
  },
  {
    ring: 'bags-bridge', kind: K.PARTY_NAME, agency: 'HK', daysAgo: 22, quantity: 1500, script: 'en',
    consignee: { name: 'LEONG Ka Wing', country: 'MO' },
  },
  {
    ring: 'accessories-shenzhen-bay', kind: K.ADDRESS, agency: 'GD', daysAgo: 26, quantity: 1700, script: 'zh',
    consignee: { name: '深圳市华讯数码产品有限公司', address: '深圳市福田区华强北路3018号鹏鑫大厦A栋15楼1506室', phone: '+86 137 2205 8816', country: 'CN' },
  },
  {
    ring: 'accessories-shenzhen-bay', kind: K.PHONE, agency: 'HK', daysAgo: 18, quantity: 1200, script: 'en',
    consignee: { name: 'Dongguan Hongda Digital Products Co., Ltd.', phone: '+86 135 3892 7715', country: 'CN' },
  },
  {
    ring: 'accessories-shenzhen-bay', kind: K.PARTY_NAME, agency: 'MO', daysAgo: 9, quantity: 800, script: 'zh',
    consignee: { name: '深圳市鵬鑫製衣有限公司', country: 'CN' },
  },
];

/** The ring's parcels, planned: which spelling of each set every one of them carries. */
export interface PlannedParcel {
  ring: DemoRing;
  row: ParcelRow;
  consignee: PartyInput & { country: string };
}

/**
 * Each parcel's consignee, with the spellings of its agency taken in turn, so that every
 * spelling of the sets is used and two parcels of one agency seldom write alike.
 */
export function planParcels(ring: DemoRing): PlannedParcel[] {
  const used = new Map<SpellingSet, Partial<Record<DemoAgency, number>>>();
  const next = (set: SpellingSet, agency: DemoAgency): string => {
    const counts = used.get(set) ?? used.set(set, {}).get(set)!;
    const n = counts[agency] ?? 0;
    counts[agency] = n + 1;
    const list = set.spellings[agency];
    return list[n % list.length];
  };
  const c = ring.consignee;
  return ring.parcels.map((row) => {
    const [, agency, , script, carries] = row;
    const zh = script === 'zh' ? 1 : 0;
    const consignee: PartyInput & { country: string } = { name: next(c.names[zh], agency), country: c.country };
    if (carries.includes('A')) consignee.address = next(c.addresses[zh], agency);
    if (carries.includes('P')) consignee.phone = next(c.phones[0], agency);
    else if (carries.includes('Q')) consignee.phone = next(c.phones[1], agency);
    if (carries.includes('E') && c.email) consignee.email = next(c.email, agency);
    if (carries.includes('R') && c.registration) consignee.identifier = next(c.registration, agency);
    return { ring, row, consignee };
  });
}

const TITLE = {
  CROSS_BORDER_ECOMMERCE: { en: 'E-commerce parcel', hant: '跨境電商包裹', hans: '跨境电商包裹' },
  LAND_BORDER: { en: 'Small lot over the bridge', hant: '經港珠澳大橋的小批貨物', hans: '经港珠澳大桥的小批货物' },
  PASSENGER: { en: 'Passenger carry at Shenzhen Bay', hant: '深圳灣口岸旅客攜帶', hans: '深圳湾口岸旅客携带' },
} as const;

const HOME: Readonly<Record<DemoAgency, string>> = { GD: 'CN', HK: 'HK', MO: 'MO' };

function parcelInput(p: PlannedParcel | { ring: DemoRing; agency: DemoAgency; quantity: number; script: 'en' | 'zh'; consignee: PartyInput; consignor: { name: string; country: string }; distribution: CreateAlertInput['distribution'] }, n: number): Omit<CreateAlertInput, 'rightsHolderIds'> {
  const ring = p.ring;
  const [agency, quantity, script] = 'row' in p ? [p.row[1], p.row[2], p.row[3]] : [p.agency, p.quantity, p.script];
  const words = TITLE[ring.channel as keyof typeof TITLE];
  const hans = agency === 'GD';
  const [loading, discharge] = ring.ports[agency];
  const goods = script === 'en' ? ring.goods.en : hans ? ring.goods.hans : ring.goods.hant;
  const consignor = 'row' in p ? ring.consignors[n % ring.consignors.length] : p.consignor;
  const scope = 'row' in p ? p.row[6] : undefined;
  return {
    title: script === 'en' ? `${words.en}: ${quantity.toLocaleString('en')} ${ring.unit} of ${goods}` : `${hans ? words.hans : words.hant}：${quantity}件${goods}`,
    summary:
      script === 'en'
        ? `Declared as general goods; ${quantity.toLocaleString('en')} ${ring.unit} of ${goods}, below the usual threshold for a hold.`
        : hans
          ? `申报为普通货物；${quantity}件${goods}，数量低于通常扣留标准。`
          : `申報為普通貨物；${quantity}件${goods}，數量低於一般扣留標準。`,
    riskLevel: n % 3 === 0 ? RiskLevel.MEDIUM : RiskLevel.LOW,
    channel: ring.channel,
    direction: loading.startsWith(HOME[agency]) ? TradeDirection.EXPORT : discharge.startsWith(HOME[agency]) ? TradeDirection.IMPORT : TradeDirection.TRANSIT,
    goods: [{ category: ring.category, description: goods, hsCode: ring.hsCode, quantity, unit: ring.unit }],
    infringements: [InfringementType.TRADEMARK],
    modusOperandi: ring.modus,
    portOfLoading: loading,
    portOfDischarge: discharge,
    originCountry: loading.slice(0, 2),
    destinationCountry: discharge.slice(0, 2),
    // Tracking numbers tie nothing together here (one per parcel), as in life.
    trackingNumbers: ring.channel === TransportChannel.CROSS_BORDER_ECOMMERCE ? [`SF${String(1_427_735_500_000 + n * 7919 + quantity).padStart(13, '0')}`] : null,
    conveyanceReference: ring.channel === TransportChannel.LAND_BORDER ? `Cross-boundary vehicle ${['YUE-C', 'MA', 'MC'][n % 3]} ${4100 + ((n * 37) % 900)}` : null,
    consignor,
    consignee: p.consignee,
    source: { kind: ['risk profiling', 'e-commerce platform data', 'officer observation'][n % 3], reliability: SourceReliability.C, credibility: 3 },
    distribution:
      'row' in p
        ? scope === 'own'
          ? { scope: DistributionScope.ORIGINATOR_ONLY }
          : scope
            ? { scope: DistributionScope.SELECTED_AGENCIES, agencies: [scope.split('>')[1]] }
            : { scope: DistributionScope.ALL_PARTNERS }
        : p.distribution,
  };
}

/** The statuses an alert goes through to reach `to` after publication. */
function pathTo(to: AlertStatus): AlertStatus[] {
  if (to === AlertStatus.UNDER_INSPECTION) return [AlertStatus.UNDER_INSPECTION];
  if (to === AlertStatus.SEIZED || to === AlertStatus.CLEARED) return [AlertStatus.UNDER_INSPECTION, to];
  return [];
}

/**
 * Writes the rings and their look-alikes through AlertService (each parcel created, published
 * and moved along as its agency's analyst would), then dates each back to its day before
 * `now`: made then, published within hours, last changed within two days (never after `now`).
 * Parcels of agencies not present, or shared with one, are left out.
 * @param rightsHolders the demo rights holders' ids by key.
 * @param matchKeys keys every parcel's identifiers, as the hub does on each change.
 * @returns how many parcels and look-alikes were written.
 */
export async function loadDemoRings(
  em: EntityManager,
  rightsHolders: ReadonlyMap<string, string>,
  present: ReadonlySet<string>,
  matchKeys: MatchKeyring,
  now: Date = new Date(),
): Promise<{ rings: number; parcels: number; decoys: number }> {
  const items: { agency: DemoAgency; daysAgo: number; status: AlertStatus; input: CreateAlertInput }[] = [];
  let n = 0;
  for (const ring of DEMO_RINGS) {
    for (const p of planParcels(ring)) {
      const input = { ...parcelInput(p, n++), rightsHolderIds: [rightsHolders.get(ring.rightsHolder)].filter((id): id is string => !!id) } as CreateAlertInput;
      items.push({ agency: p.row[1], daysAgo: p.row[0], status: p.row[5] ?? PUBLISHED, input });
    }
  }
  const rings = items.length;
  for (const d of DEMO_DECOYS) {
    const ring = DEMO_RINGS.find((x) => x.key === d.ring)!;
    const consignor = ring.consignors[n % ring.consignors.length];
    const input = {
      ...parcelInput({ ring, agency: d.agency, quantity: d.quantity, script: d.script, consignee: d.consignee, consignor, distribution: { scope: DistributionScope.ALL_PARTNERS } }, n++),
      rightsHolderIds: [],
    } as CreateAlertInput;
    items.push({ agency: d.agency, daysAgo: d.daysAgo, status: PUBLISHED, input });
  }

  let parcels = 0;
  let decoys = 0;
  for (const [i, item] of items.entries()) {
    if (!present.has(item.agency) || !(item.input.distribution?.agencies ?? []).every((c) => present.has(c))) continue;
    const service = new AlertService(
      em.fork(),
      { subject: 'demo-loader', agencyCode: item.agency, roles: [Role.ANALYST], expiresAt: new Date(8.64e15) },
      { operationWindowDays: 30, matchKeys },
    );
    let alert = await service.create(item.input);
    alert = await service.publish(alert.id, alert.version);
    for (const status of pathTo(item.status)) alert = await service.setStatus(alert.id, alert.version, status, null);
    // Hours of the day vary with the parcel, so the list does not read as made by a clock.
    const created = new Date(now.getTime() - item.daysAgo * 86_400_000 - ((i * 7_919_000) % (10 * 3_600_000)));
    const published = new Date(Math.min(now.getTime(), created.getTime() + 40 * 60_000 + ((i * 1_237_000) % (5 * 3_600_000))));
    const changed = item.status === PUBLISHED ? published : new Date(Math.min(now.getTime(), published.getTime() + 6 * 3_600_000 + ((i * 3_571_000) % (40 * 3_600_000))));
    await backdate(em, alert.id, created, published, changed);
    if (i < rings) parcels++;
    else decoys++;
  }
  return { rings: DEMO_RINGS.length, parcels, decoys };
}

/** Dates an alert and its history back: made at `created`, published at `published`, changed last at `changed`. */
async function backdate(em: EntityManager, id: string, created: Date, published: Date, changed: Date): Promise<void> {
  const conn = em.getConnection();
  await conn.execute(`update alert set created_at = ?, published_at = ?, updated_at = ? where id = ?`, [created, published, changed, id]);
  await conn.execute(
    `update alert_history set at = case kind when 'CREATED' then ?::timestamptz when 'PUBLISHED' then ?::timestamptz else ?::timestamptz end where alert_id = ?`,
    [created, published, changed, id],
  );
  // The keys carry the publication time too: the clusters' time window reads it there.
  await conn.execute(`update match_key set published_at = ? where alert_id = ?`, [published, id]);
}
