import type { Browser, Page } from 'playwright-core';
import { containerCheckDigit } from '../../src/common/codes';
import { axeViolations, consoleUrl, dialogOpened, launchBrowser, openConsole, screenshot, signInWithDevToken } from '../support/browser';
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

  test('a Macao analyst creates, publishes, shares with HK, sets it under inspection and withdraws an alert', async () => {
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

      // The next state of the lifecycle, with a note for the history.
      await page.getByRole('button', { name: 'Set status' }).click();
      const statusDialog = page.getByRole('dialog', { name: 'Set status' });
      await dialogOpened(statusDialog);
      await statusDialog.getByLabel('New status').click();
      await page.locator('.ant-select-item-option').filter({ hasText: 'Under inspection' }).click();
      await statusDialog.getByLabel('Note for the history').fill('Lane 3 holds the truck for X-ray');
      await statusDialog.getByRole('button', { name: 'Set status' }).click();
      await page.getByText(`Status of ${reference} set.`).waitFor();
      await statusDialog.waitFor({ state: 'detached' });
      // The page shows the alert as the hub now holds it (version 4) before the next step.
      await page.locator('.ant-descriptions').getByText('Under inspection', { exact: true }).waitFor();
      await page.locator('.ant-descriptions').getByText('4', { exact: true }).waitFor();

      await page.getByRole('button', { name: 'Withdraw' }).click();
      const dialog = page.getByRole('dialog', { name: `Withdraw ${reference}?` });
      await dialogOpened(dialog);
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
      expect(res.body.data.alert).toEqual({ status: 'WITHDRAWN', version: 5, containerNumbers: [containerNo('MOC', '000777')], distribution: { scope: 'SELECTED_AGENCIES', agencies: [{ code: 'HK' }] } });
      expect(res.body.data.alertHistory.map((h: { kind: string }) => h.kind)).toEqual(['CREATED', 'PUBLISHED', 'DISTRIBUTION_CHANGED', 'STATUS_CHANGED', 'WITHDRAWN']);
      expect(res.body.data.alertHistory[3].note).toBe('Lane 3 holds the truck for X-ray');
      expect(res.body.data.alertHistory[4].note).toBe('Shipment cancelled by the carrier');
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

  /** Plans a joint operation led by `lead` (a COORDINATOR's token) and moves it to `status` along its lifecycle. */
  async function operation(lead: string, participants: string[], status: 'PLANNED' | 'ACTIVE' | 'CONCLUDED', codeName: string) {
    const planned = await t.gql(lead, `mutation ($input: CreateJointOperationInput!) { createJointOperation(input: $input) { id version codeName } }`, {
      input: { codeName, objective: 'Counterfeit audio equipment on the bridge and sea channels', participants, startsOn: '2026-06-01T00:00:00.000Z' },
    });
    expect(planned.body.errors).toBeUndefined();
    let op = planned.body.data.createJointOperation as { id: string; version: number; codeName: string };
    for (const next of status === 'PLANNED' ? [] : status === 'ACTIVE' ? ['ACTIVE'] : ['ACTIVE', 'CONCLUDED']) op = await moveOperation(lead, op, next);
    return op;
  }

  async function moveOperation(lead: string, op: { id: string; version: number; codeName: string }, status: string) {
    const moved = await t.gql(lead, `mutation ($id: ID!, $v: Int!, $s: OperationStatus!) { setOperationStatus(id: $id, version: $v, status: $s) { id version codeName } }`, { id: op.id, v: op.version, s: status });
    expect(moved.body.errors).toBeUndefined();
    return moved.body.data.setOperationStatus as { id: string; version: number; codeName: string };
  }

  /** Records a rights holder with one trademark recordation. */
  async function rightsHolder(token: string, name: string, recordationNumber: string, mark: string): Promise<{ id: string; name: string }> {
    const res = await t.gql(token, `mutation ($input: RightsHolderInput!) { upsertRightsHolder(input: $input) { id name } }`, {
      input: { name, recordations: [{ type: 'TRADEMARK', recordationNumber, mark }] },
    });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.upsertRightsHolder;
  }

  /** The texts of the options an open antd Select list shows. */
  async function offered(page: Page): Promise<string[]> {
    return page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').allInnerTexts();
  }

  const ALERT_RECORD = `query ($id: ID!) { alert(id: $id) { status rightsHolders { id name } expectedArrival distribution { scope agencies { code } operation { id } } } }`;

  test('a GD analyst in New York names a rights holder, an arrival in UTC+8 and a joint operation; HK, which takes part, sees the alert and MO does not', async () => {
    const gdCoord = await apiToken('GD', ['COORDINATOR']);
    const gd = await apiToken('GD');
    const active = await operation(gdCoord, ['HK'], 'ACTIVE', 'Bridge Sound 2026');
    const closed = await operation(gdCoord, ['HK', 'MO'], 'CONCLUDED', 'Pearl Shield 2025');
    const macaoOnly = await operation(await apiToken('MO', ['COORDINATOR']), ['HK'], 'ACTIVE', 'Inner Harbour Watch');
    const harmonia = await rightsHolder(gd, 'Harmonia Audio GmbH', 'TM-DE-3021457', 'HARMONIA');
    // A namesake by prefix: the search must tell them apart.
    await rightsHolder(gd, 'Harmonic Wearables Ltd', 'TM-HK-302114', 'HARMONIC');

    // The browser's clock is New York's: 06:30 on 3 July in the Greater Bay Area is 22:30 UTC on 2 July.
    const { context, page, problems } = await openConsole(browser, t, { path: null, timezoneId: 'America/New_York' });
    try {
      await signInWithDevToken(context, t, 'GD', ['ANALYST']);
      const creates = watchCreates(page);
      await page.goto(consoleUrl(t, '/compose'));
      await page.getByRole('heading', { level: 1, name: 'Compose alert' }).waitFor();
      await fillRequired(page, 'Speakers for the bridge lane, Harmonia marks shipped apart');

      // Rights holders: the hub searches its register as the analyst types; each match shows its recordations.
      const holders = page.getByLabel('Rights holders', { exact: true });
      await holders.click();
      await holders.fill('Harmonia');
      const match = page.locator('.ant-select-item-option').filter({ hasText: 'Harmonia Audio GmbH' });
      await match.waitFor();
      expect(await match.innerText()).toContain('Trademark TM-DE-3021457 (HARMONIA)');
      expect((await offered(page)).some((o) => o.includes('Harmonic Wearables'))).toBe(false);
      await match.click();
      await page.keyboard.press('Escape');
      await page.locator('.ant-select-selection-item').filter({ hasText: 'Harmonia Audio GmbH' }).waitFor();

      // The expected arrival, typed in the Greater Bay Area's time; the zone is shown beside it.
      const arrival = page.getByLabel('Expected arrival', { exact: true });
      await arrival.click();
      await arrival.fill('2026-07-03 06:30');
      await arrival.press('Enter');
      await page.keyboard.press('Escape');
      expect(await arrival.inputValue()).toBe('2026-07-03 06:30');
      await page.getByText('Greater Bay Area time (UTC+8), whatever this computer’s own time zone.').waitFor();

      // OPERATION: only the operations GD takes part in that still take alerts are offered.
      await page.getByRole('radio', { name: 'A joint operation' }).check();
      const opField = page.getByLabel('Joint operation', { exact: true });
      await opField.click();
      await page.locator('.ant-select-item-option').filter({ hasText: active.codeName }).waitFor();
      const ops = await offered(page);
      expect(ops.some((o) => o.includes(active.codeName) && o.includes('Active') && o.includes('GD, HK'))).toBe(true);
      expect(ops.some((o) => o.includes(closed.codeName) || o.includes(macaoOnly.codeName))).toBe(false);
      await opField.fill('Bridge');
      await page.keyboard.press('Enter');
      await page.getByText('Active, led by GD. Seen by its participants: GD, HK.').waitFor();

      await page.mouse.move(0, 0);
      await page.getByRole('heading', { level: 1 }).click();
      // Every list closed (their fading out done) before the accessibility check.
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden), .ant-picker-dropdown:not(.ant-picker-dropdown-hidden)').first().waitFor({ state: 'detached' });
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'compose-operation-en');

      await page.getByRole('button', { name: 'Save draft' }).click();
      const heading = page.getByRole('heading', { level: 1, name: /^Alert GD-\d{4}-\d{6}$/ });
      await heading.waitFor();
      const id = new URL(page.url()).pathname.split('/').pop()!;
      // What left the page: the instant in UTC, the rights holder's id, the operation's id.
      expect(creates).toHaveLength(1);
      expect(JSON.parse(creates[0]).variables.input).toMatchObject({
        expectedArrival: '2026-07-02T22:30:00.000Z',
        rightsHolderIds: [harmonia.id],
        distribution: { scope: 'OPERATION', operationId: active.id },
      });
      // The hub's record holds exactly those.
      const record = await t.gql(gd, ALERT_RECORD, { id });
      expect(record.body.errors).toBeUndefined();
      expect(record.body.data.alert).toEqual({
        status: 'DRAFT',
        rightsHolders: [harmonia],
        expectedArrival: '2026-07-02T22:30:00.000Z',
        distribution: { scope: 'OPERATION', agencies: [], operation: { id: active.id } },
      });

      // The edit page shows them back: the rights holder by name, the arrival in UTC+8, the operation.
      await page.locator('.ant-select-selection-item').filter({ hasText: 'Harmonia Audio GmbH' }).waitFor();
      expect(await page.getByLabel('Expected arrival', { exact: true }).inputValue()).toBe('2026-07-03 06:30');
      await page.getByText(`A joint operation: ${active.codeName} (GD, HK)`).waitFor();

      await page.getByRole('button', { name: 'Publish' }).click();
      await page.getByText(/^[A-Z]{2}-\d{4}-\d{6} published\.$/).waitFor();
      // Hong Kong takes part: it sees the alert, with the arrival; Macao does not, by id or in a list.
      const hk = await t.gql(await apiToken('HK', ['OBSERVER']), `query ($id: ID!) { alert(id: $id) { status expectedArrival rightsHolders { name } } }`, { id });
      expect(hk.body.data.alert).toEqual({ status: 'PUBLISHED', expectedArrival: '2026-07-02T22:30:00.000Z', rightsHolders: [{ name: 'Harmonia Audio GmbH' }] });
      const mo = await apiToken('MO', ['OBSERVER']);
      expect((await t.gql(mo, `query ($id: ID!) { alert(id: $id) { id } }`, { id })).body.data.alert).toBeNull();
      const moList = await t.gql(mo, `{ alerts(first: 100, filter: { text: "Harmonia" }) { totalCount } }`);
      expect(moList.body.data.alerts.totalCount).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test("on an alert's edit page a GD analyst shares it with a joint operation; one that closed meanwhile is refused with the hub's own words", async () => {
    const gdCoord = await apiToken('GD', ['COORDINATOR']);
    const gd = await apiToken('GD');
    const keep = await operation(gdCoord, ['MO'], 'PLANNED', 'Lotus Gate 2026');
    const closing = await operation(gdCoord, ['HK', 'MO'], 'ACTIVE', 'Estuary Net 2026');
    const holder = await rightsHolder(gd, 'Sonora Electronics Co.', 'TM-CN-88120', 'SONORA');
    // Published to all partners, with a rights holder and an arrival (06:30 on 12 August, UTC+8).
    const created = await t.gql(gd, CREATE, { input: alertInput({ title: 'Sonora speakers via Gongbei', distribution: { scope: 'ALL_PARTNERS' }, rightsHolderIds: [holder.id], expectedArrival: '2026-08-11T22:30:00.000Z' }) });
    expect(created.body.errors).toBeUndefined();
    const draft = created.body.data.createAlert;
    const published = await t.gql(gd, `mutation ($id: ID!, $v: Int!) { publishAlert(id: $id, version: $v) { id version } }`, { id: draft.id, v: draft.version });
    expect(published.body.errors).toBeUndefined();
    const id = draft.id as string;
    const hk = await apiToken('HK', ['OBSERVER']);
    const sees = async (token: string) => (await t.gql(token, `query ($id: ID!) { alert(id: $id) { id } }`, { id })).body.data.alert !== null;
    expect(await sees(hk)).toBe(true);

    const { context, page, problems } = await openConsole(browser, t, { path: null, timezoneId: 'Europe/Lisbon' });
    try {
      await signInWithDevToken(context, t, 'GD', ['ANALYST']);
      await page.goto(consoleUrl(t, `/compose/${id}`));
      await page.getByLabel('Title', { exact: true }).waitFor();
      // The alert's current rights holders and arrival, as stored.
      await page.locator('.ant-select-selection-item').filter({ hasText: 'Sonora Electronics Co.' }).waitFor();
      expect(await page.getByLabel('Expected arrival', { exact: true }).inputValue()).toBe('2026-08-12 06:30');

      // The lead concludes Estuary Net after the page listed it.
      await moveOperation(gdCoord, closing, 'CONCLUDED');
      await page.getByRole('radio', { name: 'A joint operation' }).check();
      const opField = page.getByLabel('Joint operation', { exact: true });
      await opField.click();
      await opField.fill('Estuary');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Share' }).click();
      const words = `distribution.operationId names a CONCLUDED joint operation: only a PLANNED or ACTIVE one takes new alerts`;
      await page.getByText(`The hub refused the change: ${words}`).waitFor();
      // Said under the operation field too, and nothing changed.
      expect(await opField.getAttribute('aria-invalid')).toBe('true');
      const described = (await opField.getAttribute('aria-describedby')) ?? '';
      const messages = await Promise.all(described.split(' ').filter(Boolean).map((i) => page.locator(`[id="${i}"]`).innerText().catch(() => '')));
      expect(messages.join(' ')).toContain(words);
      expect((await t.gql(gd, ALERT_RECORD, { id })).body.data.alert.distribution).toEqual({ scope: 'ALL_PARTNERS', agencies: [], operation: null });

      // A planned operation takes it: from then on Macao, which takes part, sees it, and Hong Kong no longer does.
      await opField.click();
      await opField.fill('Lotus');
      await page.keyboard.press('Enter');
      await page.getByText('Planned, led by GD. Seen by its participants: GD, MO.').waitFor();
      await page.getByRole('button', { name: 'Share' }).click();
      await page.getByText(/^[A-Z]{2}-\d{4}-\d{6} shared\.$/).waitFor();
      await page.getByText(`A joint operation: ${keep.codeName} (GD, MO)`).waitFor();
      const record = (await t.gql(gd, ALERT_RECORD, { id })).body.data.alert;
      expect(record).toEqual({
        status: 'PUBLISHED',
        rightsHolders: [holder],
        expectedArrival: '2026-08-11T22:30:00.000Z',
        distribution: { scope: 'OPERATION', agencies: [], operation: { id: keep.id } },
      });
      expect(await sees(await apiToken('MO', ['OBSERVER']))).toBe(true);
      expect(await sees(hk)).toBe(false);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
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
