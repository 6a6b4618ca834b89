/*
 * Hostile partners against the register numbers. Guangdong's register references
 * (GD-2026-000987) are numbered without gaps per agency and year: a partner that saw one, and
 * counted the GD references it was given, would know how many GD alerts are hidden from it.
 * Partners must see only the partner reference (GD- and twelve random characters), through
 * every route, and no route may take a register reference from a partner and tell it anything
 * a reference that does not exist would not. Every check has a positive control.
 */
import { CREATE, GET, PUBLISH, UPDATE, alertInput } from '../support/fixtures';
import { disposeAll, subscribe, until } from '../support/events';
import { startTestHub, type TestHub } from '../support/hub';

const REGISTER = /^[A-Z]{2}-\d{4}-\d{6}$/;
/** Any register reference of Guangdong's, anywhere in a text. */
const GD_REGISTER_ANYWHERE = /GD-\d{4}-\d{6}/g;
const PARTNER = /^GD-[0-9A-HJKMNP-TV-Z]{12}$/;

const REFS = 'id reference partnerReference';
const PAGE = `query ($filter: AlertFilter) { alerts(first: 100, filter: $filter) { totalCount edges { node { ${REFS} title } } } }`;
const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Alert { ${REFS} } } }`;
const SHARE = `mutation ($id: ID!, $version: Int!, $d: DistributionInput!) { shareAlert(id: $id, version: $version, distribution: $d) { ${REFS} version } }`;
const CREATE_OP = `mutation ($input: CreateJointOperationInput!) { createJointOperation(input: $input) { id } }`;
const LINK = `mutation ($op: ID!, $alert: ID!) { linkAlertToOperation(operationId: $op, alertId: $alert) { id } }`;
const OP_ALERTS = `query ($id: ID!) { jointOperation(id: $id) { alerts(first: 10) { totalCount edges { node { ${REFS} } } } } }`;
const REQUEST = `mutation ($id: ID!, $classes: [FieldClass!]!) {
  requestDisclosure(alertId: $id, fieldClasses: $classes, justification: "Joint action on key channels") { id alert { ${REFS} withheld } }
}`;
const DECIDE = `mutation ($rid: ID!, $expiresAt: DateTime) { decideDisclosure(requestId: $rid, approve: true, expiresAt: $expiresAt, note: "ok") { id status alert { ${REFS} } } }`;
const REQUESTS = `{ disclosureRequests(first: 100) { id alert { ${REFS} withheld } } }`;
const SUB = `subscription ($filter: AlertFilter) { alertEvents(filter: $filter) { kind alert { ${REFS} title } } }`;

const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('partners cannot count the alerts withheld from them through references', () => {
  let t: TestHub;
  let gd: string;
  let gdCoord: string;
  let hk: string;
  let mo: string;

  interface Made {
    id: string;
    version: number;
    /** As Guangdong reads it: the register reference. */
    register: string;
    partner: string;
  }
  let shared: Made; // ALL_PARTNERS, published
  let hidden: Made; // ORIGINATOR_ONLY, published
  let draft: Made; // ALL_PARTNERS, never published
  let moOnly: Made; // SELECTED_AGENCIES [MO], published
  let hkOwn: Made; // Hong Kong's own, ORIGINATOR_ONLY
  /** Guangdong's alerts in the order they were created. */
  const gdSeries: Made[] = [];

  async function ok(token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
    const body = (await t.gql(token, query, variables)).body;
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  async function make(token: string, title: string, opts: { distribution?: Record<string, unknown>; publish?: boolean } = {}): Promise<Made> {
    let a = (await ok(token, CREATE, { input: alertInput({ title, ...(opts.distribution ? { distribution: opts.distribution } : {}) }) })).createAlert;
    if (opts.publish !== false) a = (await ok(token, PUBLISH, { id: a.id, version: a.version })).publishAlert;
    const own = (await ok(token, `query ($id: ID!) { alert(id: $id) { ${REFS} } }`, { id: a.id })).alert;
    const made = { id: a.id, version: a.version, register: own.reference, partner: own.partnerReference };
    if (token === gd) gdSeries.push(made);
    return made;
  }

  /** Every Guangdong register reference in `body`, once serialised. */
  const registersIn = (body: unknown): string[] => JSON.stringify(body).match(GD_REGISTER_ANYWHERE) ?? [];

  beforeAll(async () => {
    t = await startTestHub();
    gd = await t.token('GD', ['ANALYST']);
    gdCoord = await t.token('GD', ['COORDINATOR']);
    hk = await t.token('HK', ['ANALYST']);
    mo = await t.token('MO', ['ANALYST']);
    shared = await make(gd, 'Shared speakers', { distribution: { scope: 'ALL_PARTNERS' } });
    hidden = await make(gd, 'Originator-only speakers');
    draft = await make(gd, 'Draft speakers', { distribution: { scope: 'ALL_PARTNERS' }, publish: false });
    moOnly = await make(gd, 'Speakers for Macao', { distribution: { scope: 'SELECTED_AGENCIES', agencies: ['MO'] } });
    hkOwn = await make(hk, 'Hong Kong own handbags');
  });
  afterEach(() => disposeAll());
  afterAll(() => t.stop());

  test('Guangdong reads its register reference and the partner reference it quotes; both partners read that partner reference alone', async () => {
    expect(shared.register).toMatch(REGISTER);
    expect(shared.partner).toMatch(PARTNER);
    for (const token of [hk, mo]) {
      const body = (await t.gql(token, GET, { id: shared.id })).body;
      const a = (await ok(token, `query ($id: ID!) { alert(id: $id) { ${REFS} } }`, { id: shared.id })).alert;
      expect(a).toEqual({ id: shared.id, reference: shared.partner, partnerReference: shared.partner });
      expect(body.data.alert.reference).toBe(shared.partner);
      expect(registersIn(body)).toEqual([]);
    }
    // The other way round: Hong Kong reads its own register number, Guangdong never does.
    expect(hkOwn.register).toMatch(/^HK-\d{4}-\d{6}$/);
    await ok(hk, SHARE, { id: hkOwn.id, version: hkOwn.version, d: { scope: 'ALL_PARTNERS' } });
    const seenByGd = (await ok(gd, `query ($id: ID!) { alert(id: $id) { ${REFS} } }`, { id: hkOwn.id })).alert;
    expect(seenByGd).toEqual({ id: hkOwn.id, reference: hkOwn.partner, partnerReference: hkOwn.partner });
    expect(hkOwn.partner).toMatch(/^HK-[0-9A-HJKMNP-TV-Z]{12}$/);
  });

  test('no route shows Hong Kong a Guangdong register number: query, list, _entities, operation, disclosures, events, errors', async () => {
    const op = (await ok(gdCoord, CREATE_OP, { input: { codeName: 'Register Fog', objective: 'count nothing', participants: ['HK', 'MO'], startsOn: new Date().toISOString() } }))
      .createJointOperation;
    await ok(gd, LINK, { op: op.id, alert: shared.id });
    await ok(gd, LINK, { op: op.id, alert: hidden.id });
    const hkSub = await subscribe(t, hk, SUB);
    const gdSub = await subscribe(t, gd, SUB);

    const bodies: unknown[] = [];
    const read = async (token: string, query: string, variables?: Record<string, unknown>) => {
      const body = (await t.gql(token, query, variables)).body;
      bodies.push(body);
      return body;
    };
    await read(hk, GET, { id: shared.id });
    await read(hk, GET, { id: hidden.id });
    await read(hk, PAGE, {});
    await read(hk, PAGE, { filter: { originAgency: ['GD'] } });
    await read(hk, ENTITIES, { r: [shared, hidden, draft, moOnly].map((a) => ({ __typename: 'Alert', id: a.id })) });
    await read(hk, OP_ALERTS, { id: op.id });
    const request = (await read(hk, REQUEST, { id: shared.id, classes: ['SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY', 'SOURCE', 'OPERATIONAL'] })) as any;
    // Granted every class by disclosure, Hong Kong is still a partner: the reference does not come with a class.
    const decided = (await ok(gd, DECIDE, { rid: request.data.requestDisclosure.id, expiresAt: inDays(5) })).decideDisclosure;
    expect(decided.alert.reference).toBe(shared.register); // positive control: the originator's answer
    const fullyGranted = (await read(hk, `query ($id: ID!) { alert(id: $id) { ${REFS} withheld } }`, { id: shared.id })) as any;
    expect(fullyGranted.data.alert).toEqual({ id: shared.id, reference: shared.partner, partnerReference: shared.partner, withheld: [] });
    await read(hk, REQUESTS);
    // Errors about Guangdong's alerts.
    await read(hk, UPDATE, { id: shared.id, version: 1, input: { title: 'mine now' } });
    await read(hk, UPDATE, { id: hidden.id, version: 1, input: { title: 'mine now' } });
    await read(hk, REQUEST, { id: hidden.id, classes: ['PARTY_IDENTITY'] });
    await read(hk, PAGE, { filter: { reference: `${shared.register}x` } });
    await read(hk, `query ($id: ID!) { alertHistory(alertId: $id) { kind } }`, { id: shared.id });
    await read(hk, `query ($id: ID!) { alertAccessLog(alertId: $id) { totalCount } }`, { id: shared.id });

    // A change Hong Kong's subscription carries (and Guangdong's, the positive control).
    const updated = (await ok(gd, UPDATE, { id: shared.id, version: (await ok(gd, GET, { id: shared.id })).alert.version, input: { summary: 'register fog' } })).updateAlert;
    expect(updated.reference).toBe(shared.register);
    await until(() => hkSub.events().some((e) => e.alert.id === shared.id) && gdSub.events().some((e) => e.alert.id === shared.id), 'the update event');
    bodies.push(hkSub.results, hkSub.errors);

    expect(registersIn(bodies)).toEqual([]);
    // Positive controls: Hong Kong did get the alert through these routes, under its partner reference.
    const text = JSON.stringify(bodies);
    expect(text.split(shared.partner).length - 1).toBeGreaterThanOrEqual(9);
    expect(hkSub.events().find((e) => e.alert.id === shared.id).alert).toMatchObject({ reference: shared.partner, partnerReference: shared.partner });
    expect(gdSub.events().find((e) => e.alert.id === shared.id).alert).toMatchObject({ reference: shared.register, partnerReference: shared.partner });
    expect(registersIn(gdSub.results)).toContain(shared.register);
  });

  test('a Guangdong register reference gets a partner the same answer whether that alert is visible to it, hidden from it, a draft, or does not exist', async () => {
    const last = Math.max(...gdSeries.map((a) => Number(a.register.slice(-6))));
    const year = shared.register.slice(3, 7);
    const asked = {
      visible: shared.register,
      hidden: hidden.register,
      draft: draft.register,
      forMacao: moOnly.register,
      next: `GD-${year}-${String(last + 1).padStart(6, '0')}`,
      far: `GD-${year}-999999`,
      lastYear: `GD-${Number(year) - 1}-000001`,
    };
    const reqs = [
      (ref: string) => [PAGE, { filter: { reference: ref } }] as const,
      (ref: string) => [PAGE, { filter: { reference: ref.toLowerCase() } }] as const,
      (ref: string) => [PAGE, { filter: { reference: ` ${ref} `, originAgency: ['GD'] } }] as const,
      (ref: string) => [PAGE, { filter: { text: ref } }] as const,
    ];
    for (const token of [hk, mo]) {
      for (const req of reqs) {
        const answers: Record<string, unknown> = {};
        for (const [name, ref] of Object.entries(asked)) {
          const [query, variables] = req(ref);
          const r = await t.gql(token, query, variables);
          answers[name] = { status: r.status, body: JSON.stringify(r.body).split(ref).join('<REF>').split(ref.toLowerCase()).join('<ref>') };
        }
        for (const [name, answer] of Object.entries(answers)) expect({ name, answer }).toEqual({ name, answer: answers.far });
        expect(JSON.parse((answers.far as any).body).data.alerts).toEqual({ totalCount: 0, edges: [] });
      }
    }
    // A partner reference of an alert the partner may not see is as unknown as any other.
    for (const ref of [hidden.partner, draft.partner, 'GD-000000000000']) {
      expect((await ok(hk, PAGE, { filter: { reference: ref } })).alerts).toEqual({ totalCount: 0, edges: [] });
    }

    // Positive controls: the partner reference finds the alert for partners, in any case and with
    // Crockford's look-alikes; Guangdong finds its own by either reference; Hong Kong its own by its register one.
    const found = (token: string, ref: string) => ok(token, PAGE, { filter: { reference: ref } }).then((d) => d.alerts.edges.map((e: any) => e.node.id));
    expect(await found(hk, shared.partner)).toEqual([shared.id]);
    expect(await found(mo, shared.partner.toLowerCase())).toEqual([shared.id]);
    expect(await found(mo, moOnly.partner)).toEqual([moOnly.id]);
    const lookAlike = shared.partner.slice(0, 3) + shared.partner.slice(3).replace(/0/g, 'O').replace(/1/g, 'L');
    expect(await found(hk, lookAlike)).toEqual([shared.id]);
    expect(await found(gd, shared.register)).toEqual([shared.id]);
    expect(await found(gd, shared.partner)).toEqual([shared.id]);
    expect(await found(gd, hidden.register)).toEqual([hidden.id]);
    expect(await found(gd, draft.partner)).toEqual([draft.id]);
    expect(await found(hk, hkOwn.register)).toEqual([hkOwn.id]);
    // Hong Kong's register number is Hong Kong's alone, too.
    expect(await found(gd, hkOwn.register)).toEqual([]);
  });

  test('text that is no reference is BAD_USER_INPUT, the same for every agency, and names no alert', async () => {
    for (const bad of ['GD-2026-98', 'GD-ABC', 'GD-2026-000001-1', 'GD-UUUUUUUUUUUU', 'x'.repeat(65)]) {
      const answers = await Promise.all([gd, hk, mo].map((token) => t.gql(token, PAGE, { filter: { reference: bad } })));
      for (const r of answers) {
        expect(r.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.reference' });
        expect(r.body.errors[0].message).toBe(answers[0].body.errors[0].message);
        expect(r.body.errors[0].message).not.toContain(bad);
      }
    }
  });

  test('a partner subscription filtered on a register reference gets nothing; on the partner reference it gets the alert', async () => {
    const byRegister = await subscribe(t, hk, SUB, { filter: { reference: shared.register } });
    const byPartner = await subscribe(t, hk, SUB, { filter: { reference: shared.partner } });
    const gdByRegister = await subscribe(t, gd, SUB, { filter: { reference: shared.register } });
    const version = (await ok(gd, GET, { id: shared.id })).alert.version;
    await ok(gd, UPDATE, { id: shared.id, version, input: { summary: 'watched by reference' } });
    await byPartner.waitFor(1);
    await gdByRegister.waitFor(1);
    await sleep(200);
    expect(byPartner.events().map((e) => e.alert)).toEqual([expect.objectContaining({ id: shared.id, reference: shared.partner })]);
    expect(gdByRegister.events().map((e) => e.alert)).toEqual([expect.objectContaining({ id: shared.id, reference: shared.register })]);
    expect(byRegister.results).toEqual([]);
    expect(byRegister.errors).toEqual([]);
  });

  test('partner references are stable and unguessable: one per alert, no sequence in them, not in the order of creation', async () => {
    const series: Made[] = [];
    for (let i = 0; i < 10; i++) series.push(await make(gd, `Series speakers ${i}`, { distribution: { scope: 'ALL_PARTNERS' } }));
    const numbers = series.map((a) => Number(a.register.slice(-6)));
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0] + i)); // the register: gap-free, in order

    const tokens = series.map((a) => a.partner.slice(3));
    for (const a of series) {
      expect(a.partner).toMatch(PARTNER);
      expect(a.partner).not.toContain(a.register.slice(-6));
      expect(a.partner).not.toContain(a.register.slice(3, 7) + a.register.slice(-6));
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    // Random tokens: sorted in either direction by chance once in 10!/2 (1.8 million).
    const ascending = [...tokens].sort();
    expect(tokens).not.toEqual(ascending);
    expect(tokens).not.toEqual([...ascending].reverse());
    // Neighbours share no more than chance: no common prefix of more than three characters.
    for (let i = 1; i < tokens.length; i++) expect(tokens[i].slice(0, 4)).not.toBe(tokens[i - 1].slice(0, 4));

    // Stable: the same for both partners, on every read, after a change of content, status and distribution.
    const a = series[0];
    const refOf = async (token: string) => (await ok(token, `query ($id: ID!) { alert(id: $id) { reference } }`, { id: a.id })).alert.reference;
    expect([await refOf(hk), await refOf(mo), await refOf(hk)]).toEqual([a.partner, a.partner, a.partner]);
    const u = (await ok(gd, UPDATE, { id: a.id, version: a.version, input: { title: 'Series speakers renamed' } })).updateAlert;
    const s = (await ok(gd, SHARE, { id: a.id, version: u.version, d: { scope: 'SELECTED_AGENCIES', agencies: ['HK'] } })).shareAlert;
    expect(s).toMatchObject({ reference: a.register, partnerReference: a.partner });
    expect(await refOf(hk)).toBe(a.partner);
  });
});
