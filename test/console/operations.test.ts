import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { formatDate, formatMonth, hubWallClock } from '../../src/console/i18n/datetime';
import { axeViolations, consoleUrl, dialogOpened, launchBrowser, openConsole, screenshot, SCREENSHOT_DIR, signInWithToken, storedText, type ConsolePage } from '../support/browser';
import { until } from '../support/events';
import { CREATE, PUBLISH, alertInput } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';
import { TEST_AGENCIES, TestTrust } from '../support/identity';
import { pdfPages, pdfText } from '../support/pdf';

/*
 * The operations workspace, statistics and report in a real Chromium against a real hub with
 * the demo data: Guangdong's coordinator plans an operation with Hong Kong and Macao; each
 * agency reports a result in its own browser session and language while Guangdong's page
 * follows live; Macao corrects its result, which counts once; the charts' numbers are the hub's
 * `operationStatistics`; the report prints to a PDF holding the totals; and a fourth agency
 * that takes no part finds nothing of it anywhere. The tests run in order and share the
 * operation the first one plans.
 */

const LOCALES = join(__dirname, '..', '..', 'src', 'console', 'i18n', 'locales');
type Lang = 'en' | 'zh-Hans' | 'zh-Hant' | 'pt';
const texts: Record<Lang, any> = Object.fromEntries((['en', 'zh-Hans', 'zh-Hant', 'pt'] as Lang[]).map((l) => [l, JSON.parse(readFileSync(join(LOCALES, `${l}.json`), 'utf8'))])) as Record<Lang, any>;
const BROWSER_LOCALE: Record<Lang, string> = { en: 'en-GB', 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-HK', pt: 'pt-PT' };
const INTL: Record<Lang, string> = { en: 'en-GB', 'zh-Hans': 'zh-Hans-CN', 'zh-Hant': 'zh-Hant-HK', pt: 'pt-PT' };

/** A console string in a language, as the page shows it. */
function L(lang: Lang, key: string, params: Record<string, string | number> = {}): string {
  const raw = key.split('.').reduce((o, k) => o?.[k], texts[lang]);
  if (typeof raw !== 'string') throw new Error(`no text ${key} in ${lang}`);
  return raw.replace(/\{\{(\w+)\}\}/g, (_, p: string) => String(params[p] ?? `{{${p}}}`));
}
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A tab whose label starts as the key's text does before its `{{count}}`. */
const tabNamed = (lang: Lang, key: string) => new RegExp(`^${escapeRe(L(lang, key).split('{{count}}')[0])}`);
const count = (lang: Lang, n: number) => new Intl.NumberFormat(INTL[lang]).format(n);
/** Digits only: 1,380,000 / 1 380 000 / 1380000 read the same. */
const digits = (s: string) => Number(s.replace(/\D/g, ''));
/** Text without any whitespace (PDF text splits lines, and CJK runs, where the layout did). */
const squeezed = (s: string) => s.replace(/\s+/g, '');

const FOURTH = { code: 'PP', name: 'Pan-Pearl River Delta Customs Liaison', jurisdiction: 'Pan-PRD' };
const OBJECTIVE = `Counterfeit bags and integrated circuits crossing the bay ${Date.now().toString(36)}`;
const CODE_NAME = `Pearl River Sweep ${Date.now().toString(36).toUpperCase()}`;

interface SeizureIn {
  category: string;
  infringement: string;
  channel: string;
  pieces: number;
  place: string;
  /** A rights holder to name, found in the register by its name. */
  holder?: string;
}
interface ResultIn {
  cases: number;
  seizures: SeizureIn[];
  notes: string;
}
const GD_RESULT: ResultIn = { cases: 4, notes: 'Shekou container checks', seizures: [{ category: 'BAGS', infringement: 'TRADEMARK', channel: 'SEA_CONTAINER', pieces: 1200, place: 'CNSHK' }] };
const HK_RESULT: ResultIn = { cases: 3, notes: 'Airport express centre', seizures: [{ category: 'INTEGRATED_CIRCUITS', infringement: 'TRADEMARK', channel: 'CROSS_BORDER_ECOMMERCE', pieces: 2500, place: 'HKHKG' }] };
const MO_RESULT: ResultIn = {
  cases: 2,
  notes: 'Border gate and bridge port',
  seizures: [
    { category: 'COSMETICS', infringement: 'TRADEMARK', channel: 'PASSENGER', pieces: 800, place: 'MOMFM' },
    { category: 'TOYS', infringement: 'COPYRIGHT', channel: 'LAND_BORDER', pieces: 300, place: 'MOMFM' },
  ],
};
/** Macao's correction: one case more, 650 cosmetics rather than 800. */
const MO_CORRECTED: ResultIn = { ...MO_RESULT, cases: 3, seizures: [{ ...MO_RESULT.seizures[0], pieces: 650 }, MO_RESULT.seizures[1]] };

const STATS = `statistics { totalPieces totalCases rightsHoldersProtected byAgency { agency { code } pieces cases } byCategory { category pieces cases }
  byChannel { channel pieces cases } byWeek { start pieces cases } byMonth { start pieces cases } }`;

describe('console: joint operations, statistics and the report', () => {
  let t: TestHub;
  let trust: TestTrust;
  let browser: Browser;
  let gdApi: string;
  let opId = '';
  /** A rights holder of the demo register, which GD's result names. */
  let holder = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    trust = await TestTrust.create([...TEST_AGENCIES, FOURTH]);
    t = await startTestHub({ trust, demoData: true });
    gdApi = await trust.token('GD', ['COORDINATOR']);
    holder = (await api(gdApi, '{ rightsHolders(first: 1) { name } }')).rightsHolders[0].name;
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  /** A browser session of its own for an agency, signed in through its identity provider's token, in a language. */
  async function session(agency: string, roles: string[], lang: Lang, path: string): Promise<ConsolePage> {
    const c = await openConsole(browser, t, { path: null, locale: BROWSER_LOCALE[lang] });
    const token = await trust.token(agency, roles, { sub: `${agency.toLowerCase()}.${roles[0].toLowerCase()}@test`, expiresIn: 3600 });
    await signInWithToken(c.context, { token, agency, roles, expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await c.page.goto(consoleUrl(t, path));
    return c;
  }

  /** Runs a story's steps; on failure, saves a screenshot of each of its pages first (test-output/screenshots/FAILED-…). */
  async function story(name: string, pages: Page[], steps: () => Promise<void>) {
    try {
      await steps();
    } catch (e) {
      await Promise.all(pages.map((p, i) => screenshot(p, `FAILED-${name}-${i}`).catch(() => undefined)));
      throw e;
    }
  }

  async function api<T = any>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await t.gql(token, query, variables);
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  }

  /** Picks an option of an Ant Design select by its label. */
  async function choose(page: Page, field: Locator, option: string) {
    await field.click();
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option.replace(/"/g, '\\"')}"]`).click();
  }

  /** Confirms the confirmation dialog open on the page with its button `ok`. */
  async function confirm(page: Page, ok: string) {
    const dialog = page.getByRole('dialog');
    await dialogOpened(dialog);
    await dialog.getByRole('button', { name: ok, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  /** Reports (or, with `correctLabel`, corrects) a result through the Results tab's form, in the page's language. */
  async function reportThroughPage(page: Page, lang: Lang, r: ResultIn, correctLabel?: string) {
    await page.getByRole('tab', { name: tabNamed(lang, 'pages.operations.tabs.results') }).click();
    if (correctLabel) await page.getByRole('button', { name: correctLabel }).click();
    else await page.getByRole('button', { name: L(lang, 'pages.operations.results.report') }).click();
    const dialog = page.getByRole('dialog');
    await dialogOpened(dialog);
    await dialog.getByLabel(L(lang, 'pages.operations.results.casesOpened')).fill(String(r.cases));
    for (const [i, s] of r.seizures.entries()) {
      let card = dialog.locator('.ant-card').filter({ has: page.getByText(L(lang, 'pages.operations.results.line', { n: i + 1 }), { exact: true }) });
      if ((await card.count()) === 0) {
        await dialog.getByRole('button', { name: L(lang, 'pages.operations.results.addLine') }).click();
        card = dialog.locator('.ant-card').filter({ has: page.getByText(L(lang, 'pages.operations.results.line', { n: i + 1 }), { exact: true }) });
      }
      if (!correctLabel) {
        await choose(page, card.getByLabel(L(lang, 'pages.operations.results.category')), L(lang, `pages.compose.enums.category.${s.category}`));
        await choose(page, card.getByLabel(L(lang, 'pages.operations.results.infringement')), L(lang, `pages.compose.enums.infringement.${s.infringement}`));
        await choose(page, card.getByLabel(L(lang, 'pages.operations.results.channel')), L(lang, `pages.compose.enums.channel.${s.channel}`));
        await card.getByLabel(L(lang, 'pages.operations.results.place')).fill(s.place);
        if (s.holder) {
          const holders = card.getByLabel(L(lang, 'pages.operations.results.rightsHolders'));
          await holders.click();
          await holders.fill(s.holder);
          await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${s.holder.replace(/"/g, '\\"')}"]`).click();
          await page.keyboard.press('Escape');
        }
      }
      await card.getByLabel(L(lang, 'pages.operations.results.pieces'), { exact: true }).fill(String(s.pieces));
    }
    if (!correctLabel) await dialog.getByLabel(L(lang, 'pages.operations.results.notes')).fill(r.notes);
    await dialog.getByRole('button', { name: correctLabel ? L(lang, 'pages.operations.results.submitCorrection') : L(lang, 'pages.operations.results.submit') }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  /** The rows of a numbers table (named by its caption): label, pieces, cases. */
  async function tableRows(page: Page, caption: string): Promise<{ label: string; pieces: number; cases: number }[]> {
    const table = page.getByRole('table', { name: caption, exact: true });
    await table.waitFor();
    const rows = await table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => Array.from((tr as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }).querySelectorAll('th, td')).map((c) => c.textContent ?? '')),
    );
    return rows.filter((cells) => cells.length === 3).map(([label, pieces, cases]) => ({ label, pieces: digits(pieces), cases: digits(cases) }));
  }

  const byLabel = <T extends { label: string }>(rows: T[]) => [...rows].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));

  /** The hub's statistics of the operation, as the test's GD coordinator reads them through the API. */
  async function hubStatistics(): Promise<any> {
    return (await api(gdApi, `query ($id: ID!) { jointOperation(id: $id) { ${STATS} } }`, { id: opId })).jointOperation.statistics;
  }

  /** The charts' tables of a page against the hub's statistics, labelled in `lang`. */
  async function expectTablesEqual(page: Page, lang: Lang, stats: any) {
    const tr = (k: string, p?: Record<string, string | number>) => L(lang, k, p);
    expect(await tableRows(page, tr('pages.statistics.byAgency'))).toEqual(stats.byAgency.map((a: any) => ({ label: a.agency.code, pieces: a.pieces, cases: a.cases })));
    expect(byLabel(await tableRows(page, tr('pages.statistics.byCategory')))).toEqual(
      byLabel(stats.byCategory.map((c: any) => ({ label: tr(`pages.compose.enums.category.${c.category}`), pieces: c.pieces, cases: c.cases }))),
    );
    expect(byLabel(await tableRows(page, tr('pages.statistics.byChannel')))).toEqual(
      byLabel(stats.byChannel.map((c: any) => ({ label: tr(`pages.compose.enums.channel.${c.channel}`), pieces: c.pieces, cases: c.cases }))),
    );
    expect(await tableRows(page, tr('pages.statistics.byMonth'))).toEqual(stats.byMonth.map((m: any) => ({ label: formatMonth(m.start, lang), pieces: m.pieces, cases: m.cases })));
    await page.locator('.ant-segmented-item').filter({ hasText: tr('pages.statistics.weeks') }).click();
    expect(await tableRows(page, tr('pages.statistics.byWeek'))).toEqual(
      stats.byWeek.map((w: any) => ({ label: tr('pages.statistics.weekOf', { date: formatDate(w.start, lang) }), pieces: w.pieces, cases: w.cases })),
    );
    await page.locator('.ant-segmented-item').filter({ hasText: tr('pages.statistics.months') }).click();
    await page.getByRole('table', { name: tr('pages.statistics.byMonth'), exact: true }).waitFor();
    const totals = page.getByRole('group', { name: tr('pages.statistics.totals') });
    expect(digits((await totals.getByText(count(lang, stats.totalPieces), { exact: true }).first().textContent()) ?? '')).toBe(stats.totalPieces);
    expect(digits((await totals.getByText(count(lang, stats.totalCases), { exact: true }).first().textContent()) ?? '')).toBe(stats.totalCases);
  }

  test("GD's coordinator plans an operation with HK and MO through the guided form, assigns each a task and starts it", async () => {
    const { context, page, problems } = await session('GD', ['COORDINATOR'], 'en', '/operations');
    try {
      await story('plan', [page], async () => {
        await page.getByRole('heading', { level: 1, name: 'Joint operations' }).waitFor();
        // The demo's operations are listed, newest first.
        await page.getByRole('link', { name: 'GBA Joint Action 2026-3: Bridge Watch' }).waitFor();
        await page.getByRole('menuitem', { name: 'Joint operations' }).waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, 'operations-list-en');

        await page.getByRole('button', { name: 'Plan an operation' }).click();
        await page.getByRole('heading', { level: 1, name: 'Plan a joint operation' }).waitFor();
        // Step 1: nothing passes empty.
        await page.getByRole('button', { name: 'Next', exact: true }).click();
        await page.getByText('Required.').first().waitFor();
        await page.getByLabel('Code name').fill(CODE_NAME);
        await page.getByLabel('Objective').fill(OBJECTIVE);
        await screenshot(page, 'operations-plan-step1-en');
        await page.getByRole('button', { name: 'Next', exact: true }).click();
        // Step 2: partners and the period, in UTC+8.
        await page.getByRole('checkbox', { name: /^HK — / }).check();
        await page.getByRole('checkbox', { name: /^MO — / }).check();
        const now = hubWallClock(Date.now() - 3_600_000);
        const pad = (n: number) => String(n).padStart(2, '0');
        const starts = page.getByLabel('Starts (UTC+8)');
        await starts.click();
        await starts.fill(`${now.year}-${pad(now.month)}-${pad(now.day)} ${pad(now.hour)}:${pad(now.minute)}`);
        await starts.press('Enter');
        const ends = page.getByLabel('Ends (UTC+8, optional)');
        await ends.click();
        await ends.fill(`${now.year - 1}-01-01 00:00`);
        await ends.press('Enter');
        await page.getByRole('button', { name: 'Next', exact: true }).click();
        await page.getByText('The end cannot be before the start.').waitFor();
        await ends.click();
        await ends.fill(`${now.year + 1}-03-31 18:00`);
        await ends.press('Enter');
        await page.getByRole('button', { name: 'Next', exact: true }).click();
        // Step 3: channels, commodities, ports (a bad port is refused before the hub is asked).
        await page.getByRole('checkbox', { name: 'Sea container' }).check();
        await page.getByRole('checkbox', { name: 'Cross-border e-commerce' }).check();
        const categories = page.getByLabel('Target commodities');
        await choose(page, categories, 'Bags');
        await choose(page, categories, 'Integrated circuits');
        await page.keyboard.press('Escape');
        const ports = page.getByLabel('Target ports');
        await ports.click();
        for (const p of ['cnshk', 'HKHKG', 'XX1']) {
          await ports.fill(p);
          await ports.press('Enter');
        }
        await page.getByRole('button', { name: 'Next', exact: true }).click();
        await page.getByText('XX1 is not a UN/LOCODE').waitFor();
        await page.locator('.ant-select-selection-item').filter({ hasText: 'XX1' }).locator('.ant-select-selection-item-remove').click();
        await screenshot(page, 'operations-plan-step3-en');
        await page.getByRole('button', { name: 'Next', exact: true }).click();
        // Step 4: the review says it all before anything is sent.
        const review = page.getByRole('heading', { level: 2, name: 'Review' });
        await review.waitFor();
        for (const text of [CODE_NAME, OBJECTIVE, 'GD, HK, MO', 'Sea container, Cross-border e-commerce', 'Bags, Integrated circuits', 'CNSHK, HKHKG']) await page.getByText(text, { exact: true }).waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, 'operations-plan-review-en');
        await page.getByRole('button', { name: 'Plan the operation' }).click();

        await page.getByRole('heading', { level: 1, name: new RegExp(`^${escapeRe(CODE_NAME)}`) }).waitFor();
        opId = page.url().split('/operations/')[1];
        const planned = (await api(gdApi, `query ($id: ID!) { jointOperation(id: $id) { status leadAgency { code } participants { code } targetChannels targetCategories targetPorts objective } }`, { id: opId }))
          .jointOperation;
        expect(planned).toEqual({
          status: 'PLANNED',
          leadAgency: { code: 'GD' },
          participants: [{ code: 'GD' }, { code: 'HK' }, { code: 'MO' }],
          targetChannels: ['SEA_CONTAINER', 'CROSS_BORDER_ECOMMERCE'],
          targetCategories: ['BAGS', 'INTEGRATED_CIRCUITS'],
          targetPorts: ['CNSHK', 'HKHKG'],
          objective: OBJECTIVE,
        });
        await page.getByText('Live', { exact: true }).waitFor();

        // Tasks per agency, then the start of the operation.
        for (const [agency, title] of [
          ['HK', 'Profile express consignments of integrated circuits'],
          ['MO', 'Check bridge passengers for cosmetics'],
        ]) {
          await choose(page, page.getByLabel('Agency', { exact: true }), agency);
          await page.getByLabel('Task', { exact: true }).fill(title);
          await page.getByRole('button', { name: 'Assign', exact: true }).click();
          await page.getByRole('article', { name: `${title} — Open` }).waitFor();
        }
        const board = page.getByRole('table', { name: 'Tasks by agency and state' });
        expect(await board.getByRole('row').filter({ hasText: 'HK' }).getByRole('article').count()).toBe(1);
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, 'operation-tasks-en');
        await page.getByRole('button', { name: 'Start the operation' }).click();
        await confirm(page, 'Start the operation');
        await page.getByRole('button', { name: 'Conclude', exact: true }).waitFor();
        expect((await api(gdApi, `query ($id: ID!) { jointOperation(id: $id) { status } }`, { id: opId })).jointOperation.status).toBe('ACTIVE');
        // A move the hub does not allow from ACTIVE is not offered.
        expect(await page.getByRole('button', { name: 'Start the operation' }).count()).toBe(0);
        expect(problems).toEqual([]);
      });
    } finally {
      await context.close();
    }
  });

  test('GD, HK and MO each report a result in their own session and language; GD watches them arrive live; HK moves its task, links and unlinks an alert', async () => {
    const marker = `Zq${Date.now().toString(36)}`;
    const hkToken = await trust.token('HK', ['ANALYST']);
    const draft = (await api(hkToken, CREATE, { input: alertInput({ title: `Counterfeit chips ${marker}`, distribution: { scope: 'ALL_PARTNERS' } }) })).createAlert;
    const hkAlert = (await api(hkToken, PUBLISH, { id: draft.id, version: draft.version })).publishAlert;

    const gd = await session('GD', ['COORDINATOR'], 'en', `/operations/${opId}`);
    const hk = await session('HK', ['ANALYST'], 'zh-Hant', '/operations');
    const mo = await session('MO', ['COORDINATOR'], 'pt', `/operations/${opId}`);
    try {
      await story('report', [gd.page, hk.page, mo.page], async () => {
        await gd.page.getByText('Live', { exact: true }).waitFor();
        await gd.page.getByRole('tab', { name: 'Live activity' }).click();

        // Hong Kong finds it by searching its code name, in Traditional Chinese.
        await hk.page.getByRole('heading', { level: 1, name: L('zh-Hant', 'pages.operations.title') }).waitFor();
        await hk.page.getByLabel(L('zh-Hant', 'pages.operations.list.search')).fill(CODE_NAME.split(' ').pop()!.toLowerCase());
        await hk.page.getByRole('button', { name: L('zh-Hant', 'pages.operations.list.searchButton') }).click();
        await hk.page.getByText(L('zh-Hant', 'pages.operations.list.count', { count: 1 })).waitFor();
        await hk.page.getByRole('link', { name: CODE_NAME }).click();
        await hk.page.getByText(L('zh-Hant', 'pages.operations.live.status.live'), { exact: true }).waitFor();

        // HK starts its task; the lead sees it move.
        await hk.page.getByRole('article', { name: `Profile express consignments of integrated circuits — ${L('zh-Hant', 'pages.operations.tasks.status.OPEN')}` }).getByRole('button', { name: L('zh-Hant', 'pages.operations.tasks.move.IN_PROGRESS') }).click();
        await hk.page.getByRole('article', { name: `Profile express consignments of integrated circuits — ${L('zh-Hant', 'pages.operations.tasks.status.IN_PROGRESS')}` }).waitFor();
        // MO has no button on HK's task.
        await mo.page.getByRole('article', { name: /^Profile express consignments/ }).waitFor();
        expect(await mo.page.getByRole('article', { name: /^Profile express consignments/ }).getByRole('button').count()).toBe(0);
        await gd.page.getByText('A task was assigned or moved.').waitFor();

        // HK links one of its alerts; GD's page counts it live; HK takes it off again.
        await hk.page.getByRole('tab', { name: tabNamed('zh-Hant', 'pages.operations.tabs.alerts') }).click();
        const picker = hk.page.getByLabel(L('zh-Hant', 'pages.operations.alerts.linkOwn', { agency: 'HK' }));
        await picker.click();
        await picker.fill(marker);
        await choose(hk.page, picker, `${hkAlert.reference} — ${hkAlert.title}`);
        await hk.page.getByRole('button', { name: L('zh-Hant', 'pages.operations.alerts.link'), exact: true }).click();
        await hk.page.getByRole('link', { name: hkAlert.reference }).waitFor();
        await gd.page.getByRole('tab', { name: 'Linked alerts (1)' }).waitFor();
        await gd.page.getByText('An alert was linked.').waitFor();
        await screenshot(hk.page, 'operation-alerts-zh-Hant');
        expect(await axeViolations(hk.page)).toEqual([]);
        await hk.page.getByRole('row').filter({ hasText: hkAlert.reference }).getByRole('button', { name: L('zh-Hant', 'pages.operations.alerts.unlink') }).click();
        await confirm(hk.page, L('zh-Hant', 'pages.operations.alerts.unlink'));
        await hk.page.getByRole('link', { name: hkAlert.reference }).waitFor({ state: 'detached' });
        await gd.page.getByRole('tab', { name: 'Linked alerts (0)' }).waitFor();
        await gd.page.getByText('An alert was unlinked.').waitFor();

        // Each agency reports in its own session; GD's page shows each arrive without a reload.
        const gdLoads: string[] = [];
        gd.page.on('load', () => gdLoads.push(gd.page.url()));
        await reportThroughPage(hk.page, 'zh-Hant', HK_RESULT);
        await gd.page.getByText(L('en', 'pages.operations.live.reported', { agency: 'HK', cases: 3, pieces: '2,500' })).waitFor();
        await reportThroughPage(mo.page, 'pt', MO_RESULT);
        await gd.page.getByText(L('en', 'pages.operations.live.reported', { agency: 'MO', cases: 2, pieces: '1,100' })).waitFor();
        await screenshot(gd.page, 'operation-live-en');
        await reportThroughPage(gd.page, 'en', { ...GD_RESULT, seizures: [{ ...GD_RESULT.seizures[0], holder }] });
        await gd.page.getByRole('tab', { name: 'Results (3)' }).waitFor();
        await mo.page.getByRole('tab', { name: tabNamed('pt', 'pages.operations.tabs.results') }).filter({ hasText: '(3)' }).waitFor();
        expect(gdLoads).toEqual([]);

        // What the hub holds is what was typed.
        const results = (
          await api(gdApi, `query ($id: ID!) { jointOperation(id: $id) { results { reportingAgency { code } casesOpened notes correctsResultId seizures { category infringement channel pieces place rightsHolders { name } } } } }`, { id: opId })
        ).jointOperation.results;
        const expected = (agency: string, r: ResultIn, holders: string[] = []) => ({
          reportingAgency: { code: agency },
          casesOpened: r.cases,
          notes: r.notes,
          correctsResultId: null,
          seizures: r.seizures.map((x) => ({ ...x, rightsHolders: holders.map((name) => ({ name })) })),
        });
        expect(results).toEqual([expected('HK', HK_RESULT), expected('MO', MO_RESULT), expected('GD', GD_RESULT, [holder])]);
        await screenshot(mo.page, 'operation-results-pt');
        expect(await axeViolations(mo.page)).toEqual([]);
        for (const s of [gd, hk, mo]) expect(s.problems).toEqual([]);
      });
    } finally {
      await Promise.all([gd, hk, mo].map((s) => s.context.close()));
    }
  });

  test("MO corrects its result: the correction counts once, in the page's statistics and in the hub's", async () => {
    const before = await hubStatistics();
    expect(before.totalPieces).toBe(1200 + 2500 + 1100);
    expect(before.totalCases).toBe(4 + 3 + 2);
    const mo = await session('MO', ['COORDINATOR'], 'pt', `/operations/${opId}`);
    const gd = await session('GD', ['COORDINATOR'], 'en', `/operations/${opId}`);
    try {
      await story('correct', [gd.page, mo.page], async () => {
        await gd.page.getByRole('tab', { name: 'Statistics' }).click();
        await gd.page.getByRole('table', { name: 'Seizures by agency' }).waitFor();
        await mo.page.getByRole('heading', { level: 1, name: new RegExp(`^${escapeRe(CODE_NAME)}`) }).waitFor();
        // Only Macao's own result can be corrected from Macao's page.
        await mo.page.getByRole('tab', { name: tabNamed('pt', 'pages.operations.tabs.results') }).click();
        const correctButtons = mo.page.getByRole('button', { name: new RegExp(`^${escapeRe(L('pt', 'pages.operations.results.correctLabel').split('{{agency}}')[0])}`) });
        await correctButtons.first().waitFor();
        expect(await correctButtons.count()).toBe(1);
        const label = L('pt', 'pages.operations.results.correctLabel', { agency: 'MO', cases: 2, pieces: count('pt', 1100) });
        await reportThroughPage(mo.page, 'pt', MO_CORRECTED, label);
        // The replaced result stays on record, no longer counted; the correction counts.
        await mo.page.getByText(L('pt', 'pages.operations.results.superseded')).waitFor();
        expect(await mo.page.getByText(L('pt', 'pages.operations.results.counted'), { exact: true }).count()).toBe(3);
        expect(await correctButtons.count()).toBe(1);
        await screenshot(mo.page, 'operation-correction-pt');

        const after = await hubStatistics();
        expect(after.totalPieces).toBe(1200 + 2500 + 650 + 300);
        expect(after.totalCases).toBe(4 + 3 + 3);
        expect(after.byAgency.find((a: any) => a.agency.code === 'MO')).toEqual({ agency: { code: 'MO' }, pieces: 950, cases: 3 });
        // GD's open page follows: its tables show the corrected figures, once.
        await until(async () => (await tableRows(gd.page, 'Seizures by agency')).some((r) => r.label === 'MO' && r.pieces === 950), "GD's page showing MO's correction");
        await expectTablesEqual(gd.page, 'en', after);
        for (const s of [gd, mo]) expect(s.problems).toEqual([]);
      });
    } finally {
      await Promise.all([gd, mo].map((s) => s.context.close()));
    }
  });

  test("the charts' numbers equal the hub's operationStatistics for the operation and across operations, the demo's joint actions and Dragon Action among them", async () => {
    const stats = await hubStatistics();
    const gd = await session('GD', ['COORDINATOR'], 'en', `/operations/${opId}`);
    const hk = await session('HK', ['OBSERVER'], 'zh-Hant', `/operations/${opId}`);
    try {
      await story('charts', [gd.page, hk.page], async () => {
        await gd.page.getByRole('tab', { name: 'Statistics' }).click();
        await expectTablesEqual(gd.page, 'en', stats);
        // Each chart is an image with a name; its numbers are the table beside it.
        expect(await gd.page.getByRole('img', { name: /^Bar chart: Seizures by agency/ }).count()).toBe(1);
        expect(await axeViolations(gd.page)).toEqual([]);
        await screenshot(gd.page, 'operation-statistics-en');

        // Across operations, for GD.
        await gd.page.getByRole('menuitem', { name: 'Statistics' }).click();
        await gd.page.getByRole('heading', { level: 1, name: 'Seizure statistics' }).waitFor();
        const all = (await api(gdApi, `{ seizureStatistics ${STATS.replace(/^statistics /, '')} jointOperations(first: 100) { edges { node { codeName statistics { totalPieces totalCases } } } } }`)) as any;
        await expectTablesEqual(gd.page, 'en', all.seizureStatistics);
        const perOperation = await tableRows(gd.page, 'Seizures by operation');
        expect(byLabel(perOperation)).toEqual(
          byLabel(all.jointOperations.edges.filter((e: any) => e.node.statistics.totalPieces > 0).map((e: any) => ({ label: e.node.codeName, pieces: e.node.statistics.totalPieces, cases: e.node.statistics.totalCases }))),
        );
        // The demo: three joint actions, 153,000 pieces; Dragon Action 2020, 1.38 million.
        const jointActions = perOperation.filter((r) => r.label.startsWith('GBA Joint Action 2026-'));
        expect(jointActions).toHaveLength(3);
        expect(jointActions.reduce((n, r) => n + r.pieces, 0)).toBe(153_000);
        expect(perOperation.find((r) => r.label === 'Dragon Action 2020')?.pieces).toBe(1_380_000);
        expect(perOperation.find((r) => r.label === CODE_NAME)).toEqual({ label: CODE_NAME, pieces: stats.totalPieces, cases: stats.totalCases });
        // Read out as a coordinator would: the joint operations with partners, and an agency's own action.
        const jointCases = jointActions.reduce((n, r) => n + r.cases, 0) + stats.totalCases;
        await gd.page.getByText(L('en', 'pages.statistics.jointSummary', { operations: 4, pieces: count('en', 153_000 + stats.totalPieces), cases: jointCases }), { exact: false }).waitFor();
        await gd.page.getByText(L('en', 'pages.statistics.singleSummary', { operations: 1, pieces: '1,380,000', cases: 86 }), { exact: false }).waitFor();
        expect(await axeViolations(gd.page)).toEqual([]);
        await screenshot(gd.page, 'statistics-en');
        // One operation: Dragon Action, month by month to late April.
        await choose(gd.page, gd.page.getByLabel('Operations', { exact: true }), 'Dragon Action 2020');
        await gd.page.getByRole('link', { name: 'Open the operation' }).waitFor();
        // The charts follow once the hub has answered for that operation alone.
        await until(async () => (await tableRows(gd.page, 'Seizures by agency')).every((r) => r.label === 'GD'), 'the statistics of Dragon Action alone');
        expect(await tableRows(gd.page, 'Seizures by month')).toEqual([
          { label: 'February 2020', pieces: 250_000, cases: 24 },
          { label: 'March 2020', pieces: 550_000, cases: 31 },
          { label: 'April 2020', pieces: 580_000, cases: 31 },
        ]);
        await screenshot(gd.page, 'statistics-dragon-en');

        // HK (an observer) sees the same figures of the operations it takes part in, in its language.
        const hkApi = await trust.token('HK', ['OBSERVER']);
        const hkAll = (await api(hkApi, `{ seizureStatistics ${STATS.replace(/^statistics /, '')} }`)).seizureStatistics;
        // An observer reads the operation; nothing it may not do is offered.
        await hk.page.getByRole('heading', { level: 1, name: new RegExp(`^${escapeRe(CODE_NAME)}`) }).waitFor();
        expect(await hk.page.getByRole('main').getByRole('button').allInnerTexts()).toEqual([L('zh-Hant', 'pages.operations.report.open')]);
        await hk.page.getByRole('tab', { name: tabNamed('zh-Hant', 'pages.operations.tabs.results') }).click();
        await hk.page.getByRole('tab', { name: tabNamed('zh-Hant', 'pages.operations.tabs.alerts') }).click();
        for (const key of ['pages.operations.results.report', 'pages.operations.results.correct', 'pages.operations.alerts.link', 'pages.operations.alerts.unlink', 'pages.operations.tasks.move.IN_PROGRESS', 'pages.operations.tasks.addButton']) {
          expect({ key, offered: await hk.page.getByRole('main').getByRole('button', { name: L('zh-Hant', key), exact: true }).count() }).toEqual({ key, offered: 0 });
        }
        expect(await hk.page.getByRole('main').getByRole('combobox').count()).toBe(0);
        await hk.page.getByRole('menuitem', { name: L('zh-Hant', 'shell.menu.statistics') }).click();
        await hk.page.getByRole('heading', { level: 1, name: L('zh-Hant', 'pages.statistics.title') }).waitFor();
        await expectTablesEqual(hk.page, 'zh-Hant', hkAll);
        expect(await tableRows(hk.page, L('zh-Hant', 'pages.statistics.byOperation'))).not.toContainEqual(expect.objectContaining({ label: 'Dragon Action 2020' }));
        await screenshot(hk.page, 'statistics-zh-Hant');
        for (const s of [gd, hk]) expect(s.problems).toEqual([]);
      });
    } finally {
      await Promise.all([gd, hk].map((s) => s.context.close()));
    }
  });

  test("the report prints to a clean PDF whose text holds the operation's totals, in the viewer's language", async () => {
    const stats = await hubStatistics();
    for (const [agency, lang] of [
      ['GD', 'en'],
      ['HK', 'zh-Hant'],
    ] as const) {
      const s = await session(agency, ['ANALYST'], lang, `/operations/${opId}`);
      try {
        await s.page.getByRole('button', { name: L(lang, 'pages.operations.report.open') }).click();
        await s.page.getByRole('heading', { level: 1, name: new RegExp(`^${escapeRe(CODE_NAME)}`) }).waitFor();
        await s.page.getByRole('table', { name: L(lang, 'pages.statistics.byMonth') }).waitFor();
        expect(await axeViolations(s.page)).toEqual([]);
        await screenshot(s.page, `operation-report-${lang}`);
        const pdf = join(SCREENSHOT_DIR, `operation-report-${lang}.pdf`);
        await s.page.pdf({ path: pdf, format: 'A4', printBackground: true });
        const text = pdfText(pdf);
        const flat = squeezed(text);
        const totals = L(lang, 'pages.operations.report.totalsText', {
          pieces: count(lang, stats.totalPieces),
          cases: count(lang, stats.totalCases),
          holders: count(lang, stats.rightsHoldersProtected),
          results: 3,
        });
        expect(flat).toContain(squeezed(totals));
        for (const expected of [L(lang, 'pages.operations.report.title'), CODE_NAME, OBJECTIVE, L(lang, 'pages.operations.report.timeline'), L(lang, 'pages.statistics.byChannel')]) {
          expect(flat).toContain(squeezed(expected));
        }
        // Each agency's figures, as in the hub's statistics.
        for (const a of stats.byAgency) expect(flat).toContain(squeezed(`${a.agency.code} — `));
        expect(flat).toContain(squeezed(count(lang, stats.byAgency.find((a: any) => a.agency.code === 'HK').pieces)));
        // Clean: none of the console around it (menu, header, buttons).
        for (const chrome of ['shell.menu.liveBoard', 'shell.menu.operations', 'shell.signOut', 'pages.operations.report.print']) expect(flat).not.toContain(squeezed(L(lang, chrome)));
        // The pages as images, for review beside the screenshots.
        const pages = pdfPages(pdf, join(SCREENSHOT_DIR, `operation-report-${lang}-pdf`));
        expect(pages.length).toBeGreaterThanOrEqual(1);
        expect(readFileSync(pages[0]).length).toBeGreaterThan(10_000);
        expect(s.problems).toEqual([]);
      } finally {
        await s.context.close();
      }
    }
  });

  test('an agency that takes no part sees nothing of the operation anywhere in the console: pages, network responses, storage', async () => {
    const secrets = [opId, CODE_NAME, OBJECTIVE, HK_RESULT.notes, MO_RESULT.notes, 'Profile express consignments of integrated circuits'];
    const pp = await session('PP', ['COORDINATOR', 'ANALYST', 'OBSERVER'], 'en', '/operations');
    const bodies: string[] = [];
    const pending: Promise<void>[] = [];
    pp.page.on('response', (r) => {
      pending.push(
        r
          .text()
          .then((b) => void bodies.push(b))
          .catch(() => undefined),
      );
    });
    // Frames on the socket (the operation's events, were any sent) count as responses too.
    pp.page.on('websocket', (ws) => ws.on('framereceived', (f) => void bodies.push(String(f.payload))));
    try {
      await story('nonparticipant', [pp.page], async () => {
        const { page } = pp;
        await page.getByText('Operations found: 0').waitFor();
        await page.getByLabel('Search operations').fill(CODE_NAME);
        await page.getByRole('button', { name: 'Search', exact: true }).click();
        await page.getByText('No operation matches.').waitFor();
        await screenshot(page, 'operations-nonparticipant-en');

        for (const path of [`/operations/${opId}`, `/operations/${opId}/report`]) {
          await page.goto(consoleUrl(t, path));
          await page.getByText('This operation does not exist, or your agency does not take part in it.').waitFor();
          // The same words as for an operation that does not exist.
          expect(await page.getByRole('main').innerText()).not.toContain(CODE_NAME);
        }
        await page.goto(consoleUrl(t, `/statistics?operation=${opId}`));
        await page.getByRole('heading', { level: 1, name: 'Seizure statistics' }).waitFor();
        await page.getByText('This operation does not exist, or your agency does not take part in it.').waitFor();
        await page.getByText('All operations (0)').waitFor({ state: 'attached' });
        expect(await tableRows(page, 'Seizures by agency')).toEqual([]);
        await page.goto(consoleUrl(t, `/alerts?operation=${opId}`));
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        await Promise.all(pending);

        const stored = await storedText(page);
        const html = await page.content();
        for (const secret of secrets) {
          expect({ secret, inResponses: bodies.some((b) => b.includes(secret)) }).toEqual({ secret, inResponses: false });
          expect({ secret, inStorage: stored.includes(secret) }).toEqual({ secret, inStorage: false });
          expect({ secret, inPage: html.includes(secret) && secret !== opId }).toEqual({ secret, inPage: false });
        }
        expect(bodies.length).toBeGreaterThan(5);
        expect(pp.problems).toEqual([]);
      });
    } finally {
      await pp.context.close();
    }
  });
});
