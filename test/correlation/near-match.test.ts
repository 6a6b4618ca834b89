/*
 * Near matches of consignee names and addresses (src/correlation/near-match.ts): the spellings
 * normalization cannot fold but that are one place (a region added or left off), and never
 * another flat, floor or block of the same building.
 */
import { addressDesignators, addressesNear, nearLinks } from '../../src/correlation/near-match';
import { addressWords } from '../../src/correlation/identifier-normalize';

const RING = 'Flat 1203, 12/F, Block B, Wing Lok Industrial Building, 168 Tai Nan Street, Sham Shui Po, Kowloon';

describe('near matches of addresses', () => {
  test('an address with its region added, or its area left off in Chinese, is near the same address', () => {
    expect(addressesNear(RING, `${RING}, Hong Kong`)).toBe(true);
    expect(addressesNear('RM 1203 12F BLK B WING LOK IND BLDG 168 TAI NAN ST SHAM SHUI PO KOWLOON HONG KONG', RING)).toBe(true);
    expect(addressesNear('九龍深水埗大南街168號永樂工業大廈B座12樓1203室', '深水埗大南街168號永樂工業大廈B座12樓1203室')).toBe(true);
  });

  test('another flat, floor, block or street number of the same building is never near', () => {
    expect(addressesNear('Flat 3, 12/F, Wing Lok Building, 168 Tai Nan Street', 'Flat 4, 12/F, Wing Lok Building, 168 Tai Nan Street')).toBe(false);
    expect(addressesNear(RING, RING.replace('1203', '1207'))).toBe(false);
    expect(addressesNear(RING, RING.replace('12/F', '11/F'))).toBe(false);
    expect(addressesNear(RING, RING.replace('Block B', 'Block C'))).toBe(false);
    expect(addressesNear('Flat A, 9/F, Fu Wah Mansion, 301 Shanghai Street, Mong Kok', 'Flat C, 9/F, Fu Wah Mansion, 301 Shanghai Street, Mong Kok')).toBe(false);
    expect(addressesNear('九龍旺角上海街301號富華大廈9樓A室', '九龍旺角上海街301號富華大廈9樓C室')).toBe(false);
  });

  test('the designators are every digit run (as a number) and single letter, floor words (f) included', () => {
    expect(addressDesignators(addressWords('Flat 03, 12th Floor, Block A, ０１２ Nathan Road'))).toBe('12 12 3 a f');
    // Flat F is a letter beside the floor's f: it still tells Flat F from Flat A.
    expect(addressesNear('Flat F, 12/F, Wing Lok Building, 168 Tai Nan Street', 'Flat A, 12/F, Wing Lok Building, 168 Tai Nan Street')).toBe(false);
  });

  test('addresses without a number, or of other buildings, are not near', () => {
    expect(addressesNear('Tai Nan Street, Sham Shui Po', 'Tai Nan Street, Sham Shui Po, Kowloon')).toBe(false);
    expect(addressesNear(RING, 'Flat 1203, 12/F, Block B, Kam Fu Industrial Building, 168 Castle Peak Road, Sham Shui Po, Kowloon')).toBe(false);
  });
});

describe('near links among candidates', () => {
  test('links near addresses and names of the same words in another order; leaves look-alikes and equal spellings alone', () => {
    const links = nearLinks([
      { id: 'a', name: 'Chan Tai Man', address: RING },
      { id: 'b', name: 'Tai Man, CHAN', address: `${RING}, Hong Kong` },
      { id: 'c', name: 'Chan Tai Ming', address: RING.replace('1203', '1207') },
      { id: 'd', name: 'Kam Lung Leather Goods Trading Co Ltd', address: null },
      { id: 'e', name: 'Kam Lung Electronic Components Trading Co Ltd', address: null },
      { id: 'f', name: 'chan tai man', address: RING },
    ]);
    const pairs = links.map((l) => `${l.kind}:${[l.a, l.b].sort().join('')}`).sort();
    expect(pairs).toEqual(['ADDRESS:ab', 'ADDRESS:bf', 'PARTY_NAME:ab', 'PARTY_NAME:bf']);
  });
});
