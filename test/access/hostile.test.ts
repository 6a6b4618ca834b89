/*
 * Hostile partners: Hong Kong and Macao tokens, with every role and combination of roles, try to
 * read what Guangdong withholds from them (a field class it did not give, an alert outside its
 * distribution) through every route the hub has, and to change what is not theirs. The spec is
 * shared/domain.md, "What a partner must never see".
 *
 * Every secret VALUE planted in a Guangdong alert is searched for in the whole JSON the attacker
 * gets back (data, errors, events), not only the field it belongs to; and every route is also
 * shown to carry those values to whoever is entitled to them, so that nothing passes vacuously.
 */
import 'reflect-metadata';
import { Client as PgClient } from 'pg';
import { uuidv7 } from '../../src/common/ids';
import { fieldClassesOf } from '../../src/access/field-class';
import { AlertType, PartyType } from '../../src/alerts/alert.types';
import { CREATE, GET, PUBLISH, airWaybillNo, alertInput, containerNo } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

// ---- field classes ------------------------------------------------------------------------

type WithheldClass = 'SHIPMENT_IDENTIFIERS' | 'PARTY_IDENTITY' | 'SOURCE' | 'OPERATIONAL';
const WITHHELD_CLASSES: WithheldClass[] = ['SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY', 'SOURCE', 'OPERATIONAL'];

/** The GraphQL selection of each class's fields on Alert. */
const CLASS_FIELDS: Record<WithheldClass, string[]> = {
  SHIPMENT_IDENTIFIERS: ['containerNumbers', 'billOfLading', 'conveyanceReference', 'airWaybill', 'trackingNumbers'],
  PARTY_IDENTITY: ['consignor { name address country identifier phone email }', 'consignee { name address country identifier phone email }'],
  SOURCE: ['source { kind reliability credibility reference }'],
  OPERATIONAL: ['operationalNotes'],
};

/** CORE fields every route selects next to the classified ones. */
const CORE_KEYS = new Set(['__typename', 'id', 'title', 'withheld']);

const ROLE_SETS: string[][] = [
  ['OBSERVER'],
  ['ANALYST'],
  ['COORDINATOR'],
  ['ADMIN'],
  ['OBSERVER', 'COORDINATOR'],
  ['ANALYST', 'ADMIN'],
  ['OBSERVER', 'ANALYST', 'COORDINATOR', 'ADMIN'],
];
const AGENCY_NAME: Record<string, string> = { GD: 'Guangdong', HK: 'Hong Kong', MO: 'Macao' };

// ---- planted alerts -----------------------------------------------------------------------

/** A Guangdong alert whose withheld fields hold values that appear nowhere else. */
interface Planted {
  id: string;
  reference: string;
  title: string;
  version: number;
  container: string;
  secrets: Record<WithheldClass, string[]>;
}

let serial = 0;

/** An alert input whose every classified value is unique to `tag`, and those values by class. */
function plantedInput(tag: string, overrides: Record<string, unknown> = {}) {
  const container = containerNo('HXS', String(400000 + ++serial));
  const n = String(serial).padStart(4, '0');
  const secrets: Record<WithheldClass, string[]> = {
    SHIPMENT_IDENTIFIERS: [container, `BL-${tag}-7731`, `MV Lantau ${tag}-014E`, airWaybillNo('160', `47${n}1`), `SF77${n}${tag.toUpperCase()}`, `YT88${n}${tag.toUpperCase()}`],
    PARTY_IDENTITY: [
      `Consignor ${tag} Trading Co`,
      `Road ${tag} Futian`,
      `USCC-${tag}-9144`,
      `+86 139 ${n} 7${n.slice(1)}`,
      `shipper.${tag}@futian.example`,
      `Consignee ${tag} General LLC`,
      `Plot ${tag} Jebel Ali`,
      `TRN-${tag}-100`,
      `(852) 9${n.slice(1)}-6${n.slice(1)}`,
      `buyer.${tag}@jebel.example`,
    ],
    SOURCE: [`informant ${tag} handler`, `HUMINT-${tag}-22`],
    OPERATIONAL: [`Open fully ${tag}: plates behind pallet row 7`],
  };
  const input = alertInput({
    title: `Speakers with logo plates ${tag}`,
    containerNumbers: [container],
    billOfLading: secrets.SHIPMENT_IDENTIFIERS[1],
    conveyanceReference: secrets.SHIPMENT_IDENTIFIERS[2],
    airWaybill: secrets.SHIPMENT_IDENTIFIERS[3],
    trackingNumbers: secrets.SHIPMENT_IDENTIFIERS.slice(4, 6),
    consignor: { name: secrets.PARTY_IDENTITY[0], address: secrets.PARTY_IDENTITY[1], country: 'CN', identifier: secrets.PARTY_IDENTITY[2], phone: secrets.PARTY_IDENTITY[3], email: secrets.PARTY_IDENTITY[4] },
    // The consignee is in the UAE; its phone is a Hong Kong number, with its code.
    consignee: { name: secrets.PARTY_IDENTITY[5], address: secrets.PARTY_IDENTITY[6], country: 'AE', identifier: secrets.PARTY_IDENTITY[7], phone: secrets.PARTY_IDENTITY[8], email: secrets.PARTY_IDENTITY[9] },
    source: { kind: secrets.SOURCE[0], reliability: 'B', credibility: 2, reference: secrets.SOURCE[1] },
    operationalNotes: secrets.OPERATIONAL[0],
    ...overrides,
  });
  return { input, secrets, container };
}

function allSecrets(a: Planted): string[] {
  return WITHHELD_CLASSES.flatMap((c) => a.secrets[c]);
}

/** Every value of `secrets` that occurs anywhere in `body` once serialised. */
function leaked(body: unknown, secrets: readonly string[]): string[] {
  const text = JSON.stringify(body) ?? '';
  return secrets.filter((s) => text.includes(s));
}

/** Fails naming `who` when any of `secrets` occurs anywhere in `body`. */
function expectNoLeak(body: unknown, secrets: readonly string[], who: string): void {
  expect({ who, leaked: leaked(body, secrets) }).toEqual({ who, leaked: [] });
}

/** Fails naming `who` unless every one of `secrets` occurs in `body` (the positive control). */
function expectShown(body: unknown, secrets: readonly string[], who: string): void {
  expect({ who, shown: leaked(body, secrets) }).toEqual({ who, shown: [...secrets] });
}

/** Every classified key of a projected alert object (aliases included) is null. */
function expectClassifiedNull(alert: Record<string, unknown>, who: string): void {
  const notNull = Object.entries(alert).filter(([k, v]) => !CORE_KEYS.has(k) && v !== null).map(([k]) => k);
  expect({ who, notNull }).toEqual({ who, notNull: [] });
}

function errorCodes(body: any): string[] {
  return (body?.errors ?? []).map((e: any) => e.extensions?.code);
}

