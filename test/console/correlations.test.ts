import type { Browser } from 'playwright-core';
import { axeViolations, consoleUrl, launchBrowser, openConsole, screenshot, signInWithDevToken } from '../support/browser';
import { CREATE, PUBLISH, alertInput, containerNo } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * Stories of the correlations panel on one's own alert, in a real Chromium against a real hub:
 * a Guangdong analyst learns that Hong Kong and Macao hold alerts with the same phone number and
 * that Hong Kong holds one with the same bill of lading. Hong Kong shares shipment identifiers
 * with Guangdong, so that one is named, with a link; the phone is party identity, which neither
 * gives Guangdong, so those alerts are not named and a disclosure request goes through the
 * correlation's handle in one click. The partners' spellings of the number, and the alerts the
 * hub does not name, never reach the page.
 */
describe('console: correlations', () => {
  let t: TestHub;
  let browser: Browser;
  let gd: string;
  let hk: string;
  let mo: string;
  let hkAdmin: string;

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

  /** How a partner would see the alert named: its partner reference. */
  async function partnerReference(id: string): Promise<string> {
    const [row] = await t.hub.orm.em.getConnection().execute(`select origin_agency_code || '-' || partner_token as ref from alert where id = ?`, [id]);
    return row.ref;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await startTestHub({ devIdentity: true });
    [gd, hk, mo, hkAdmin] = await Promise.all([devToken('GD', ['ANALYST']), devToken('HK', ['ANALYST']), devToken('MO', ['ANALYST']), devToken('HK', ['ADMIN'])]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('a Guangdong analyst sees which partners hold the same identifiers, opens the one named to it and asks for the others through their handles in one click', async () => {
    const phone = '+852 9345 1278';
    const own = (n: string) => ({ containerNumbers: [containerNo('CPN', n)], billOfLading: `CPN-BL-${n}`, consignor: { name: `Console consignor ${n}`, country: 'CN' } });
    const agreed = await t.gql(hkAdmin, `mutation { setSharingAgreement(partner: "GD", fieldClasses: [SHIPMENT_IDENTIFIERS]) { fieldClasses } }`);
    expect(agreed.body.errors).toBeUndefined();
    const mine = await publish(gd, { ...own('300001'), title: 'Earphones in e-commerce parcels', consignee: { name: 'Lam Kwok Wing', country: 'HK', phone } });
    const theirs = await publish(hk, { ...own('300002'), title: 'Earphone parcels at the airport', consignee: { name: 'K. W. Lam', country: 'HK', phone: '9345-1278' }, distribution: { scope: 'SELECTED_AGENCIES', agencies: ['GD'] } });
    const sameBill = await publish(hk, { ...own('300004'), billOfLading: 'CPN-BL-300001', title: 'Earphone cartons on one bill', consignee: { name: 'Other Consignee', country: 'HK' }, distribution: { scope: 'SELECTED_AGENCIES', agencies: ['GD'] } });
    const macao = await publish(mo, { ...own('300003'), title: 'Earphones by ferry', consignee: { name: 'Lam K.W.', country: 'HK', phone: '(852) 93451278' } });
    const unnamed = [theirs, macao];
    const unnamedRefs = [...unnamed.map((a) => a.reference), ...(await Promise.all(unnamed.map((a) => partnerReference(a.id))))];

    const { context, page, problems } = await openConsole(browser, t, { path: null });
    const traffic: Promise<string>[] = [];
    page.on('response', (r) => traffic.push(r.text().catch(() => '')));
    try {
      await signInWithDevToken(context, t, 'GD', ['ANALYST']);
      await page.goto(consoleUrl(t, `/alerts/${mine.id}`));
      await page.getByRole('heading', { level: 1, name: mine.title }).waitFor();
      const panel = page.locator('.ant-card').filter({ has: page.getByRole('heading', { level: 2, name: 'Correlations' }) });
      await panel.getByText('3 of 3 shown').waitFor();
      const rows = panel.getByRole('row');
      const hkPhone = rows.filter({ hasText: 'HK —' }).filter({ hasText: 'phone number' });
      const hkBill = rows.filter({ hasText: 'HK —' }).filter({ hasText: 'bill of lading' });
      const moRow = rows.filter({ hasText: 'MO —' });
      await hkPhone.getByText('Party identity', { exact: false }).first().waitFor();
      // The bill of lading is a shipment identifier, which Hong Kong shares with Guangdong: named, a link to it.
      const link = hkBill.getByRole('link');
      expect(await link.innerText()).toBe(await partnerReference(sameBill.id));
      expect(await hkBill.getByRole('button').count()).toBe(0);
      // The phone is party identity, given to Guangdong by neither: only the agency, and a request to it.
      for (const [row, agency] of [[hkPhone, 'HK'], [moRow, 'MO']] as const) {
        await row.getByText(`Not shared with your agency by ${agency}`).waitFor();
        expect(await row.getByRole('link').count()).toBe(0);
        await row.getByRole('button', { name: `Request disclosure of Party identity from ${agency}` }).waitFor();
      }
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'alert-correlations-en');

      // One click asks Hong Kong, through the handle, for the class that matched.
      await hkPhone.getByRole('button', { name: 'Request disclosure of Party identity from HK' }).click();
      await hkPhone.getByText('Disclosure requested').waitFor();
      await moRow.getByRole('button', { name: 'Request disclosure of Party identity from MO' }).waitFor();
      const requests = await t.gql(hk, `{ disclosureRequests(status: [PENDING]) { alert { id } fieldClasses justification requestingAgency { code } viaHandle matchedKind } }`);
      expect(requests.body.data.disclosureRequests).toEqual([
        {
          alert: { id: theirs.id },
          fieldClasses: ['PARTY_IDENTITY'],
          justification: `Correlation: our alert ${mine.reference} shares a phone number with this alert.`,
          requestingAgency: { code: 'GD' },
          viaHandle: true,
          matchedKind: 'PHONE',
        },
      ]);
      // Guangdong follows it without learning which alert it is, until Hong Kong approves.
      const followed = await t.gql(gd, `{ handleDisclosureRequests { holderAgency { code } kind fieldClass status alert { id } } }`);
      expect(followed.body.data.handleDisclosureRequests).toEqual([{ holderAgency: { code: 'HK' }, kind: 'PHONE', fieldClass: 'PARTY_IDENTITY', status: 'PENDING', alert: null }]);

      // The link opens Hong Kong's named alert, its parties still withheld.
      await link.click();
      await page.getByRole('heading', { level: 1, name: sameBill.title }).waitFor();
      expect(await page.locator('[data-withheld="PARTY_IDENTITY"]').count()).toBeGreaterThan(0);

      // Nothing the page received holds a partner's spelling of the number, or names the alerts the hub did not.
      const all = (await Promise.all(traffic)).join('\n') + (await page.content());
      for (const spelled of ['9345-1278', '93451278']) expect(all).not.toContain(spelled);
      for (const a of unnamed) expect(all).not.toContain(a.id);
      for (const ref of unnamedRefs) expect(all).not.toContain(ref);
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
      await panel.getByRole('button', { name: '要求披露：GD 的當事方身分' }).waitFor();
      await panel.getByRole('row').filter({ hasText: 'GD —' }).getByText('GD 未與貴機構共享').waitFor();
      expect(await axeViolations(zh.page)).toEqual([]);
      await screenshot(zh.page, 'alert-correlations-zh-Hant');
      expect(zh.problems).toEqual([]);
    } finally {
      await zh.context.close();
    }
  });
});
