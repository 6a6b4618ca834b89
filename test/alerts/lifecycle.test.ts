import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, GET, PUBLISH, UPDATE, alertInput } from '../support/fixtures';

type Status = 'DRAFT' | 'PUBLISHED' | 'UNDER_INSPECTION' | 'SEIZED' | 'CLEARED' | 'CLOSED' | 'WITHDRAWN';

const STATUSES: Status[] = ['DRAFT', 'PUBLISHED', 'UNDER_INSPECTION', 'SEIZED', 'CLEARED', 'CLOSED', 'WITHDRAWN'];

/** The lifecycle of shared/domain.md, as setAlertStatus moves it; WITHDRAWN goes through withdrawAlert. */
const ALLOWED: [Status, Status][] = [
  ['DRAFT', 'PUBLISHED'],
  ['PUBLISHED', 'UNDER_INSPECTION'],
  ['UNDER_INSPECTION', 'SEIZED'],
  ['UNDER_INSPECTION', 'CLEARED'],
  ['SEIZED', 'CLOSED'],
  ['CLEARED', 'CLOSED'],
];
const WITHDRAWABLE: Status[] = ['PUBLISHED', 'UNDER_INSPECTION', 'SEIZED', 'CLEARED', 'CLOSED'];

/** Every other move setAlertStatus could be asked for (WITHDRAWN as a target has its own test). */
const REFUSED: [Status, Status][] = STATUSES.flatMap((from) =>
  STATUSES.filter((to) => to !== 'WITHDRAWN' && !ALLOWED.some(([f, t]) => f === from && t === to)).map((to): [Status, Status] => [from, to]),
);

/** The moves that take a new draft to each status. */
const PATH: Record<Status, Status[]> = {
  DRAFT: [],
  PUBLISHED: ['PUBLISHED'],
  UNDER_INSPECTION: ['PUBLISHED', 'UNDER_INSPECTION'],
  SEIZED: ['PUBLISHED', 'UNDER_INSPECTION', 'SEIZED'],
  CLEARED: ['PUBLISHED', 'UNDER_INSPECTION', 'CLEARED'],
  CLOSED: ['PUBLISHED', 'UNDER_INSPECTION', 'SEIZED', 'CLOSED'],
  WITHDRAWN: ['PUBLISHED', 'WITHDRAWN'],
};

const MOVED = 'id status version publishedAt updatedAt';
const SET_STATUS = `mutation ($id: ID!, $version: Int!, $status: AlertStatus!, $note: String) {
  setAlertStatus(id: $id, version: $version, status: $status, note: $note) { ${MOVED} }
}`;
const WITHDRAW = `mutation ($id: ID!, $version: Int!, $reason: String!) {
  withdrawAlert(id: $id, version: $version, reason: $reason) { ${MOVED} }
}`;
const HISTORY = `query ($id: ID!) { alertHistory(alertId: $id) { at agency { code } subject kind fromStatus toStatus note } }`;

const UNKNOWN_ID = '01234567-89ab-7def-8123-456789abcdef';

interface Moved {
  id: string;
  status: Status;
  version: number;
  publishedAt: string | null;
  updatedAt: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the alert lifecycle', () => {
  let t: TestHub;
  let gd: string; // Guangdong analyst, subject gd-officer-1
  let hk: string; // Hong Kong analyst
  let mo: string; // Macao analyst

  beforeAll(async () => {
    t = await startTestHub();
    [gd, hk, mo] = await Promise.all([t.token('GD'), t.token('HK'), t.token('MO')]);
  });
  afterAll(() => t.stop());

