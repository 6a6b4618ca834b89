import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { TestHub } from './hub';

/**
 * Browser tests: Debian's Chromium driven by playwright-core (no browser download, ever; the
 * network may be closed). A missing browser fails the test with one line saying how to install
 * it: browser tests are never skipped.
 */

const ROOT = join(__dirname, '..', '..');
export const SCREENSHOT_DIR = join(ROOT, 'test-output', 'screenshots');
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

/** CHROMIUM_PATH, else Debian's (or Ubuntu's) Chromium; throws one line when there is none. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH?.trim();
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`browser tests need Chromium: CHROMIUM_PATH=${fromEnv} does not exist; apt-get install -y chromium (Debian) or set CHROMIUM_PATH`);
    return fromEnv;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error('browser tests need Chromium: apt-get install -y chromium (Debian) or set CHROMIUM_PATH');
  return found;
}

/** Headless Chromium with a fresh profile, kept off every network service of its own. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The console's URL on a test hub. */
export function consoleUrl(t: TestHub, path = '/'): string {
  return t.url.replace(/\/graphql$/, path);
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /**
   * What went wrong in the page so far: uncaught errors, console errors, Content-Security-Policy
   * violations. A story ends with `expect(problems).toEqual([])`.
   */
  problems: string[];
}

/**
 * A new browser context (own storage) with a page on the console (at `path`, default `/`). `locale` is the browser's
 * language (the console picks its own from it); the page's clock is whatever UTC+0 machine runs
 * it, which is why the console shows UTC+8 explicitly.
 */
export async function openConsole(browser: Browser, t: TestHub, opts: { locale?: string; path?: string | null; timezoneId?: string } = {}): Promise<ConsolePage> {
  const context = await browser.newContext({ locale: opts.locale ?? 'en-GB', timezoneId: opts.timezoneId ?? 'UTC', viewport: { width: 1280, height: 800 } });
  // Page code as text: the test project's TypeScript has no DOM types.
  await context.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')));",
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  // path null: no page yet (set up the context first, e.g. signInWithDevToken).
  if (opts.path !== null) await page.goto(consoleUrl(t, opts.path ?? '/'));
  return { context, page, problems };
}

/** Signs in through the development sign-in page, as a person would: agency radio, role checkboxes, the button. */
export async function signInThroughPage(page: Page, agency: string, roleLabels: string[], submitLabel = 'Sign in'): Promise<void> {
  await page.getByRole('radio', { name: new RegExp(`^${agency} — `) }).check();
  for (const role of roleLabels) await page.getByRole('checkbox', { name: role }).check();
  await page.getByRole('button', { name: submitLabel }).click();
}

/**
 * Signs in without the page (POST /auth/dev-token) and puts the session where the console keeps
 * it, before the next load: for stories that start signed in. `expiresAt` may be moved earlier
 * to test the sign-out at expiry.
 */
export async function signInWithDevToken(context: BrowserContext, t: TestHub, agency: string, roles: string[], expiresAt?: Date): Promise<{ token: string; expiresAt: string }> {
  const res = await fetch(consoleUrl(t, '/auth/dev-token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agency, roles }) });
  if (!res.ok) throw new Error(`dev-token: HTTP ${res.status}: ${await res.text()}`);
  const session = (await res.json()) as { token: string; expiresAt: string; agency: string; roles: string[] };
  if (expiresAt) session.expiresAt = expiresAt.toISOString();
  await context.addInitScript({ content: `sessionStorage.setItem('gba-hub.session', ${JSON.stringify(JSON.stringify(session))});` });
  return session;
}

/**
 * Puts a session with a token minted elsewhere (a TestTrust agency's identity provider) where
 * the console keeps it, before the next load: for stories on a hub with a trust file (agencies
 * beyond the three development ones), which has no development sign-in.
 */
export async function signInWithToken(context: BrowserContext, session: { token: string; agency: string; roles: string[]; expiresAt: string }): Promise<void> {
  await context.addInitScript({ content: `sessionStorage.setItem('gba-hub.session', ${JSON.stringify(JSON.stringify(session))});` });
}

/**
 * Everything the page's origin keeps in the browser, as one string: sessionStorage,
 * localStorage and every IndexedDB database's records. For checks that something the viewer
 * may not see was never stored either.
 */
export async function storedText(page: Page): Promise<string> {
  return (await page.evaluate(`(async () => {
    const dump = (s) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => [s.key(i), s.getItem(s.key(i))]));
    const databases = {};
    for (const info of (await indexedDB.databases?.()) ?? []) {
      const db = await new Promise((ok, fail) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
      const stores = {};
      for (const name of Array.from(db.objectStoreNames)) {
        stores[name] = await new Promise((ok, fail) => { const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
      }
      db.close();
      databases[info.name] = stores;
    }
    return JSON.stringify({ session: dump(sessionStorage), local: dump(localStorage), indexedDB: databases });
  })()`)) as string;
}

/** Saves a full-page screenshot to test-output/screenshots/<name>.png for review. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

let axeSource: string | undefined;

/**
 * Runs axe-core in the page and returns its serious and critical violations, one line each
 * (rule, impact, the elements). Injected through the DevTools protocol, which the page's CSP
 * does not govern, so the page keeps its real policy. `opts.exclude` leaves parts out (CSS selectors).
 */
export async function axeViolations(page: Page, impacts: string[] = ['serious', 'critical'], opts: { exclude?: string[] } = {}): Promise<string[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // A page at rest: no button still in its loading state (lighter, so below contrast) and no
  // finite animation or transition under way (a colour fading in is checked half-way otherwise).
  await page.waitForFunction(`!document.querySelector('.ant-btn-loading')`, null, { timeout: 10_000 });
  await page.evaluate(`Promise.all(document.getAnimations()
    .filter((a) => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
    .map((a) => a.finished.catch(() => undefined)))`);
  await page.evaluate(axeSource);
  // `exclude`: CSS selectors of third-party parts checked separately (e.g. GraphiQL's editors).
  const target = opts.exclude?.length ? JSON.stringify({ include: [['html']], exclude: opts.exclude.map((sel) => [sel]) }) : 'document';
  const violations = (await page.evaluate(`axe.run(${target}, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) })))`)) as {
    id: string;
    impact: string;
    help: string;
    targets: string[];
  }[];
  return violations.filter((v) => impacts.includes(v.impact)).map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`);
}

/**
 * Waits for a dialog to appear and finish its entrance animation. A click aimed at a button
 * of a modal still zooming in can land on the modal's mask once the box has moved on (seen on
 * a loaded CI machine), which dismisses the modal as a person's click outside it would.
 */
export async function dialogOpened(dialog: Locator): Promise<void> {
  await dialog.waitFor();
  // The zoom runs on an ancestor of the role=dialog element: wait on the finite animations of
  // the dialog, its ancestors and its descendants (a spinner's endless one would never finish).
  await dialog.evaluate((el) => {
    // Typed by hand: the tests compile without the DOM library.
    interface Running { finished: Promise<unknown>; effect: { target?: Contained | null; getComputedTiming(): { iterations?: number } } | null }
    interface Contained { contains(other: Contained): boolean; ownerDocument: { getAnimations(): Running[] } }
    const self = el as unknown as Contained;
    return Promise.all(
      self.ownerDocument
        .getAnimations()
        .filter((a) => {
          const target = a.effect?.target;
          return !!target && (target.contains(self) || self.contains(target)) && a.effect?.getComputedTiming().iterations !== Infinity;
        })
        .map((a) => a.finished.catch(() => undefined)),
    );
  });

}
