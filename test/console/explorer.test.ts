import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { axeViolations, consoleUrl, launchBrowser, openConsole, screenshot, SCREENSHOT_DIR } from '../support/browser';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * The GraphQL explorer at /explorer: GraphiQL bundled into the console, on a hub that trusts its
 * agencies' providers (a trust file: production sign-in) and has introspection off, as in production.
 */
describe('console: GraphQL explorer', () => {
  let browser: Browser;
  let t: TestHub;
  beforeAll(async () => {
    browser = await launchBrowser();
    t = await startTestHub({ env: { HUB_INTROSPECTION: 'false' } });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  test('an HK analyst runs a query in the explorer and reads the schema’s docs with introspection off, and nothing leaves the hub', async () => {
    // Introspection really is off on this hub.
    const introspection = await t.gql(await t.token('HK', ['ANALYST']), '{ __schema { queryType { name } } }');
    expect(introspection.body.errors?.[0]?.message).toBeDefined();

    // Only documents opened at /explorer may carry style="…" attributes (Monaco writes them); <style> stays nonce-only everywhere.
    const policy = async (path: string) => (await fetch(consoleUrl(t, path), { headers: { accept: 'text/html' } })).headers.get('content-security-policy')!;
    expect(await policy('/explorer')).toContain("style-src-attr 'unsafe-inline'");
    for (const path of ['/', '/live', '/explorers']) expect(await policy(path)).not.toContain('unsafe-inline');

    const { context, page, problems } = await openConsole(browser, t, { path: null });
    const origins = new Set<string>();
    context.on('request', (r) => origins.add(new URL(r.url()).origin));
    try {
      // Signed in with a token HK's identity provider signed (the test trust's key), kept where the console keeps a session.
      const token = await t.token('HK', ['ANALYST']);
      const session = { token, expiresAt: new Date(Date.now() + 600_000).toISOString(), agency: 'HK', roles: ['ANALYST'] };
      await context.addInitScript({ content: `sessionStorage.setItem('gba-hub.session', ${JSON.stringify(JSON.stringify(session))});` });
      await page.goto(consoleUrl(t, '/explorer'));
      await page.getByRole('heading', { level: 1, name: 'GraphQL explorer' }).waitFor();
      await page.getByLabel('Agency: HK — Hong Kong Customs and Excise Department').waitFor();
      const run = page.getByRole('button', { name: /^Execute query/ });
      await run.waitFor({ timeout: 30_000 });

      // The query, typed into GraphiQL's editor.
      const editor = page.locator('.graphiql-query-editor');
      await editor.locator('.view-lines').click();
      await editor.locator('textarea').first().focus();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText('{ viewer { agency { code } } }');
      await run.click();
      const response = page.locator('.graphiql-response');
      await response.getByText('"HK"').waitFor({ timeout: 15_000 });
      const text = (await response.innerText()).replace(/\s+/g, '');
      expect(text).toContain('"data":{"viewer":{"agency":{"code":"HK"}}}');
      await screenshot(page, 'explorer-query');

      // The docs come from the schema the build embedded: the hub refuses introspection.
      await page.getByRole('button', { name: /Show Documentation Explorer/i }).click();
      const docs = page.locator('.graphiql-doc-explorer');
      await docs.getByText('Query', { exact: true }).first().waitFor();
      await docs.getByRole('combobox').fill('Alert');
      // The search filters after a pause: wait until the list is the filtered one before choosing.
      await page.getByRole('option', { name: 'AccessLogConnection', exact: true }).waitFor({ state: 'detached' });
      await page.getByRole('option', { name: 'Alert', exact: true }).click();
      await docs.locator('.graphiql-doc-explorer-title').getByText('Alert', { exact: true }).waitFor();
      await screenshot(page, 'explorer-docs-alert');

      // The whole page, GraphiQL's editors and documentation included, has no serious violation;
      // the minor and moderate ones are written beside the screenshots for a reviewer.
      expect(await axeViolations(page, ['serious', 'critical'])).toEqual([]);
      await page.getByRole('button', { name: /New tab/i }).click();
      // Two sessions: each a button in the sessions toolbar, one current, with a close button.
      const sessions = page.getByRole('toolbar', { name: 'Editor sessions' });
      await sessions.locator('.graphiql-tab-button').nth(1).waitFor();
      expect(await sessions.locator('.graphiql-tab-button').count()).toBe(2);
      expect(await sessions.locator('.graphiql-tab-button[aria-current="true"]').count()).toBe(1);
      expect(await sessions.getByRole('button', { name: /Close tab/i }).count()).toBeGreaterThan(0);
      expect(await axeViolations(page, ['serious', 'critical'])).toEqual([]);
      const minor = await axeViolations(page, ['minor', 'moderate']);
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      writeFileSync(join(SCREENSHOT_DIR, 'explorer-axe-minor.txt'), minor.join('\n') + '\n');

      expect([...origins]).toEqual([new URL(t.url).origin]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
