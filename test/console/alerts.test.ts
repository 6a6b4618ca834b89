import type { Browser, Page } from 'playwright-core';
import { axeViolations, consoleUrl, dialogOpened, launchBrowser, openConsole, screenshot, signInWithDevToken } from '../support/browser';
import { CREATE, PUBLISH, alertInput, containerNo } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * Stories of the console's alerts page, in a real Chromium against a real hub and database:
 * analysts search, filter and page through alerts, read one as the hub lets them, ask for what
 * is withheld, and the originator decides and sees who read its alert.
 */
describe('console: alerts', () => {
  let t: TestHub;
  let browser: Browser;
  let gd: string;
  let hk: string;
  const shared = { distribution: { scope: 'ALL_PARTNERS' } };

  async function devToken(agency: string, roles: string[]): Promise<string> {
    const res = await fetch(consoleUrl(t, '/auth/dev-token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agency, roles }) });
    return ((await res.json()) as { token: string }).token;
  }

  /** A published alert of the token's agency, shared with all partners. */
  async function publish(token: string, overrides: Record<string, unknown>): Promise<{ id: string; reference: string; title: string }> {
    const created = await t.gql(token, CREATE, { input: alertInput({ ...shared, ...overrides }) });
    expect(created.body.errors).toBeUndefined();
    const a = created.body.data.createAlert;
    const published = await t.gql(token, PUBLISH, { id: a.id, version: a.version });
    expect(published.body.errors).toBeUndefined();
    return published.body.data.publishAlert;
  }

  /** The titles the results table lists, once the count line says how many it shows. */
  async function listed(page: Page, countLine: string | RegExp): Promise<string[]> {
    const results = page.getByRole('region', { name: /^(Search results|搜索结果)$/ });
    await results.getByText(countLine).waitFor();
    // The count and the rows are read in one go: the next search's re-render between two
    // readings would pair this count with no rows (its table is empty while it loads).
    const pattern = typeof countLine === 'string' ? { text: countLine } : { source: countLine.source, flags: countLine.flags };
    const read = () =>
      results.evaluate((el, p) => {
        type Node = { textContent: string | null; innerText: string; querySelectorAll(s: string): Iterable<Node> };
        const region = el as unknown as Node;
        const text = region.textContent ?? '';
        const shown = 'text' in p && p.text !== undefined ? text.includes(p.text) : new RegExp(p.source!, p.flags).test(text);
        return shown ? [...region.querySelectorAll('table a')].map((a) => a.innerText) : null;
      }, pattern as { text?: string; source?: string; flags?: string });
    return (await eventually(read, (v) => v !== null)) ?? [];
  }

  /** Reads `read` until `done` holds or 10 s pass; returns the last reading (the assertion shows it). */
  async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
    const until = Date.now() + 10_000;
    let v = await read();
    while (!done(v) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      v = await read();
    }
    return v;
  }

  /** Every HTTP response body and WebSocket frame the page receives or sends, from now on. */
  function recordTraffic(page: Page): { bodies: Promise<string>[]; frames: string[] } {
    const traffic = { bodies: [] as Promise<string>[], frames: [] as string[] };
    page.on('response', (r) => traffic.bodies.push(r.text().catch(() => '')));
    page.on('websocket', (ws) => {
      ws.on('framereceived', (f) => traffic.frames.push(String(f.payload)));
      ws.on('framesent', (f) => traffic.frames.push(String(f.payload)));
    });
    return traffic;
  }

  /** Where a withheld value must not be: the page's HTML, every kind of storage, the recorded traffic. */
  async function everythingThePageHolds(page: Page, traffic: ReturnType<typeof recordTraffic>): Promise<{ all: string; responses: string[] }> {
    const html = await page.content();
    const storage = (await page.evaluate(`(async () => ({
      session: JSON.stringify(Object.fromEntries(Object.entries(sessionStorage))),
      local: JSON.stringify(Object.fromEntries(Object.entries(localStorage))),
      indexedDb: JSON.stringify(indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : []),
      cookies: document.cookie,
      caches: JSON.stringify(self.caches ? await caches.keys() : []),
    }))()`)) as Record<string, string>;
    const responses = await Promise.all(traffic.bodies);
    return { all: [html, ...Object.values(storage), ...responses, ...traffic.frames].join('\n'), responses };
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await startTestHub({ devIdentity: true });
    gd = await devToken('GD', ['ANALYST']);
    hk = await devToken('HK', ['ANALYST']);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('an HK analyst searches in English and in Chinese and finds the right alerts, and the link reproduces the search', async () => {
    await publish(gd, {
      title: 'Counterfeit handbags over the Shenzhen Bay bridge',
      summary: 'Monogram canvas handbags in a lorry of furniture.',
      channel: 'LAND_BORDER',
      goods: [{ category: 'BAGS', description: 'Monogram canvas handbags', quantity: 400, unit: 'pcs' }],
    });
    await publish(gd, {
      title: '侵权集成电路 跨境电商',
      summary: '黄埔海关发现以跨境电商渠道申报的侵权芯片。',
      channel: 'CROSS_BORDER_ECOMMERCE',
      goods: [{ category: 'INTEGRATED_CIRCUITS', description: '侵权芯片', quantity: 12000, unit: 'pcs' }],
    });

    const { context, page, problems } = await openConsole(browser, t, { path: null });
    try {
      await signInWithDevToken(context, t, 'HK', ['ANALYST']);
      await page.goto(consoleUrl(t, '/alerts'));
      await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
      await page.getByLabel('Search', { exact: true }).fill('monogram handb');
      await page.getByLabel('Search', { exact: true }).press('Enter');

      await page.waitForURL((u) => u.searchParams.get('q') === 'monogram handb');
      expect(await listed(page, '1–1 of 1 alerts')).toEqual(['Counterfeit handbags over the Shenzhen Bay bridge']);
      expect(new URL(page.url()).searchParams.get('q')).toBe('monogram handb');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'alerts-list-en');

      // The same link in a fresh tab of the same session opens the same search.
      const again = await context.newPage();
      await again.goto(page.url());
      expect(await listed(again, '1–1 of 1 alerts')).toEqual(['Counterfeit handbags over the Shenzhen Bay bridge']);
      await again.close();

      // A search that matches nothing says so.
      await page.getByLabel('Search', { exact: true }).fill('watches sea');
      await page.getByLabel('Search', { exact: true }).press('Enter');

      await page.waitForURL((u) => u.searchParams.get('q') === 'watches sea');
      await page.getByText('No alert matches this search.').waitFor();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }

    // In 简体中文, searching in Chinese.
    const zh = await openConsole(browser, t, { path: null, locale: 'zh-CN' });
    try {
      await signInWithDevToken(zh.context, t, 'HK', ['ANALYST']);
      await zh.page.goto(consoleUrl(t, '/alerts'));
      await zh.page.getByRole('heading', { level: 1, name: '预警' }).waitFor();
      await zh.page.getByLabel('搜索', { exact: true }).fill('芯片');
      await zh.page.getByLabel('搜索', { exact: true }).press('Enter');

      await zh.page.waitForURL((u) => u.searchParams.get('q') === '芯片');
      expect(await listed(zh.page, '第 1–1 条，共 1 条预警')).toEqual(['侵权集成电路 跨境电商']);
      await zh.page.getByLabel('搜索', { exact: true }).fill('集成电路');
      await zh.page.getByLabel('搜索', { exact: true }).press('Enter');

      await zh.page.waitForURL((u) => u.searchParams.get('q') === '集成电路');
      expect(await listed(zh.page, '第 1–1 条，共 1 条预警')).toEqual(['侵权集成电路 跨境电商']);
      expect(await axeViolations(zh.page)).toEqual([]);
      await screenshot(zh.page, 'alerts-list-zh-Hans');
      expect(zh.problems).toEqual([]);
    } finally {
      await zh.context.close();
    }
  });

  test('a filter and keyset paging through more than one page show each matching alert exactly once', async () => {
    const expected: string[] = [];
    for (let i = 1; i <= 7; i++) {
      const a = await publish(gd, {
        title: `Zephyrine plush toys lot ${i}`,
        summary: 'Plush toys with copied characters, split into parcels.',
        channel: 'POSTAL_EXPRESS',
        riskLevel: i % 2 ? 'HIGH' : 'MEDIUM',
        goods: [{ category: 'TOYS', description: 'Zephyrine plush toys', quantity: 100 + i, unit: 'pcs' }],
      });
      expected.push(a.title);
    }
    // Same words, another category: the filter leaves it out.
    await publish(gd, { title: 'Zephyrine plush bags', goods: [{ category: 'BAGS', description: 'Zephyrine bags', quantity: 5, unit: 'pcs' }] });

    const { context, page, problems } = await openConsole(browser, t, { path: null });
    try {
      await signInWithDevToken(context, t, 'HK', ['ANALYST']);
      await page.goto(consoleUrl(t, '/alerts?first=5'));
      await page.getByLabel('Search', { exact: true }).fill('zephyrine');
      // Goods category: the select, typed into and picked.
      await page.getByLabel('Goods category').click();
      await page.getByLabel('Goods category').fill('Toys');
      await page.getByLabel('Goods category').press('Enter');
      await page.getByLabel('Goods category').press('Escape');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL((u) => u.searchParams.get('goods') === 'TOYS');

      const first = await listed(page, '1–5 of 7 alerts');
      expect(new URL(page.url()).searchParams.get('goods')).toBe('TOYS');
      await page.getByRole('button', { name: 'Next page' }).click();
      await page.waitForURL((u) => u.searchParams.has('after'));
      const second = await listed(page, '6–7 of 7 alerts');
      expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
      const all = [...first, ...second];
      expect(all).toHaveLength(7);
      expect(new Set(all).size).toBe(7);
      expect([...all].sort()).toEqual([...expected].sort());

      // Back to the first page: the same five.
      await page.getByRole('button', { name: 'Previous page' }).click();
      await page.waitForURL((u) => !u.searchParams.has('after'));
      expect(await listed(page, '1–5 of 7 alerts')).toEqual(first);

      // Sorted by risk, highest first: the four HIGH ones lead.
      await page.getByLabel('Sort by').click();
      await page.getByText('Risk level, newest or highest first').click();
      await page.waitForURL((u) => u.searchParams.get('sort') === 'RISK_LEVEL');
      // The list re-renders when the new order arrives: wait for it rather than read the old one.
      const high = expected.filter((_, i) => i % 2 === 0).sort();
      expect(await eventually(async () => (await listed(page, '1–5 of 7 alerts')).slice(0, 4).sort(), (v) => JSON.stringify(v) === JSON.stringify(high))).toEqual(high);

      // Risk at least HIGH, from the URL alone.
      await page.goto(consoleUrl(t, '/alerts?q=zephyrine&goods=TOYS&risk=HIGH&first=5'));
      expect((await listed(page, '1–4 of 4 alerts')).sort()).toEqual(expected.filter((_, i) => i % 2 === 0).sort());
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  /** Values GD keeps from HK by default (no sharing agreement): none may reach HK's browser. */
  const SECRETS = {
    consignee: 'Qilinshan Withheld Holdings',
    consignor: 'Secretive Pearl Exporters',
    container: containerNo('QLN', '770001'),
    billOfLading: 'BL-QLN-SECRET-4242',
    conveyance: 'MV Hidden Lotus 9X',
    sourceReference: 'SRC-CONFIDENTIAL-8812',
    notes: 'Behind the false wall of pallet 13',
  };
  const secretInput = () => ({
    title: 'Watches with forged movements at Kwai Chung',
    summary: 'Counterfeit watches declared as clock parts.',
    goods: [{ category: 'WATCHES_JEWELLERY', description: 'Counterfeit wrist watches', quantity: 900, unit: 'pcs' }],
    consignee: { name: SECRETS.consignee, country: 'HK', address: '1 Hidden Road' },
    consignor: { name: SECRETS.consignor, country: 'CN', identifier: '9144000077700001' },
    containerNumbers: [SECRETS.container],
    billOfLading: SECRETS.billOfLading,
    conveyanceReference: SECRETS.conveyance,
    source: { kind: 'informant', reliability: 'B', credibility: 2, reference: SECRETS.sourceReference },
    operationalNotes: SECRETS.notes,
  });

  test('an HK analyst sees GD\'s withheld classes as withheld, and their values are nowhere in the page, its network responses or its storage', async () => {
    const alert = await publish(gd, secretInput());
    const { context, page, problems } = await openConsole(browser, t, { path: null });
    const traffic = recordTraffic(page);
    try {
      await signInWithDevToken(context, t, 'HK', ['ANALYST']);
      // Through the list, as an analyst would get there.
      await page.goto(consoleUrl(t, '/alerts?q=kwai+chung+watches'));
      await page.getByRole('link', { name: 'Watches with forged movements at Kwai Chung' }).click();
      await page.getByRole('heading', { level: 1, name: 'Watches with forged movements at Kwai Chung' }).waitFor();
      await page.getByRole('button', { name: 'Request disclosure' }).waitFor();

      // Each withheld field says so, naming the class and who withholds it.
      expect(await page.getByText('Shipment identifiers: withheld by GD').count()).toBe(3);
      expect(await page.getByText('Party identity: withheld by GD').count()).toBe(2);
      expect(await page.getByText('Source: withheld by GD').count()).toBe(1);
      expect(await page.getByText('Operational notes: withheld by GD').count()).toBe(1);
      // CORE is shown.
      await page.getByText('Counterfeit watches declared as clock parts.').waitFor();
      // HK sees the partner reference, never GD's register number.
      await page.getByText(/^GD-[0-9A-Z]{12}$/).first().waitFor();
      expect(await page.getByText(alert.reference).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'alert-detail-withheld-en');

      const { all: everything, responses } = await everythingThePageHolds(page, traffic);
      // The hub's answers did reach the page (the check below is about something).
      expect(responses.some((b) => b.includes('Watches with forged movements at Kwai Chung'))).toBe(true);
      for (const [name, value] of Object.entries(SECRETS)) expect([name, everything.includes(value)]).toEqual([name, false]);
      expect(everything).not.toContain('QLNU770001');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('a disclosure request round trip: HK requests, GD approves in its own console session, then HK sees the values', async () => {
    const alert = await publish(gd, { ...secretInput(), title: 'Watches to be disclosed at Kwai Chung' });
    const hkSide = await openConsole(browser, t, { path: null });
    const gdSide = await openConsole(browser, t, { path: null });
    try {
      await signInWithDevToken(hkSide.context, t, 'HK', ['ANALYST']);
      await signInWithDevToken(gdSide.context, t, 'GD', ['ANALYST']);

      // HK asks for the parties and the shipment identifiers, saying why.
      const hkPage = hkSide.page;
      await hkPage.goto(consoleUrl(t, `/alerts/${alert.id}`));
      await hkPage.getByRole('heading', { level: 1, name: 'Watches to be disclosed at Kwai Chung' }).waitFor();
      await hkPage.getByRole('checkbox', { name: 'Party identity' }).check();
      await hkPage.getByRole('checkbox', { name: 'Shipment identifiers' }).check();
      await hkPage.getByLabel('Justification').fill('The consignee is named in an open HK case (OSCO-2026-17).');
      await hkPage.getByRole('button', { name: 'Request disclosure' }).click();
      await hkPage.getByText('Request sent. Its state is shown below.').waitFor();
      const hkRequests = hkPage.getByRole('table').filter({ hasText: 'The consignee is named in an open HK case' });
      await hkRequests.getByText('Pending').waitFor();
      expect(await hkRequests.getByText('Shipment identifiers, Party identity').count()).toBe(1);
      await screenshot(hkPage, 'alert-detail-requested-en');

      // GD's analyst sees the request on its own alert and approves it for 30 days.
      const gdPage = gdSide.page;
      await gdPage.goto(consoleUrl(t, `/alerts/${alert.id}`));
      await gdPage.getByRole('heading', { name: 'Disclosure requests from partners' }).waitFor();
      await gdPage.getByRole('button', { name: 'Approve the request of HK' }).click();
      const dialog = gdPage.getByRole('dialog', { name: 'Approve the request of HK' });
      await dialogOpened(dialog);
      await dialog.getByText('HK asks for: Shipment identifiers, Party identity.').waitFor();
      expect(await axeViolations(gdPage)).toEqual([]);
      await dialog.getByRole('button', { name: 'Approve' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await gdPage.getByRole('table').filter({ hasText: 'The consignee is named in an open HK case' }).getByText('Approved').waitFor();
      expect(await gdPage.getByRole('button', { name: 'Approve the request of HK' }).count()).toBe(0);

      // HK opens the alert again: the approved classes are there, the rest still withheld.
      await hkPage.reload();
      await hkPage.getByRole('heading', { level: 1, name: 'Watches to be disclosed at Kwai Chung' }).waitFor();
      await hkPage.getByText(SECRETS.consignee).waitFor();
      await hkPage.getByText(SECRETS.consignor).waitFor();
      await hkPage.getByText(SECRETS.container).waitFor();
      await hkPage.getByText(SECRETS.billOfLading).waitFor();
      expect(await hkPage.getByText('Party identity: withheld by GD').count()).toBe(0);
      expect(await hkPage.getByText('Shipment identifiers: withheld by GD').count()).toBe(0);
      expect(await hkPage.getByText('Source: withheld by GD').count()).toBe(1);
      expect(await hkPage.getByText('Operational notes: withheld by GD').count()).toBe(1);
      expect(await hkPage.content()).not.toContain(SECRETS.sourceReference);
      await hkPage.getByRole('table').filter({ hasText: 'The consignee is named in an open HK case' }).getByText('Approved').waitFor();
      await screenshot(hkPage, 'alert-detail-disclosed-en');
      expect(hkSide.problems).toEqual([]);
      expect(gdSide.problems).toEqual([]);
    } finally {
      await hkSide.context.close();
      await gdSide.context.close();
    }
  });

  test('the deny path: HK requests, GD denies with a reason in its own console session, HK sees it denied and still nothing withheld', async () => {
    const alert = await publish(gd, { ...secretInput(), title: 'Watches to be refused at Kwai Chung' });
    const reason = 'The informant is still active: the source and parties stay with GD.';
    const hkSide = await openConsole(browser, t, { path: null });
    const gdSide = await openConsole(browser, t, { path: null });
    const gdObserver = await openConsole(browser, t, { path: null });
    const traffic = recordTraffic(hkSide.page);
    try {
      await signInWithDevToken(hkSide.context, t, 'HK', ['ANALYST']);
      await signInWithDevToken(gdSide.context, t, 'GD', ['ANALYST']);
      await signInWithDevToken(gdObserver.context, t, 'GD', ['OBSERVER']);

      // HK asks for the parties and the source.
      const hkPage = hkSide.page;
      await hkPage.goto(consoleUrl(t, `/alerts/${alert.id}`));
      await hkPage.getByRole('heading', { level: 1, name: 'Watches to be refused at Kwai Chung' }).waitFor();
      await hkPage.getByRole('checkbox', { name: 'Party identity' }).check();
      await hkPage.getByRole('checkbox', { name: 'Source' }).check();
      await hkPage.getByLabel('Justification').fill('The consignor ships to a HK trader under investigation (C&ED-2026-31).');
      await hkPage.getByRole('button', { name: 'Request disclosure' }).click();
      await hkPage.getByText('Request sent. Its state is shown below.').waitFor();
      await hkPage.getByRole('table').filter({ hasText: 'C&ED-2026-31' }).getByText('Pending').waitFor();

      // A GD observer sees the request on GD's alert but is offered no decision (the hub would refuse it).
      await gdObserver.page.goto(consoleUrl(t, `/alerts/${alert.id}`));
      await gdObserver.page.getByRole('table').filter({ hasText: 'C&ED-2026-31' }).getByText('Pending').waitFor();
      expect(await gdObserver.page.getByRole('button', { name: /request of HK/ }).count()).toBe(0);

      // GD's analyst denies it; a denial needs a reason, and without one nothing is sent.
      const gdPage = gdSide.page;
      await gdPage.goto(consoleUrl(t, `/alerts/${alert.id}`));
      await gdPage.getByRole('heading', { name: 'Disclosure requests from partners' }).waitFor();
      await gdPage.getByRole('button', { name: 'Deny the request of HK' }).click();
      const dialog = gdPage.getByRole('dialog', { name: 'Deny the request of HK' });
      await dialogOpened(dialog);
      await dialog.getByText('HK asks for: Party identity, Source.').waitFor();
      expect(await dialog.getByLabel('Grant for').count()).toBe(0);
      await dialog.getByRole('button', { name: 'Deny' }).click();
      await dialog.getByText('Say why the request is denied.').waitFor();
      const pending = await t.gql(gd, `query ($a: ID) { disclosureRequests(alertId: $a) { status decisionNote } }`, { a: alert.id });
      expect(pending.body.data.disclosureRequests).toEqual([{ status: 'PENDING', decisionNote: null }]);
      await dialog.getByLabel('Note to the requester').fill(reason);
      expect(await axeViolations(gdPage)).toEqual([]);
      await screenshot(gdPage, 'alert-detail-deny-dialog-en');
      await dialog.getByRole('button', { name: 'Deny' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const gdRequests = gdPage.getByRole('table').filter({ hasText: 'C&ED-2026-31' });
      await gdRequests.getByText('Denied').waitFor();
      await gdRequests.getByText(reason).waitFor();
      expect(await gdPage.getByRole('button', { name: /request of HK/ }).count()).toBe(0);

      // HK opens the alert again: denied, with GD's reason, and everything still withheld.
      await hkPage.reload();
      await hkPage.getByRole('heading', { level: 1, name: 'Watches to be refused at Kwai Chung' }).waitFor();
      const hkRequests = hkPage.getByRole('table').filter({ hasText: 'C&ED-2026-31' });
      await hkRequests.getByText('Denied').waitFor();
      await hkRequests.getByText(reason).waitFor();
      await hkRequests.getByText('gd.analyst@dev', { exact: false }).waitFor();
      expect(await hkPage.getByText('Party identity: withheld by GD').count()).toBe(2);
      expect(await hkPage.getByText('Source: withheld by GD').count()).toBe(1);
      expect(await hkPage.getByText('Shipment identifiers: withheld by GD').count()).toBe(3);
      expect(await hkPage.getByText('Operational notes: withheld by GD').count()).toBe(1);
      // Asking again stays possible: the form is still offered.
      await hkPage.getByRole('button', { name: 'Request disclosure' }).waitFor();
      expect(await axeViolations(hkPage)).toEqual([]);
      await screenshot(hkPage, 'alert-detail-denied-en');

      const { all, responses } = await everythingThePageHolds(hkPage, traffic);
      // The denial did reach HK's page through the hub (the check below is about something).
      expect(responses.some((b) => b.includes(reason) && b.includes('DENIED'))).toBe(true);
      for (const [name, value] of Object.entries(SECRETS)) expect([name, all.includes(value)]).toEqual([name, false]);
      expect(all).not.toContain('QLNU770001');
      expect(hkSide.problems).toEqual([]);
      expect(gdSide.problems).toEqual([]);
      expect(gdObserver.problems).toEqual([]);
    } finally {
      await hkSide.context.close();
      await gdSide.context.close();
      await gdObserver.context.close();
    }
  });

  test('GD\'s analyst sees its own alert in full, with its history and the access log listing HK\'s read', async () => {
    const alert = await publish(gd, { ...secretInput(), title: 'Watches read by Hong Kong' });
    const hkSide = await openConsole(browser, t, { path: null });
    try {
      await signInWithDevToken(hkSide.context, t, 'HK', ['ANALYST']);
      await hkSide.page.goto(consoleUrl(t, `/alerts/${alert.id}`));
      await hkSide.page.getByRole('heading', { level: 1, name: 'Watches read by Hong Kong' }).waitFor();
    } finally {
      await hkSide.context.close();
    }

    const { context, page, problems } = await openConsole(browser, t, { path: null });
    try {
      await signInWithDevToken(context, t, 'GD', ['ANALYST']);
      await page.goto(consoleUrl(t, `/alerts/${alert.id}`));
      await page.getByRole('heading', { level: 1, name: 'Watches read by Hong Kong' }).waitFor();
      // Its own: everything, and its register reference.
      await page.getByText(SECRETS.consignee).waitFor();
      await page.getByText(SECRETS.notes).waitFor();
      await page.getByText(SECRETS.sourceReference).waitFor();
      expect(await page.getByText(/withheld by/).count()).toBe(0);
      await page.getByText(/^GD-\d{4}-\d{6}$/).first().waitFor();

      const history = page.getByRole('table').filter({ hasText: 'gd.analyst@dev' }).first();
      await history.getByText('Created').waitFor();
      await history.getByText('Published', { exact: true }).first().waitFor();

      const log = page.getByRole('table').filter({ hasText: 'hk.analyst@dev' });
      await log.getByText('hk.analyst@dev').first().waitFor();
      expect(await log.getByRole('row').count()).toBe(2); // the header and HK's one read
      await log.getByText('Core').waitFor();
      await page.getByText('Reads of this alert by partner agencies\' officers: 1.').waitFor();
      // No request from a partner on this one.
      await page.getByText('No partner has asked for a disclosure on this alert.').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'alert-detail-own-en');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
