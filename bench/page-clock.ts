/**
 * The console page's own clock for the console benchmarks: when a measured state first holds in
 * the DOM, seen by a MutationObserver that an init script sets before the page's scripts run,
 * and reported to the benchmark through a binding (no polling, and nothing the page's CSP, which
 * forbids eval, would stop).
 *
 * Why not wait with Playwright: its locator waits (`locator.waitFor`) look again after 0, 20,
 * 50, 100 and 100 ms and then every 500 ms, so a state reached after about 0.3 s of waiting is
 * noticed up to 500 ms late, and a page that gets there sooner can measure slower.
 */
import type { BrowserContext } from 'playwright-core';

/** The user-timing mark the page sets in the frame after the first watched state is in its DOM. */
export const SHOWN_MARK = 'bench:shown';

/** Page clock (ms since navigation start): the state in the DOM, and the frame after it (painted). */
export interface Shown {
  inDom: number;
  painted: number;
}

/**
 * What can be watched: 'sign-in' (HK's radio and the Sign in button), 'live' (the board's
 * status says Live), or any other text: a board row holding it.
 */
function condition(want: string): string {
  if (want === 'sign-in') {
    return `[...document.querySelectorAll('input[type=radio]')].some((r) => (r.closest('label')?.textContent ?? '').startsWith('HK — ')) &&
      [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Sign in')`;
  }
  if (want === 'live') return `[...document.querySelectorAll('[role=status]')].some((s) => s.textContent.trim() === 'Live')`;
  return `[...document.querySelectorAll('[role=row]')].some((r) => r.textContent.includes(${JSON.stringify(want)}))`;
}

export interface PageClock {
  /** When `want` was shown, as the page reported it (Date.now() here is when the report arrived). */
  shown(want: string, timeoutMs?: number): Promise<Shown>;
}

/** Watches the context's pages for `wants`, each reported once, in any order. */
export async function watchPage(context: BrowserContext, wants: string[]): Promise<PageClock> {
  const reports = new Map<string, { promise: Promise<Shown>; resolve(s: Shown): void }>();
  const entry = (want: string) => {
    let e = reports.get(want);
    if (!e) {
      let resolve!: (s: Shown) => void;
      const promise = new Promise<Shown>((r) => (resolve = r));
      e = { promise, resolve };
      reports.set(want, e);
    }
    return e;
  };
  await context.exposeBinding('__benchShownReport', (_source, r: Shown & { want: string }) => entry(r.want).resolve({ inDom: r.inDom, painted: r.painted }));
  const checks = wants.map((w) => `[${JSON.stringify(w)}, () => ${condition(w)}]`).join(', ');
  await context.addInitScript({
    content: `(() => {
      const pending = new Map([${checks}]);
      let first = true;
      const observer = new MutationObserver(() => {
        for (const [want, met] of pending) {
          if (!met()) continue;
          pending.delete(want);
          const inDom = performance.now();
          const mark = first;
          first = false;
          requestAnimationFrame(() => setTimeout(() => {
            if (mark) performance.mark(${JSON.stringify(SHOWN_MARK)});
            window.__benchShownReport({ want, inDom, painted: performance.now() });
          }));
        }
        if (pending.size === 0) observer.disconnect();
      });
      observer.observe(document, { subtree: true, childList: true, characterData: true });
    })();`,
  });
  return {
    shown: (want, timeoutMs = 30_000) =>
      Promise.race([entry(want).promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the page did not show ${want} within ${timeoutMs} ms`)), timeoutMs).unref())]),
  };
}
