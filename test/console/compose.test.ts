import type { Browser, Page } from 'playwright-core';
import { containerCheckDigit } from '../../src/common/codes';
import { axeViolations, consoleUrl, launchBrowser, openConsole, screenshot, signInWithDevToken } from '../support/browser';
import { CREATE, GET, alertInput, containerNo } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

/** Stories of the compose page, in a real Chromium against a real hub and database. */
describe('console: compose', () => {
  let t: TestHub;
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
    t = await startTestHub({ devIdentity: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  /** A token through the hub's development sign-in, for checking through the API what the page did. */
  async function apiToken(agency: string, roles = ['ANALYST']): Promise<string> {
    const res = await fetch(consoleUrl(t, '/auth/dev-token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agency, roles }) });
    return ((await res.json()) as { token: string }).token;
  }

  /** The createAlert requests that leave the page. */
  function watchCreates(page: Page): string[] {
    const sent: string[] = [];
    page.on('request', (r) => {
      const body = r.postData() ?? '';
      if (r.method() === 'POST' && r.url().endsWith('/graphql') && body.includes('createAlert')) sent.push(body);
    });
    return sent;
  }

  /** Fills the required fields of a new alert as a person would. */
  async function fillRequired(page: Page, title: string) {
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByLabel('Summary', { exact: true }).fill('Unlicensed speakers with logo plates shipped apart, to be joined after clearance.');
    await page.getByRole('radio', { name: 'High' }).check();
    await page.getByRole('radio', { name: 'Sea container' }).check();
    await page.getByRole('radio', { name: 'Export' }).check();
    await page.getByRole('checkbox', { name: 'Trademark' }).check();
    await page.getByRole('checkbox', { name: 'Separated marks' }).check();
    await page.getByLabel('Category', { exact: true }).click();
    await page.getByLabel('Category', { exact: true }).fill('Audio');
    await page.keyboard.press('Enter');
    await page.getByLabel('Description', { exact: true }).fill('Bluetooth speakers');
    await page.getByLabel('HS code', { exact: true }).fill('8518.22');
    await page.getByLabel('Quantity', { exact: true }).fill('29500');
    await page.getByLabel('Port of loading', { exact: true }).fill('MOMFM');
    await page.getByLabel('Destination country', { exact: true }).fill('AE');
  }

  test('a Macao analyst drafting an alert with a bad container check digit is stopped before submit', async () => {
    const { context, page, problems } = await openConsole(browser, t, { path: null });
    try {
      await signInWithDevToken(context, t, 'MO', ['ANALYST']);
      const creates = watchCreates(page);
      await page.goto(consoleUrl(t, '/compose'));
      await page.getByRole('heading', { level: 1, name: 'Compose alert' }).waitFor();
      await fillRequired(page, 'Speakers with separately shipped logo plates');

      // A wrong check digit is named while it is typed, with the digit it should be.
      const good = containerNo('MSK', '104528');
      const expected = containerCheckDigit(good.slice(0, 10));
      const bad = good.slice(0, 10) + ((expected + 1) % 10);
      const containers = page.getByLabel('Container numbers', { exact: true });
      await containers.fill(bad);
      await page.getByText(`${bad}: check digit should be ${expected}.`).waitFor();
      await containers.press('Enter');
      // The number becomes a tag; the field keeps saying why it is wrong, and the save is refused.
      await page.getByRole('listitem').filter({ hasText: bad }).waitFor();
      await page.getByText(`${bad}: check digit should be ${expected}.`).waitFor();
      const save = page.getByRole('button', { name: 'Save draft' });
      expect(await save.isDisabled()).toBe(true);
      // Enter in a field submits a form: this one refuses.
      await page.getByLabel('Title', { exact: true }).press('Enter');
      // Other codes are checked as typed too: a LOCODE of no country, an unknown country.
      await page.getByLabel('Port of discharge', { exact: true }).fill('XXJEA');
      await page.getByText('Not a UN/LOCODE: a country code and three letters or digits 2–9, e.g. CNSHK.').waitFor();
      await page.getByLabel('Origin country', { exact: true }).fill('ZZ');
      await page.getByText('Not an ISO 3166 country code (two letters, e.g. CN, HK, MO).').waitFor();
      await page.mouse.move(0, 0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'compose-bad-container-en');
      await page.waitForTimeout(300);
      expect(creates).toEqual([]);

      // Corrected, the same form goes through: the watch above does see a createAlert.
      await page.getByRole('button', { name: `Remove ${bad}` }).click();
      await containers.fill(good);
      await page.getByText('Valid container number: press Enter to add it.').waitFor();
      await containers.press('Enter');
      await page.getByLabel('Port of discharge', { exact: true }).fill('AEJEA');
      await page.getByLabel('Origin country', { exact: true }).fill('mo');
      await page.getByRole('button', { name: 'Save draft', disabled: false }).click();
      await page.getByRole('heading', { level: 1, name: /^Alert MO-\d{4}-\d{6}$/ }).waitFor();
      expect(creates).toHaveLength(1);
      expect(JSON.parse(creates[0]).variables.input).toMatchObject({ containerNumbers: [good], originCountry: 'MO', portOfLoading: 'MOMFM', goods: [{ category: 'AUDIO_EQUIPMENT', hsCode: '8518.22', quantity: 29500 }] });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('a Macao analyst creates, publishes, shares with HK and withdraws an alert', async () => {
    const { context, page, problems } = await openConsole(browser, t, { path: null });
    try {
      await signInWithDevToken(context, t, 'MO', ['ANALYST']);
      await page.goto(consoleUrl(t, '/compose'));
      await page.getByRole('heading', { level: 1, name: 'Compose alert' }).waitFor();
      await fillRequired(page, 'Bridge fast-lane watches');
      await page.getByLabel('Container numbers', { exact: true }).fill(containerNo('MOC', '000777'));
      await page.getByLabel('Container numbers', { exact: true }).press('Enter');
      await page.getByRole('button', { name: 'Save draft' }).click();
      const heading = page.getByRole('heading', { level: 1, name: /^Alert MO-\d{4}-\d{6}$/ });
      await heading.waitFor();
      const reference = (await heading.innerText()).replace(/^Alert /, '');
      const id = new URL(page.url()).pathname.split('/').pop()!;
      expect(await page.getByText('Draft', { exact: true }).count()).toBeGreaterThan(0);

      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByText(`${reference} published.`).waitFor();

      await page.getByRole('radio', { name: 'Selected agencies' }).check();
      await page.getByRole('checkbox', { name: /^HK — / }).check();
      await page.getByRole('button', { name: 'Share' }).click();
      await page.getByText(`${reference} shared.`).waitFor();
      await page.getByText('Selected agencies: HK').waitFor();

      await page.getByRole('button', { name: 'Withdraw' }).click();
      const dialog = page.getByRole('dialog', { name: `Withdraw ${reference}?` });
      await dialog.waitFor();
      // The reason is required: the dialog refuses to confirm without one.
      await dialog.getByRole('button', { name: 'Withdraw' }).click();
      await dialog.getByText('Required.').waitFor();
      await dialog.getByLabel('Reason').fill('Shipment cancelled by the carrier');
      await dialog.getByRole('button', { name: 'Withdraw' }).click();
      await page.getByText(`${reference} withdrawn.`).waitFor();
      await page.getByText('This alert was withdrawn: it can no longer be changed.').waitFor();
      expect(await page.getByRole('button', { name: 'Save changes' }).count()).toBe(0);

      // The hub holds what the page did, in order.
      const mo = await apiToken('MO');
      const res = await t.gql(mo, `query ($id: ID!) { alert(id: $id) { status version containerNumbers distribution { scope agencies { code } } } alertHistory(alertId: $id) { kind note } }`, { id });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.alert).toEqual({ status: 'WITHDRAWN', version: 4, containerNumbers: [containerNo('MOC', '000777')], distribution: { scope: 'SELECTED_AGENCIES', agencies: [{ code: 'HK' }] } });
      expect(res.body.data.alertHistory.map((h: { kind: string }) => h.kind)).toEqual(['CREATED', 'PUBLISHED', 'DISTRIBUTION_CHANGED', 'WITHDRAWN']);
      expect(res.body.data.alertHistory[3].note).toBe('Shipment cancelled by the carrier');
      // HK, which it was shared with, sees it withdrawn.
      const hk = await t.gql(await apiToken('HK', ['OBSERVER']), `query ($id: ID!) { alert(id: $id) { status } }`, { id });
      expect(hk.body.data.alert).toEqual({ status: 'WITHDRAWN' });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("two GD analysts edit the same alert: the second sees 'changed by someone else' with the newer version, and nothing is overwritten", async () => {
    const gd = await apiToken('GD');
    const created = await t.gql(gd, CREATE, { input: alertInput() });
    expect(created.body.errors).toBeUndefined();
    const { id, title: firstTitle, summary: firstSummary } = created.body.data.createAlert;
    const read = async () => (await t.gql(gd, GET, { id })).body.data.alert;

    const first = await openConsole(browser, t, { path: null });
    const second = await openConsole(browser, t, { path: null });
    try {
      await signInWithDevToken(first.context, t, 'GD', ['ANALYST']);
      await signInWithDevToken(second.context, t, 'GD', ['ANALYST']);
      // Both open version 1.
      for (const { page } of [first, second]) {
        await page.goto(consoleUrl(t, `/compose/${id}`));
        await page.getByLabel('Title', { exact: true }).waitFor();
        expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe(firstTitle);
      }

      // The first saves a new title.
      await first.page.getByLabel('Title', { exact: true }).fill('Speakers and logo plates: second container found');
      await first.page.getByRole('button', { name: 'Save changes' }).click();
      await first.page.getByText(/ saved\.$/).waitFor();
      expect(await read()).toMatchObject({ title: 'Speakers and logo plates: second container found', summary: firstSummary, version: 2 });

      // The second, still on version 1, changes the summary and the risk, and saves.
      const page = second.page;
      await page.getByLabel('Summary', { exact: true }).fill('Logo plates hidden behind the last pallet row.');
      await page.getByRole('radio', { name: 'Critical' }).check();
      await page.getByRole('button', { name: 'Save changes' }).click();
      const conflict = page.getByRole('alert').filter({ hasText: 'Changed by someone else' });
      await conflict.waitFor();
      // The fields that differ, side by side: the version opened, the edits, the newer version.
      const table = page.getByRole('table');
      const row = (field: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: field, exact: true }) }).locator('th, td');
      expect(await row('Title').allInnerTexts()).toEqual(['Title', firstTitle, firstTitle, 'Speakers and logo plates: second container found', 'someone else']);
      expect(await row('Summary').allInnerTexts()).toEqual(['Summary', firstSummary, 'Logo plates hidden behind the last pallet row.', firstSummary, 'you']);
      expect(await row('Risk level').allInnerTexts()).toEqual(['Risk level', 'HIGH', 'CRITICAL', 'HIGH', 'you']);
      // Nothing was written, and nothing is resubmitted while the choice is open.
      expect(await page.getByRole('button', { name: 'Save changes' }).isDisabled()).toBe(true);
      expect(await read()).toMatchObject({ title: 'Speakers and logo plates: second container found', summary: firstSummary, riskLevel: 'HIGH', version: 2 });
      await page.mouse.move(0, 0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'compose-conflict-en');

      // Reapplying puts the edits on version 2 (the other title kept), and still sends nothing.
      await page.getByRole('button', { name: 'Reapply my edits on the newer version' }).click();
      await conflict.waitFor({ state: 'detached' });
      expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Speakers and logo plates: second container found');
      expect(await page.getByLabel('Summary', { exact: true }).inputValue()).toBe('Logo plates hidden behind the last pallet row.');
      await page.waitForTimeout(300);
      expect(await read()).toMatchObject({ summary: firstSummary, version: 2 });

      // Saved explicitly: both edits are in version 3.
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText(/ saved\.$/).waitFor();
      expect(await read()).toMatchObject({
        title: 'Speakers and logo plates: second container found',
        summary: 'Logo plates hidden behind the last pallet row.',
        riskLevel: 'CRITICAL',
        version: 3,
      });
      expect(first.problems).toEqual([]);
      expect(second.problems).toEqual([]);
    } finally {
      await first.context.close();
      await second.context.close();
    }
  });

  test("a refusal only the hub can make (a title that shows nothing) is shown on the title field", async () => {
    const { context, page, problems } = await openConsole(browser, t, { path: null });
    try {
      await signInWithDevToken(context, t, 'MO', ['ANALYST']);
      await page.goto(consoleUrl(t, '/compose'));
      await fillRequired(page, '\u200b\u200b');
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.getByText('The hub refused the change: input.title must not be empty').waitFor();
      // The message sits under the title field (antd links a field's messages to it).
      const title = page.getByLabel('Title', { exact: true });
      expect(await title.getAttribute('aria-invalid')).toBe('true');
      const described = (await title.getAttribute('aria-describedby')) ?? '';
      expect(described).not.toBe('');
      const messages = await Promise.all(described.split(' ').map((i) => page.locator(`[id="${i}"]`).innerText().catch(() => '')));
      expect(messages.join(' ')).toContain('input.title must not be empty');
      expect(page.url()).toMatch(/\/compose$/);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('an observer who opens /compose is told it is not allowed', async () => {
    const { context, page, problems } = await openConsole(browser, t, { path: null });
    try {
      await signInWithDevToken(context, t, 'MO', ['OBSERVER']);
      await page.goto(consoleUrl(t, '/compose'));
      await page.getByText('Not allowed', { exact: true }).waitFor();
      await page.getByText("Only your agency's analysts write alerts.", { exact: false }).waitFor();
      expect(await page.getByLabel('Title', { exact: true }).count()).toBe(0);
      expect(await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('menuitem', { name: 'Compose alert' }).count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
