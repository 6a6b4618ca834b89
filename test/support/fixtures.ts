import { containerCheckDigit } from '../../src/common/codes';

/** A valid ISO 6346 container number for an owner code and serial. */
export function containerNo(owner = 'TST', serial = '000001'): string {
  const first10 = `${owner}U${serial}`;
  return first10 + containerCheckDigit(first10);
}

/** A valid IATA air waybill number (`PPP-SSSSSSSC`) for an airline prefix and a 7-digit serial. */
export function airWaybillNo(prefix = '160', serial = '1234567'): string {
  return `${prefix}-${serial}${Number(serial) % 7}`;
}

/** A complete, valid CreateAlertInput; overrides replace top-level fields. */
export function alertInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Speakers with separately shipped logo plates',
    summary: 'Unlicensed speakers and matching logo plates in one export container.',
    riskLevel: 'HIGH',
    channel: 'SEA_CONTAINER',
    direction: 'EXPORT',
    goods: [{ category: 'AUDIO_EQUIPMENT', description: 'Bluetooth speakers', hsCode: '8518.22', quantity: 29500, unit: 'pcs' }],
    infringements: ['TRADEMARK'],
    modusOperandi: ['SEPARATED_MARKS'],
    portOfLoading: 'CNSHK',
    portOfDischarge: 'AEJEA',
    originCountry: 'CN',
    destinationCountry: 'AE',
    containerNumbers: [containerNo('TST', '104528')],
    billOfLading: 'SHK-BL-0001',
    conveyanceReference: 'MV Pearl 026W',
    consignor: { name: 'Shenzhen Trading Co.', country: 'CN', identifier: '9144030000000001' },
    consignee: { name: 'Gulf Trading LLC', country: 'AE' },
    source: { kind: 'risk profiling', reliability: 'B', credibility: 2, reference: 'RP-1' },
    operationalNotes: 'Open fully; plates behind the last pallet row.',
    ...overrides,
  };
}

export const ALERT_FIELDS = `
  id reference status title summary riskLevel channel direction
  originAgency { code name jurisdiction }
  goods { category description hsCode quantity unit }
  infringements modusOperandi rightsHolders { id name recordations { type recordationNumber mark validUntil } }
  portOfLoading portOfDischarge originCountry destinationCountry expectedArrival
  distribution { scope agencies { code } }
  containerNumbers billOfLading conveyanceReference airWaybill trackingNumbers
  consignor { name address country identifier phone email } consignee { name address country identifier phone email }
  source { kind reliability credibility reference }
  operationalNotes withheld version createdAt updatedAt publishedAt
`;

export const CREATE = `mutation ($input: CreateAlertInput!) { createAlert(input: $input) { ${ALERT_FIELDS} } }`;
export const UPDATE = `mutation ($id: ID!, $version: Int!, $input: UpdateAlertInput!) { updateAlert(id: $id, version: $version, input: $input) { ${ALERT_FIELDS} } }`;
export const PUBLISH = `mutation ($id: ID!, $version: Int!) { publishAlert(id: $id, version: $version) { ${ALERT_FIELDS} } }`;
export const GET = `query ($id: ID!) { alert(id: $id) { ${ALERT_FIELDS} } }`;