  /** A new Guangdong alert moved along PATH to `status`. */
  async function alertIn(status: Status, overrides: Record<string, unknown> = {}): Promise<Moved> {
    const created = await t.gql(gd, CREATE, { input: alertInput(overrides) });
    expect(created.body.errors).toBeUndefined();
    let a: Moved = created.body.data.createAlert;
    for (const step of PATH[status]) {
      const res =
        step === 'PUBLISHED'
          ? await t.gql(gd, PUBLISH, { id: a.id, version: a.version })
          : step === 'WITHDRAWN'
            ? await t.gql(gd, WITHDRAW, { id: a.id, version: a.version, reason: 'set up' })
            : await t.gql(gd, SET_STATUS, { id: a.id, version: a.version, status: step });
      expect(res.body.errors).toBeUndefined();
      a = Object.values(res.body.data)[0] as Moved;
    }
    expect(a.status).toBe(status);
    return a;
  }

  async function history(id: string, token = gd): Promise<any[]> {
    const res = await t.gql(token, HISTORY, { id });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.alertHistory;
  }

  /** What the originator sees of the alert and its history, to show that a refusal wrote nothing. */
  async function state(id: string) {
    const a = (await t.gql(gd, GET, { id })).body.data.alert;
    return { status: a.status, version: a.version, title: a.title, updatedAt: a.updatedAt, publishedAt: a.publishedAt, history: await history(id) };
  }

