/*
 * Normalization of identifiers (src/correlation/identifier-normalize.ts): the spellings
 * officers write in Guangdong, Hong Kong and Macao for one consignee, one address, one phone,
 * one parcel must come out as one string; records that are not the same must not.
 */
import 'reflect-metadata';
import { isUscc, normalizeAirWaybill, usccCheckCharacter } from '../../src/common/codes';
import { IdentifierKind } from '../../src/common/enums';
import { compactText, normalizeCompanyRegistration, normalizeEmail, normalizeIdentifier, normalizePhone, type NormalizeContext } from '../../src/correlation/identifier-normalize';

const K = IdentifierKind;

/** Every spelling normalizes, and all to the same string; that string is returned. */
function sameFor(kind: IdentifierKind, spellings: readonly (string | [string, NormalizeContext])[]): string {
  const out = spellings.map((s) => (typeof s === 'string' ? normalizeIdentifier(kind, s) : normalizeIdentifier(kind, s[0], s[1])));
  const pairs = spellings.map((s, i) => [typeof s === 'string' ? s : s[0], out[i]]);
  expect(out[0]).not.toBeNull();
  expect(pairs).toEqual(spellings.map((s) => [typeof s === 'string' ? s : s[0], out[0]]));
  return out[0]!;
}

/** No two of the values normalize equal (and each normalizes to something). */
function allDifferent(kind: IdentifierKind, values: readonly string[], context: NormalizeContext = {}): void {
  const out = values.map((v) => normalizeIdentifier(kind, v, context));
  for (const v of out) expect(v).not.toBeNull();
  expect(new Set(out).size).toBe(values.length);
}

describe('the common text step', () => {
  test('full-width letters, digits and punctuation are half-width; Traditional is Simplified; case and spacing do not count', () => {
    expect(compactText('ＡＢＣ　Ｔｒａｄｉｎｇ（１２３）')).toBe('abctrading123');
    expect(compactText('陳大文')).toBe(compactText('陈大文'));
    // Hong Kong's and Taiwan's variants of one character both meet the Simplified one.
    expect(compactText('衞生')).toBe('卫生');
    expect(compactText('「灣仔軒尼詩道」')).toBe('湾仔轩尼诗道');
  });
});

describe('shipment identifiers', () => {
  test('container numbers, bills of lading and tracking numbers: upper-case letters and digits, full-width folded', () => {
    expect(sameFor(K.CONTAINER, ['MSCU1234565', 'mscu 123456-5', 'ＭＳＣＵ１２３４５６５', ' MSCU 123 4565 '])).toBe('MSCU1234565');
    expect(sameFor(K.BILL_OF_LADING, ['SHK-BL-0001', 'shk bl 0001', 'ＳＨＫ－ＢＬ－０００１'])).toBe('SHKBL0001');
    expect(sameFor(K.TRACKING_NUMBER, ['SF1234567890123', 'sf 1234 5678 90123', 'ＳＦ１２３４５６７８９０１２３', 'SF-1234567890123'])).toBe('SF1234567890123');
    allDifferent(K.TRACKING_NUMBER, ['SF1234567890123', 'SF1234567890132', 'YT1234567890123', 'RR123456785CN']);
  });

  test('an air waybill is its eleven digits, however grouped', () => {
    expect(sameFor(K.AIR_WAYBILL, ['160-12345675', '16012345675', '160 1234 5675', '１６０－１２３４５６７５'])).toBe('16012345675');
    expect(normalizeIdentifier(K.AIR_WAYBILL, '160-1234567')).toBeNull();
    expect(normalizeIdentifier(K.AIR_WAYBILL, 'AWB 160-12345675X')).toBeNull();
  });

  test('the air waybill check digit is the serial modulo 7', () => {
    // 1234567 = 7 × 176366 + 5; 7654321 = 7 × 1093474 + 3.
    expect(normalizeAirWaybill('160-12345675')).toBe('160-12345675');
    expect(normalizeAirWaybill(' 020 7654321 3 ')).toBe('020-76543213');
    expect(normalizeAirWaybill('160-12345676')).toBeNull();
    expect(normalizeAirWaybill('160-00000000')).toBe('160-00000000');
    expect(normalizeAirWaybill('160-00000007')).toBeNull();
    expect(normalizeAirWaybill('16O-12345675')).toBeNull();
    // Every serial has exactly one check digit, from 0 to 6.
    for (const serial of ['0000001', '9999999', '3141592', '2718281']) {
      const ok = [...'0123456789'].filter((d) => normalizeAirWaybill(`999${serial}${d}`) !== null);
      expect(ok).toEqual([String(Number(serial) % 7)]);
    }
  });
});

