import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { hubWallClock } from '../../src/console/i18n/datetime';
import { axeViolations, consoleUrl, dialogOpened, launchBrowser, openConsole, screenshot, signInWithDevToken } from '../support/browser';
import { CREATE, PUBLISH, alertInput, containerNo } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * Stories of the disclosure inbox (/inbox), in a real Chromium against a real hub and
 * database: Hong Kong asks Guangdong for withheld classes, on an alert and through a probe
 * hit; Guangdong's analyst approves with an expiry and denies with a reason from the inbox,
 * the counts on the navigation following; Hong Kong sees each request's state and expiry, and
 * nothing of the alert behind its probe hit until Guangdong approves.
 */
describe('console: the disclosure inbox', () => {
  let t: TestHub;
  let browser: Browser;
  let gd: string;
  let hk: string;

  async function devToken(agency: string, roles: string[]): Promise<string> {
    const res = await fetch(consoleUrl(t, '/auth/dev-token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agency, roles }) });
    return ((await res.json()) as { token: string }).token;
  }
  async function ok(token: string, query: string, variables?: Record<string, unknown>): Promise<any> {
    const res = await t.gql(token, query, variables);
    expect(res.body.errors).toBeUndefined();
    return res.body.data;
  }
  async function publish(token: string, overrides: Record<string, unknown>): Promise<{ id: string; reference: string; title: string }> {
    const a = (await ok(token, CREATE, { input: alertInput({ distribution: { scope: 'ALL_PARTNERS' }, ...overrides }) })).createAlert;
    return (await ok(token, PUBLISH, { id: a.id, version: a.version })).publishAlert;
  }
  const requestsOf = async (token: string) =>
    (await ok(token, `{ disclosureRequests(direction: RECEIVED, first: 100) { id status expiresAt decisionNote justification } }`)).disclosureRequests as {
      id: string;
      status: string;
      expiresAt: string | null;
      decisionNote: string | null;
      justification: string;
    }[];

  /** Every response body the page receives, from now on. */
  function recordResponses(page: Page): Promise<string>[] {
    const bodies: Promise<string>[] = [];
    page.on('response', (r) => bodies.push(r.text().catch(() => '')));
    return bodies;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await startTestHub({ devIdentity: true, env: { HUB_MATCH_KEY_SECRET: randomBytes(32).toString('base64') } });
    [gd, hk] = await Promise.all([devToken('GD', ['ANALYST']), devToken('HK', ['ANALYST'])]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('HK asks, GD approves with an expiry and denies with a reason in its inbox, the counts follow, and HK sees where each stands', async () => {
    const watches = await publish(gd, { title: 'Watches through Kwai Chung', containerNumbers: [containerNo('INX', '000001')], consignee: { name: 'Kwai Chung Trading', country: 'HK' } });
    const bags = await publish(gd, { title: 'Handbags over the bridge', containerNumbers: [containerNo('INX', '000002')] });
    // Kept by GD to itself: HK only learns through a probe that GD holds the phone number.
    const hiddenPhone = '+86 137 2468 1357';
    const hidden = await publish(gd, { title: 'Hidden ring at Gongbei', distribution: { scope: 'ORIGINATOR_ONLY' }, containerNumbers: [containerNo('INX', '000003')], consignee: { name: 'Gongbei Ring Ltd', country: 'CN', phone: hiddenPhone } });
    const hiddenRefs = [hidden.reference, hidden.id, hidden.title, 'Gongbei Ring Ltd'];

    const hkSide = await openConsole(browser, t, { path: null });
    const gdSide = await openConsole(browser, t, { path: null });
    const hkBodies = recordResponses(hkSide.page);
    try {
      await signInWithDevToken(hkSide.context, t, 'HK', ['ANALYST']);
      await signInWithDevToken(gdSide.context, t, 'GD', ['ANALYST']);

      // HK asks for the parties of the watches in the console, for the bags through the API,
      // and for the hidden alert's parties through the handle of a probe hit.
      const hkPage = hkSide.page;
      await hkPage.goto(consoleUrl(t, `/alerts/${watches.id}`));
      await hkPage.getByRole('heading', { level: 1, name: watches.title }).waitFor();
      await hkPage.getByRole('checkbox', { name: 'Party identity' }).check();
      await hkPage.getByLabel('Justification').fill('Consignee named in HK case C&ED-2026-40.');
      await hkPage.getByRole('button', { name: 'Request disclosure' }).click();
      await hkPage.getByText('Request sent. Its state is shown below.').waitFor();
      await ok(hk, `mutation ($a: ID!) { requestDisclosure(alertId: $a, fieldClasses: [SHIPMENT_IDENTIFIERS], justification: "Bags seen at Lok Ma Chau") { id } }`, { a: bags.id });
      const probe = await ok(hk, `query ($ids: [IdentifierProbeInput!]!) { matchIdentifiers(identifiers: $ids) { hits { agency { code } handle } } }`, { ids: [{ kind: 'PHONE', value: hiddenPhone, country: 'CN' }] });
      const handle = probe.matchIdentifiers[0].hits.find((h: { agency: { code: string } }) => h.agency.code === 'GD').handle;
      await ok(hk, `mutation ($h: String!) { requestDisclosureByHandle(handle: $h, fieldClasses: [], justification: "Phone matches HK case C&ED-2026-41") { id } }`, { h: handle });

      // HK's sent requests: three pending; the probe's names GD and the kind of hit, nothing of the alert.
      await hkPage.goto(consoleUrl(t, '/inbox/sent'));
      await hkPage.getByRole('heading', { level: 1, name: 'Disclosure inbox' }).waitFor();
      const sent = hkPage.getByRole('table', { name: 'Sent' });
      await sent.getByText('Phone matches HK case C&ED-2026-41').waitFor();
      await sent.getByText('Bags seen at Lok Ma Chau').waitFor();
      await sent.getByText('Consignee named in HK case C&ED-2026-40.').waitFor();
      const probeRow = sent.getByRole('row').filter({ hasText: 'C&ED-2026-41' });
      await probeRow.getByText('Hidden until GD approves (a probe hit on a phone number)').waitFor();
      expect(await probeRow.getByRole('link').count()).toBe(0);
      await hkPage.getByRole('tab', { name: /Sent/ }).getByTitle("Your agency's requests waiting for a partner's decision: 3").waitFor();
      expect(await axeViolations(hkPage)).toEqual([]);
      await screenshot(hkPage, 'inbox-sent-pending-en');
      // Nothing HK's page holds or received names the alert behind the probe's hit (GD's
      // approval will show it, on purpose), nor its consignee.
      const beforeApproval = [await hkPage.content(), ...(await Promise.all(hkBodies))].join('\n');
      expect(beforeApproval).toContain('C&ED-2026-41');
      for (const secret of hiddenRefs) expect(beforeApproval).not.toContain(secret);

      // GD's analyst: three requests to decide, on the navigation and on the tab.
      const gdPage = gdSide.page;
      await gdPage.goto(consoleUrl(t, '/inbox'));
      const nav = gdPage.getByRole('navigation', { name: 'Main navigation' });
      await nav.getByTitle("Requests waiting for your agency's decision: 3").waitFor();
      const received = gdPage.getByRole('table', { name: 'Received' });
      for (const text of ['C&ED-2026-40', 'Lok Ma Chau', 'C&ED-2026-41']) await received.getByText(text, { exact: false }).waitFor();
      // GD sees its own alert behind the probe's request, and that it came through a probe.
      const probeReceived = received.getByRole('row').filter({ hasText: 'C&ED-2026-41' });
      await probeReceived.getByRole('link', { name: hidden.reference }).waitFor();
      await probeReceived.getByText('Through a probe hit on a phone number').waitFor();
      expect(await axeViolations(gdPage)).toEqual([]);
      await screenshot(gdPage, 'inbox-received-en');

      // Approve the watches request until a chosen date and time (ten days ahead, 18:00 in UTC+8).
      const w = hubWallClock(new Date(Date.now() + 10 * 86_400_000).toISOString());
      const pad = (n: number) => String(n).padStart(2, '0');
      const typed = `${w.year}-${pad(w.month)}-${pad(w.day)} 18:00`;
      const expected = new Date(`${w.year}-${pad(w.month)}-${pad(w.day)}T18:00:00+08:00`).toISOString();
      await gdPage.getByRole('button', { name: `Approve the request of HK on ${watches.reference}` }).click();
      const approve = gdPage.getByRole('dialog', { name: 'Approve the request of HK' });
      await dialogOpened(approve);
      await approve.getByText('HK asks for: Party identity.').waitFor();
      await approve.getByLabel('Grant for').click();
      await gdPage.locator('.ant-select-item-option').filter({ hasText: 'Until a date and time I choose' }).click();
      const until = approve.getByLabel('Grant until', { exact: true });
      await until.click();
      await until.fill(typed);
      await until.press('Enter');
      // Out of the picker (Escape would close the dialog itself): its calendar goes away.
      await approve.getByText('HK asks for: Party identity.').click();
      await gdPage.locator('.ant-picker-dropdown').waitFor({ state: 'hidden' });
      expect(await until.inputValue()).toBe(typed);
      expect(await axeViolations(gdPage)).toEqual([]);
      await screenshot(gdPage, 'inbox-approve-dialog-en');
      await approve.getByRole('button', { name: 'Approve' }).click();
      await approve.waitFor({ state: 'hidden' });
      await received.getByText('C&ED-2026-40').waitFor({ state: 'detached' });
      await nav.getByTitle("Requests waiting for your agency's decision: 2").waitFor();
      await gdPage.getByRole('tab', { name: /Received/ }).getByTitle("Requests waiting for your agency's decision: 2").waitFor();
      const afterApprove = await requestsOf(gd);
      expect(afterApprove.find((r) => r.justification.includes('C&ED-2026-40'))).toMatchObject({ status: 'APPROVED', expiresAt: expected });

      // Deny the bags request: a reason is required, and nothing is sent without one.
      await gdPage.getByRole('button', { name: `Deny the request of HK on ${bags.reference}` }).click();
      const deny = gdPage.getByRole('dialog', { name: 'Deny the request of HK' });
      await dialogOpened(deny);
      await deny.getByRole('button', { name: 'Deny' }).click();
      await deny.getByText('Say why the request is denied.').waitFor();
      expect((await requestsOf(gd)).find((r) => r.justification.includes('Lok Ma Chau'))!.status).toBe('PENDING');
      const reason = 'The bags case is closed: no container list to share.';
      await deny.getByLabel('Note to the requester').fill(reason);
      await deny.getByRole('button', { name: 'Deny' }).click();
      await deny.waitFor({ state: 'hidden' });
      await nav.getByTitle("Requests waiting for your agency's decision: 1").waitFor();
      expect((await requestsOf(gd)).find((r) => r.justification.includes('Lok Ma Chau'))).toMatchObject({ status: 'DENIED', decisionNote: reason, expiresAt: null });

      // Approve the probe's request for 7 days: nothing left to decide, and the badge goes.
      await gdPage.getByRole('button', { name: `Approve the request of HK on ${hidden.reference}` }).click();
      const approve7 = gdPage.getByRole('dialog', { name: 'Approve the request of HK' });
      await dialogOpened(approve7);
      await approve7.getByLabel('Grant for').click();
      await gdPage.locator('.ant-select-item-option').filter({ hasText: /^7 days, until/ }).click();
      await approve7.getByRole('button', { name: 'Approve' }).click();
      await approve7.waitFor({ state: 'hidden' });
      await received.getByText('No request in this state.').waitFor();
      await nav.getByRole('menuitem', { name: 'Disclosure inbox' }).waitFor();
      expect(await nav.getByTitle(/Requests waiting for your agency's decision/).count()).toBe(0);
      await gdPage.getByRole('tab', { name: /Received/ }).getByTitle("Requests waiting for your agency's decision: 0").waitFor();

      // All states: the three decisions, with the grant's end and the reason.
      await gdPage.getByRole('group', { name: 'Show requests in state' }).getByText('All', { exact: true }).click();
      await received.getByText(reason).waitFor();
      expect(await received.getByText('Approved').count()).toBe(2);
      expect(await received.getByText('Denied').count()).toBe(1);
      await received.getByRole('row').filter({ hasText: 'C&ED-2026-40' }).getByText(`${pad(w.day)}/${pad(w.month)}/${w.year}`, { exact: false }).waitFor();
      expect(await axeViolations(gdPage)).toEqual([]);
      await screenshot(gdPage, 'inbox-received-decided-en');

      // HK, on its next read: approved until the chosen time, denied with GD's reason, and the
      // probe's alert now named, with a link.
      await hkPage.reload();
      await hkPage.getByRole('group', { name: 'Show requests in state' }).getByText('All', { exact: true }).click();
      await sent.getByText(reason).waitFor();
      await sent.getByRole('row').filter({ hasText: 'C&ED-2026-40' }).getByText('Approved').waitFor();
      await sent.getByRole('row').filter({ hasText: 'C&ED-2026-40' }).getByText(`${pad(w.day)}/${pad(w.month)}/${w.year}, 18:00 UTC+8`, { exact: false }).waitFor();
      await sent.getByRole('row').filter({ hasText: 'Lok Ma Chau' }).getByText('Denied').waitFor();
      await sent.getByRole('row').filter({ hasText: 'C&ED-2026-41' }).getByRole('link').waitFor();
      await hkPage.getByRole('tab', { name: /Sent/ }).getByTitle("Your agency's requests waiting for a partner's decision: 0").waitFor();
      expect(await axeViolations(hkPage)).toEqual([]);
      await screenshot(hkPage, 'inbox-sent-decided-en');

      expect(hkSide.problems).toEqual([]);
      expect(gdSide.problems).toEqual([]);
    } finally {
      await hkSide.context.close();
      await gdSide.context.close();
    }
  });
});