/** The body with `id` replaced, for comparing the answer about one id with the answer about another. */
function withoutId(body: unknown, id: string): string {
  return JSON.stringify(body).split(id).join('<ID>');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString();

// ---- GraphQL documents --------------------------------------------------------------------

const SUBSCRIBE = (selection: string) =>
  `subscription ($filter: AlertFilter) { alertEvents(filter: $filter) { kind occurredAt alert { id title withheld ${selection} } } }`;
const COUNT = `query ($filter: AlertFilter) { alerts(first: 100, filter: $filter) { totalCount edges { node { id title } } } }`;
const SET_AGREEMENT = `mutation ($partner: ID!, $classes: [FieldClass!]!) {
  setSharingAgreement(partner: $partner, fieldClasses: $classes) { fromAgency { code } toAgency { code } fieldClasses }
}`;
const REQUEST = `mutation ($id: ID!, $classes: [FieldClass!]!) {
  requestDisclosure(alertId: $id, fieldClasses: $classes, justification: "Joint action on key channels") {
    id status fieldClasses requestingAgency { code } alert { id title withheld ${WITHHELD_CLASSES.flatMap((c) => CLASS_FIELDS[c]).join(' ')} }
  }
}`;
const DECIDE = `mutation ($rid: ID!, $approve: Boolean!, $expiresAt: DateTime) {
  decideDisclosure(requestId: $rid, approve: $approve, expiresAt: $expiresAt, note: "ok") { id status expiresAt }
}`;
const REQUESTS = `query ($status: [DisclosureStatus!]) { disclosureRequests(first: 100, status: $status) { id status requestingAgency { code } alert { id } } }`;
const ACCESS_LOG = `query ($id: ID!) { alertAccessLog(alertId: $id, first: 100) { totalCount edges { node { agency { code } subject disclosed via } } } }`;

const fieldsOf = (classes: WithheldClass[]) => classes.flatMap((c) => CLASS_FIELDS[c]);

/** `containerNumbers` → `x0: containerNumbers`, `consignor { … }` → `x1: consignor { … }`. */
const aliased = (fields: string[], prefix: string) => fields.map((f, i) => `${prefix}${i}: ${f}`).join(' ');
/** Adds `__typename` into every sub-selection. */
const withTypename = (fields: string[]) => fields.map((f) => f.replace('{', '{ __typename')).join(' ');
/** Puts a directive right after each field name. */
const withDirective = (fields: string[], directive: string) =>
  fields.map((f) => (f.includes(' ') ? f.replace(' ', ` ${directive} `) : `${f} ${directive}`)).join(' ');

// ---- the suite ----------------------------------------------------------------------------

describe('hostile partners against field-level access', () => {
  let t: TestHub;
  let gd: string; // Guangdong analyst (the originator)
  let gdAdmin: string;
  let hkAnalyst: string;
  let moAnalyst: string;
  let hkAdmin: string;

  interface Actor {
    agency: 'HK' | 'MO';
    roles: string[];
    label: string;
    token: string;
  }
  /** Hong Kong and Macao, each with every role set. */
  let partners: Actor[];

  // Guangdong alerts planted for the whole file: never widened by an agreement or a grant.
  let target: Planted; // ALL_PARTNERS, published
  let sibling: Planted; // ALL_PARTNERS, published
  let hiddenOwn: Planted; // ORIGINATOR_ONLY, published
  let hiddenDraft: Planted; // DRAFT distributed to ALL_PARTNERS
  let hiddenSelected: Planted; // SELECTED_AGENCIES [MO], published

  const hidden = (key: 'own' | 'draft' | 'selected'): Planted => ({ own: hiddenOwn, draft: hiddenDraft, selected: hiddenSelected })[key];

  /** What agency `agency` must never find in any answer: every planted secret, and the alerts it may not see. */
  function forbiddenFor(agency: string): string[] {
    const invisible = [hiddenOwn, hiddenDraft, ...(agency === 'MO' ? [] : [hiddenSelected])];
    return [
      ...[target, sibling, hiddenOwn, hiddenDraft, hiddenSelected].flatMap(allSecrets),
      ...invisible.flatMap((a) => [a.id, a.title, a.reference]),
    ];
  }

  async function gql(token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
    return (await t.gql(token, query, variables)).body;
  }

  async function ok(token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
    const body = await gql(token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  /** Creates a Guangdong alert (or another agency's, with `token`), published unless told otherwise. */
  async function plant(tag: string, opts: { distribution?: Record<string, unknown>; publish?: boolean; token?: string; overrides?: Record<string, unknown> } = {}): Promise<Planted> {
    const { input, secrets, container } = plantedInput(tag, { ...(opts.distribution ? { distribution: opts.distribution } : {}), ...opts.overrides });
    const token = opts.token ?? gd;
    let a = (await ok(token, CREATE, { input })).createAlert;
    if (opts.publish !== false) a = (await ok(token, PUBLISH, { id: a.id, version: a.version })).publishAlert;
    return { id: a.id, reference: a.reference, title: a.title, version: a.version, container, secrets };
  }

  /** Guangdong changes the summary (CORE) of `a`: one UPDATED event. */
  async function touch(a: Planted, summary = `Revised at ${Date.now()}`): Promise<void> {
    const r = await ok(gd, `mutation ($id: ID!, $v: Int!, $s: String!) { updateAlert(id: $id, version: $v, input: { summary: $s }) { version } }`, {
      id: a.id,
      v: a.version,
      s: summary,
    });
    a.version = r.updateAlert.version;
  }

  /** Guangdong's full view of one of its alerts. */
  async function own(id: string): Promise<any> {
    return (await ok(gd, GET, { id })).alert;
  }

  async function total(token: string, filter: Record<string, unknown> = {}): Promise<{ totalCount: number; ids: string[] }> {
    const d = await ok(token, COUNT, { filter });
    return { totalCount: d.alerts.totalCount, ids: d.alerts.edges.map((e: any) => e.node.id) };
  }

  async function setAgreement(token: string, partner: string, classes: string[]): Promise<any> {
    return gql(token, SET_AGREEMENT, { partner, classes });
  }

  interface Sub {
    events: any[];
    errors: unknown[];
    alerts(): any[];
    dispose(): void;
  }

  /** Opens a subscription and resolves once it is established. */
  async function listen(token: string, selection: string, filter?: Record<string, unknown>): Promise<Sub> {
    // Events committed just before this subscription may still be on their way (an older
    // transaction elsewhere on the server holds them back a moment): they are not its to count.
    await t.quiesce();
    const events: any[] = [];
    const errors: unknown[] = [];
    const client = t.ws(token);
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    const dispose = client.subscribe(
      { query: SUBSCRIBE(selection), variables: filter ? { filter } : {} },
      { next: (v) => events.push(v), error: (e) => errors.push(e), complete: () => undefined },
    );
    await connected;
    // graphql-ws sends the subscribe message right after the ack: let it land.
    await sleep(250);
    return {
      events,
      errors,
      alerts: () => events.map((e) => e.data?.alertEvents?.alert).filter(Boolean),
      dispose: () => {
        dispose();
        void client.dispose();
      },
    };
  }

  /** Publishes a fresh ALL_PARTNERS alert and waits until every `subs` has its event: all earlier events were handled. */
  async function sentinel(subs: Sub[]): Promise<Planted> {
    const s = await plant(`sentinel${serial}`, { distribution: { scope: 'ALL_PARTNERS' } });
    await waitFor(() => subs.every((x) => x.alerts().some((a) => a.id === s.id)), 5000, 'the sentinel event');
    return s;
  }

  /** One GraphQL operation over graphql-ws (a query, not a subscription): its single result. */
  async function overWebSocket(token: string, query: string, variables: Record<string, unknown>): Promise<any> {
    const client = t.ws(token);
    try {
      return await new Promise((resolve, reject) => {
        let result: unknown;
        client.subscribe({ query, variables }, { next: (v) => (result = v), error: reject, complete: () => resolve(result) });
      });
    } finally {
      void client.dispose();
    }
  }

  beforeAll(async () => {
    t = await startTestHub();
    [gd, gdAdmin, hkAnalyst, moAnalyst, hkAdmin] = await Promise.all([
      t.token('GD'),
      t.token('GD', ['ADMIN']),
      t.token('HK'),
      t.token('MO'),
      t.token('HK', ['ADMIN']),
    ]);
    partners = await Promise.all(
      (['HK', 'MO'] as const).flatMap((agency) =>
        ROLE_SETS.map(async (roles) => ({ agency, roles, label: `${AGENCY_NAME[agency]} ${roles.join('+')}`, token: await t.token(agency, roles) })),
      ),
    );
    target = await plant('tgtQ7', { distribution: { scope: 'ALL_PARTNERS' } });
    sibling = await plant('sibW3', { distribution: { scope: 'ALL_PARTNERS' } });
    hiddenOwn = await plant('ownZ9', { overrides: { title: 'Zephyrine originator only' } });
    hiddenDraft = await plant('drfK4', { distribution: { scope: 'ALL_PARTNERS' }, publish: false, overrides: { title: 'Quillback draft for all' } });
    hiddenSelected = await plant('selM2', { distribution: { scope: 'SELECTED_AGENCIES', agencies: ['MO'] }, overrides: { title: 'Marrowfat for Macao only' } });
    // Each partner has a pending request on the target, so that disclosureRequests { alert } has something to show.
    for (const token of [hkAnalyst, moAnalyst]) await ok(token, REQUEST, { id: target.id, classes: ['PARTY_IDENTITY'] });
  });
  afterAll(() => t.stop());

  test('the originator sees every class of its own alert; a partner sees CORE and a withheld list', async () => {
    const mine = await own(target.id);
    expect(mine.withheld).toEqual([]);
    expectShown(mine, allSecrets(target), 'GD analyst');
    for (const p of partners) {
      const a = (await ok(p.token, GET, { id: target.id })).alert;
      // The register number is Guangdong's: partners see the partner reference in its place.
      const { partnerReference } = (await ok(gd, `query ($id: ID!) { alert(id: $id) { partnerReference } }`, { id: target.id })).alert;
      expect(a).toMatchObject({ id: target.id, title: target.title, reference: partnerReference, riskLevel: 'HIGH', portOfLoading: 'CNSHK' });
      expect(a.reference).not.toBe(target.reference);
      expect(a.goods).toEqual(mine.goods);
      expect(a.withheld).toEqual(WITHHELD_CLASSES);
      expectNoLeak(a, forbiddenFor(p.agency), p.label);
    }
  });

  // ---- the field classes × routes matrix --------------------------------------------------

  describe('withheld field classes, through every route', () => {
    interface RouteResult {
      body: unknown;
      alerts: any[];
    }
    interface Route {
      name: string;
      /** Only an ANALYST may take this route (others are FORBIDDEN). */
      analystOnly?: boolean;
      /** Guangdong can take the same route and must see the values there. */
      originatorControl: boolean;
      read(tokens: string[], classes: WithheldClass[], a: Planted): Promise<RouteResult[]>;
    }

    function httpRoute(
      name: string,
      build: (classes: WithheldClass[], a: Planted) => { query: string; variables: Record<string, unknown> },
      pick: (data: any) => any[],
      extra: Partial<Route> = {},
    ): Route {
      return {
        name,
        originatorControl: true,
        ...extra,
        async read(tokens, classes, a) {
          const out: RouteResult[] = [];
          for (const token of tokens) {
            const { query, variables } = build(classes, a);
            const body = await gql(token, query, variables);
            out.push({ body, alerts: body.data ? pick(body.data).filter(Boolean) : [] });
          }
          return out;
        },
      };
    }

    /** A query of one alert by id; `$yes` (true) and `$no` (false) are declared when the selection uses them. */
    const byId = (selection: (classes: WithheldClass[]) => string) => (classes: WithheldClass[], a: Planted) => {
      const sel = selection(classes);
      const flags = `${sel.includes('$yes') ? ', $yes: Boolean!' : ''}${sel.includes('$no') ? ', $no: Boolean!' : ''}`;
      return { query: `query ($id: ID!${flags}) { alert(id: $id) { id title withheld ${sel} } }`, variables: { id: a.id, yes: true, no: false } };
    };

    const ROUTES: Route[] = [
      httpRoute('a plain query', byId((c) => fieldsOf(c).join(' ')), (d) => [d.alert]),
      httpRoute(
        'aliases',
        (c, a) => ({
          query: `query ($id: ID!) { one: alert(id: $id) { id title withheld ${aliased(fieldsOf(c), 'x')} } two: alert(id: $id) { id title withheld ${aliased(fieldsOf(c), 'y')} } }`,
          variables: { id: a.id },
        }),
        (d) => [d.one, d.two],
      ),
      httpRoute(
        'named fragments',
        (c, a) => ({
          query: `query ($id: ID!) { alert(id: $id) { id title withheld ...Outer } } fragment Outer on Alert { ...Inner } fragment Inner on Alert { ${fieldsOf(c).join(' ')} }`,
          variables: { id: a.id },
        }),
        (d) => [d.alert],
      ),
      httpRoute('an inline fragment (... on Alert)', byId((c) => `... on Alert { ${fieldsOf(c).join(' ')} }`), (d) => [d.alert]),
      httpRoute('__typename tricks', byId((c) => `__typename ... on Alert { __typename ${withTypename(fieldsOf(c))} }`), (d) => [d.alert]),
      httpRoute(
        'the same field requested many times',
        // As many aliased copies as the hub's limit of 30 aliases lets through (10 for 3 fields).
        byId((c) => `${Array(25).fill(fieldsOf(c).join(' ')).join(' ')} ${Array.from({ length: Math.floor(30 / fieldsOf(c).length) }, (_, i) => aliased(fieldsOf(c), `r${i}_`)).join(' ')}`),
        (d) => [d.alert],
      ),
      httpRoute(
        '@include and @skip directives',
        byId((c) => `${withDirective(fieldsOf(c), '@include(if: $yes)')} ... on Alert @skip(if: $no) { ${aliased(fieldsOf(c), 'k')} }`),
        (d) => [d.alert],
      ),
      httpRoute(
        'the alerts list',
        (c) => ({
          query: `{ alerts(first: 100, filter: { originAgency: ["GD"] }) { totalCount edges { cursor node { id title withheld ${fieldsOf(c).join(' ')} } } } }`,
          variables: {},
        }),
        (d) => d.alerts.edges.map((e: any) => e.node),
      ),
      httpRoute(
        'disclosureRequests { alert { … } }',
        (c) => ({ query: `{ disclosureRequests(first: 100) { id status alert { id title withheld ${fieldsOf(c).join(' ')} } } }`, variables: {} }),
        (d) => d.disclosureRequests.map((r: any) => r.alert),
      ),
      httpRoute(
        'the requestDisclosure(…) { alert { … } } payload',
        (c, a) => ({
          query: `mutation ($id: ID!, $classes: [FieldClass!]!) { requestDisclosure(alertId: $id, fieldClasses: $classes, justification: "need it") { id status alert { id title withheld ${fieldsOf(c).join(' ')} } } }`,
          variables: { id: a.id, classes: c },
        }),
        (d) => [d.requestDisclosure.alert],
        // Guangdong cannot ask for its own alert; the payload's grants are shown in "disclosure requests" below.
        { analystOnly: true, originatorControl: false },
      ),
      {
        name: 'a query sent over the WebSocket',
        originatorControl: true,
        async read(tokens, classes, a) {
          const out: RouteResult[] = [];
          for (const token of tokens) {
            const body = await overWebSocket(token, `query ($id: ID!) { alert(id: $id) { id title withheld ${fieldsOf(classes).join(' ')} } }`, { id: a.id });
            out.push({ body, alerts: body?.data?.alert ? [body.data.alert] : [] });
          }
          return out;
        },
      },
      {
        name: 'alertEvents subscription payloads',
        originatorControl: true,
        async read(tokens, classes, a) {
          const subs = await Promise.all(tokens.map((token) => listen(token, fieldsOf(classes).join(' '))));
          try {
            await touch(a);
            await waitFor(() => subs.every((s) => s.events.length >= 1 || s.errors.length >= 1), 5000, 'an event on every subscription');
            await sleep(100);
            return subs.map((s) => ({ body: { events: s.events, errors: s.errors }, alerts: s.alerts() }));
          } finally {
            subs.forEach((s) => s.dispose());
          }
        },
      },
    ];

    const MATRIX = WITHHELD_CLASSES.flatMap((cls) => ROUTES.map((route) => ({ cls, route: route.name, r: route })));

    test.each(MATRIX)('a Hong Kong or Macao reader of any role cannot read Guangdong $cls fields through $route', async ({ cls, r }) => {
      const [mine, ...theirs] = await r.read([gd, ...partners.map((p) => p.token)], [cls], target);
      if (r.originatorControl) expectShown(mine.body, target.secrets[cls], `GD analyst via ${r.name}`);
      theirs.forEach((res, i) => {
        const p = partners[i];
        const who = `${p.label} via ${r.name}`;
        expectNoLeak(res.body, forbiddenFor(p.agency), who);
        if (r.analystOnly && !p.roles.includes('ANALYST')) {
          expect({ who, codes: errorCodes(res.body) }).toEqual({ who, codes: ['FORBIDDEN'] });
          return;
        }
        expect({ who, codes: errorCodes(res.body) }).toEqual({ who, codes: [] });
        // Not vacuous: the route did bring the alert, with its CORE fields.
        expect({ who, found: res.alerts.some((a) => a.id === target.id && a.title === target.title) }).toEqual({ who, found: true });
        for (const a of res.alerts) {
          expect({ who, withheld: a.withheld }).toEqual({ who, withheld: WITHHELD_CLASSES });
          expectClassifiedNull(a, who);
        }
      });
    });

    test('every alert field at once (the full ALERT_FIELDS selection) shows a partner no withheld value', async () => {
      for (const p of partners) {
        const body = await gql(p.token, `query ($id: ID!) { alert(id: $id) { ...Everything } } fragment Everything on Alert { ${fieldsOf(WITHHELD_CLASSES).join(' ')} id title withheld }`, {
          id: target.id,
        });
        expectNoLeak(body, forbiddenFor(p.agency), p.label);
        expectClassifiedNull(body.data.alert, p.label);
      }
    });

    test('the matrix selects every field the schema classifies beyond CORE, on Alert and on each party', () => {
      // Derived from the @Classified declarations: a field added to a withheld class without
      // being added to CLASS_FIELDS (and planted with a secret) fails here.
      const top = (cls: string) => (CLASS_FIELDS[cls as WithheldClass] ?? []).map((f) => f.split(' ')[0]);
      const alertFields = [...fieldClassesOf(AlertType)].filter(([, cls]) => cls !== 'CORE');
      expect(alertFields.map(([f]) => f)).toEqual(expect.arrayContaining(['airWaybill', 'trackingNumbers', 'consignee']));
      for (const [field, cls] of alertFields) expect({ field, cls, selected: top(cls).includes(field) }).toEqual({ field, cls, selected: true });
      const partyFields = [...fieldClassesOf(PartyType)];
      expect(partyFields.map(([f]) => f)).toEqual(expect.arrayContaining(['phone', 'email']));
      for (const [field, cls] of partyFields) {
        for (const party of ['consignor', 'consignee']) {
          const selection = (CLASS_FIELDS[cls as WithheldClass] ?? []).find((f) => f.startsWith(`${party} `)) ?? '';
          expect({ party, field, cls, selected: selection.split(/[\s{}]+/).includes(field) }).toEqual({ party, field, cls, selected: true });
        }
      }
    });

    test('a Hong Kong analyst cannot read Guangdong consignee details through an alias on a list node', async () => {
      const body = await gql(
        hkAnalyst,
        `{ alerts(first: 100) { edges { node { id who: consignee { n: name i: identifier tel: phone mail: email } boxes: containerNumbers parcels: trackingNumbers awb: airWaybill } } } }`,
      );
      expectNoLeak(body, forbiddenFor('HK'), 'HK analyst');
      const node = body.data.alerts.edges.map((e: any) => e.node).find((n: any) => n.id === target.id);
      expect(node).toEqual({ id: target.id, who: null, boxes: null, parcels: null, awb: null });
      // Control: Guangdong reads them through the same aliases.
      const mine = (await gql(gd, `query ($id: ID!) { alert(id: $id) { who: consignee { tel: phone mail: email } parcels: trackingNumbers awb: airWaybill } }`, { id: target.id })).data.alert;
      expect(mine).toEqual({ who: { tel: target.secrets.PARTY_IDENTITY[8], mail: target.secrets.PARTY_IDENTITY[9] }, parcels: target.secrets.SHIPMENT_IDENTIFIERS.slice(4, 6), awb: target.secrets.SHIPMENT_IDENTIFIERS[3] });
    });

    test('a Hong Kong analyst without PARTY_IDENTITY or SHIPMENT_IDENTIFIERS gets a phone, an e-mail, tracking numbers or an air waybill through no fragment or event', async () => {
      const fragments = `query ($id: ID!) { alert(id: $id) { id ...Ids consignee { ...Contact } consignor { ... on Party { phone email } } } }
        fragment Ids on Alert { trackingNumbers airWaybill } fragment Contact on Party { phone email }`;
      const body = await gql(hkAnalyst, fragments, { id: target.id });
      expectNoLeak(body, forbiddenFor('HK'), 'HK analyst through fragments');
      expect(body.data.alert).toEqual({ id: target.id, trackingNumbers: null, airWaybill: null, consignee: null, consignor: null });
      const sub = await listen(hkAnalyst, 'trackingNumbers airWaybill consignee { phone email } consignor { phone email }');
      try {
        await touch(target);
        await waitFor(() => sub.alerts().some((a) => a.id === target.id), 5000, "the target's event");
        expectNoLeak(sub.events, forbiddenFor('HK'), 'HK subscriber');
        expect(sub.alerts().find((a) => a.id === target.id)).toMatchObject({ trackingNumbers: null, airWaybill: null, consignee: null, consignor: null });
      } finally {
        sub.dispose();
      }
    });

    test('text search over words found only in withheld fields matches nothing for a partner', async () => {
      const [, , , awb, parcel] = target.secrets.SHIPMENT_IDENTIFIERS;
      for (const word of ['USCC', 'HUMINT', 'pallet', 'Jebel', `BL-tgtQ7`, 'buyer', 'jebel.example', parcel, awb, awb.replace('-', ''), target.secrets.PARTY_IDENTITY[3]]) {
        for (const p of partners) {
          const r = await gql(p.token, COUNT, { filter: { text: word } });
          expectNoLeak(r, forbiddenFor(p.agency), `${p.label} searching ${word}`);
          expect({ who: p.label, word, ids: r.data.alerts.edges.map((e: any) => e.node.id) }).toEqual({ who: p.label, word, ids: [] });
        }
      }
    });

    test('a containerNumber filter never matches a partner\'s alert whose SHIPMENT_IDENTIFIERS are withheld, nor counts it', async () => {
      const filter = { containerNumber: target.container };
      expect((await total(gd, filter)).ids).toEqual([target.id]);
      // Same number, other spellings: lower case, spaces, a dash.
      const spellings = [target.container, target.container.toLowerCase(), `${target.container.slice(0, 4)} ${target.container.slice(4, 10)}-${target.container.slice(10)}`];
      for (const p of partners) {
        for (const containerNumber of spellings) {
          const r = await total(p.token, { containerNumber });
          expect({ who: p.label, containerNumber, ...r }).toEqual({ who: p.label, containerNumber, totalCount: 0, ids: [] });
        }
      }
    });

    test('a containerNumber filter on a subscription does not match a partner\'s alert whose SHIPMENT_IDENTIFIERS are withheld', async () => {
      const filtered = await listen(hkAnalyst, 'containerNumbers', { containerNumber: sibling.container });
      const plain = await listen(hkAnalyst, 'containerNumbers');
      const mine = await listen(gd, 'containerNumbers', { containerNumber: sibling.container });
      try {
        await touch(sibling);
        await sentinel([plain]);
        await waitFor(() => mine.events.length >= 1, 5000, "Guangdong's filtered event");
        await sleep(200);
        expect(mine.alerts().map((a) => a.id)).toEqual([sibling.id]);
        expect(plain.alerts().map((a) => a.id)).toContain(sibling.id);
        expect(filtered.events).toEqual([]);
        expectNoLeak([filtered.events, plain.events], forbiddenFor('HK'), 'HK subscriptions');
      } finally {
        [filtered, plain, mine].forEach((s) => s.dispose());
      }
    });

    test('a subscription sent over HTTP instead of the WebSocket carries no alert and is a client error', async () => {
      for (const p of partners) {
        const body = await gql(p.token, `subscription { alertEvents { kind alert { id title ${fieldsOf(WITHHELD_CLASSES).join(' ')} } } }`);
        expect(body.data ?? null).toBeNull();
        expect(errorCodes(body)).toEqual(['BAD_REQUEST']);
        expectNoLeak(body, [...forbiddenFor(p.agency), target.id, target.title], p.label);
      }
    });

    test('ordering by every key never reveals a withheld value through a cursor', async () => {
      for (const field of ['PUBLISHED_AT', 'RISK_LEVEL', 'UPDATED_AT']) {
        const body = await gql(hkAnalyst, `{ alerts(first: 100, orderBy: { field: ${field}, direction: ASC }) { pageInfo { startCursor endCursor } edges { cursor node { id } } } }`);
        const decoded = body.data.alerts.edges.map((e: any) => Buffer.from(e.cursor, 'base64url').toString());
        expectNoLeak([body, decoded], forbiddenFor('HK'), `HK ordered by ${field}`);
      }
    });
  });

  // ---- alerts a partner may not see ----------------------------------------------------------

  describe('invisible alerts', () => {
    const INVISIBLE = [
      { kind: 'an ORIGINATOR_ONLY alert', key: 'own' as const, attackers: ['HK', 'MO'] },
      { kind: 'a DRAFT distributed to ALL_PARTNERS', key: 'draft' as const, attackers: ['HK', 'MO'] },
      { kind: 'a SELECTED_AGENCIES alert not naming the attacker', key: 'selected' as const, attackers: ['HK'] },
    ];
    const attackersOf = (agencies: string[]) => partners.filter((p) => agencies.includes(p.agency));

    const BY_ID_SHAPES: { shape: string; query: string }[] = [
      { shape: 'a plain query', query: `query ($id: ID!) { alert(id: $id) { id title reference ${fieldsOf(WITHHELD_CLASSES).join(' ')} } }` },
      { shape: 'aliases', query: `query ($id: ID!) { a: alert(id: $id) { i: id t: title } b: alert(id: $id) { c: containerNumbers } }` },
      { shape: 'a named fragment', query: `query ($id: ID!) { alert(id: $id) { ...F } } fragment F on Alert { id title consignor { name } source { kind } }` },
      { shape: 'an inline fragment', query: `query ($id: ID!) { alert(id: $id) { ... on Alert { id title operationalNotes } } }` },
      { shape: '__typename', query: `query ($id: ID!) { alert(id: $id) { __typename } }` },
      { shape: 'the same field many times', query: `query ($id: ID!) { alert(id: $id) { ${Array(30).fill('id title').join(' ')} } }` },
    ];
    const BY_ID = INVISIBLE.flatMap((inv) => BY_ID_SHAPES.map((s) => ({ ...inv, ...s })));

    test.each(BY_ID)('$kind reads as null through $shape, exactly as an unknown id', async ({ key, attackers, query }) => {
      const a = hidden(key);
      const unknown = uuidv7();
      for (const p of attackersOf(attackers)) {
        const body = await gql(p.token, query, { id: a.id });
        const other = await gql(p.token, query, { id: unknown });
        expectNoLeak(body, forbiddenFor(p.agency), p.label);
        expect({ who: p.label, body: withoutId(body, a.id) }).toEqual({ who: p.label, body: withoutId(other, unknown) });
        expect(body.errors).toBeUndefined();
        for (const v of Object.values(body.data)) expect(v).toBeNull();
      }
      // Control: the originator reads it through the same shape.
      expect(Object.values((await ok(gd, query, { id: a.id })) as Record<string, unknown>).some((v) => v !== null)).toBe(true);
    });

    test.each(INVISIBLE)('$kind is absent from a partner\'s list and totalCount, from text search and from a containerNumber filter', async ({ key, attackers }) => {
      const a = hidden(key);
      const word = a.title.split(' ')[0];
      // Controls: the originator finds it by every means.
      expect((await total(gd, { text: word })).ids).toEqual([a.id]);
      expect((await total(gd, { containerNumber: a.container })).ids).toEqual([a.id]);
      for (const p of attackersOf(attackers)) {
        const all = await gql(p.token, `{ alerts(first: 100) { totalCount edges { node { id title } } } }`);
        expectNoLeak(all, forbiddenFor(p.agency), p.label);
        expect(all.data.alerts.totalCount).toBe(all.data.alerts.edges.length);
        for (const filter of [
          { text: word },
          { text: word.toLowerCase().slice(0, 5) },
          { containerNumber: a.container },
          { originAgency: ['GD'], status: ['DRAFT'] },
          { originAgency: ['GD'], text: word, status: ['DRAFT', 'PUBLISHED'] },
        ]) {
          const r = await gql(p.token, COUNT, { filter });
          expectNoLeak(r, forbiddenFor(p.agency), `${p.label} filtering ${JSON.stringify(filter)}`);
          expect({ who: p.label, filter, n: r.data.alerts.totalCount, edges: r.data.alerts.edges }).toEqual({ who: p.label, filter, n: 0, edges: [] });
        }
      }
    });

    test('creating, publishing and changing invisible alerts never moves a partner\'s totalCount', async () => {
      const before = await Promise.all(partners.map((p) => total(p.token)));
      const gdBefore = (await total(gd)).totalCount;
      const extra = [
        await plant('cntA1'),
        await plant('cntB2', { distribution: { scope: 'ALL_PARTNERS' }, publish: false }),
        await plant('cntC3', { distribution: { scope: 'SELECTED_AGENCIES', agencies: ['MO'] } }),
      ];
      await touch(extra[0]);
      const after = await Promise.all(partners.map((p) => total(p.token)));
      partners.forEach((p, i) => {
        const expected = before[i].totalCount + (p.agency === 'MO' ? 1 : 0); // Macao is named by the third
        expect({ who: p.label, n: after[i].totalCount }).toEqual({ who: p.label, n: expected });
        expectNoLeak(after[i], p.agency === 'MO' ? [extra[0].id, extra[1].id] : extra.map((e) => e.id), p.label);
      });
      expect((await total(gd)).totalCount).toBe(gdBefore + 3);
    });

    test.each(INVISIBLE)('changes to $kind send a partner subscriber no event', async ({ key, attackers }) => {
      const a =
        key === 'own'
          ? await plant('evtO1')
          : key === 'draft'
            ? await plant('evtD1', { distribution: { scope: 'ALL_PARTNERS' }, publish: false })
            : await plant('evtS1', { distribution: { scope: 'SELECTED_AGENCIES', agencies: ['MO'] } });
      const watchers = attackersOf(attackers).filter((p) => p.roles.length === 1 || p.roles.length === 4);
      const subs = await Promise.all(watchers.map((p) => listen(p.token, fieldsOf(WITHHELD_CLASSES).join(' '))));
      const mine = await listen(gd, 'containerNumbers');
      try {
        await touch(a, 'a change partners must not hear about');
        if (key === 'draft') {
          // A draft's distribution changes are announced, but the draft stays its agency's alone.
          const r = await ok(gd, `mutation ($id: ID!, $v: Int!) { shareAlert(id: $id, version: $v, distribution: { scope: SELECTED_AGENCIES, agencies: ["HK", "MO"] }) { version } }`, {
            id: a.id,
            v: a.version,
          });
          a.version = r.shareAlert.version;
        } else {
          const r = await ok(gd, `mutation ($id: ID!, $v: Int!) { setAlertStatus(id: $id, version: $v, status: UNDER_INSPECTION, note: "boarding at Shekou") { version } }`, {
            id: a.id,
            v: a.version,
          });
          a.version = r.setAlertStatus.version;
        }
        const s = await sentinel([...subs, mine]);
        expect(mine.alerts().some((x) => x.id === a.id)).toBe(true);
        watchers.forEach((p, i) => {
          expect({ who: p.label, got: subs[i].alerts().map((x) => x.id) }).toEqual({ who: p.label, got: [s.id] });
          expectNoLeak(subs[i].events, [a.id, a.title, ...allSecrets(a), 'boarding at Shekou', 'must not hear'], p.label);
        });
      } finally {
        [...subs, mine].forEach((x) => x.dispose());
      }
    });

    const OPS: { op: string; query: string; vars: (id: string, version: number) => Record<string, unknown> }[] = [
      { op: 'alert', query: `query ($id: ID!) { alert(id: $id) { id title } }`, vars: (id) => ({ id }) },
      {
        op: 'updateAlert',
        query: `mutation ($id: ID!, $v: Int!) { updateAlert(id: $id, version: $v, input: { title: "hijacked", operationalNotes: "planted" }) { id title } }`,
        vars: (id, v) => ({ id, v }),
      },
      { op: 'publishAlert', query: `mutation ($id: ID!, $v: Int!) { publishAlert(id: $id, version: $v) { id status } }`, vars: (id, v) => ({ id, v }) },
      {
        op: 'setAlertStatus',
        query: `mutation ($id: ID!, $v: Int!) { setAlertStatus(id: $id, version: $v, status: UNDER_INSPECTION, note: "x") { id status } }`,
        vars: (id, v) => ({ id, v }),
      },
      { op: 'withdrawAlert', query: `mutation ($id: ID!, $v: Int!) { withdrawAlert(id: $id, version: $v, reason: "x") { id status } }`, vars: (id, v) => ({ id, v }) },
      {
        op: 'shareAlert',
        query: `mutation ($id: ID!, $v: Int!) { shareAlert(id: $id, version: $v, distribution: { scope: ALL_PARTNERS }) { id distribution { scope } } }`,
        vars: (id, v) => ({ id, v }),
      },
      {
        op: 'requestDisclosure',
        query: `mutation ($id: ID!) { requestDisclosure(alertId: $id, fieldClasses: [PARTY_IDENTITY], justification: "x") { id alert { id title } } }`,
        vars: (id) => ({ id }),
      },
      { op: 'alertHistory', query: `query ($id: ID!) { alertHistory(alertId: $id) { at kind subject note } }`, vars: (id) => ({ id }) },
      { op: 'alertAccessLog', query: `query ($id: ID!) { alertAccessLog(alertId: $id) { totalCount edges { node { subject } } } }`, vars: (id) => ({ id }) },
    ];
    const ERRORS = INVISIBLE.flatMap((inv) => OPS.map((o) => ({ ...inv, ...o })));

    test.each(ERRORS)('$op on $kind answers every partner role exactly as an unknown id', async ({ key, attackers, op, query, vars }) => {
      const a = hidden(key);
      const unknown = uuidv7();
      for (const p of attackersOf(attackers)) {
        const body = await gql(p.token, query, vars(a.id, a.version));
        const other = await gql(p.token, query, vars(unknown, a.version));
        // A NOT_FOUND message may repeat the id the caller sent, and nothing else of the alert.
        expectNoLeak(body, forbiddenFor(p.agency).filter((s) => s !== a.id), p.label);
        expect({ who: p.label, body: withoutId(body, a.id) }).toEqual({ who: p.label, body: withoutId(other, unknown) });
        if (op === 'alert') expect(body.data.alert).toBeNull();
        else if (p.roles.includes('ANALYST') || ['alertHistory', 'alertAccessLog'].includes(op)) {
          expect({ who: p.label, codes: errorCodes(body) }).toEqual({ who: p.label, codes: ['NOT_FOUND'] });
        } else {
          expect({ who: p.label, codes: errorCodes(body) }).toEqual({ who: p.label, codes: ['FORBIDDEN'] });
        }
      }
    });

    test('after every hostile attempt, Guangdong\'s invisible alerts are unchanged and their history names only Guangdong', async () => {
      for (const a of [hiddenOwn, hiddenDraft, hiddenSelected]) {
        const now = await own(a.id);
        expect(now).toMatchObject({ version: a.version, title: a.title });
        expectShown(now, allSecrets(a), `GD reading ${a.title}`);
        const history = (await ok(gd, `query ($id: ID!) { alertHistory(alertId: $id) { agency { code } subject kind } }`, { id: a.id })).alertHistory;
        expect(history.every((h: any) => h.agency.code === 'GD')).toBe(true);
      }
      expect((await own(hiddenDraft.id)).status).toBe('DRAFT');
      expect((await own(hiddenOwn.id)).distribution.scope).toBe('ORIGINATOR_ONLY');
      expect((await own(hiddenSelected.id)).distribution).toEqual({ scope: 'SELECTED_AGENCIES', agencies: [{ code: 'MO' }] });
      // No partner request reached them.
      const requests = (await ok(gd, REQUESTS, {})).disclosureRequests.map((r: any) => r.alert.id);
      for (const a of [hiddenOwn, hiddenDraft, hiddenSelected]) expect(requests).not.toContain(a.id);
    });

    test('the SELECTED_AGENCIES alert is, as a control, visible to the agency it names', async () => {
      const a = (await ok(moAnalyst, GET, { id: hiddenSelected.id })).alert;
      expect(a).toMatchObject({ id: hiddenSelected.id, title: hiddenSelected.title, withheld: WITHHELD_CLASSES });
      expectNoLeak(a, allSecrets(hiddenSelected), 'MO analyst');
    });
  });

  // ---- changing another agency's alert -------------------------------------------------------

  describe('mutations on another agency\'s visible alert', () => {
    const MUTATIONS: { op: string; query: string }[] = [
      { op: 'updateAlert', query: `mutation ($id: ID!, $v: Int!) { updateAlert(id: $id, version: $v, input: { title: "hijacked", consignee: { name: "Mallory" } }) { id title consignee { name } } }` },
      { op: 'publishAlert', query: `mutation ($id: ID!, $v: Int!) { publishAlert(id: $id, version: $v) { id status } }` },
      { op: 'setAlertStatus', query: `mutation ($id: ID!, $v: Int!) { setAlertStatus(id: $id, version: $v, status: UNDER_INSPECTION) { id status } }` },
      { op: 'withdrawAlert', query: `mutation ($id: ID!, $v: Int!) { withdrawAlert(id: $id, version: $v, reason: "not yours") { id status } }` },
      {
        op: 'shareAlert',
        query: `mutation ($id: ID!, $v: Int!) { shareAlert(id: $id, version: $v, distribution: { scope: ORIGINATOR_ONLY }) { id distribution { scope } } }`,
      },
    ];

    test.each(MUTATIONS)('$op on a Guangdong alert a partner can see is FORBIDDEN for every role, at any version, and changes nothing', async ({ query }) => {
      const before = await own(sibling.id);
      for (const p of partners) {
        for (const v of [sibling.version, sibling.version + 1, 999]) {
          const body = await gql(p.token, query, { id: sibling.id, v });
          expectNoLeak(body, forbiddenFor(p.agency), p.label);
          expect({ who: p.label, v, data: body.data, codes: errorCodes(body) }).toEqual({ who: p.label, v, data: null, codes: ['FORBIDDEN'] });
          // A version mismatch is not reported to a partner (no CONFLICT naming the current version).
          expect(body.errors[0].message).not.toMatch(/version/i);
        }
      }
      expect(await own(sibling.id)).toEqual(before);
    });

    test('alertHistory and alertAccessLog of a Guangdong alert a partner can see are FORBIDDEN for every role', async () => {
      for (const p of partners) {
        for (const query of [
          `query ($id: ID!) { alertHistory(alertId: $id) { at subject note } }`,
          `query ($id: ID!) { alertAccessLog(alertId: $id) { totalCount edges { node { subject } } } }`,
        ]) {
          const body = await gql(p.token, query, { id: sibling.id });
          expectNoLeak(body, forbiddenFor(p.agency), p.label);
          expect({ who: p.label, data: body.data, codes: errorCodes(body) }).toEqual({ who: p.label, data: null, codes: ['FORBIDDEN'] });
        }
      }
    });
  });

  // ---- sharing agreements --------------------------------------------------------------------

  describe('sharing agreements', () => {
    let agreed: Planted; // ALL_PARTNERS, published: the alert agreements are tried on

    beforeAll(async () => {
      agreed = await plant('agrP5', { distribution: { scope: 'ALL_PARTNERS' } });
    });

    afterEach(async () => {
      for (const [token, partner] of [[gdAdmin, 'HK'], [gdAdmin, 'MO'], [hkAdmin, 'MO'], [hkAdmin, 'GD']] as const) {
        expect((await setAgreement(token, partner, [])).errors).toBeUndefined();
      }
    });

    async function view(token: string, a: Planted) {
      return (await ok(token, `query ($id: ID!) { alert(id: $id) { id withheld ${fieldsOf(WITHHELD_CLASSES).join(' ')} } }`, { id: a.id })).alert;
    }

    test('only an ADMIN sets its agency\'s agreements; other roles are FORBIDDEN and write nothing', async () => {
      for (const roles of [['OBSERVER'], ['ANALYST'], ['COORDINATOR'], ['OBSERVER', 'ANALYST', 'COORDINATOR']]) {
        const body = await setAgreement(await t.token('GD', roles), 'HK', ['SHIPMENT_IDENTIFIERS']);
        expect({ roles, codes: errorCodes(body) }).toEqual({ roles, codes: ['FORBIDDEN'] });
      }
      expect((await view(hkAnalyst, agreed)).withheld).toEqual(WITHHELD_CLASSES);
    });

    test('a Hong Kong ADMIN cannot set an agreement for Guangdong\'s data: it always acts as its own agency', async () => {
      // To Macao: the agreement is Hong Kong's (fromAgency HK), and Macao still sees nothing of Guangdong's.
      const toMo = await setAgreement(hkAdmin, 'MO', ['SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY', 'OPERATIONAL']);
      expect(toMo.data.setSharingAgreement).toEqual({ fromAgency: { code: 'HK' }, toAgency: { code: 'MO' }, fieldClasses: ['SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY', 'OPERATIONAL'] });
      // To Guangdong: Hong Kong shares its own data with Guangdong, nothing of Guangdong's flows to Hong Kong.
      const toGd = await setAgreement(hkAdmin, ' gd ', ['SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY', 'OPERATIONAL']);
      expect(toGd.data.setSharingAgreement.fromAgency).toEqual({ code: 'HK' });
      expect(toGd.data.setSharingAgreement.toAgency).toEqual({ code: 'GD' });
      // With itself: refused.
      const self = await setAgreement(hkAdmin, 'HK', ['SHIPMENT_IDENTIFIERS']);
      expect(self.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'partner' });
      // There is no way to name another originator.
      const forged = await gql(hkAdmin, `mutation { setSharingAgreement(fromAgency: "GD", partner: "HK", fieldClasses: [SHIPMENT_IDENTIFIERS]) { fieldClasses } }`);
      expect(errorCodes(forged)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      for (const p of partners) {
        const a = await view(p.token, agreed);
        expect({ who: p.label, withheld: a.withheld }).toEqual({ who: p.label, withheld: WITHHELD_CLASSES });
        expectNoLeak(a, allSecrets(agreed), p.label);
      }
      // Control: Hong Kong's agreement does reach Macao for Hong Kong's own alerts.
      const hkAlert = await plant('hkoA1', { token: hkAnalyst, distribution: { scope: 'ALL_PARTNERS' } });
      const seen = await view(moAnalyst, hkAlert);
      expect(seen.withheld).toEqual(['SOURCE']);
      expectShown(seen, hkAlert.secrets.SHIPMENT_IDENTIFIERS, 'MO on an HK alert');
    });

    test('SOURCE can never be given by agreement: BAD_USER_INPUT, and nothing is written', async () => {
      for (const classes of [['SOURCE'], ['SHIPMENT_IDENTIFIERS', 'SOURCE'], ['CORE', 'SOURCE', 'OPERATIONAL']]) {
        const body = await setAgreement(gdAdmin, 'HK', classes);
        expect({ classes, error: body.errors?.[0]?.extensions }).toEqual({ classes, error: { code: 'BAD_USER_INPUT', field: 'fieldClasses' } });
      }
      const a = await view(hkAnalyst, agreed);
      expect(a.withheld).toEqual(WITHHELD_CLASSES);
      expectNoLeak(a, allSecrets(agreed), 'HK analyst');
    });

    test('SOURCE never flows through an agreement, even one planted in the database', async () => {
      const pg = new PgClient({ connectionString: t.db.url });
      await pg.connect();
      try {
        await pg.query(
          `insert into sharing_agreement (from_agency_code, to_agency_code, field_classes, updated_at, updated_by) values ('GD', 'HK', '{SOURCE,OPERATIONAL}', now(), 'planted')
           on conflict (from_agency_code, to_agency_code) do update set field_classes = excluded.field_classes`,
        );
      } finally {
        await pg.end();
      }
      for (const p of partners.filter((x) => x.agency === 'HK')) {
        const a = await view(p.token, agreed);
        // The planted row is read (OPERATIONAL flows) but SOURCE does not.
        expect({ who: p.label, withheld: a.withheld }).toEqual({ who: p.label, withheld: ['SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY', 'SOURCE'] });
        expect(a.operationalNotes).toBe(agreed.secrets.OPERATIONAL[0]);
        expect(a.source).toBeNull();
        expectNoLeak(a, agreed.secrets.SOURCE, p.label);
      }
      const r = await total(hkAnalyst, { containerNumber: agreed.container });
      expect(r.totalCount).toBe(0);
    });

    test('after Guangdong\'s ADMIN gives Hong Kong SHIPMENT_IDENTIFIERS, Hong Kong sees them on every route, and Macao does not', async () => {
      const set = await setAgreement(gdAdmin, 'hk', ['SHIPMENT_IDENTIFIERS']);
      expect(set.data.setSharingAgreement).toEqual({ fromAgency: { code: 'GD' }, toAgency: { code: 'HK' }, fieldClasses: ['SHIPMENT_IDENTIFIERS'] });
      const others = [...agreed.secrets.PARTY_IDENTITY, ...agreed.secrets.SOURCE, ...agreed.secrets.OPERATIONAL];
      for (const p of partners) {
        const a = await view(p.token, agreed);
        if (p.agency === 'HK') {
          expect({ who: p.label, withheld: a.withheld }).toEqual({ who: p.label, withheld: ['PARTY_IDENTITY', 'SOURCE', 'OPERATIONAL'] });
          expect(a.containerNumbers).toEqual([agreed.container]);
          expectShown(a, agreed.secrets.SHIPMENT_IDENTIFIERS, p.label);
          expectNoLeak(a, others, p.label);
        } else {
          expect({ who: p.label, withheld: a.withheld }).toEqual({ who: p.label, withheld: WITHHELD_CLASSES });
          expectNoLeak(a, allSecrets(agreed), p.label);
        }
      }
      // The list and the containerNumber filter follow.
      expect((await total(hkAnalyst, { containerNumber: agreed.container })).ids).toEqual([agreed.id]);
      expect((await total(moAnalyst, { containerNumber: agreed.container })).ids).toEqual([]);
      // An agreement widens classes, never distribution: invisible alerts stay invisible, and unmatched.
      for (const h of [hiddenOwn, hiddenDraft, hiddenSelected]) {
        expect((await ok(hkAnalyst, GET, { id: h.id })).alert).toBeNull();
        expect((await total(hkAnalyst, { containerNumber: h.container })).totalCount).toBe(0);
      }
      // The subscription follows too, with a containerNumber filter.
      const filtered = await listen(hkAnalyst, 'containerNumbers billOfLading consignor { name }', { containerNumber: agreed.container });
      const mo = await listen(moAnalyst, 'containerNumbers billOfLading consignor { name }');
      try {
        await touch(agreed);
        await waitFor(() => filtered.events.length >= 1 && mo.events.length >= 1, 5000, 'the events');
        expect(filtered.alerts()[0]).toMatchObject({ id: agreed.id, containerNumbers: [agreed.container], consignor: null });
        expectNoLeak(filtered.events, others, 'HK subscriber');
        expectNoLeak(mo.events, allSecrets(agreed), 'MO subscriber');
      } finally {
        filtered.dispose();
        mo.dispose();
      }
      // Who may read the agreement: the two agencies it binds, not the third.
      const hkList = (await ok(hkAnalyst, `{ sharingAgreements { fromAgency { code } toAgency { code } fieldClasses } }`)).sharingAgreements;
      expect(hkList).toContainEqual({ fromAgency: { code: 'GD' }, toAgency: { code: 'HK' }, fieldClasses: ['SHIPMENT_IDENTIFIERS'] });
      const moList = (await ok(moAnalyst, `{ sharingAgreements { fromAgency { code } toAgency { code } fieldClasses } }`)).sharingAgreements;
      expect(moList.filter((s: any) => s.fromAgency.code === 'GD' && s.toAgency.code === 'HK')).toEqual([]);
    });

    test('an agreement to PARTY_IDENTITY and OPERATIONAL widens exactly those classes', async () => {
      const set = await setAgreement(gdAdmin, 'HK', ['CORE', 'PARTY_IDENTITY', 'OPERATIONAL', 'PARTY_IDENTITY']);
      expect(set.data.setSharingAgreement.fieldClasses).toEqual(['PARTY_IDENTITY', 'OPERATIONAL']);
      const a = await view(hkAnalyst, agreed);
      expect(a.withheld).toEqual(['SHIPMENT_IDENTIFIERS', 'SOURCE']);
      expectShown(a, [...agreed.secrets.PARTY_IDENTITY, ...agreed.secrets.OPERATIONAL], 'HK analyst');
      expectNoLeak(a, [...agreed.secrets.SHIPMENT_IDENTIFIERS, ...agreed.secrets.SOURCE], 'HK analyst');
    });

    test('after the agreement is revoked with [], Hong Kong no longer sees the class and the containerNumber filter stops matching', async () => {
      await setAgreement(gdAdmin, 'HK', ['SHIPMENT_IDENTIFIERS']);
      expect((await view(hkAnalyst, agreed)).containerNumbers).toEqual([agreed.container]);
      expect((await total(hkAnalyst, { containerNumber: agreed.container })).totalCount).toBe(1);
      const revoked = await setAgreement(gdAdmin, 'HK', []);
      expect(revoked.data.setSharingAgreement.fieldClasses).toEqual([]);
      for (const p of partners.filter((x) => x.agency === 'HK')) {
        const a = await view(p.token, agreed);
        expect({ who: p.label, withheld: a.withheld }).toEqual({ who: p.label, withheld: WITHHELD_CLASSES });
        expectNoLeak(a, allSecrets(agreed), p.label);
        expect((await total(p.token, { containerNumber: agreed.container })).totalCount).toBe(0);
      }
    });
  });

  // ---- disclosure requests -------------------------------------------------------------------

  describe('disclosure requests', () => {
    async function request(token: string, a: Planted, classes: WithheldClass[]): Promise<any> {
      return gql(token, REQUEST, { id: a.id, classes });
    }
    async function requestOk(a: Planted, classes: WithheldClass[]): Promise<string> {
      const body = await request(hkAnalyst, a, classes);
      expect(body.errors).toBeUndefined();
      return body.data.requestDisclosure.id;
    }
    async function statusOf(token: string, rid: string): Promise<string | undefined> {
      return (await ok(token, REQUESTS, {})).disclosureRequests.find((r: any) => r.id === rid)?.status;
    }
    async function view(token: string, a: Planted) {
      return (await ok(token, `query ($id: ID!) { alert(id: $id) { id withheld ${fieldsOf(WITHHELD_CLASSES).join(' ')} } }`, { id: a.id })).alert;
    }

    test('a request by an OBSERVER, COORDINATOR or ADMIN is FORBIDDEN and creates nothing', async () => {
      const a = await plant('reqF1', { distribution: { scope: 'ALL_PARTNERS' } });
      for (const roles of [['OBSERVER'], ['COORDINATOR'], ['ADMIN'], ['OBSERVER', 'COORDINATOR', 'ADMIN']]) {
        for (const agency of ['HK', 'MO']) {
          const body = await request(await t.token(agency, roles), a, ['PARTY_IDENTITY']);
          expect({ agency, roles, data: body.data, codes: errorCodes(body) }).toEqual({ agency, roles, data: null, codes: ['FORBIDDEN'] });
          expectNoLeak(body, allSecrets(a), `${agency} ${roles}`);
        }
      }
      expect((await ok(gd, REQUESTS, {})).disclosureRequests.filter((r: any) => r.alert.id === a.id)).toEqual([]);
    });

    test('a request for the requester\'s own alert, for CORE, or for no class is BAD_USER_INPUT', async () => {
      const a = await plant('reqB1', { distribution: { scope: 'ALL_PARTNERS' } });
      expect((await gql(gd, REQUEST, { id: a.id, classes: ['SOURCE'] })).errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'alertId' });
      expect((await gql(hkAnalyst, REQUEST, { id: a.id, classes: ['CORE'] })).errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'fieldClasses' });
      expect((await gql(hkAnalyst, REQUEST, { id: a.id, classes: [] })).errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'fieldClasses' });
    });

    test('Hong Kong cannot decide its own request (FORBIDDEN); Macao can neither see nor decide it (NOT_FOUND, as an unknown id)', async () => {
      const a = await plant('reqD1', { distribution: { scope: 'ALL_PARTNERS' } });
      const rid = await requestOk(a, ['PARTY_IDENTITY', 'SOURCE']);
      for (const roles of [['ANALYST'], ['OBSERVER', 'ANALYST', 'COORDINATOR', 'ADMIN']]) {
        const body = await gql(await t.token('HK', roles), DECIDE, { rid, approve: true, expiresAt: inDays(1) });
        expect({ roles, codes: errorCodes(body) }).toEqual({ roles, codes: ['FORBIDDEN'] });
      }
      // Deciding needs an ANALYST of the originator.
      for (const roles of [['OBSERVER'], ['COORDINATOR'], ['ADMIN'], ['OBSERVER', 'COORDINATOR', 'ADMIN']]) {
        const body = await gql(await t.token('GD', roles), DECIDE, { rid, approve: true, expiresAt: inDays(1) });
        expect({ roles, codes: errorCodes(body) }).toEqual({ roles, codes: ['FORBIDDEN'] });
      }
      const unknown = uuidv7();
      for (const p of partners.filter((x) => x.agency === 'MO')) {
        const list = await gql(p.token, REQUESTS, {});
        expect(JSON.stringify(list)).not.toContain(rid);
        const body = await gql(p.token, DECIDE, { rid, approve: true, expiresAt: inDays(1) });
        const other = await gql(p.token, DECIDE, { rid: unknown, approve: true, expiresAt: inDays(1) });
        expect({ who: p.label, body: withoutId(body, rid) }).toEqual({ who: p.label, body: withoutId(other, unknown) });
        expect({ who: p.label, codes: errorCodes(body) }).toEqual({ who: p.label, codes: [p.roles.includes('ANALYST') ? 'NOT_FOUND' : 'FORBIDDEN'] });
      }
      expect(await statusOf(gd, rid)).toBe('PENDING');
      expect(await statusOf(hkAnalyst, rid)).toBe('PENDING');
      expect((await view(hkAnalyst, a)).withheld).toEqual(WITHHELD_CLASSES);
    });

    test('approval requires an expiresAt in the future and at most 90 days ahead', async () => {
      const a = await plant('reqE1', { distribution: { scope: 'ALL_PARTNERS' } });
      const rid = await requestOk(a, ['OPERATIONAL']);
      for (const expiresAt of [null, new Date(Date.now() - 60_000).toISOString(), new Date(Date.now() - 1).toISOString(), inDays(90.05), inDays(365)]) {
        const body = await gql(gd, DECIDE, { rid, approve: true, expiresAt });
        expect({ expiresAt, error: body.errors?.[0]?.extensions }).toEqual({ expiresAt, error: { code: 'BAD_USER_INPUT', field: 'expiresAt' } });
      }
      expect(await statusOf(gd, rid)).toBe('PENDING');
      expect((await view(hkAnalyst, a)).operationalNotes).toBeNull();
      const approved = await ok(gd, DECIDE, { rid, approve: true, expiresAt: inDays(89.9) });
      expect(approved.decideDisclosure.status).toBe('APPROVED');
      expect((await view(hkAnalyst, a)).operationalNotes).toBe(a.secrets.OPERATIONAL[0]);
    });

    test('an approved grant shows its classes on that alert only, and only to the requesting agency', async () => {
      const granted = await plant('grnA1', { distribution: { scope: 'ALL_PARTNERS' } });
      const other = await plant('grnB1', { distribution: { scope: 'ALL_PARTNERS' } });
      const rid = await requestOk(granted, ['PARTY_IDENTITY', 'SOURCE']);
      expect(await statusOf(hkAnalyst, rid)).toBe('PENDING');
      expect((await view(hkAnalyst, granted)).withheld).toEqual(WITHHELD_CLASSES);
      await ok(gd, DECIDE, { rid, approve: true, expiresAt: inDays(1) });
      expect(await statusOf(hkAnalyst, rid)).toBe('APPROVED');
      const notGranted = [...granted.secrets.SHIPMENT_IDENTIFIERS, ...granted.secrets.OPERATIONAL];
      for (const p of partners) {
        const a = await view(p.token, granted);
        const b = await view(p.token, other);
        if (p.agency === 'HK') {
          // A disclosure, unlike an agreement, may give SOURCE.
          expect({ who: p.label, withheld: a.withheld }).toEqual({ who: p.label, withheld: ['SHIPMENT_IDENTIFIERS', 'OPERATIONAL'] });
          expectShown(a, [...granted.secrets.PARTY_IDENTITY, ...granted.secrets.SOURCE], p.label);
          expectNoLeak(a, notGranted, p.label);
        } else {
          expect({ who: p.label, withheld: a.withheld }).toEqual({ who: p.label, withheld: WITHHELD_CLASSES });
          expectNoLeak(a, allSecrets(granted), p.label);
        }
        expect({ who: p.label, withheld: b.withheld }).toEqual({ who: p.label, withheld: WITHHELD_CLASSES });
        expectNoLeak(b, allSecrets(other), p.label);
      }
      // The grant reaches Hong Kong on the list, in nested disclosureRequests, in a requestDisclosure payload and in events.
      const list = await gql(hkAnalyst, `{ alerts(first: 100) { edges { node { id consignor { name } source { reference } containerNumbers } } } }`);
      expect(list.data.alerts.edges.map((e: any) => e.node).find((n: any) => n.id === granted.id)).toEqual({
        id: granted.id,
        consignor: { name: granted.secrets.PARTY_IDENTITY[0] },
        source: { reference: granted.secrets.SOURCE[1] },
        containerNumbers: null,
      });
      expectNoLeak(list, [...notGranted, ...allSecrets(other)], 'HK list');
      const nested = await gql(hkAnalyst, `{ disclosureRequests(first: 100) { id alert { id consignee { name } operationalNotes } } }`);
      expect(nested.data.disclosureRequests.find((r: any) => r.id === rid).alert).toEqual({ id: granted.id, consignee: { name: granted.secrets.PARTY_IDENTITY[5] }, operationalNotes: null });
      const more = await request(hkAnalyst, granted, ['OPERATIONAL']);
      expect(more.data.requestDisclosure.alert.consignor.name).toBe(granted.secrets.PARTY_IDENTITY[0]);
      expect(more.data.requestDisclosure.alert.operationalNotes).toBeNull();
      const hk = await listen(hkAnalyst, 'consignor { name } operationalNotes');
      const mo = await listen(moAnalyst, 'consignor { name } operationalNotes');
      try {
        await touch(granted);
        await waitFor(() => hk.events.length >= 1 && mo.events.length >= 1, 5000, 'the events');
        expect(hk.alerts()[0]).toMatchObject({ id: granted.id, consignor: { name: granted.secrets.PARTY_IDENTITY[0] }, operationalNotes: null });
        expectNoLeak(mo.events, allSecrets(granted), 'MO subscriber');
      } finally {
        hk.dispose();
        mo.dispose();
      }
    });

    test('a denied request grants nothing', async () => {
      const a = await plant('denA1', { distribution: { scope: 'ALL_PARTNERS' } });
      const rid = await requestOk(a, ['SHIPMENT_IDENTIFIERS']);
      const denied = await ok(gd, DECIDE, { rid, approve: false, expiresAt: null });
      expect(denied.decideDisclosure).toMatchObject({ status: 'DENIED', expiresAt: null });
      expect((await view(hkAnalyst, a)).withheld).toEqual(WITHHELD_CLASSES);
      expect((await total(hkAnalyst, { containerNumber: a.container })).totalCount).toBe(0);
    });

    test('an expired grant withholds again, and the request reads EXPIRED', async () => {
      const a = await plant('expA1', { distribution: { scope: 'ALL_PARTNERS' } });
      const rid = await requestOk(a, ['SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY']);
      await ok(gd, DECIDE, { rid, approve: true, expiresAt: new Date(Date.now() + 2000).toISOString() });
      const during = await view(hkAnalyst, a);
      expect(during.withheld).toEqual(['SOURCE', 'OPERATIONAL']);
      expectShown(during, [...a.secrets.SHIPMENT_IDENTIFIERS, ...a.secrets.PARTY_IDENTITY], 'HK during the grant');
      expect((await total(hkAnalyst, { containerNumber: a.container })).ids).toEqual([a.id]);
      await sleep(2500);
      for (const p of partners.filter((x) => x.agency === 'HK')) {
        const after = await view(p.token, a);
        expect({ who: p.label, withheld: after.withheld }).toEqual({ who: p.label, withheld: WITHHELD_CLASSES });
        expectNoLeak(after, allSecrets(a), p.label);
      }
      expect((await total(hkAnalyst, { containerNumber: a.container })).totalCount).toBe(0);
      expect(await statusOf(hkAnalyst, rid)).toBe('EXPIRED');
      expect(await statusOf(gd, rid)).toBe('EXPIRED');
      const expired = (await ok(hkAnalyst, REQUESTS, { status: ['EXPIRED'] })).disclosureRequests.map((r: any) => r.id);
      const approved = (await ok(hkAnalyst, REQUESTS, { status: ['APPROVED'] })).disclosureRequests.map((r: any) => r.id);
      expect(expired).toContain(rid);
      expect(approved).not.toContain(rid);
    });

    test('two concurrent decisions on one request: one wins, the other is CONFLICT', async () => {
      const a = await plant('conA1', { distribution: { scope: 'ALL_PARTNERS' } });
      const gd2 = await t.trust.token('GD', ['ANALYST'], { sub: 'gd-officer-2' });
      for (let round = 0; round < 5; round++) {
        const rid = await requestOk(a, ['OPERATIONAL']);
        const [approve, deny] = await Promise.all([
          gql(gd, DECIDE, { rid, approve: true, expiresAt: inDays(1) }),
          gql(gd2, DECIDE, { rid, approve: false, expiresAt: null }),
        ]);
        const winners = [approve, deny].filter((b) => !b.errors);
        const losers = [approve, deny].filter((b) => b.errors);
        expect({ round, winners: winners.length, loserCodes: losers.map(errorCodes) }).toEqual({ round, winners: 1, loserCodes: [['CONFLICT']] });
        expect(await statusOf(gd, rid)).toBe(winners[0].data.decideDisclosure.status);
      }
    });

    test('a decided request cannot be decided again', async () => {
      const a = await plant('twiA1', { distribution: { scope: 'ALL_PARTNERS' } });
      const rid = await requestOk(a, ['SOURCE']);
      await ok(gd, DECIDE, { rid, approve: false, expiresAt: null });
      const again = await gql(gd, DECIDE, { rid, approve: true, expiresAt: inDays(1) });
      expect(errorCodes(again)).toEqual(['CONFLICT']);
      expect(await statusOf(gd, rid)).toBe('DENIED');
      expect((await view(hkAnalyst, a)).source).toBeNull();
    });
  });

  // ---- the access log ------------------------------------------------------------------------

  describe('the access log', () => {
    async function log(a: Planted): Promise<{ totalCount: number; rows: any[] }> {
      const d = await ok(gd, ACCESS_LOG, { id: a.id });
      return { totalCount: d.alertAccessLog.totalCount, rows: d.alertAccessLog.edges.map((e: any) => e.node) };
    }

    test('every partner read, by query or subscription, writes a row with the disclosed classes and the route', async () => {
      const a = await plant('logA1', { distribution: { scope: 'ALL_PARTNERS' } });
      const hkDuty = await t.trust.token('HK', ['OBSERVER'], { sub: 'hk-duty-officer-7' });
      const moDuty = await t.trust.token('MO', ['ANALYST'], { sub: 'mo-analyst-3' });
      // The originator's own reads are not logged.
      await ok(gd, GET, { id: a.id });
      expect((await log(a)).totalCount).toBe(0);

      await ok(hkDuty, `query ($id: ID!) { alert(id: $id) { title } }`, { id: a.id });
      let l = await log(a);
      expect(l.totalCount).toBe(1);
      expect(l.rows[0]).toEqual({ agency: { code: 'HK' }, subject: 'hk-duty-officer-7', disclosed: ['CORE'], via: 'query' });

      await ok(moDuty, `{ alerts(first: 100) { edges { node { id } } } }`);
      l = await log(a);
      expect(l.totalCount).toBe(2);
      expect(l.rows[0]).toEqual({ agency: { code: 'MO' }, subject: 'mo-analyst-3', disclosed: ['CORE'], via: 'query' });

      // With an agreement, the row lists what the agreement disclosed.
      expect((await setAgreement(gdAdmin, 'HK', ['SHIPMENT_IDENTIFIERS'])).errors).toBeUndefined();
      try {
        const sub = await listen(hkDuty, 'containerNumbers');
        try {
          await touch(a);
          await waitFor(() => sub.events.length >= 1, 5000, 'the event');
          // The row is written as the event is sent: give the insert a moment.
          await sleep(300);
        } finally {
          sub.dispose();
        }
        l = await log(a);
        expect(l.totalCount).toBe(3);
        expect(l.rows[0]).toEqual({ agency: { code: 'HK' }, subject: 'hk-duty-officer-7', disclosed: ['CORE', 'SHIPMENT_IDENTIFIERS'], via: 'subscription' });
      } finally {
        expect((await setAgreement(gdAdmin, 'HK', [])).errors).toBeUndefined();
      }

      // A nested read through a disclosure request is a read too.
      await ok(moDuty, REQUEST, { id: a.id, classes: ['SOURCE'] });
      const before = (await log(a)).totalCount;
      await ok(moDuty, `{ disclosureRequests(first: 100) { alert { id title } } }`);
      l = await log(a);
      expect(l.totalCount).toBe(before + 1);
      expect(l.rows[0]).toMatchObject({ agency: { code: 'MO' }, disclosed: ['CORE'], via: 'query' });
    });

    test('a partner\'s attempts on an alert it cannot see write no row', async () => {
      const a = await plant('logH1');
      for (const p of partners) {
        await gql(p.token, GET, { id: a.id });
        await gql(p.token, COUNT, { filter: { containerNumber: a.container } });
      }
      expect((await log(a)).totalCount).toBe(0);
    });

    test('only the originator reads alertAccessLog: a partner that can see the alert is FORBIDDEN, one that cannot is NOT_FOUND like an unknown id', async () => {
      for (const p of partners) {
        const visible = await gql(p.token, ACCESS_LOG, { id: target.id });
        expect({ who: p.label, data: visible.data, codes: errorCodes(visible) }).toEqual({ who: p.label, data: null, codes: ['FORBIDDEN'] });
        expectNoLeak(visible, forbiddenFor(p.agency), p.label);
        const unknown = uuidv7();
        const hiddenBody = await gql(p.token, ACCESS_LOG, { id: hiddenOwn.id });
        const unknownBody = await gql(p.token, ACCESS_LOG, { id: unknown });
        expect(errorCodes(hiddenBody)).toEqual(['NOT_FOUND']);
        expect(withoutId(hiddenBody, hiddenOwn.id)).toBe(withoutId(unknownBody, unknown));
      }
      // Control: the originator reads it, and it names the partners' reads of the target.
      const own = await ok(gd, ACCESS_LOG, { id: target.id });
      // The matrix above alone read it hundreds of times, over queries and subscriptions.
      expect(own.alertAccessLog.totalCount).toBeGreaterThan(300);
      expect(own.alertAccessLog.edges).toHaveLength(100);
      for (const e of own.alertAccessLog.edges) {
        expect(['HK', 'MO']).toContain(e.node.agency.code);
        expect(['query', 'subscription']).toContain(e.node.via);
        expect(e.node.disclosed).toEqual(['CORE']);
      }
    });
  });

  // ---- narrowing with a subscription open ----------------------------------------------------

  describe('narrowing a distribution while partners are subscribed', () => {
    test('Hong Kong hears nothing of the narrowing to ORIGINATOR_ONLY or of the later update, and the alert is null for it by id', async () => {
      const a = await plant('nrwA1', { distribution: { scope: 'ALL_PARTNERS' } });
      const rid = (await ok(hkAnalyst, REQUEST, { id: a.id, classes: ['PARTY_IDENTITY'] })).requestDisclosure.id;
      const hkCountBefore = (await total(hkAnalyst)).totalCount;
      const subs = await Promise.all([hkAnalyst, await t.token('HK', ['OBSERVER'])].map((token) => listen(token, fieldsOf(WITHHELD_CLASSES).join(' '))));
      const mine = await listen(gd, 'title');
      try {
        // Control: while shared, Hong Kong hears of changes.
        await touch(a);
        await waitFor(() => subs.every((s) => s.events.length === 1), 5000, 'the control event');
        const narrowed = await ok(gd, `mutation ($id: ID!, $v: Int!) { shareAlert(id: $id, version: $v, distribution: { scope: ORIGINATOR_ONLY }) { version distribution { scope } } }`, {
          id: a.id,
          v: a.version,
        });
        a.version = narrowed.shareAlert.version;
        expect(narrowed.shareAlert.distribution.scope).toBe('ORIGINATOR_ONLY');
        const after = await ok(gd, `mutation ($id: ID!, $v: Int!) { updateAlert(id: $id, version: $v, input: { title: "Narrowed Kestrel title", operationalNotes: "narrowed notes Kestrel" }) { version } }`, {
          id: a.id,
          v: a.version,
        });
        a.version = after.updateAlert.version;
        const s = await sentinel([...subs, mine]);
        expect(mine.events.map((e) => e.data.alertEvents.kind).slice(0, 3)).toEqual(['UPDATED', 'DISTRIBUTION_CHANGED', 'UPDATED']);
        for (const sub of subs) {
          expect(sub.events.map((e) => [e.data.alertEvents.kind, e.data.alertEvents.alert.id])).toEqual([
            ['UPDATED', a.id],
            ['PUBLISHED', s.id],
          ]);
          expectNoLeak(sub.events, [...allSecrets(a), 'Kestrel'], 'HK subscriber');
        }
      } finally {
        [...subs, mine].forEach((x) => x.dispose());
      }
      expect((await ok(hkAnalyst, GET, { id: a.id })).alert).toBeNull();
      expect((await total(hkAnalyst)).totalCount).toBe(hkCountBefore + 1 - 1); // the sentinel in, the narrowed alert out
      // Its request is no longer listed for Hong Kong, and a new one is NOT_FOUND.
      const list = await gql(hkAnalyst, REQUESTS, {});
      expect(JSON.stringify(list)).not.toContain(a.id);
      expect(JSON.stringify(list)).not.toContain(rid);
      expect(errorCodes(await gql(hkAnalyst, REQUEST, { id: a.id, classes: ['SOURCE'] }))).toEqual(['NOT_FOUND']);
    });

    test('a grant approved after the narrowing never makes the alert visible; widening again shows the granted class', async () => {
      const a = await plant('nrwC1', { distribution: { scope: 'ALL_PARTNERS' } });
      const rid = (await ok(hkAnalyst, REQUEST, { id: a.id, classes: ['SHIPMENT_IDENTIFIERS'] })).requestDisclosure.id;
      const share = async (distribution: string) => {
        const r = await ok(gd, `mutation ($id: ID!, $v: Int!) { shareAlert(id: $id, version: $v, distribution: ${distribution}) { version } }`, { id: a.id, v: a.version });
        a.version = r.shareAlert.version;
      };
      await share('{ scope: ORIGINATOR_ONLY }');
      expect((await ok(gd, DECIDE, { rid, approve: true, expiresAt: inDays(1) })).decideDisclosure.status).toBe('APPROVED');
      for (const p of partners.filter((x) => x.agency === 'HK')) {
        const bodies = [
          await gql(p.token, GET, { id: a.id }),
          await gql(p.token, COUNT, { filter: { containerNumber: a.container } }),
          await gql(p.token, `{ alerts(first: 100) { totalCount edges { node { id containerNumbers } } } }`),
          await gql(p.token, REQUESTS, {}),
          await gql(p.token, DECIDE, { rid, approve: true, expiresAt: inDays(2) }),
        ];
        expectNoLeak(bodies, [a.id, a.title, ...allSecrets(a)], p.label);
        expect(bodies[0].data.alert).toBeNull();
        expect(bodies[1].data.alerts.totalCount).toBe(0);
        expect(bodies[4].data).toBeNull();
      }
      // Control: once Hong Kong is named again, the grant applies.
      await share('{ scope: SELECTED_AGENCIES, agencies: ["HK"] }');
      const seen = (await ok(hkAnalyst, GET, { id: a.id })).alert;
      expect(seen.withheld).toEqual(['PARTY_IDENTITY', 'SOURCE', 'OPERATIONAL']);
      expect(seen.containerNumbers).toEqual([a.container]);
      expect((await ok(moAnalyst, GET, { id: a.id })).alert).toBeNull();
    });

    // After the narrowing, Hong Kong's request is gone from its disclosureRequests: deciding it
    // must answer exactly as an unknown request id, not FORBIDDEN (found by this suite).
    test('once the alert is narrowed away, Hong Kong\'s own request answers decideDisclosure exactly as an unknown request id', async () => {
      const a = await plant('nrwD1', { distribution: { scope: 'ALL_PARTNERS' } });
      const rid = (await ok(hkAnalyst, REQUEST, { id: a.id, classes: ['SOURCE'] })).requestDisclosure.id;
      const r = await ok(gd, `mutation ($id: ID!, $v: Int!) { shareAlert(id: $id, version: $v, distribution: { scope: ORIGINATOR_ONLY }) { version } }`, { id: a.id, v: a.version });
      a.version = r.shareAlert.version;
      const unknown = uuidv7();
      const body = await gql(hkAnalyst, DECIDE, { rid, approve: false });
      const other = await gql(hkAnalyst, DECIDE, { rid: unknown, approve: false });
      expect(withoutId(body, rid)).toBe(withoutId(other, unknown));
    });

    test('narrowing to SELECTED_AGENCIES [MO] tells Macao and not Hong Kong', async () => {
      const a = await plant('nrwB1', { distribution: { scope: 'ALL_PARTNERS' } });
      const hk = await listen(hkAnalyst, 'title');
      const mo = await listen(moAnalyst, 'title');
      try {
        const r = await ok(gd, `mutation ($id: ID!, $v: Int!) { shareAlert(id: $id, version: $v, distribution: { scope: SELECTED_AGENCIES, agencies: ["MO"] }) { version } }`, {
          id: a.id,
          v: a.version,
        });
        a.version = r.shareAlert.version;
        await touch(a, 'Heron summary for Macao');
        const s = await sentinel([hk, mo]);
        expect(mo.events.map((e) => [e.data.alertEvents.kind, e.data.alertEvents.alert.id])).toEqual([
          ['DISTRIBUTION_CHANGED', a.id],
          ['UPDATED', a.id],
          ['PUBLISHED', s.id],
        ]);
        expect(hk.events.map((e) => [e.data.alertEvents.kind, e.data.alertEvents.alert.id, e.data.alertEvents.alert.title])).toEqual([['PUBLISHED', s.id, s.title]]);
      } finally {
        hk.dispose();
        mo.dispose();
      }
      expect((await ok(hkAnalyst, GET, { id: a.id })).alert).toBeNull();
    });
  });

  // ---- introspection -------------------------------------------------------------------------

  describe('introspection', () => {
    test('introspection shows the schema only, never data', async () => {
      const body = await gql(
        hkAnalyst,
        `{ __schema { types { name fields { name args { name defaultValue } } } } __type(name: "Alert") { fields { name description } } }`,
      );
      expect(body.errors).toBeUndefined();
      expect(body.data.__type.fields.map((f: any) => f.name)).toEqual(expect.arrayContaining(['containerNumbers', 'consignor', 'source', 'operationalNotes']));
      expectNoLeak(body, forbiddenFor('HK'), 'HK introspection');
      expectNoLeak(body, [target.id, target.title], 'HK introspection');
    });

    test('with NODE_ENV=production, an __schema or __type query is refused (GRAPHQL_VALIDATION_FAILED) and data still flows', async () => {
      const prod = await startTestHub({ env: { NODE_ENV: 'production', HUB_MATCH_KEY_SECRET: Buffer.alloc(32, 7).toString('base64') } });
      try {
        const token = await prod.token('HK', ['OBSERVER']);
        for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Alert") { fields { name } } }', '{ viewer { subject } __schema { queryType { name } } }']) {
          const res = await prod.gql(token, query);
          expect({ query, codes: errorCodes(res.body), data: res.body.data }).toEqual({ query, codes: ['GRAPHQL_VALIDATION_FAILED'], data: undefined });
        }
        const viewer = await prod.gql(token, '{ viewer { agency { code } roles } __typename }');
        expect(viewer.body).toEqual({ data: { viewer: { agency: { code: 'HK' }, roles: ['OBSERVER'] }, __typename: 'Query' } });
      } finally {
        await prod.stop();
      }
    });
  });

  // ---- a token without roles -----------------------------------------------------------------

  describe('a token with an empty roles array', () => {
    const READS: { what: string; query: string; vars: (a: Planted) => Record<string, unknown> }[] = [
      { what: 'alert', query: GET, vars: (a) => ({ id: a.id }) },
      { what: 'alerts', query: `{ alerts(first: 100) { totalCount edges { node { id title } } } }`, vars: () => ({}) },
      { what: 'alerts totalCount', query: `{ alerts(first: 0) { totalCount } }`, vars: () => ({}) },
      { what: 'disclosureRequests', query: REQUESTS, vars: () => ({}) },
      { what: 'sharingAgreements', query: `{ sharingAgreements { fromAgency { code } toAgency { code } fieldClasses } }`, vars: () => ({}) },
      { what: 'alertAccessLog', query: ACCESS_LOG, vars: (a) => ({ id: a.id }) },
      { what: 'alertHistory', query: `query ($id: ID!) { alertHistory(alertId: $id) { at subject kind note } }`, vars: (a) => ({ id: a.id }) },
    ];
    const CASES = (['HK', 'GD'] as const).flatMap((agency) => READS.map((r) => ({ agency, name: AGENCY_NAME[agency], ...r })));

    test('viewer works', async () => {
      for (const agency of ['GD', 'HK', 'MO']) {
        const d = await ok(await t.token(agency, []), '{ viewer { subject roles agency { code } } }');
        expect(d.viewer).toEqual({ subject: `${agency.toLowerCase()}-officer-1`, roles: [], agency: { code: agency } });
      }
    });

    test.each(CASES)('a $name token without roles reads nothing through $what (FORBIDDEN)', async ({ agency, query, vars }) => {
      const token = await t.token(agency, []);
      const body = await gql(token, query, vars(target));
      expect(errorCodes(body)).toEqual(['FORBIDDEN']);
      // `alert` is nullable, so its error leaves { alert: null }; the others null the whole data.
      expect(body.data === null || Object.values(body.data).every((v) => v === null)).toBe(true);
      expectNoLeak(body, [...forbiddenFor('HK'), target.id, target.title, 'gd-officer-1'], `${agency} without roles`);
    });

    test('a token without roles changes nothing and requests nothing', async () => {
      const before = await own(target.id);
      for (const agency of ['GD', 'HK']) {
        const token = await t.token(agency, []);
        for (const body of [
          await gql(token, `mutation ($id: ID!, $v: Int!) { updateAlert(id: $id, version: $v, input: { title: "x" }) { id } }`, { id: target.id, v: target.version }),
          await gql(token, REQUEST, { id: target.id, classes: ['SOURCE'] }),
          await setAgreement(token, agency === 'GD' ? 'HK' : 'GD', ['SHIPMENT_IDENTIFIERS']),
        ]) {
          expect({ agency, codes: errorCodes(body) }).toEqual({ agency, codes: ['FORBIDDEN'] });
        }
      }
      expect(await own(target.id)).toEqual(before);
    });

    test('a subscriber without roles receives no alert', async () => {
      const sub = await listen(await t.token('HK', []), fieldsOf(WITHHELD_CLASSES).join(' '));
      const control = await listen(hkAnalyst, 'title');
      try {
        await touch(target);
        await sentinel([control]);
        await sleep(200);
        expect(sub.alerts()).toEqual([]);
        expectNoLeak([sub.events, sub.errors], [target.id, target.title, ...forbiddenFor('HK')], 'HK subscriber without roles');
      } finally {
        sub.dispose();
        control.dispose();
      }
    });
  });
});
