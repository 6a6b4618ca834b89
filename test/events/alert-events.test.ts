import { startTestHub, type TestHub } from '../support/hub';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';

const SUBSCRIBE = `subscription ($filter: AlertFilter) {
  alertEvents(filter: $filter) { cursor kind occurredAt alert { id title channel consignor { name } containerNumbers withheld } }
}`;

describe('alertEvents (first slice: live events of this process)', () => {
  let t: TestHub;
  let gd: string;
  beforeAll(async () => {
    t = await startTestHub();
    gd = await t.token('GD');
  });
  afterAll(() => t.stop());

  /** Collects a subscriber's events until stopped. */
  function listen(token: string, variables: Record<string, unknown> = {}) {
    const events: any[] = [];
    const errors: unknown[] = [];
    const client = t.ws(token);
    const ready = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    const dispose = client.subscribe({ query: SUBSCRIBE, variables }, { next: (v) => events.push(v), error: (e) => errors.push(e), complete: () => undefined });
    return { events, errors, ready, dispose };
  }

  async function createAndPublish(overrides: Record<string, unknown>) {
    const a = (await t.gql(gd, CREATE, { input: alertInput(overrides) })).body.data.createAlert;
    return (await t.gql(gd, PUBLISH, { id: a.id, version: a.version })).body.data.publishAlert;
  }

  test('each subscriber gets the events it may see, as it may see them, and nothing else', async () => {
    const hk = listen(await t.token('HK', ['OBSERVER']));
    const mo = listen(await t.token('MO', ['OBSERVER']), { filter: { channel: ['AIR_CARGO'] } });
    const own = listen(gd);
    await Promise.all([hk.ready, mo.ready, own.ready]);
    // graphql-ws subscribes right after the ack; give the subscribe message a moment to land.
    await new Promise((r) => setTimeout(r, 100));

    const secret = await createAndPublish({ title: 'not for partners' });
    const shared = await createAndPublish({ title: 'for all partners', distribution: { scope: 'ALL_PARTNERS' } });
    const air = await createAndPublish({ title: 'air cargo for all', channel: 'AIR_CARGO', distribution: { scope: 'ALL_PARTNERS' } });
    await new Promise((r) => setTimeout(r, 500));

    const titles = (s: { events: any[] }) => s.events.map((e) => e.data.alertEvents.alert.title);
    expect(titles(hk)).toEqual(['for all partners', 'air cargo for all']);
    expect(titles(mo)).toEqual(['air cargo for all']);
    expect(titles(own)).toEqual(['not for partners', 'for all partners', 'air cargo for all']);
    for (const e of hk.events) {
      expect(e.data.alertEvents.kind).toBe('PUBLISHED');
      expect(e.data.alertEvents.alert.consignor).toBeNull();
      expect(e.data.alertEvents.alert.containerNumbers).toBeNull();
      expect(e.data.alertEvents.alert.withheld).toContain('PARTY_IDENTITY');
    }
    expect(own.events[0].data.alertEvents.alert.consignor.name).toBe('Shenzhen Trading Co.');
    expect(JSON.stringify(hk.events)).not.toContain(secret.id);
    expect(shared.id).toBe(hk.events[0].data.alertEvents.alert.id);
    expect(air.id).toBe(mo.events[0].data.alertEvents.alert.id);
  });

  test('an update is an UPDATED event', async () => {
    const a = await createAndPublish({ title: 'before', distribution: { scope: 'ALL_PARTNERS' } });
    const hk = listen(await t.token('HK', ['OBSERVER']));
    await hk.ready;
    await new Promise((r) => setTimeout(r, 100));
    await t.gql(gd, `mutation ($id: ID!, $v: Int!) { updateAlert(id: $id, version: $v, input: { title: "after" }) { id } }`, { id: a.id, v: a.version });
    await new Promise((r) => setTimeout(r, 300));
    expect(hk.events.map((e) => [e.data.alertEvents.kind, e.data.alertEvents.alert.title])).toEqual([['UPDATED', 'after']]);
  });

  test('since is refused with BAD_USER_INPUT until the event log exists', async () => {
    const client = t.ws(gd);
    // graphql-ws delivers a subscription that fails before its stream starts as one result with errors.
    const result = await new Promise<any>((resolve, reject) => {
      client.subscribe({ query: 'subscription { alertEvents(since: "abc") { kind } }' }, { next: resolve, error: reject, complete: () => undefined });
    });
    expect(result.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(result.errors[0].extensions.field).toBe('since');
  });
});
