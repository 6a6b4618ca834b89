import type { Browser } from 'playwright-core';
import { axeViolations, launchBrowser, openConsole, screenshot, signInThroughPage, signInWithDevToken } from '../support/browser';
import { startTestHub, type TestHub } from '../support/hub';

/** Stories of the console's development sign-in, in a real Chromium against a real hub and database. */
describe('console: development sign-in', () => {
  let t: TestHub;
  let browser: Browser;
  beforeAll(async () => {
    // Chromium first: a machine without it fails here, in one line, before a hub starts.
    browser = await launchBrowser();
    t = await startTestHub({ devIdentity: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('an HK analyst signs in through the development sign-in and sees the console in English and in 繁體中文', async () => {
    const { context, page, problems } = await openConsole(browser, t, { locale: 'en-GB' });
    try {
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      await page.getByRole('radio', { name: /^HK — Hong Kong Customs/ }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'sign-in-en');

      await signInThroughPage(page, 'HK', ['Analyst']);

      // The header shows who the hub says the token is (the viewer query), not what was picked.
      await page.getByRole('heading', { level: 1, name: 'Live board' }).waitFor();
      await page.getByLabel('Agency: HK — Hong Kong Customs and Excise Department').waitFor();
      expect(await page.getByLabel('Roles').innerText()).toBe('Analyst');
      const nav = page.getByRole('navigation', { name: 'Main navigation' });
      expect(await nav.getByRole('menuitem').allInnerTexts()).toEqual(['Live board', 'Alerts', 'Compose alert', 'Shipment clusters', 'Identifier check', 'Disclosure inbox', 'Joint operations', 'Statistics', 'GraphQL explorer']);
      expect(await page.getByText(/^Session ends .* UTC\+8$/).count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'shell-en');

      // The token is in this tab's sessionStorage, and nowhere in localStorage.
      const storage = (await page.evaluate(`({ session: sessionStorage.getItem('gba-hub.session'), local: JSON.stringify(Object.fromEntries(Object.entries(localStorage))) })`)) as { session: string | null; local: string };
      const session = JSON.parse(storage.session ?? '{}');
      expect(session).toMatchObject({ agency: 'HK', roles: ['ANALYST'] });
      expect(session.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(storage.local).not.toContain(session.token);
      expect(storage.local).not.toContain(session.token.split('.')[2]);

      // 繁體中文 from the header's language menu.
      await page.getByRole('button', { name: 'Language: English' }).click();
      await page.getByRole('menuitem', { name: '繁體中文' }).click();
      await page.getByRole('heading', { level: 1, name: '即時看板' }).waitFor();
      expect(await page.getByRole('navigation', { name: '主導覽' }).getByRole('menuitem').allInnerTexts()).toEqual(['即時看板', '警示', '撰寫警示', '拆分貨物群組', '識別資料核查', '披露收件匣', '聯合行動', '統計', 'GraphQL 瀏覽器']);
      expect(await page.getByLabel('角色').innerText()).toBe('分析員');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-Hant');
      expect(await page.getByText(/^工作階段結束於 .* UTC\+8$/).count()).toBe(1);
      // The language menu fades out after the choice; axe would measure its half-transparent items.
      await page.getByRole('menuitem', { name: 'Português' }).waitFor({ state: 'hidden' });
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'shell-zh-Hant');

      // A reload keeps the language (picked) and the session (same tab).
      await page.reload();
      await page.getByRole('heading', { level: 1, name: '即時看板' }).waitFor();

      // Signing out clears the token.
      await page.getByRole('button', { name: '登出' }).click();
      await page.getByRole('heading', { level: 1, name: '登入' }).waitFor();
      expect(await page.evaluate(`sessionStorage.getItem('gba-hub.session')`)).toBeNull();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('a browser set to Hong Kong Chinese opens the sign-in page in 繁體中文; one set to Portuguese in Português', async () => {
    for (const [locale, heading, button] of [
      ['zh-HK', '登入', '登入'],
      ['pt-BR', 'Iniciar sessão', 'Iniciar sessão'],
      ['zh-CN', '登录', '登录'],
    ]) {
      const { context, page, problems } = await openConsole(browser, t, { locale });
      try {
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await page.getByRole('button', { name: button }).waitFor();
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });

  test('the console signs out by itself when the token expires', async () => {
    const { context, page, problems } = await openConsole(browser, t, { path: null });
    try {
      await signInWithDevToken(context, t, 'MO', ['OBSERVER'], new Date(Date.now() + 12_000));
      await page.goto(t.url.replace(/\/graphql$/, '/alerts'));
      await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
      await page.getByLabel('Agency: MO — Macao Customs Service').waitFor();
      // An OBSERVER is not offered Compose (the hub would refuse it anyway).
      expect(await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('menuitem').allInnerTexts()).toEqual(['Live board', 'Alerts', 'Joint operations', 'Statistics', 'GraphQL explorer']);
      // A token with 12 s to live: long enough for the page to load on a loaded 2-core machine.
      await page.getByText('Your session ended. Sign in again.').waitFor({ timeout: 25_000 });
      expect(await page.evaluate(`sessionStorage.getItem('gba-hub.session')`)).toBeNull();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
