import type { Browser, Page } from 'playwright-core';
import { axeViolations, consoleUrl, launchBrowser, openConsole, screenshot, signInWithDevToken } from '../support/browser';
import { alertInput, PUBLISH } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';
import { startFlakyNetwork } from '../support/network';

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

  /**
   * Every row on the board, top to bottom. The list is virtualized (only the rows in view are in
   * the DOM): it is scrolled through, and each row read once by its aria-rowindex.
   */
  async function allRows(page: Page): Promise<string[]> {
    const scroller = `document.querySelector('[data-testid=live-board-scroller]')`;
    const byIndex = new Map<number, string>();
    for (let top = 0; ; ) {
      await page.evaluate(`${scroller}.scrollTop = ${top}`);
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      const seen = (await page.evaluate(`(() => {
        const s = ${scroller};
        return { height: s.clientHeight, end: s.scrollHeight, rows: [...s.querySelectorAll('[role=row]')].map((r) => [Number(r.getAttribute('aria-rowindex')), r.innerText]) };
      })()`)) as { height: number; end: number; rows: [number, string][] };
      for (const [i, text] of seen.rows) byIndex.set(i, text);
      if (top + seen.height >= seen.end) break;
      top += Math.max(1, Math.floor(seen.height / 2));
    }
    const indexes = [...byIndex.keys()].sort((a, b) => a - b);
    // Rows 2, 3, … (1 is the header): a gap would mean a row was never read.
    expect(indexes).toEqual(indexes.map((_, k) => k + 2));
    return indexes.map((i) => byIndex.get(i) as string);
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

  test('a dropped connection resumes without loss: events published while the network was down show once each, in order', async () => {
    // The board's traffic crosses a stretch of network the test can take down; GD publishes
    // straight to the hub, as its own systems do, whatever HK's network does.
    const network = await startFlakyNetwork(t.url);
    const { context, page, problems } = await openBoard('HK');
    const statuses: string[] = [];
    await page.exposeFunction('boardStatusSeen', (text: string) => statuses.push(text));
    await context.addInitScript({
      content: `new MutationObserver(() => {
        const s = document.querySelector('[role=status]');
        const text = s && s.textContent;
        if (text && text !== window.__lastBoardStatus) { window.__lastBoardStatus = text; window.boardStatusSeen(text); }
      }).observe(document, { subtree: true, childList: true, characterData: true });`,
    });
    const published: string[] = [];
    let publishing = true;
    let publisher: Promise<void> | undefined;
    try {
      await page.goto(network.url('/live'));
      await page.getByRole('heading', { level: 1, name: 'Live board' }).waitFor();
      await page.getByRole('status').filter({ hasText: /^Live$/ }).waitFor({ timeout: 15_000 });
      // GD keeps publishing, one alert every 250 ms, before, during and after the drop.
      publisher = (async () => {
        while (publishing) {
          const alertTitle = title('Steady stream');
          await gdPublishes(alertTitle, ['HK']);
          published.push(alertTitle);
          await new Promise((r) => setTimeout(r, 250));
        }
      })();
      while (published.length < 3) await new Promise((r) => setTimeout(r, 50));
      await row(page, published[2]).waitFor({ timeout: 5_000 });

      // The link fails: the browser goes offline and the socket's bytes stop mid-stream, nothing closed.
      await context.setOffline(true);
      network.drop();
      const droppedAt = published.length;
      // The board notices by itself (no pong to its ping: at most KEEP_ALIVE_MS + PONG_TIMEOUT_MS), and says so.
      await page.getByRole('status').filter({ hasText: 'Connection lost: reconnecting…' }).waitFor({ timeout: 25_000 });
      while (published.length < droppedAt + 4) await new Promise((r) => setTimeout(r, 50));
      const whileDown = published.slice(droppedAt);
      expect(await row(page, whileDown[whileDown.length - 1]).count()).toBe(0);
      await screenshot(page, 'live-board-reconnecting-en');

      // The link comes back.
      await context.setOffline(false);
      network.restore();
      await page.getByRole('status').filter({ hasText: /^Live$/ }).waitFor({ timeout: 30_000 });
      const backAt = published.length;
      while (published.length < backAt + 2) await new Promise((r) => setTimeout(r, 50));
      publishing = false;
      await publisher;
      const last = published[published.length - 1];
      await row(page, last).waitFor({ timeout: 5_000 });
      // A moment more, so that a late repeat would have arrived.
      await new Promise((r) => setTimeout(r, 500));

      // Every event exactly once, newest first, with nothing else on the board.
      const shown = (await allRows(page)).map((r) => published.find((x) => r.includes(x)) ?? r);
      expect(shown).toEqual([...published].reverse());
      await page.getByText(`Events: ${published.length} (`).waitFor();
      expect(published.length).toBeGreaterThanOrEqual(10);
      // Live, then lost once, then live again on a new connection.
      expect(statuses.slice(statuses.indexOf('Live'))).toEqual(['Live', 'Connection lost: reconnecting…', 'Live']);
      expect(network.connections()).toBeGreaterThan(1);
      // The browser may report a socket that failed to open while the link was down; nothing else may go wrong.
      expect(problems.filter((p) => !/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/graphql' failed/.test(p))).toEqual([]);
    } finally {
      publishing = false;
      await publisher?.catch(() => undefined);
      await context.close();
      await network.close();
    }
  });
  test('back online after an outage, the board finds its dead socket at once and resumes without loss or repeat', async () => {
    // The board's socket crosses a stretch of network that fails silently and comes back the way
    // a NAT that lost its state does: the old connection stays open at both ends and carries
    // nothing, so only a probe can tell it is dead. The page's clock is held still from just
    // before the outage: the keep-alive (a ping every 10 s, 5 s for its pong) cannot notice
    // anything, and the board's own retry timers do not run either; the clock is then moved on
    // by less than the keep-alive's pong timeout alone.
    const network = await startFlakyNetwork(t.url);
    const { context, page, problems } = await openBoard('HK');
    const statuses: string[] = [];
    await page.exposeFunction('boardStatusSeen', (text: string) => statuses.push(text));
    await context.addInitScript({
      content: `new MutationObserver(() => {
        const s = document.querySelector('[role=status]');
        const text = s && s.textContent;
        if (text && text !== window.__lastBoardStatus) { window.__lastBoardStatus = text; window.boardStatusSeen(text); }
      }).observe(document, { subtree: true, childList: true, characterData: true });`,
    });
    try {
      await page.clock.install();
      await page.goto(network.url('/live'));
      await page.getByRole('heading', { level: 1, name: 'Live board' }).waitFor();
      await page.getByRole('status').filter({ hasText: /^Live$/ }).waitFor({ timeout: 15_000 });
      const before = title('Before the outage');
      await gdPublishes(before, ['HK']);
      await row(page, before).waitFor({ timeout: 5_000 });

      await page.clock.pauseAt(await page.evaluate('Date.now() + 50'));
      await context.setOffline(true);
      network.drop();
      const during = [title('During the outage, first'), title('During the outage, second')];
      for (const d of during) await gdPublishes(d, ['HK']);
      const connectionsBefore = network.connections();

      // The network is back (the browser fires `online`); the old connection stays dead.
      network.restore({ stale: 'silent' });
      await context.setOffline(false);
      // Less than the keep-alive's pong timeout (PONG_TIMEOUT_MS, 5 s) and more than the probe's (PROBE_TIMEOUT_MS, 2 s).
      await page.clock.runFor(2_500);
      // Opened within that time: only the probe on `online` could have found the socket dead.
      for (let i = 0; i < 100 && network.connections() === connectionsBefore; i++) await new Promise((r) => setTimeout(r, 50));
      expect(network.connections()).toBeGreaterThan(connectionsBefore);
      await page.clock.resume();

      await page.getByRole('status').filter({ hasText: /^Live$/ }).waitFor({ timeout: 15_000 });
      for (const d of during) await row(page, d).waitFor({ timeout: 5_000 });
      const after = title('After the outage');
      await gdPublishes(after, ['HK']);
      await row(page, after).waitFor({ timeout: 5_000 });
      // A moment more, so that a late repeat would have arrived.
      await new Promise((r) => setTimeout(r, 500));

      // Every event exactly once, newest first.
      const shown = (await allRows(page)).map((r) => [before, ...during, after].find((x) => r.includes(x)) ?? r);
      expect(shown).toEqual([after, during[1], during[0], before]);
      // Live, then lost once (the probe ended the dead socket), then live again on a new connection.
      expect(statuses.slice(statuses.indexOf('Live'))).toEqual(['Live', 'Connection lost: reconnecting…', 'Live']);
      expect(problems.filter((p) => !/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/graphql' failed/.test(p))).toEqual([]);
    } finally {
      await context.close();
      await network.close();
    }
  });
});
