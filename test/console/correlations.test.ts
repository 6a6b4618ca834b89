import type { Browser } from 'playwright-core';
import { axeViolations, consoleUrl, launchBrowser, openConsole, screenshot, signInWithDevToken } from '../support/browser';
import { CREATE, PUBLISH, alertInput, containerNo } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * Stories of the correlations panel on one's own alert, in a real Chromium against a real hub:
 * a Guangdong analyst learns that Hong Kong and Macao hold alerts with the same phone number,
 * sees Hong Kong's (shared with it) and asks for the withheld class in one click, while Macao's
 * (not shared) shows only its agency; the phone number itself never reaches the page.
 */
describe('console: correlations', () => {
  let t: TestHub;
  let browser: Browser;
  let gd: string;
  let hk: string;
  let mo: string;

  async function devToken(agency: string, roles: string[]): Promise<string> {
    const res = await fetch(consoleUrl(t, '/auth/dev-token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agency, roles }) });
    return ((await res.json()) as { token: string }).token;
  }

  async function publish(token: string, overrides: Record<string, unknown>): Promise<{ id: string; reference: string; title: string }> {
    const created = await t.gql(token, CREATE, { input: alertInput(overrides) });
    expect(created.body.errors).toBeUndefined();
    const a = created.body.data.createAlert;
    const published = await t.gql(token, PUBLISH, { id: a.id, version: a.version });
    expect(published.body.errors).toBeUndefined();
    return published.body.data.publishAlert;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await startTestHub({ devIdentity: true });
    [gd, hk, mo] = await Promise.all([devToken('GD', ['ANALYST']), devToken('HK', ['ANALYST']), devToken('MO', ['ANALYST'])]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('a Guangdong analyst sees which partners hold the same phone number, opens the one shared with it and asks for its parties in one click', async () => {
    const phone = '+852 9345 1278';
    const own = (n: string) => ({ containerNumbers: [containerNo('CPN', n)], billOfLading: `CPN-BL-${n}`, consignor: { name: `Console consignor ${n}`, country: 'CN' } });
    const mine = await publish(gd, { ...own('300001'), title: 'Earphones in e-commerce parcels', consignee: { name: 'Lam Kwok Wing', country: 'HK', phone } });
    const theirs = await publish(hk, { ...own('300002'), title: 'Earphone parcels at the airport', consignee: { name: 'K. W. Lam', country: 'HK', phone: '9345-1278' }, distribution: { scope: 'SELECTED_AGENCIES', agencies: ['GD'] } });
    await publish(mo, { ...own('300003'), title: 'Earphones by ferry', consignee: { name: 'Lam K.W.', country: 'HK', phone: '(852) 93451278' } });

    const { context, page, problems } = await openConsole(browser, t, { path: null });
    const traffic: Promise<string>[] = [];
    page.on('response', (r) => traffic.push(r.text().catch(() => '')));
    try {
      await signInWithDevToken(context, t, 'GD', ['ANALYST']);
      await page.goto(consoleUrl(t, `/alerts/${mine.id}`));
      await page.getByRole('heading', { level: 1, name: mine.title }).waitFor();
      const panel = page.locator('.ant-card').filter({ has: page.getByRole('heading', { level: 2, name: 'Correlations' }) });
      await panel.getByText('2 of 2 shown').waitFor();
      const rows = panel.getByRole('row');
      const hkRow = rows.filter({ hasText: 'HK —' });
      const moRow = rows.filter({ hasText: 'MO —' });
      await hkRow.getByText('phone number').waitFor();
      await hkRow.getByText('Party identity', { exact: false }).first().waitFor();
      // Hong Kong's alert is shared with Guangdong: its partner reference, a link to it.
      const link = hkRow.getByRole('link');
      expect(await link.innerText()).toMatch(/^HK-[0-9A-Z]{12}$/);
      // Macao's is not: only that Macao holds one.
      await moRow.getByText('Not shared with your agency by MO').waitFor();
      expect(await moRow.getByRole('link').count()).toBe(0);
      expect(await moRow.getByRole('button').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'alert-correlations-en');

      // One click asks Hong Kong for the class that matched.
      await hkRow.getByRole('button', { name: /^Request disclosure of Party identity/ }).click();
      await hkRow.getByText('Disclosure requested').waitFor();
      const requests = await t.gql(hk, `{ disclosureRequests(status: [PENDING]) { alert { id } fieldClasses justification requestingAgency { code } } }`);
      expect(requests.body.data.disclosureRequests).toContainEqual({
        alert: { id: theirs.id },
        fieldClasses: ['PARTY_IDENTITY'],
        justification: `Correlation: our alert ${mine.reference} shares a phone number with this alert.`,
        requestingAgency: { code: 'GD' },
      });

      // The link opens Hong Kong's alert, its parties still withheld.
      await link.click();
      await page.getByRole('heading', { level: 1, name: theirs.title }).waitFor();
      expect(await page.locator('[data-withheld="PARTY_IDENTITY"]').count()).toBeGreaterThan(0);

      // Nothing the page received holds a partner's spelling of the number.
      const all = (await Promise.all(traffic)).join('\n') + (await page.content());
      for (const spelled of ['9345-1278', '93451278']) expect(all).not.toContain(spelled);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }

    // In 繁體中文, Hong Kong's analyst sees its side: Guangdong's alert is not shared with it.
    const zh = await openConsole(browser, t, { path: null, locale: 'zh-HK' });
    try {
      await signInWithDevToken(zh.context, t, 'HK', ['ANALYST']);
      await zh.page.goto(consoleUrl(t, `/alerts/${theirs.id}`));
      const panel = zh.page.locator('.ant-card').filter({ has: zh.page.getByRole('heading', { level: 2, name: '關聯' }) });
      await panel.getByText('顯示 2 項，共 2 項').waitFor();
      await panel.getByRole('row').filter({ hasText: 'GD —' }).getByText('GD 未與貴機構共享').waitFor();
      expect(await axeViolations(zh.page)).toEqual([]);
      await screenshot(zh.page, 'alert-correlations-zh-Hant');
      expect(zh.problems).toEqual([]);
    } finally {
      await zh.context.close();
    }
  });
});
