/**
 * The console page's own clock for the console benchmarks: when a measured state first holds in
 * the DOM, read by a MutationObserver that an init script sets before the page's scripts run.
 *
 * And a note on waiting for it: Playwright's locator waits (`locator.waitFor`) look again after
 * 0, 20, 50, 100 and 100 ms and then every 500 ms, so a state reached after about 0.3 s of
 * waiting is noticed up to 500 ms late, and a page that gets there sooner can measure slower.
 * The benchmarks time their waits with `page.waitForFunction`, which looks every frame (readShown).
 */
import type { Page } from 'playwright-core';

/** The user-timing mark the page sets in the frame after the measured state is in its DOM. */
export const SHOWN_MARK = 'bench:shown';

/** Page clock (ms since navigation start): the state in the DOM, and the frame after it (painted). */
export interface Shown {
  inDom: number;
  painted: number;
}

/**
 * An init script: records in `window.__benchShown` when the measured state first holds in the
 * DOM, and the frame after (requestAnimationFrame, then a task), where it also sets SHOWN_MARK.
 * `want` is 'sign-in' (HK's radio and the Sign in button) or the text of the board's row to wait for.
 */
export function shownWatch(want: string): string {
  return `(() => {
    const want = ${JSON.stringify(want)};
    const met = () => want === 'sign-in'
      ? [...document.querySelectorAll('input[type=radio]')].some((r) => (r.closest('label')?.textContent ?? '').startsWith('HK — ')) &&
        [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Sign in')
      : [...document.querySelectorAll('[role=row]')].some((r) => r.textContent.includes(want));
    const observer = new MutationObserver(() => {
      if (!met()) return;
      observer.disconnect();
      const inDom = performance.now();
      requestAnimationFrame(() => setTimeout(() => {
        window.__benchShown = { inDom, painted: performance.now() };
        performance.mark(${JSON.stringify(SHOWN_MARK)});
      }));
    });
    observer.observe(document, { subtree: true, childList: true, characterData: true });
  })();`;
}

/** What shownWatch recorded; waits for it, looking every animation frame. */
export async function readShown(page: Page): Promise<Shown> {
  return (await (await page.waitForFunction('window.__benchShown')).jsonValue()) as Shown;
}