  /** The response is exactly one error with this code (and field, when given), and no data. */
  function expectRefused(res: { body: { data?: any; errors?: any[] } }, code: string, field?: string) {
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].extensions.code).toBe(code);
    if (field) expect(res.body.errors![0].extensions.field).toBe(field);
  }

  describe('allowed moves', () => {
    test.each(ALLOWED)('setAlertStatus moves %s to %s, bumps the version and records the note', async (from, to) => {
      const a = await alertIn(from);
      const before = await state(a.id);
      const res = await t.gql(gd, SET_STATUS, { id: a.id, version: a.version, status: to, note: `now ${to}` });
      expect(res.body.errors).toBeUndefined();
      const moved: Moved = res.body.data.setAlertStatus;
      expect(moved).toMatchObject({ id: a.id, status: to, version: a.version + 1 });
      if (from === 'DRAFT') {
        expect(before.publishedAt).toBeNull();
        expect(moved.publishedAt).not.toBeNull();
        expect(Date.parse(moved.publishedAt!)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));
      } else {
        // The publication time is set once, at publication.
        expect(moved.publishedAt).toBe(before.publishedAt);
      }
      const after = await state(a.id);
      expect(after).toMatchObject({ status: to, version: a.version + 1 });
      expect(after.history).toHaveLength(before.history.length + 1);
      expect(after.history.slice(0, -1)).toEqual(before.history);
      expect(after.history.at(-1)).toMatchObject({
        agency: { code: 'GD' },
        subject: 'gd-officer-1',
        kind: from === 'DRAFT' ? 'PUBLISHED' : 'STATUS_CHANGED',
        fromStatus: from,
        toStatus: to,
        note: `now ${to}`,
      });
    });

    test.each(WITHDRAWABLE)('withdrawAlert withdraws a %s alert and records the reason', async (from) => {
      const a = await alertIn(from);
      const before = await state(a.id);
      const res = await t.gql(gd, WITHDRAW, { id: a.id, version: a.version, reason: 'Duplicate of an earlier alert' });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.withdrawAlert).toMatchObject({ id: a.id, status: 'WITHDRAWN', version: a.version + 1, publishedAt: before.publishedAt });
      const after = await state(a.id);
      expect(after).toMatchObject({ status: 'WITHDRAWN', version: a.version + 1 });
      expect(after.history).toHaveLength(before.history.length + 1);
      expect(after.history.at(-1)).toMatchObject({
        agency: { code: 'GD' },
        subject: 'gd-officer-1',
        kind: 'WITHDRAWN',
        fromStatus: from,
        toStatus: 'WITHDRAWN',
        note: 'Duplicate of an earlier alert',
      });
    });

    test('a note is optional', async () => {
      const a = await alertIn('PUBLISHED');
      const res = await t.gql(gd, SET_STATUS, { id: a.id, version: a.version, status: 'UNDER_INSPECTION' });
      expect(res.body.errors).toBeUndefined();
      expect((await history(a.id)).at(-1)).toMatchObject({ kind: 'STATUS_CHANGED', toStatus: 'UNDER_INSPECTION', note: null });
    });
  });

  describe('refused moves are BAD_USER_INPUT and write nothing', () => {
    test.each(REFUSED)('setAlertStatus from %s to %s', async (from, to) => {
      const a = await alertIn(from);
      const before = await state(a.id);
      const res = await t.gql(gd, SET_STATUS, { id: a.id, version: a.version, status: to, note: 'should not stick' });
      expectRefused(res, 'BAD_USER_INPUT', 'status');
      expect(await state(a.id)).toEqual(before);
    });

    test.each(STATUSES)('setAlertStatus to WITHDRAWN from %s (withdrawAlert, with a reason, is the way)', async (from) => {
      const a = await alertIn(from);
      const before = await state(a.id);
      const res = await t.gql(gd, SET_STATUS, { id: a.id, version: a.version, status: 'WITHDRAWN', note: 'no reason given' });
      expectRefused(res, 'BAD_USER_INPUT', 'status');
      expect(await state(a.id)).toEqual(before);
    });

    test.each(['DRAFT', 'WITHDRAWN'] as Status[])('withdrawAlert on a %s alert', async (from) => {
      const a = await alertIn(from);
      const before = await state(a.id);
      const res = await t.gql(gd, WITHDRAW, { id: a.id, version: a.version, reason: 'try anyway' });
      expectRefused(res, 'BAD_USER_INPUT');
      expect(await state(a.id)).toEqual(before);
    });

    test.each([
      ['an empty reason', ''],
      ['a whitespace reason', ' \t\n '],
      ['a reason too long', 'x'.repeat(1001)],
    ])('withdrawAlert with %s', async (_name, reason) => {
      const a = await alertIn('PUBLISHED');
      const before = await state(a.id);
      const res = await t.gql(gd, WITHDRAW, { id: a.id, version: a.version, reason });
      expectRefused(res, 'BAD_USER_INPUT', 'reason');
      expect(await state(a.id)).toEqual(before);
    });

    test('updateAlert on a WITHDRAWN alert', async () => {
      const a = await alertIn('WITHDRAWN');
      const before = await state(a.id);
      const res = await t.gql(gd, UPDATE, { id: a.id, version: a.version, input: { title: 'brought back to life' } });
      expectRefused(res, 'BAD_USER_INPUT');
      expect(await state(a.id)).toEqual(before);
    });
  });

  describe('who may move an alert', () => {
    test.each([
      ['an OBSERVER', ['OBSERVER']],
      ['a COORDINATOR', ['COORDINATOR']],
      ['an ADMIN', ['ADMIN']],
      ['an OBSERVER, COORDINATOR and ADMIN at once', ['OBSERVER', 'COORDINATOR', 'ADMIN']],
    ])('%s of the originating agency, without ANALYST, gets FORBIDDEN', async (_name, roles) => {
      const a = await alertIn('PUBLISHED');
      const before = await state(a.id);
      const token = await t.token('GD', roles);
      expectRefused(await t.gql(token, SET_STATUS, { id: a.id, version: a.version, status: 'UNDER_INSPECTION' }), 'FORBIDDEN');
      expectRefused(await t.gql(token, WITHDRAW, { id: a.id, version: a.version, reason: 'not mine to withdraw' }), 'FORBIDDEN');
      expect(await state(a.id)).toEqual(before);
    });

    test('an analyst of a partner that can see the alert gets FORBIDDEN', async () => {
      const all = await alertIn('PUBLISHED', { distribution: { scope: 'ALL_PARTNERS' } });
      const selected = await alertIn('UNDER_INSPECTION', { distribution: { scope: 'SELECTED_AGENCIES', agencies: ['HK'] } });
      const cases: [string, Moved, Status][] = [
        [hk, all, 'UNDER_INSPECTION'],
        [mo, all, 'UNDER_INSPECTION'],
        [hk, selected, 'SEIZED'],
      ];
      for (const [token, a, to] of cases) {
        const before = await state(a.id);
        expect((await t.gql(token, GET, { id: a.id })).body.data.alert).not.toBeNull();
        expectRefused(await t.gql(token, SET_STATUS, { id: a.id, version: a.version, status: to }), 'FORBIDDEN');
        expectRefused(await t.gql(token, WITHDRAW, { id: a.id, version: a.version, reason: 'not ours' }), 'FORBIDDEN');
        expect(await state(a.id)).toEqual(before);
      }
    });

    test('an analyst of a partner that cannot see the alert gets NOT_FOUND, as for an unknown id', async () => {
      const hidden = [
        await alertIn('PUBLISHED'), // ORIGINATOR_ONLY
        await alertIn('DRAFT', { distribution: { scope: 'ALL_PARTNERS' } }), // not yet published
        await alertIn('PUBLISHED', { distribution: { scope: 'SELECTED_AGENCIES', agencies: ['MO'] } }), // not for Hong Kong
      ];
      const unknownStatus = await t.gql(hk, SET_STATUS, { id: UNKNOWN_ID, version: 1, status: 'UNDER_INSPECTION' });
      const unknownWithdraw = await t.gql(hk, WITHDRAW, { id: UNKNOWN_ID, version: 1, reason: 'not ours' });
      expectRefused(unknownStatus, 'NOT_FOUND');
      expectRefused(unknownWithdraw, 'NOT_FOUND');
      const shape = (res: any, id: string) => res.body.errors[0].message.replace(id, '<id>');
      for (const a of hidden) {
        const before = await state(a.id);
        expect((await t.gql(hk, GET, { id: a.id })).body.data.alert).toBeNull();
        const status = await t.gql(hk, SET_STATUS, { id: a.id, version: a.version, status: a.status === 'DRAFT' ? 'PUBLISHED' : 'UNDER_INSPECTION' });
        const withdraw = await t.gql(hk, WITHDRAW, { id: a.id, version: a.version, reason: 'not ours' });
        expectRefused(status, 'NOT_FOUND');
        expectRefused(withdraw, 'NOT_FOUND');
        expect(shape(status, a.id)).toBe(shape(unknownStatus, UNKNOWN_ID));
        expect(shape(withdraw, a.id)).toBe(shape(unknownWithdraw, UNKNOWN_ID));
        expect(await state(a.id)).toEqual(before);
      }
    });
  });

  describe('versions', () => {
    test('a stale version is CONFLICT for setAlertStatus and withdrawAlert, and writes nothing', async () => {
      const a = await alertIn('PUBLISHED');
      const updated = await t.gql(gd, UPDATE, { id: a.id, version: a.version, input: { title: 'revised while published' } });
      expect(updated.body.data.updateAlert.version).toBe(a.version + 1);
      const before = await state(a.id);
      expectRefused(await t.gql(gd, SET_STATUS, { id: a.id, version: a.version, status: 'UNDER_INSPECTION' }), 'CONFLICT');
      expectRefused(await t.gql(gd, WITHDRAW, { id: a.id, version: a.version, reason: 'stale' }), 'CONFLICT');
      expectRefused(await t.gql(gd, SET_STATUS, { id: a.id, version: a.version + 2, status: 'UNDER_INSPECTION' }), 'CONFLICT');
      expect(await state(a.id)).toEqual(before);
    });

    test('concurrent moves at the same version: exactly one wins, the others get CONFLICT', async () => {
      const a = await alertIn('UNDER_INSPECTION');
      const before = await state(a.id);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          i % 2 === 0
            ? t.gql(gd, SET_STATUS, { id: a.id, version: a.version, status: i % 4 === 0 ? 'SEIZED' : 'CLEARED' })
            : t.gql(gd, WITHDRAW, { id: a.id, version: a.version, reason: `writer ${i}` }),
        ),
      );
      const won = results.filter((r) => !r.body.errors);
      expect(won).toHaveLength(1);
      for (const r of results.filter((r) => r.body.errors)) expectRefused(r, 'CONFLICT');
      const winner: Moved = Object.values(won[0].body.data)[0] as Moved;
      const after = await state(a.id);
      expect(after).toMatchObject({ status: winner.status, version: a.version + 1 });
      expect(after.history).toHaveLength(before.history.length + 1);
      expect(after.history.at(-1).toStatus).toBe(winner.status);
    });
  });

  describe('history', () => {
    test('alertHistory lists every change oldest first: who, which agency, what, from and to, and the note', async () => {
      const created = (await t.gql(gd, CREATE, { input: alertInput() })).body.data.createAlert;
      const updated = (await t.gql(gd, UPDATE, { id: created.id, version: 1, input: { title: 'Revised title' } })).body.data.updateAlert;
      const published = (await t.gql(gd, PUBLISH, { id: created.id, version: updated.version })).body.data.publishAlert;
      const inspected = (await t.gql(gd, SET_STATUS, { id: created.id, version: published.version, status: 'UNDER_INSPECTION', note: 'Held at Shekou for inspection' }))
        .body.data.setAlertStatus;
      // Another officer of the same agency withdraws it: the subject is the token's.
      const officer7 = await t.trust.token('GD', ['ANALYST'], { sub: 'gd-officer-7' });
      const withdrawn = await t.gql(officer7, WITHDRAW, { id: created.id, version: inspected.version, reason: 'Shipment rerouted; alert no longer relevant' });
      expect(withdrawn.body.errors).toBeUndefined();

      const rows = await history(created.id);
      expect(rows.map(({ at: _at, ...r }) => r)).toEqual([
        { agency: { code: 'GD' }, subject: 'gd-officer-1', kind: 'CREATED', fromStatus: null, toStatus: 'DRAFT', note: null },
        { agency: { code: 'GD' }, subject: 'gd-officer-1', kind: 'UPDATED', fromStatus: 'DRAFT', toStatus: 'DRAFT', note: null },
        { agency: { code: 'GD' }, subject: 'gd-officer-1', kind: 'PUBLISHED', fromStatus: 'DRAFT', toStatus: 'PUBLISHED', note: null },
        { agency: { code: 'GD' }, subject: 'gd-officer-1', kind: 'STATUS_CHANGED', fromStatus: 'PUBLISHED', toStatus: 'UNDER_INSPECTION', note: 'Held at Shekou for inspection' },
        { agency: { code: 'GD' }, subject: 'gd-officer-7', kind: 'WITHDRAWN', fromStatus: 'UNDER_INSPECTION', toStatus: 'WITHDRAWN', note: 'Shipment rerouted; alert no longer relevant' },
      ]);
      const times = rows.map((r) => Date.parse(r.at));
      expect(times.every((x) => Number.isFinite(x))).toBe(true);
      expect([...times].sort((x, y) => x - y)).toEqual(times);
    });

    test('refused changes add no history row', async () => {
      const a = await alertIn('UNDER_INSPECTION', { distribution: { scope: 'ALL_PARTNERS' } });
      const before = await history(a.id);
      expect(before.map((r) => r.kind)).toEqual(['CREATED', 'PUBLISHED', 'STATUS_CHANGED']);
      const observer = await t.token('GD', ['OBSERVER']);
      const refused = [
        await t.gql(gd, SET_STATUS, { id: a.id, version: a.version, status: 'CLOSED' }),
        await t.gql(gd, SET_STATUS, { id: a.id, version: a.version, status: 'WITHDRAWN' }),
        await t.gql(gd, SET_STATUS, { id: a.id, version: a.version - 1, status: 'SEIZED' }),
        await t.gql(gd, WITHDRAW, { id: a.id, version: a.version, reason: '  ' }),
        await t.gql(observer, SET_STATUS, { id: a.id, version: a.version, status: 'SEIZED' }),
        await t.gql(hk, WITHDRAW, { id: a.id, version: a.version, reason: 'not ours' }),
      ];
      expect(refused.map((r) => r.body.errors?.[0]?.extensions?.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'CONFLICT', 'BAD_USER_INPUT', 'FORBIDDEN', 'FORBIDDEN']);
      expect(await history(a.id)).toEqual(before);
    });

    test('a partner that can see the alert gets FORBIDDEN; one that cannot gets NOT_FOUND, as for an unknown id', async () => {
      const shared = await alertIn('PUBLISHED', { distribution: { scope: 'ALL_PARTNERS' } });
      const hidden = await alertIn('PUBLISHED');
      const partner = await t.gql(hk, HISTORY, { id: shared.id });
      expectRefused(partner, 'FORBIDDEN');
      expect(JSON.stringify(partner.body)).not.toContain('gd-officer-1');

      const observer = await t.token('HK', ['OBSERVER']);
      expectRefused(await t.gql(observer, HISTORY, { id: shared.id }), 'FORBIDDEN');

      const notVisible = await t.gql(hk, HISTORY, { id: hidden.id });
      const unknown = await t.gql(hk, HISTORY, { id: UNKNOWN_ID });
      expectRefused(notVisible, 'NOT_FOUND');
      expectRefused(unknown, 'NOT_FOUND');
      expect(notVisible.body.errors![0].message.replace(hidden.id, '<id>')).toBe(unknown.body.errors![0].message.replace(UNKNOWN_ID, '<id>'));
      expect(JSON.stringify(notVisible.body)).not.toContain('gd-officer-1');
    });
  });

  describe('live events', () => {
    const SUBSCRIBE = 'subscription { alertEvents { kind alert { id status } } }';

    /** Waits until `cond` holds or `ms` pass; the caller's expectations then say what went wrong. */
    async function until(cond: () => boolean, ms = 5000): Promise<void> {
      const end = Date.now() + ms;
      while (!cond() && Date.now() < end) await sleep(20);
    }

    test('a Hong Kong OBSERVER receives STATUS_CHANGED and WITHDRAWN events for an ALL_PARTNERS alert, and none for a hidden one', async () => {
      const shared = await alertIn('PUBLISHED', { distribution: { scope: 'ALL_PARTNERS' } });
      const hidden = await alertIn('PUBLISHED');

      const events: any[] = [];
      const errors: unknown[] = [];
      // Events committed before the subscription (held back a moment by other work on the server) are not its to count.
      await t.quiesce();
      const client = t.ws(await t.token('HK', ['OBSERVER']));
      const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
      client.subscribe({ query: SUBSCRIBE }, { next: (v) => events.push(v), error: (e) => errors.push(e), complete: () => undefined });
      await connected;
      // graphql-ws subscribes right after the ack; give the subscribe message a moment to land.
      await sleep(100);

      const seen = () => events.map((e) => [e.data.alertEvents.kind, e.data.alertEvents.alert.id, e.data.alertEvents.alert.status]);
      // Each event shows the alert as it is at delivery: wait for one before making the next change.
      const inspected = (await t.gql(gd, SET_STATUS, { id: shared.id, version: shared.version, status: 'UNDER_INSPECTION' })).body.data.setAlertStatus;
      await until(() => events.length >= 1);
      await t.gql(gd, SET_STATUS, { id: hidden.id, version: hidden.version, status: 'UNDER_INSPECTION' });
      const cleared = (await t.gql(gd, SET_STATUS, { id: shared.id, version: inspected.version, status: 'CLEARED' })).body.data.setAlertStatus;
      await until(() => events.length >= 2);
      await t.gql(gd, WITHDRAW, { id: shared.id, version: cleared.version, reason: 'Cleared and no longer of interest' });
      await until(() => events.length >= 3);
      await sleep(300);

      expect(errors).toEqual([]);
      expect(seen()).toEqual([
        ['STATUS_CHANGED', shared.id, 'UNDER_INSPECTION'],
        ['STATUS_CHANGED', shared.id, 'CLEARED'],
        ['WITHDRAWN', shared.id, 'WITHDRAWN'],
      ]);
      expect(JSON.stringify(events)).not.toContain(hidden.id);
    });
  });
});