describe('phone numbers to E.164', () => {
  test('a Hong Kong mobile as the three administrations write it', () => {
    const hk = { agency: 'HK' };
    const gd = { agency: 'GD' };
    expect(
      sameFor(K.PHONE, [
        ['+852 9123 4567', gd],
        ['(852) 9123-4567', gd],
        ['(+852) 91234567', gd],
        ['00852 9123 4567', gd],
        ['852-9123-4567', gd],
        ['＋８５２　９１２３　４５６７', gd],
        ['「9123 4567」', hk],
        ['9123.4567', hk],
        ['9123 4567 ext. 12', hk],
        ['9123 4567', { agency: 'GD', country: 'HK' }],
      ]),
    ).toBe('+85291234567');
  });

  test('mainland mobiles and landlines: +86, 0086, a trunk 0, the party\'s country before the agency\'s plan', () => {
    expect(
      sameFor(K.PHONE, [
        ['+86 138 0013 8000', { agency: 'HK' }],
        ['0086-138-0013-8000', { agency: 'MO' }],
        ['13800138000', { agency: 'GD' }],
        ['１３８００１３８０００', { agency: 'GD' }],
        ['138 0013 8000', { agency: 'HK', country: 'CN' }],
        // Written in Hong Kong without a code and without the party's country: no Hong Kong or
        // Macao number has this shape, a mainland one does.
        ['138 0013 8000', { agency: 'HK' }],
        ['86 138 0013 8000', { agency: 'HK' }],
      ]),
    ).toBe('+8613800138000');
    expect(sameFor(K.PHONE, [['0755-8888 1234', { agency: 'GD' }], ['+86 (0)755 8888 1234', { agency: 'HK' }], ['+86 0755 8888 1234', { agency: 'MO' }], ['(86) 755-88881234', { agency: 'HK' }]])).toBe(
      '+8675588881234',
    );
  });

  test('Macao numbers: 853, the agency\'s plan, the party\'s country over the agency\'s', () => {
    expect(sameFor(K.PHONE, [['2888 1234', { agency: 'MO' }], ['853-2888-1234', { agency: 'MO' }], ['+853 2888 1234', { agency: 'HK' }], ['00853 28881234', { agency: 'GD' }]])).toBe('+85328881234');
    expect(sameFor(K.PHONE, [['(853) 6612 3456', { agency: 'GD' }], ['6612 3456', { agency: 'HK', country: 'MO' }]])).toBe('+85366123456');
    // The same eight digits are another line in Hong Kong.
    expect(normalizePhone('6612 3456', { agency: 'HK' })).toBe('+85266123456');
  });

  test('what is no number is null, and different numbers stay different', () => {
    for (const junk of ['123', 'abc', '', '   ', '+', '0000', '+852 123']) expect({ junk, n: normalizePhone(junk, { agency: 'HK' }) }).toEqual({ junk, n: null });
    allDifferent(K.PHONE, ['+852 9123 4567', '+852 9123 4568', '+853 9123 4567', '+86 138 0013 8000', '+86 138 0013 8001', '+86 755 8888 1234'], { agency: 'HK' });
  });
});

