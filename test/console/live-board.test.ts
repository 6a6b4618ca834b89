import type { Browser, Page } from 'playwright-core';
import { axeViolations, consoleUrl, launchBrowser, openConsole, screenshot, signInWithDevToken } from '../support/browser';
import { alertInput, PUBLISH } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * Stories of the live board (issue 19): a duty officer's view of alerts as they are published,
 * in a real Chromium against a real hub: GD publishes through the hub's GraphQL API, as its
 * own analysts' systems do, and HK's board shows what the hub hands on.
 */
const CREATE_SHORT = `mutation ($input: CreateAlertInput!) { createAlert(input: $input) { id reference partnerReference version } }`;

describe('console: the live board', () => {
  let t: TestHub;
  let browser: Browser;
  let gdToken: string;
  let run = 0;

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await startTestHub({ devIdentity: true });
    gdToken = await devToken('GD', ['ANALYST']);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function devToken(agency: string, roles: string[]): Promise<string> {
    const res = await fetch(consoleUrl(t, '/auth/dev-token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agency, roles }) });
    if (!res.ok) throw new Error(`dev-token: HTTP ${res.status}`);
    return ((await res.json()) as { token: string }).token;
  }

  /** A unique title for this test run (the hub's database is shared by the file's stories). */
  function title(what: string): string {
    run += 1;
    return `${what} #${run} ${Date.now().toString(36)}`;
  }

  /** GD creates and publishes an alert shared with `agencies`; resolves with the publish response. */
  async function gdPublishes(alertTitle: string, agencies: string[], overrides: Record<string, unknown> = {}): Promise<{ id: string; reference: string; partnerReference: string }> {
    const created = await t.gql(gdToken, CREATE_SHORT, {
      input: alertInput({ title: alertTitle, distribution: { scope: 'SELECTED_AGENCIES', agencies }, ...overrides }),
    });
    expect(created.body.errors).toBeUndefined();
    const a = created.body.data.createAlert;
    const published = await t.gql(gdToken, PUBLISH, { id: a.id, version: a.version });
    expect(published.body.errors).toBeUndefined();
    return { id: a.id, reference: a.reference, partnerReference: a.partnerReference };
  }

  async function openBoard(agency: string) {
    const opened = await openConsole(browser, t, { path: null });
    await signInWithDevToken(opened.context, t, agency, ['OBSERVER']);
    return opened;
  }

  async function goLive(page: Page): Promise<void> {
    await page.goto(consoleUrl(t, '/live'));
    await page.getByRole('heading', { level: 1, name: 'Live board' }).waitFor();
    await page.getByRole('status').filter({ hasText: /^Live$/ }).waitFor({ timeout: 15_000 });
  }

  function row(page: Page, text: string) {
    return page.getByRole('row').filter({ hasText: text });
  }

  test("an HK duty officer sees GD's alert arrive within a second of its publication", async () => {
    const { context, page, problems } = await openBoard('HK');
    try {
      await goLive(page);
      await page.getByText('No alert events yet.', { exact: false }).waitFor();
      expect(await axeViolations(page)).toEqual([]);

      const alertTitle = title('Counterfeit earphones in transit');
      const published = await gdPublishes(alertTitle, ['HK'], { riskLevel: 'CRITICAL' });
      const publishedAt = Date.now();
      await row(page, alertTitle).waitFor({ timeout: 5_000 });
      const latency = Date.now() - publishedAt;
      expect(latency).toBeLessThan(1_000);

      // The row: time in UTC+8, kind, GD, the partner reference (never GD's register number), risk by name, channel, ports.
      const cells = await row(page, alertTitle).getByRole('cell').allInnerTexts();
      expect(cells).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d UTC\+8$/), 'Published', 'GD', published.partnerReference, alertTitle, 'Critical', 'Sea container', 'CNSHK → AEJEA']);
      expect(published.partnerReference).not.toBe(published.reference);
      expect(await page.getByRole('link', { name: published.partnerReference }).getAttribute('href')).toBe(`/alerts/${published.id}`);

      // The port filter applies to the rows shown and goes to the hub: an alert for another port
      // published meanwhile never reaches the board, not even once the filter is cleared.
      await page.getByLabel('Port (UN/LOCODE)').fill('HKHKG');
      await row(page, alertTitle).waitFor({ state: 'detached' });
      const otherPort = title('Speakers for Jebel Ali');
      await gdPublishes(otherPort, ['HK']);
      const hongKong = title('Handbags via Hong Kong');
      await gdPublishes(hongKong, ['HK'], { portOfDischarge: 'HKHKG', riskLevel: 'MEDIUM' });
      await row(page, hongKong).waitFor();
      await page.getByLabel('Port (UN/LOCODE)').fill('');
      await row(page, alertTitle).waitFor();
      expect(await row(page, otherPort).count()).toBe(0);

      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'live-board-en');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('an alert GD shares only with MO never appears on HK’s board', async () => {
    const { context, page, problems } = await openBoard('HK');
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8'))));
    try {
      await goLive(page);
      const hiddenTitle = title('Macao-only cigarettes');
      const hidden = await gdPublishes(hiddenTitle, ['MO']);
      const visibleTitle = title('Shared watches');
      await gdPublishes(visibleTitle, ['HK']);
      await row(page, visibleTitle).waitFor({ timeout: 5_000 });

      const html = await page.content();
      const storage = (await page.evaluate(`JSON.stringify({ s: Object.entries(sessionStorage), l: Object.entries(localStorage) })`)) as string;
      expect(frames.join('\n')).toContain(visibleTitle);
      for (const secret of [hiddenTitle, hidden.partnerReference, hidden.reference, hidden.id]) {
        expect(html).not.toContain(secret);
        expect(frames.join('\n')).not.toContain(secret);
        expect(storage).not.toContain(secret);
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('a reload resumes the board without losing or repeating an event', async () => {
    const { context, page, problems } = await openBoard('HK');
    try {
      await goLive(page);
      const before = title('Before the reload');
      await gdPublishes(before, ['HK']);
      await row(page, before).waitFor();

      // The reload is held while the page's scripts load; GD publishes meanwhile (the old page is gone).
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let requested!: () => void;
      const reloading = new Promise<void>((r) => (requested = r));
      await page.route(/\/assets\/.+\.js$/, async (route) => {
        requested();
        await gate;
        await route.continue();
      });
      const reloaded = page.reload();
      await reloading;
      const during = [title('During the reload, first'), title('During the reload, second')];
      for (const d of during) await gdPublishes(d, ['HK']);
      release();
      await reloaded;
      await page.unroute(/\/assets\/.+\.js$/);

      await page.getByRole('status').filter({ hasText: /^Live$/ }).waitFor({ timeout: 15_000 });
      for (const d of during) await row(page, d).waitFor({ timeout: 5_000 });
      // One more after, so that a late repeat would have arrived by the time it shows.
      const after = title('After the reload');
      await gdPublishes(after, ['HK']);
      await row(page, after).waitFor();
      for (const text of [before, ...during, after]) expect(await row(page, text).count()).toBe(1);
      // Newest first.
      const titles = (await page.getByRole('row').allInnerTexts()).slice(1).map((r) => [before, ...during, after].find((x) => r.includes(x)));
      expect(titles).toEqual([after, during[1], during[0], before]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
