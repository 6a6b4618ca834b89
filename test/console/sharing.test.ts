import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { Client as PgClient } from 'pg';
import { CSV_COLUMNS, parseCsv } from '../../src/console/sharing/access-log-csv';
import { axeViolations, consoleUrl, launchBrowser, openConsole, screenshot, signInWithDevToken } from '../support/browser';
import { disposeAll, subscribe } from '../support/events';
import { CREATE, GET, PUBLISH, alertInput, containerNo } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * Stories of sharing administration (/sharing) and of role-aware navigation, in a real
 * Chromium against a real hub and database: Guangdong's administrator narrows what flows to
 * Hong Kong, reading what the change means before saving it, and Hong Kong's open alert loses
 * the class on its next read; the administrator filters the access log of GD's alerts and
 * exports it, and the CSV holds exactly the log's entries (the export adds nothing to the log);
 * each role is offered what it may do, and a page typed in without the role says so while the
 * hub refuses the action anyway.
 */
describe('console: sharing administration and role-aware navigation', () => {
  let t: TestHub;
  let browser: Browser;
  let sql: PgClient;
  let gd: string;
  let gdAdmin: string;

  async function devToken(agency: string, roles: string[]): Promise<string> {
    const res = await fetch(consoleUrl(t, '/auth/dev-token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agency, roles }) });
    return ((await res.json()) as { token: string }).token;
  }
  async function ok(token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
    const res = await t.gql(token, query, variables);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  }
  async function publish(token: string, overrides: Record<string, unknown>): Promise<{ id: string; reference: string; title: string; version: number }> {
    const a = (await ok(token, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' }, ...overrides }) })).createAlert;
    return (await ok(token, PUBLISH, { id: a.id, version: a.version })).publishAlert;
  }
  const AGREE = `mutation ($p: ID!, $c: [FieldClass!]!) { setSharingAgreement(partner: $p, fieldClasses: $c) { fieldClasses } }`;
  const agreementOf = async (partner: string) =>
    ((await ok(gdAdmin, `{ sharingAgreements { fromAgency { code } toAgency { code } fieldClasses } }`)).sharingAgreements as { fromAgency: { code: string }; toAgency: { code: string }; fieldClasses: string[] }[]).find(
      (a) => a.fromAgency.code === 'GD' && a.toAgency.code === partner,
    )?.fieldClasses;
  const logRows = async () => Number((await sql.query('select count(*) from alert_access_log')).rows[0].count);
  const menu = (page: Page, name = 'Main navigation') => page.getByRole('navigation', { name }).getByRole('menuitem').allInnerTexts();

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await startTestHub({ devIdentity: true });
    sql = new PgClient({ connectionString: t.db.url });
    await sql.connect();
    [gd, gdAdmin] = await Promise.all([devToken('GD', ['ANALYST']), devToken('GD', ['ADMIN'])]);
  });
  afterEach(disposeAll);
  afterAll(async () => {
    await sql?.end();
    await browser?.close();
    await t?.stop();
  });

  test("GD's administrator narrows HK's agreement, reading what it means before saving, and HK's open alert loses the class on its next read", async () => {
    await ok(gdAdmin, AGREE, { p: 'HK', c: ['SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY'] });
    const container = containerNo('SHR', '000001');
    const alert = await publish(gd, { title: 'Speakers and logo plates for Shekou', containerNumbers: [container], consignee: { name: 'Shekou Audio Trading', country: 'CN' } });

    const hkSide = await openConsole(browser, t, { path: null });
    const gdSide = await openConsole(browser, t, { path: null, locale: 'en-GB' });
    try {
      await signInWithDevToken(hkSide.context, t, 'HK', ['ANALYST']);
      await signInWithDevToken(gdSide.context, t, 'GD', ['ADMIN']);

      // HK has GD's alert open: its containers and its consignee, both given by agreement.
      const hkPage = hkSide.page;
      await hkPage.goto(consoleUrl(t, `/alerts/${alert.id}`));
      await hkPage.getByRole('heading', { level: 1, name: alert.title }).waitFor();
      await hkPage.getByText(container).waitFor();
      await hkPage.getByText('Shekou Audio Trading').waitFor();

      // GD's administrator: the matrix, partner by class.
      const gdPage = gdSide.page;
      await gdPage.goto(consoleUrl(t, '/sharing'));
      await gdPage.getByRole('heading', { level: 1, name: 'Sharing administration' }).waitFor();
      const matrix = gdPage.getByRole('table', { name: 'Sharing agreements by partner and class of information' });
      const cell = (name: string) => matrix.getByRole('checkbox', { name, exact: true });
      await cell('Shipment identifiers to HK').waitFor();
      expect(await cell('Shipment identifiers to HK').isChecked()).toBe(true);
      expect(await cell('Party identity to HK').isChecked()).toBe(true);
      expect(await cell('Operational notes to HK').isChecked()).toBe(false);
      expect(await cell('Shipment identifiers to MO').isChecked()).toBe(false);
      expect(await cell('Core to HK: always shared').isDisabled()).toBe(true);
      // SOURCE is never offered by agreement.
      expect(await matrix.getByRole('checkbox', { name: /^Source to/ }).count()).toBe(0);
      await matrix.getByLabel('Source to HK: Never by agreement').waitFor();
      expect(await axeViolations(gdPage)).toEqual([]);
      await screenshot(gdPage, 'sharing-agreements-en');

      // Unticking drafts: the change is said in words, and nothing is saved yet.
      await cell('Shipment identifiers to HK').uncheck();
      const changes = gdPage.getByRole('region', { name: 'Changes not saved yet' });
      await changes.getByText("HK will no longer receive Shipment identifiers on alerts of GD's from its next read, on every route. What its officers have already read stays with them.").waitFor();
      await changes.getByText('After this, HK receives: Core, Party identity.').waitFor();
      await changes.getByText('Disclosures your analysts approved on single alerts stay in force until they expire, whatever the agreement.').waitFor();
      expect(await agreementOf('HK')).toEqual(['SHIPMENT_IDENTIFIERS', 'PARTY_IDENTITY']);
      // A grant is described too (then taken back again, unsaved).
      await cell('Operational notes to MO').check();
      await changes.getByText("MO will receive Operational notes (inspection instructions and officers' notes) on every alert of GD's that it may see, from its next read, on every route: queries, live feeds, federation and exports.").waitFor();
      expect(await axeViolations(gdPage)).toEqual([]);
      await screenshot(gdPage, 'sharing-agreements-draft-en');
      await cell('Operational notes to MO').uncheck();
      await changes.getByText('MO will receive', { exact: false }).waitFor({ state: 'detached' });
      await changes.getByRole('button', { name: 'Save changes' }).click();
      await gdPage.getByText('Saved. Partners read under the new agreements from their next read.').waitFor();
      await changes.waitFor({ state: 'detached' });
      expect(await agreementOf('HK')).toEqual(['PARTY_IDENTITY']);
      expect(await agreementOf('MO')).toBeUndefined();
      expect(await cell('Shipment identifiers to HK').isChecked()).toBe(false);

      // HK's page, already open, still shows what it read; its next read does not.
      await hkPage.getByText(container).waitFor();
      await hkPage.getByRole('link', { name: 'Back to alerts' }).click();
      await hkPage.getByRole('link', { name: alert.title }).click();
      await hkPage.getByRole('heading', { level: 1, name: alert.title }).waitFor();
      await hkPage.getByText('Shipment identifiers: withheld by GD').first().waitFor();
      await hkPage.getByText('Shekou Audio Trading').waitFor();
      expect(await hkPage.getByText(container).count()).toBe(0);
      expect(await hkPage.content()).not.toContain(container);
      // Nor is it left in Apollo's cache, where another page could read it.
      const cached = await hkPage.evaluate(`JSON.stringify(Object.entries(sessionStorage)) + JSON.stringify(Object.entries(localStorage))`);
      expect(cached).not.toContain(container);
      await screenshot(hkPage, 'sharing-partner-next-read-en');
      expect(hkSide.problems).toEqual([]);
      expect(gdSide.problems).toEqual([]);
    } finally {
      await hkSide.context.close();
      await gdSide.context.close();
    }
  });

  test('the access log of GD\'s alerts, filtered in the console, exports a CSV whose rows are the log\'s entries, and the export logs nothing', async () => {
    const [hk, moObserver] = await Promise.all([devToken('HK', ['ANALYST']), devToken('MO', ['OBSERVER'])]);
    // MO's duty officer watches the live feed: GD's next alert reaches it by subscription.
    const live = await subscribe(t, moObserver, `subscription { alertEvents { cursor alert { id title } } }`);
    const a = await publish(gd, { title: 'Integrated circuits in parcels at Huangpu', containerNumbers: [containerNo('LOG', '000001')] });
    const b = await publish(gd, { title: '深圳 speakers, "logo" plates', containerNumbers: [containerNo('LOG', '000002')] });
    await live.waitFor(2);
    for (const id of [a.id, b.id, a.id]) expect((await ok(hk, GET, { id })).alert.id).toBe(id);
    expect((await ok(moObserver, GET, { id: b.id })).alert.id).toBe(b.id);

    const ENTRIES = `query ($f: AccessLogFilter, $after: String) { agencyAccessLog(filter: $f, first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { at subject via disclosed alertId agency { code } alert { reference title } } } } }`;
    /** The log under `filter`, as CSV rows would hold it. */
    const expectedRows = async (filter: Record<string, unknown> | null) => {
      const rows: string[][] = [];
      let after: string | null = null;
      for (;;) {
        const d: any = (await ok(gdAdmin, ENTRIES, { f: filter, after })).agencyAccessLog;
        for (const { node: n } of d.edges) rows.push([n.at, n.agency.code, n.subject, n.alert.reference, n.alert.title, n.alertId, n.disclosed.join(' '), n.via]);
        if (!d.pageInfo.hasNextPage) return rows;
        after = d.pageInfo.endCursor;
      }
    };

    const { context, page, problems } = await openConsole(browser, t, { path: null });
    try {
      await signInWithDevToken(context, t, 'GD', ['ADMIN']);
      await page.goto(consoleUrl(t, '/sharing/access-log'));
      await page.getByRole('heading', { level: 1, name: 'Sharing administration' }).waitFor();
      const all = await expectedRows(null);
      // Every read of GD's alerts so far, this test's and the first story's.
      expect(all.length).toBeGreaterThanOrEqual(6);
      await page.getByText(`Reads matching the filters: ${all.length}`).waitFor();
      const reads = page.getByRole('table', { name: 'Reads' });
      await reads.getByRole('link', { name: b.reference }).first().waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'sharing-access-log-en');

      // The whole log to CSV: its rows are the log's entries, in order, and exporting logged nothing.
      const before = await logRows();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^access-log-GD-.*\.csv$/);
      const file = parseCsv(readFileSync((await download.path())!, 'utf8'));
      expect(file[0]).toEqual(['Time (UTC)', 'Partner', 'Officer', 'Alert reference', 'Alert title', 'Alert id', 'Classes shown', 'Route']);
      expect(file[0]).toHaveLength(CSV_COLUMNS.length);
      expect(file.slice(1)).toEqual(all);
      await page.getByText(`Exported ${all.length} reads to ${download.suggestedFilename()}.`).waitFor();
      expect(await logRows()).toBe(before);

      // Filtered by partner and route in the form (kept in the URL): MO's live-feed reads only.
      await page.getByLabel('Partner', { exact: true }).click();
      await page.locator('.ant-select-item-option').filter({ hasText: 'MO — Macao Customs Service' }).click();
      await page.getByLabel('Route', { exact: true }).click();
      await page.locator('.ant-select-item-option').filter({ hasText: 'Live feed' }).click();
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(/partner=MO/);
      expect(page.url()).toContain('via=SUBSCRIPTION');
      const moLive = await expectedRows({ partner: 'MO', via: ['SUBSCRIPTION'] });
      expect(moLive.map((r) => [r[1], r[2], r[5], r[7]])).toEqual([
        ['MO', 'mo.observer@dev', b.id, 'subscription'],
        ['MO', 'mo.observer@dev', a.id, 'subscription'],
      ]);
      await page.getByText('Reads matching the filters: 2').waitFor();
      const [filtered] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
      expect(parseCsv(readFileSync((await filtered.path())!, 'utf8')).slice(1)).toEqual(moLive);
      await screenshot(page, 'sharing-access-log-filtered-en');

      // By alert reference: HK's two reads of the first alert.
      await page.goto(consoleUrl(t, `/sharing/access-log?partner=HK&reference=${encodeURIComponent(a.reference)}`));
      await page.getByText('Reads matching the filters: 2').waitFor();
      await reads.getByRole('link', { name: a.reference }).first().waitFor();
      expect(await reads.getByRole('link', { name: b.reference }).count()).toBe(0);
      // A reference that is not GD's says so, and shows nothing.
      await page.goto(consoleUrl(t, `/sharing/access-log?reference=HK-2026-000001`));
      await page.getByText('No alert of GD has the reference HK-2026-000001.').waitFor();
      expect(await logRows()).toBe(before);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }

    // In Português, the same page and its export's header.
    const pt = await openConsole(browser, t, { path: null, locale: 'pt-PT' });
    try {
      await signInWithDevToken(pt.context, t, 'GD', ['ADMIN']);
      await pt.page.goto(consoleUrl(t, '/sharing/access-log?partner=MO'));
      await pt.page.getByRole('heading', { level: 1, name: 'Gestão da partilha' }).waitFor();
      await pt.page.getByText('Leituras que correspondem aos filtros: 3').waitFor();
      const [download] = await Promise.all([pt.page.waitForEvent('download'), pt.page.getByRole('button', { name: 'Exportar CSV' }).click()]);
      const file = parseCsv(readFileSync((await download.path())!, 'utf8'));
      expect(file[0]).toEqual(['Hora (UTC)', 'Parceiro', 'Agente', 'Referência do alerta', 'Título do alerta', 'Id do alerta', 'Classes mostradas', 'Via']);
      expect(file.slice(1)).toEqual(await expectedRows({ partner: 'MO' }));
      expect(await axeViolations(pt.page)).toEqual([]);
      await screenshot(pt.page, 'sharing-access-log-pt');
      expect(pt.problems).toEqual([]);
    } finally {
      await pt.context.close();
    }
  });

  test('each role is offered what it may do: a duty officer sees no inbox or administration, is told so when it types them in, and the hub refuses them anyway', async () => {
    await ok(gdAdmin, AGREE, { p: 'HK', c: ['PARTY_IDENTITY'] });
    const pending = await publish(gd, { title: 'Toys at Lok Ma Chau', containerNumbers: [containerNo('NAV', '000001')] });
    await ok(await devToken('HK', ['ANALYST']), `mutation ($a: ID!) { requestDisclosure(alertId: $a, fieldClasses: [PARTY_IDENTITY], justification: "Toys case HK-77") { id } }`, { a: pending.id });
    const [requestId] = (await ok(gd, `{ disclosureRequests(direction: RECEIVED, status: [PENDING]) { id justification } }`)).disclosureRequests.filter((r: { justification: string }) => r.justification === 'Toys case HK-77').map((r: { id: string }) => r.id);

    // A GD duty officer (OBSERVER): live board, alerts, explorer, nothing else.
    const observer = await openConsole(browser, t, { path: null });
    const requested: string[] = [];
    observer.page.on('request', (r) => void (r.url().endsWith('/graphql') && requested.push(r.postData() ?? '')));
    try {
      await signInWithDevToken(observer.context, t, 'GD', ['OBSERVER']);
      await observer.page.goto(consoleUrl(t, '/live'));
      await observer.page.getByRole('heading', { level: 1, name: 'Live board' }).waitFor();
      expect(await menu(observer.page)).toEqual(['Live board', 'Alerts', 'Joint operations', 'Statistics', 'GraphQL explorer']);
      for (const [path, title, forRoles] of [
        ['/sharing', 'Sharing administration', 'Administrator'],
        ['/sharing/access-log', 'Sharing administration', 'Administrator'],
        ['/inbox', 'Disclosure inbox', 'Analyst, Administrator'],
        ['/inbox/sent', 'Disclosure inbox', 'Analyst, Administrator'],
      ]) {
        await observer.page.goto(consoleUrl(t, path));
        await observer.page.getByRole('heading', { level: 1, name: title }).waitFor();
        await observer.page.getByText('Not allowed', { exact: true }).waitFor();
        await observer.page.getByText(`This page is for: ${forRoles}. Your roles: Observer.`, { exact: false }).waitFor();
        expect(await observer.page.getByRole('button', { name: /Save changes|Export CSV|Approve|Deny/ }).count()).toBe(0);
        expect(await observer.page.getByRole('table').count()).toBe(0);
      }
      // The page asked the hub for none of what it does not offer.
      expect(requested.join('\n')).not.toMatch(/agencyAccessLog|sharingAgreements|disclosureRequests|disclosureCounts/);
      expect(await axeViolations(observer.page)).toEqual([]);
      await screenshot(observer.page, 'forbidden-observer-en');

      // Forced through the page's own session, the hub refuses each action.
      const forced = (await observer.page.evaluate(`(async () => {
        const { token } = JSON.parse(sessionStorage.getItem('gba-hub.session'));
        const post = (query, variables) => fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: JSON.stringify({ query, variables }) }).then((r) => r.json());
        return Promise.all([
          post('mutation { setSharingAgreement(partner: "HK", fieldClasses: [SHIPMENT_IDENTIFIERS]) { fieldClasses } }'),
          post('{ agencyAccessLog { totalCount } }'),
          post('mutation ($r: ID!) { decideDisclosure(requestId: $r, approve: true, expiresAt: "${new Date(Date.now() + 86_400_000).toISOString()}") { status } }', { r: '${requestId}' }),
        ]);
      })()`)) as { data: unknown; errors: { extensions: { code: string } }[] }[];
      expect(forced.map((r) => [r.data, r.errors[0].extensions.code])).toEqual([
        [null, 'FORBIDDEN'],
        [null, 'FORBIDDEN'],
        [null, 'FORBIDDEN'],
      ]);
      expect(await agreementOf('HK')).toEqual(['PARTY_IDENTITY']);
      const still = (await ok(gd, `{ disclosureRequests(direction: RECEIVED, status: [PENDING]) { id } }`)).disclosureRequests.map((r: { id: string }) => r.id);
      expect(still).toContain(requestId);
      expect(observer.problems).toEqual([]);
    } finally {
      await observer.context.close();
    }

    // An administrator (and no more): the inbox to follow, without deciding; the administration; no compose.
    const admin = await openConsole(browser, t, { path: null, locale: 'zh-HK' });
    try {
      await signInWithDevToken(admin.context, t, 'GD', ['ADMIN']);
      await admin.page.goto(consoleUrl(t, '/inbox'));
      await admin.page.getByRole('heading', { level: 1, name: '披露收件匣' }).waitFor();
      expect((await menu(admin.page, '主導覽')).map((s) => s.replace(/\s*\d+$/, ''))).toEqual(['即時看板', '警示', '披露收件匣', '共享管理', '聯合行動', '統計', 'GraphQL 瀏覽器']);
      const received = admin.page.getByRole('table', { name: '收到的要求' });
      await received.getByText('Toys case HK-77').waitFor();
      await admin.page.getByText('合作方要求貴機構警示上不予提供的資料，由貴機構的分析員決定。', { exact: false }).waitFor();
      expect(await admin.page.getByRole('button', { name: /批准|拒絕/ }).count()).toBe(0);
      expect(await axeViolations(admin.page)).toEqual([]);
      await screenshot(admin.page, 'inbox-admin-read-only-zh-Hant');
      await admin.page.goto(consoleUrl(t, '/compose'));
      await admin.page.getByText('無權存取', { exact: true }).waitFor();
      await admin.page.goto(consoleUrl(t, '/sharing'));
      await admin.page.getByRole('heading', { level: 1, name: '共享管理' }).waitFor();
      await admin.page.getByRole('checkbox', { name: '向 HK 提供當事方身分' }).waitFor();
      expect(await axeViolations(admin.page)).toEqual([]);
      await screenshot(admin.page, 'sharing-agreements-zh-Hant');
      expect(admin.problems).toEqual([]);
    } finally {
      await admin.context.close();
    }

    // An analyst: the inbox with its decisions, no administration, told so if typed in (简体中文).
    const analyst = await openConsole(browser, t, { path: null, locale: 'zh-CN' });
    try {
      await signInWithDevToken(analyst.context, t, 'GD', ['ANALYST']);
      await analyst.page.goto(consoleUrl(t, '/sharing'));
      await analyst.page.getByRole('heading', { level: 1, name: '共享管理' }).waitFor();
      await analyst.page.getByText('无权访问', { exact: true }).waitFor();
      await analyst.page.getByText('本页面适用于：管理员。您的角色：分析员。', { exact: false }).waitFor();
      const items = (await menu(analyst.page, '主导航')).map((s) => s.replace(/\s*\d+$/, ''));
      expect(items).toContain('披露收件箱');
      expect(items).not.toContain('共享管理');
      await analyst.page.goto(consoleUrl(t, '/inbox'));
      await analyst.page.getByRole('button', { name: `批准 HK 对 ${pending.reference} 的请求` }).waitFor();
      expect(await axeViolations(analyst.page)).toEqual([]);
      await screenshot(analyst.page, 'inbox-received-zh-Hans');
      expect(analyst.problems).toEqual([]);
    } finally {
      await analyst.context.close();
    }

    // A coordinator: neither inbox nor administration.
    const coordinator = await openConsole(browser, t, { path: null });
    try {
      await signInWithDevToken(coordinator.context, t, 'MO', ['COORDINATOR']);
      await coordinator.page.goto(consoleUrl(t, '/inbox'));
      await coordinator.page.getByText('Not allowed', { exact: true }).waitFor();
      const items = await menu(coordinator.page);
      expect(items).not.toContain('Disclosure inbox');
      expect(items).not.toContain('Sharing administration');
      expect(coordinator.problems).toEqual([]);
    } finally {
      await coordinator.context.close();
    }
  });
});