describe('party names', () => {
  test('company words in English have one spelling', () => {
    expect(
      sameFor(K.PARTY_NAME, ['Pearl River Trading Co., Ltd.', 'PEARL RIVER TRADING COMPANY LIMITED', 'Pearl River Trading Co Ltd', 'Pearl-River Trading Company Ltd.', 'ＰＥＡＲＬ ＲＩＶＥＲ ＴＲＡＤＩＮＧ ＣＯ．， ＬＴＤ．']),
    ).toBe('pearlrivertradingcoltd');
    sameFor(K.PARTY_NAME, ['Jade Gate International (H.K.) Limited', "Jade Gate Int'l (Hong Kong) Ltd", 'JADE GATE INTL (HK) LTD.']);
    sameFor(K.PARTY_NAME, ['Bay Import & Export Corporation', 'Bay Import and Export Corp.']);
  });

  test('Chinese company names in Traditional and Simplified, with or without brackets, are one', () => {
    sameFor(K.PARTY_NAME, ['深圳市華強北電子貿易有限公司', '深圳市华强北电子贸易有限公司', '「深圳市華強北電子貿易有限公司」', '深圳市华强北电子贸易有限责任公司', '深圳市華強北電子貿易 有限公司']);
    sameFor(K.PARTY_NAME, ['澳門氹仔國際進出口有限公司', '澳门氹仔国际进出口有限公司']);
    // A person's name: only the script's forms and spacing; no romanisation (a documented limit).
    sameFor(K.PARTY_NAME, ['陳大文', '陈大文', '陳 大文']);
    sameFor(K.PARTY_NAME, ['CHAN Tai-man', 'Chan Tai Man', 'chan taiman']);
    expect(normalizeIdentifier(K.PARTY_NAME, 'Chan Tai Man')).not.toBe(normalizeIdentifier(K.PARTY_NAME, '陳大文'));
  });

  test('similar but different companies stay apart', () => {
    allDifferent(K.PARTY_NAME, [
      'Pearl River Trading Co Ltd',
      'Pearl River Trading Holdings Ltd',
      'Pearl Rivers Trading Co Ltd',
      'Pearl River Trading Ltd',
      'Pearl River Logistics Co Ltd',
      'Pearl River Trading Co Ltd (Macao)',
    ]);
    allDifferent(K.PARTY_NAME, ['深圳华强电子有限公司', '深圳华强电子科技有限公司', '深圳华强电子股份有限公司', '东莞华强电子有限公司', '陈大文', '陈大为']);
  });
});

describe('addresses', () => {
  test('English abbreviations of flats, floors, blocks, buildings, roads and streets', () => {
    expect(
      sameFor(K.ADDRESS, [
        'Flat B, 12/F, Block 3, Kam Lai Building, 123 Nathan Road, Mong Kok',
        'Rm B 12th Floor Blk 3 Kam Lai Bldg 123 Nathan Rd Mong Kok',
        'FLAT B 12F BLOCK 3 KAM LAI BLDG. NO. 123 NATHAN RD., MONG KOK',
        'Unit B, 12/F., Tower 3, Kam Lai Bldg, No.123 Nathan Road, Mong Kok',
        'ＦＬＡＴ Ｂ，１２／Ｆ，ＢＬＯＣＫ ３，ＫＡＭ ＬＡＩ ＢＵＩＬＤＩＮＧ，１２３ ＮＡＴＨＡＮ ＲＯＡＤ，ＭＯＮＧ ＫＯＫ',
      ]),
    ).toBe('rmb12fblk3kamlaibldg123nathanrdmongkok');
    sameFor(K.ADDRESS, ['Room 1203, 3rd Floor, 88 Queen\'s Road Central', 'Rm1203 3/F 88 Queens Rd Central', 'RM 1203, 3F, 88 QUEEN\'S RD. CENTRAL']);
    sameFor(K.ADDRESS, ['15 Industrial Street, Futian District', '15 Ind St Futian Dist']);
  });

  test('Chinese addresses in Traditional and Simplified, full-width digits, the same words as the English ones', () => {
    sameFor(K.ADDRESS, ['香港九龍旺角彌敦道１２３號金利來大廈１２樓Ｂ室', '香港九龙旺角弥敦道123号金利来大厦12楼B室', '香港九龍旺角彌敦道123號 金利來大廈 12樓 B室', '香港九龙旺角弥敦道123号金利来大厦12/F B室']);
    sameFor(K.ADDRESS, ['澳門氹仔濠景花園第３座１５樓Ａ', '澳门氹仔濠景花园第3栋15层A']);
    sameFor(K.ADDRESS, ['深圳市福田區華強北路1001號賽格廣場2棟1203室', '深圳市福田区华强北路1001号赛格广场2座1203室']);
  });

  test('different flats, floors, buildings and numbers stay apart', () => {
    allDifferent(K.ADDRESS, [
      'Flat B, 12/F, Kam Lai Building, 123 Nathan Road',
      'Flat C, 12/F, Kam Lai Building, 123 Nathan Road',
      'Flat B, 21/F, Kam Lai Building, 123 Nathan Road',
      'Flat B, 1/F, Kam Lai Building, 123 Nathan Road',
      'Flat B, 12/F, Kam Lai Building, 125 Nathan Road',
      'Flat B, 12/F, Kam Lai Building, 123 Nathan Street',
      'Flat B, 12/F, Kam Lok Building, 123 Nathan Road',
    ]);
    allDifferent(K.ADDRESS, ['Rm 1203, 88 Queens Rd', 'Rm 1230, 88 Queens Rd', 'Rm 123, 88 Queens Rd', 'Rm 1203, 8 Queens Rd']);
    allDifferent(K.ADDRESS, ['华强北路1001号2栋1203室', '华强北路1001号2栋1204室', '华强北路1001号3栋1203室', '华强北路1010号2栋1203室']);
  });
});

