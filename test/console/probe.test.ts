import type { Browser, Page } from 'playwright-core';
import { axeViolations, consoleUrl, dialogOpened, launchBrowser, openConsole, screenshot, signInWithDevToken } from '../support/browser';
import { CREATE, PUBLISH, alertInput, containerNo } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * The identifier check page (/probe), in a real Chromium against a real hub: a Hong Kong analyst
 * checks a phone number that Guangdong holds as a consignee's, in a class Guangdong does not
 * give Hong Kong. The page says only "hit at GD" and offers a request through the hit's handle;
 * nothing of Guangdong's alert reaches the page, its traffic or its storage until Guangdong
 * approves, after which the alert is named, with the class approved. The day's allowance is
 * shown, and a check that would pass it is refused in words.
 */
describe('console: identifier check', () => {
  const LIMIT = 6;
  let t: TestHub;
  let browser: Browser;
  let gd: string;
  let hk: string;

  async function devToken(agency: string, roles: string[]): Promise<string> {
    const res = await fetch(consoleUrl(t, '/auth/dev-token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agency, roles }) });
    return ((await res.json()) as { token: string }).token;
  }

  async function publish(token: string, overrides: Record<string, unknown>): Promise<{ id: string; reference: string; title: string; version: number }> {
    const created = await t.gql(token, CREATE, { input: alertInput(overrides) });
    expect(created.body.errors).toBeUndefined();
    const a = created.body.data.createAlert;
    const published = await t.gql(token, PUBLISH, { id: a.id, version: a.version });
    expect(published.body.errors).toBeUndefined();
    return published.body.data.publishAlert;
  }

  /** What the page keeps in the browser: both storages, and the names of its IndexedDB databases. */
  async function stored(page: Page): Promise<{ storage: string; databases: string[] }> {
    // Page code as text: the test project's TypeScript has no DOM types.
    const storage = (await page.evaluate('JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })')) as string;
    const databases = (await page.evaluate('indexedDB.databases().then((ds) => ds.map((d) => d.name))')) as string[];
    return { storage, databases };
  }

  /** Types values into row `n` of the form (1-based), choosing its kind first. */
  async function fillRow(page: Page, n: number, kind: string, values: string[]): Promise<void> {
    const row = page.getByRole('group', { name: `Identifiers, row ${n}` });
    await row.getByLabel('Kind').click();
    const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await open.locator('.ant-select-item-option').filter({ hasText: new RegExp(`^${kind}$`) }).click();
    // Closed before the next row's opens, so that one list of options is on the page.
    await open.waitFor({ state: 'detached' });
    await row.getByLabel('Values, one per line').fill(values.join('\n'));
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await startTestHub({ devIdentity: true, env: { HUB_PROBE_DAILY_LIMIT: String(LIMIT) } });
    [gd, hk] = await Promise.all([devToken('GD', ['ANALYST']), devToken('HK', ['ANALYST'])]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('a Hong Kong analyst finds a hit at Guangdong, asks for it through the hit, and sees the alert once Guangdong approves; the quota is shown and enforced', async () => {
    // Guangdong's consignee, in Guangdong's spelling; shared with Hong Kong, but not its parties.
    const consignee = { name: 'Chan Siu Ming Trading Co., Ltd.', address: 'Flat 9, 18/F, Kam Fung Building, 81 Sai Yeung Choi Street South, Mong Kok', country: 'HK', phone: '+852 6123 4567' };
    const theirs = await publish(gd, {
      title: 'Smart watches for a Mong Kok consignee',
      containerNumbers: [containerNo('PRB', '410001')],
      billOfLading: 'PRB-BL-410001',
      consignor: { name: 'Probe story consignor', country: 'CN' },
      consignee,
      distribution: { scope: 'SELECTED_AGENCIES', agencies: ['HK'] },
    });
    const seen = await t.gql(hk, `query ($id: ID!) { alert(id: $id) { reference withheld } }`, { id: theirs.id });
    expect(seen.body.data.alert.withheld).toContain('PARTY_IDENTITY');
    const partnerReference: string = seen.body.data.alert.reference;
    expect(partnerReference).toMatch(/^GD-[0-9A-Z]{12}$/);
    const secrets = [theirs.id, theirs.reference, partnerReference, theirs.title, consignee.name, consignee.address, consignee.phone];

    // The hub names the page's own code in the HTML of /probe, as it does for the other pages.
    const html = await (await fetch(consoleUrl(t, '/probe'))).text();
    expect(html).toMatch(/<link rel="modulepreload" crossorigin href="\/assets\/probe-page-[\w-]+\.js"/);

    const { context, page, problems } = await openConsole(browser, t, { path: null });
    const traffic: Promise<string>[] = [];
    page.on('response', (r) => traffic.push(r.text().catch(() => '')));
    try {
      await signInWithDevToken(context, t, 'HK', ['ANALYST']);
      await page.goto(consoleUrl(t, '/live'));
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('menuitem', { name: 'Identifier check' }).click();
      await page.getByRole('heading', { level: 1, name: 'Identifier check' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/probe');
      await page.getByText(/^Today you have checked 0 of 6 values; 6 left\. The count starts again at .* 08:00 UTC\+8\.$/).waitFor();

      // Nothing to check: said so, and nothing goes to the hub.
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await page.getByText('Enter at least one value.').waitFor();

      // Three phone numbers (one of them no number at all) and a name, in two rows.
      await fillRow(page, 1, 'Phone number', ['6123-4567', '9012 3456', '12']);
      await page.getByRole('button', { name: 'Add another kind' }).click();
      await fillRow(page, 2, 'Party name', ['Nobody Probe Trading Ltd']);
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      const results = page.getByRole('table', { name: 'Results' });
      const row = (value: string) => results.getByRole('row').filter({ has: page.getByText(value, { exact: true }) });
      const hit = row('6123-4567');
      await hit.getByText('Hit at GD').waitFor();
      await hit.getByText('(Party identity, consignee)').waitFor();
      await hit.getByText('compared as +85261234567').waitFor();
      expect(await hit.getByRole('link').count()).toBe(0);
      await row('9012 3456').getByText('No hit').waitFor();
      await row('Nobody Probe Trading Ltd').getByText('No hit').waitFor();
      await row('12').getByText('Not a usable phone number: not looked up, not counted.').waitFor();
      // Three usable values counted; the one that is no number is not.
      await page.getByText(/^Today you have checked 3 of 6 values; 3 left\./).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'probe-hit-en');

      // The hit's one click: a justification, and the request goes to Guangdong through the handle.
      await hit.getByRole('button', { name: 'Request disclosure from GD of Party identity' }).click();
      const dialog = page.getByRole('dialog', { name: 'Request disclosure from GD' });
      await dialogOpened(dialog);
      expect(await dialog.getByRole('checkbox', { name: 'Party identity' }).isChecked()).toBe(true);
      await dialog.getByRole('button', { name: 'Send request' }).click();
      await dialog.getByText('Say why your agency needs it.').waitFor();
      await dialog.getByLabel('Justification').fill('The number is on a Mong Kok parcel held at the airport today.');
      // The message fades out before the check (axe reads its passing colours as low contrast).
      await dialog.getByText('Say why your agency needs it.').waitFor({ state: 'detached' });
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'probe-request-dialog-en');
      await dialog.getByRole('button', { name: 'Send request' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await hit.getByText('Disclosure requested').waitFor();
      await page.getByText('Request sent to GD.').waitFor();

      // Guangdong has it, from Hong Kong, on its alert.
      const received = await t.gql(gd, `query ($a: ID) { disclosureRequests(alertId: $a) { status fieldClasses justification viaHandle matchedKind requestingAgency { code } } }`, { a: theirs.id });
      expect(received.body.data.disclosureRequests).toEqual([
        { status: 'PENDING', fieldClasses: ['PARTY_IDENTITY'], justification: 'The number is on a Mong Kok parcel held at the airport today.', viaHandle: true, matchedKind: 'PHONE', requestingAgency: { code: 'HK' } },
      ]);

      // Hong Kong follows it: the holder, the hit, the state; the alert not yet.
      await page.getByRole('button', { name: 'See your requests' }).click();
      const requests = page.getByRole('table', { name: 'Requests through hits' });
      const pending = requests.getByRole('row').filter({ hasText: 'GD — ' });
      await pending.getByText('Pending').waitFor();
      await pending.getByText('phone number in Party identity').waitFor();
      await pending.getByText('Named once approved').waitFor();
      expect(new URL(page.url()).search).toBe('?tab=requests');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'probe-requests-pending-en');

      // Until Guangdong decides, nothing of its alert is in the page, what it received, or what it keeps.
      const before = (await Promise.all(traffic)).join('\n') + (await page.content());
      const kept = await stored(page);
      for (const s of secrets) {
        expect(before).not.toContain(s);
        expect(kept.storage).not.toContain(s);
      }
      expect(kept.databases).toEqual([]);
      // Nor does the page keep the values probed.
      expect(kept.storage).not.toContain('6123');

      // Guangdong approves in its console.
      const gdSide = await openConsole(browser, t, { path: null });
      try {
        await signInWithDevToken(gdSide.context, t, 'GD', ['ANALYST']);
        await gdSide.page.goto(consoleUrl(t, `/alerts/${theirs.id}`));
        await gdSide.page.getByRole('heading', { name: 'Disclosure requests from partners' }).waitFor();
        await gdSide.page.getByRole('table').filter({ hasText: 'Mong Kok parcel held at the airport' }).waitFor();
        await gdSide.page.getByRole('button', { name: 'Approve the request of HK' }).click();
        const approve = gdSide.page.getByRole('dialog', { name: 'Approve the request of HK' });
        await dialogOpened(approve);
        await approve.getByRole('button', { name: 'Approve' }).click();
        await approve.waitFor({ state: 'hidden' });
        await gdSide.page.getByRole('table').filter({ hasText: 'Mong Kok parcel held at the airport' }).getByText('Approved').waitFor();
        expect(gdSide.problems).toEqual([]);
      } finally {
        await gdSide.context.close();
      }

      // Hong Kong's list now names the alert, and its page shows the parties.
      await page.reload();
      const approved = page.getByRole('table', { name: 'Requests through hits' }).getByRole('row').filter({ hasText: 'GD — ' });
      await approved.getByText('Approved').waitFor();
      const link = approved.getByRole('link', { name: partnerReference });
      await link.waitFor();
      await approved.getByText(theirs.title).waitFor();
      await screenshot(page, 'probe-requests-approved-en');
      await link.click();
      await page.getByRole('heading', { level: 1, name: theirs.title }).waitFor();
      await page.getByText(consignee.name).waitFor();
      expect(await page.locator('[data-withheld="PARTY_IDENTITY"]').count()).toBe(0);

      // Checked again, the number now names Guangdong's alert: Hong Kong holds its class.
      await page.goto(consoleUrl(t, '/probe'));
      await fillRow(page, 1, 'Phone number', ['6123-4567']);
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await row('6123-4567').getByRole('link', { name: partnerReference }).waitFor();
      await row('6123-4567').getByText('(GD; Party identity, consignee)').waitFor();
      await page.getByText(/^Today you have checked 4 of 6 values; 2 left\./).waitFor();

      // Three more values would pass the day's six: refused whole, nothing counted.
      await fillRow(page, 1, 'Phone number', ['5123 8876', '9012 3457', '9012 3458']);
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      const limit = page.getByRole('alert').filter({ hasText: 'Daily limit reached' });
      await limit.getByText(/^This check has more values than you have left today, so nothing was checked or counted\. Check fewer values, or check again after .* 08:00 UTC\+8\.$/).waitFor();
      expect(await page.getByRole('table', { name: 'Results' }).count()).toBe(0);
      await page.getByText(/^Today you have checked 4 of 6 values; 2 left\./).waitFor();
      // The hub's count is the page's (a development token names the same officer, hk.analyst@dev).
      const quota = await t.gql(hk, `{ probeQuota { used remaining limit } }`);
      expect(quota.body.data.probeQuota).toEqual({ used: 4, remaining: 2, limit: LIMIT });
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'probe-limit-en');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }

    // In 简体中文: the menu, the allowance and the approved request.
    const zh = await openConsole(browser, t, { path: null, locale: 'zh-CN' });
    try {
      await signInWithDevToken(zh.context, t, 'HK', ['ANALYST']);
      await zh.page.goto(consoleUrl(t, '/probe?tab=requests'));
      await zh.page.getByRole('heading', { level: 1, name: '识别资料核查' }).waitFor();
      await zh.page.getByRole('menuitem', { name: '识别资料核查' }).waitFor();
      const approved = zh.page.getByRole('table', { name: '经命中提出的请求' }).getByRole('row').filter({ hasText: 'GD — ' });
      await approved.getByText('已批准').waitFor();
      await approved.getByText('当事方身份中的电话号码').waitFor();
      await approved.getByRole('link', { name: partnerReference }).waitFor();
      await zh.page.getByRole('tab', { name: '核查识别资料' }).click();
      await zh.page.getByText(/^今天已核查 4 个值，上限 6 个，尚余 2 个。计数于 .* 08:00 UTC\+8 重新开始。$/).waitFor();
      expect(await axeViolations(zh.page)).toEqual([]);
      await screenshot(zh.page, 'probe-zh-Hans');
      expect(zh.problems).toEqual([]);
    } finally {
      await zh.context.close();
    }
  });
});
