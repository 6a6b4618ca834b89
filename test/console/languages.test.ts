import type { Browser } from 'playwright-core';
import { consoleUrl, launchBrowser, openConsole, screenshot, signInWithDevToken } from '../support/browser';
import { CREATE, alertInput } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * The console in each of its four languages: every page renders its own text, with no key shown
 * raw and none reported missing (the console logs a missing key as an error, which fails here).
 */
describe('console: languages', () => {
  let t: TestHub;
  let browser: Browser;
  let alertId: string;
  beforeAll(async () => {
    browser = await launchBrowser();
    t = await startTestHub({ devIdentity: true });
    const res = await fetch(consoleUrl(t, '/auth/dev-token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agency: 'GD', roles: ['ANALYST'] }) });
    const { token } = (await res.json()) as { token: string };
    const created = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: CREATE, variables: { input: alertInput({ title: 'Speakers for the language check' }) } }),
    });
    alertId = ((await created.json()) as { data: { createAlert: { id: string } } }).data.createAlert.id;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const LANGUAGES = [
    { browser: 'en-GB', lang: 'en', liveBoard: 'Live board' },
    { browser: 'zh-CN', lang: 'zh-Hans', liveBoard: '实时看板' },
    { browser: 'zh-HK', lang: 'zh-Hant', liveBoard: '即時看板' },
    { browser: 'pt-PT', lang: 'pt', liveBoard: undefined },
  ];

  test.each(LANGUAGES)('a GD analyst whose browser asks for $browser sees every page in $lang, no key raw or missing', async ({ browser: locale, lang, liveBoard }) => {
    const { context, page, problems } = await openConsole(browser, t, { locale, path: null });
    try {
      await signInWithDevToken(context, t, 'GD', ['ANALYST']);
      for (const path of ['/', '/alerts', `/alerts/${alertId}`, '/compose', `/compose/${alertId}`]) {
        await page.goto(consoleUrl(t, path));
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        const text = await page.locator('body').innerText();
        // A key shown raw looks like `pages.alerts.title` or `shell.menu.alerts`.
        expect(text.match(/\b(?:pages|shell|common|signIn|errors)\.[A-Za-z0-9_.]+/g) ?? []).toEqual([]);
        if (path === '/' && liveBoard) expect(text).toContain(liveBoard);
        await screenshot(page, `language-${lang}-${path === '/' ? 'live-board' : path.slice(1).replace(/\/[0-9a-f-]{36}$/, '-id')}`);
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