describe('company registration numbers', () => {
  test('the GB 32100-2015 check character of a unified social credit code', () => {
    // Codes with their check characters, worked out by hand from the standard's weights
    // (3^i mod 31) and alphabet (0-9, A-Y without I, O, S, V, Z).
    const valid = ['91350100M000100Y43', '91110000802100433B', '91310000132200821H', '914403001922038216', '121000004000003980', '52820000MB0P12345X'];
    for (const code of valid) {
      expect({ code, ok: isUscc(code) }).toEqual({ code, ok: true });
      expect(usccCheckCharacter(code.slice(0, 17))).toBe(code[17]);
      // Any other last character is wrong.
      const others = [...'0123456789ABCDEFGHJKLMNPQRTUWXY'].filter((c) => c !== code[17]);
      for (const c of others) expect(isUscc(code.slice(0, 17) + c)).toBe(false);
    }
    // One character changed anywhere in the first 17 is caught.
    expect(isUscc('91350100M000100Y53')).toBe(false);
    expect(isUscc('91350100N000100Y43')).toBe(false);
    // Outside the alphabet, or the wrong length, or lower case: not a code.
    expect(usccCheckCharacter('91350100I000100Y4')).toBeNull();
    expect(isUscc('91350100M000100Y4')).toBe(false);
    expect(isUscc('91350100m000100y43')).toBe(false);
    expect(isUscc('91350100M000100Y43X')).toBe(false);
  });

  test('normalized: spacing and full width dropped, O and I read as 0 and 1 when that makes a valid code, HK BR without its suffix', () => {
    expect(sameFor(K.COMPANY_REGISTRATION, ['91350100M000100Y43', ' 9135 0100 M000 100Y 43 ', '91350100-M000100Y-43', '９１３５０１００Ｍ０００１００Ｙ４３', '91350100MOOO100Y43'])).toBe('91350100M000100Y43');
    // A wrong check character is kept as written: it may still be how every record spells it.
    expect(normalizeCompanyRegistration('91350100M000100Y44')).toBe('91350100M000100Y44');
    expect(sameFor(K.COMPANY_REGISTRATION, ['12345678', '12345678-000-07-22-0', 'BR 12345678-000', '１２３４５６７８'])).toBe('12345678');
    allDifferent(K.COMPANY_REGISTRATION, ['91350100M000100Y43', '91110000802100433B', '12345678', '12345687', 'SO 12345']);
  });
});

describe('e-mail addresses', () => {
  test('trimmed, lower case, full width folded; anything without user@domain is null', () => {
    expect(sameFor(K.EMAIL, [' Ring.Leader@Example.COM ', 'ring.leader@example.com', 'ｒｉｎｇ．ｌｅａｄｅｒ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'mailto:Ring.Leader@example.com'])).toBe('ring.leader@example.com');
    for (const bad of ['ring.leader', 'ring@example', '@example.com', 'ring@@example.com', 'ring leader@example.com']) expect(normalizeEmail(bad)).toBeNull();
    allDifferent(K.EMAIL, ['ring.leader@example.com', 'ringleader@example.com', 'ring.leader@example.hk', 'ring.leader2@example.com']);
  });
});

test('every kind gives null for text with nothing usable in it', () => {
  for (const kind of Object.values(IdentifierKind)) {
    for (const blank of ['', '   ', '—', '「」', '\u200b']) expect({ kind, blank, n: normalizeIdentifier(kind, blank, { agency: 'HK' }) }).toEqual({ kind, blank, n: null });
  }
});
