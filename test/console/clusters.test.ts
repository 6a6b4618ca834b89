import type { Browser } from 'playwright-core';
import { axeViolations, consoleUrl, launchBrowser, openConsole, screenshot, signInWithDevToken } from '../support/browser';
import { startTestHub, type TestHub } from '../support/hub';
import { DEMO_RINGS } from '../../src/demo/demo-rings';

/**
 * The console's clusters page, in a real Chromium against the demo data: a Hong Kong analyst
 * opens one of its parcels, follows "Clusters with this alert" and sees the ring, the
 * partners' parcels it may not see only as counts.
 */
describe('console: shipment clusters', () => {
  let t: TestHub;
  let browser: Browser;
  /** The first ring's parcels: id, origin, reference as stored. */
  let parcels: { id: string; origin: string; reference: string; partner: string }[];

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await startTestHub({ demoData: true, devIdentity: true });
    const names = DEMO_RINGS[0].consignee.names.flatMap((set) => Object.values(set.spellings).flat());
    parcels = await t.hub.orm.em.getConnection().execute(
      `select a.id, a.origin_agency_code as origin, a.reference, a.origin_agency_code || '-' || a.partner_token as partner
         from alert a where a.consignee_name in (${names.map(() => '?').join(', ')}) order by a.published_at`,
      names,
    );
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('a Hong Kong analyst goes from one parcel to its cluster; the parcels Guangdong kept to itself show only as a count', async () => {
    const start = parcels.find((p) => p.origin === 'HK')!;
    const { context, page, problems } = await openConsole(browser, t, { path: null });
    try {
      await signInWithDevToken(context, t, 'HK', ['ANALYST']);
      await page.goto(consoleUrl(t, `/alerts/${start.id}`));
      await page.getByRole('link', { name: 'Clusters with this alert' }).click();
      await page.getByRole('heading', { level: 1, name: 'Shipment clusters' }).waitFor();
      const card = page.getByRole('heading', { level: 2, name: `Cluster 1: ${parcels.length} parcels at GD, HK, MO` });
      await card.waitFor();
      await page.getByText(/more at GD, not shared with you/).waitFor();
      const rows = await page.getByRole('table').getByRole('link').allInnerTexts();
      expect(rows).toContain(start.reference);
      // What the page holds names no parcel it does not list: no reference, no partner reference, no id.
      const html = await page.content();
      const listedIds = new Set(await page.getByRole('table').getByRole('link').evaluateAll((as) => as.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute('href'))));
      for (const p of parcels) {
        if ([...listedIds].some((h) => h?.endsWith(p.id))) continue;
        expect(html).not.toContain(p.id);
        expect(html).not.toContain(p.reference);
        expect(html).not.toContain(p.partner);
      }
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'clusters-en');
      // The menu leads there too.
      await page.getByRole('menuitem', { name: 'Shipment clusters' }).waitFor();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
