/**
 * Benchmark: where the console's first useful paints spend their time, and a side-by-side of two
 * builds of it under the same load (the machine is shared: wall times move with the load, the
 * renderer's main-thread CPU much less).
 *
 * Each build (`--build label=path/to/dist/src/main.js`, default this build's dist) runs as its
 * own hub process; all of them share one database and one HUB_DATA_DIR, so one development
 * token and one stored cursor are good on each. The loads are interleaved (run 1: A, B; run 2:
 * B, A; …), each in a fresh browser context with a Chromium trace:
 *
 * - sign-in: navigation → the sign-in page usable (an agency to pick and the button);
 * - reload: navigation to /live with a session and a stored cursor → the replayed row shown.
 *
 * For each: wall time (from the benchmark, told by the page the moment it gets there: see
 * bench/page-clock.ts on why not a locator's wait), the page's own clock (navigation start →
 * the state in the DOM, and → the frame after it, i.e. painted: bench/page-clock.ts), and the renderer main thread's busy time (top-level tasks in the trace,
 * up to the moment the measured state was reached: not what the page does after) split by what it did (script compile, script run, style and layout, paint, parsing HTML, GC,
 * other). `--detail` prints, for the last run of each build, the main thread's long tasks
 * (≥ 10 ms) in order with what took most of each, and the scripts' network timings.
 *
 *   DATABASE_URL=… node dist/bench/console-startup.js [--runs 7] [--build a=…/main.js --build b=…/main.js] [--detail]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { startHubProcess, type HubProcess } from './hub-process';
import { SHOWN_MARK, watchPage, type PageClock } from './page-clock';

const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1] || 7);
const DETAIL = process.argv.includes('--detail');
const BUILDS: { label: string; main?: string }[] = process.argv.flatMap((a, i) => {
  if (process.argv[i - 1] !== '--build') return [];
  const [label, main] = a.split('=');
  return [{ label, main }];
});
if (BUILDS.length === 0) BUILDS.push({ label: 'this build' });

const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing', 'loading', 'netlog'];

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; requestId?: string; finishTime?: number; timing?: { requestTime?: number } }; fileName?: string };
}

/** What the main thread's self time is put under. */
function kindOf(e: TraceEvent): string {
  const n = e.name;
  if (/compile|Compile|ParseOnBackground|V8.ScriptCompiler|v8.parse/i.test(n)) return 'compile';
  if (/GC|Scavenge|MarkCompact|V8.GC/i.test(n)) return 'gc';
  if (/^(EvaluateScript|v8.evaluateModule|FunctionCall|TimerFire|FireAnimationFrame|RunMicrotasks|v8.run|v8.callFunction|EventDispatch|V8.Execute|XHRReadyStateChange)$/.test(n)) return 'script';
  if (/^(UpdateLayoutTree|Layout|RecalculateStyles|ParseAuthorStyleSheet|ScheduleStyleRecalculation|InvalidateLayout|HitTest)$/.test(n)) return 'style+layout';
  if (/^(Paint|PrePaint|Layerize|Commit|UpdateLayer|CompositeLayers|PaintImage|RasterTask)$/.test(n)) return 'paint';
  if (n === 'ParseHTML') return 'html';
  return 'other';
}

interface Breakdown {
  busyMs: number;
  byKind: Record<string, number>;
  longTasks: string[];
  scripts: string[];
}


/**
 * The renderer main threads' top-level tasks in the trace up to SHOWN_MARK (the frame after the
 * measured state), and their self time by kind. Tasks after it (work the page does once usable,
 * such as loading the signed-in console while a person picks an agency) are not counted.
 */
function analyse(trace: Buffer, origin: string, detail: boolean): Breakdown {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const doneAt = Math.min(...events.filter((e) => e.name === SHOWN_MARK).map((e) => e.ts));
  // The trace is the whole browser's: only the renderer(s) that loaded this origin's page count
  // (not another context's, still closing, nor the about:blank the page started on).
  const pageProcesses = new Set(events.filter((e) => e.args?.data?.url?.startsWith(origin)).map((e) => e.pid));
  const main = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && pageProcesses.has(e.pid)).map((e) => `${e.pid}:${e.tid}`),
  );
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined) continue;
    const key = `${e.pid}:${e.tid}`;
    if (!main.has(key)) continue;
    (byThread.get(key) ?? byThread.set(key, []).get(key)!).push(e);
  }
  const out: Breakdown = { busyMs: 0, byKind: {}, longTasks: [], scripts: [] };
  const t0 = Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    // Self time: each event's duration less its children's, children being the events inside it.
    const stack: { e: TraceEvent; childMs: number; self: Record<string, number> }[] = [];
    let top: { e: TraceEvent; self: Record<string, number> } | undefined;
    const close = (upTo: number) => {
      while (stack.length && stack[stack.length - 1].e.ts + stack[stack.length - 1].e.dur! <= upTo) {
        const done = stack.pop()!;
        const selfMs = Math.max(0, done.e.dur! / 1000 - done.childMs);
        const kind = kindOf(done.e);
        out.byKind[kind] = (out.byKind[kind] ?? 0) + selfMs;
        if (top) top.self[`${done.e.name}${done.e.args?.data?.url ? ` ${done.e.args.data.url.replace(/^.*\//, '')}` : ''}`] = (top.self[`${done.e.name}${done.e.args?.data?.url ? ` ${done.e.args.data.url.replace(/^.*\//, '')}` : ''}`] ?? 0) + selfMs;
        if (stack.length) stack[stack.length - 1].childMs += done.e.dur! / 1000;
        else if (top) {
          const ms = top.e.dur! / 1000;
          if (detail && ms >= 10) {
            const parts = Object.entries(top.self)
              .sort((a, b) => b[1] - a[1])
              .slice(0, 3)
              .map(([n, v]) => `${n} ${v.toFixed(0)}`)
              .join(', ');
            out.longTasks.push(`    at ${((top.e.ts - t0) / 1000).toFixed(0).padStart(5)} ms: ${ms.toFixed(0).padStart(4)} ms task (${parts})`);
          }
          top = undefined;
        }
      }
    };
    for (const e of list) {
      close(e.ts);
      if (stack.length === 0 && e.ts > doneAt) break;
      if (stack.length === 0) {
        // Only top-level tasks count as busy; events outside any task are nested under none.
        if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'RunTask') continue;
        out.busyMs += e.dur! / 1000;
        top = { e, self: {} };
      }
      stack.push({ e, childMs: 0, self: {} });
    }
    close(Infinity);
  }
  if (detail) {
    for (const e of events) {
      if (e.name === 'ResourceSendRequest' && e.args?.data?.url && /\/assets\//.test(e.args.data.url)) {
        const finish = events.find((f) => f.name === 'ResourceFinish' && f.args?.data?.requestId === e.args?.data?.requestId);
        out.scripts.push(`    ${e.args.data.url.replace(/^.*\//, '')}: requested at ${((e.ts - t0) / 1000).toFixed(0)} ms, finished at ${finish ? ((finish.ts - t0) / 1000).toFixed(0) : '?'} ms`);
      }
    }
  }
  return out;
}

interface Measure {
  wallMs: number;
  fcpMs: number;
  /** Page clock: navigation start → the measured state in the DOM, and → the frame after it. */
  inDomMs: number;
  paintedMs: number;
  cpu: Breakdown;
}

async function traced(browser: Browser, context: BrowserContext, page: Page, clock: PageClock, want: string, url: string, until: () => Promise<void>): Promise<Measure> {
  await browser.startTracing(page, { categories: CATEGORIES });
  const start = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  const shown = await clock.shown(want);
  const wallMs = Date.now() - start;
  // The same state through the accessibility tree, as a person (and the browser tests) find it.
  await until();
  const fcpMs = (await page.evaluate(`performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1`)) as number;
  const trace = await browser.stopTracing();
  await context.close();
  return { wallMs, fcpMs, inDomMs: shown.inDom, paintedMs: shown.painted, cpu: analyse(trace, new URL(url).origin, DETAIL) };
}

async function newContext(browser: Browser, want: string, init: string[] = []): Promise<{ context: BrowserContext; page: Page; clock: PageClock }> {
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 1280, height: 800 } });
  for (const content of init) await context.addInitScript({ content });
  const clock = await watchPage(context, [want]);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  return { context, page, clock };
}

async function signIn(browser: Browser, origin: string): Promise<Measure> {
  const { context, page, clock } = await newContext(browser, 'sign-in');
  return traced(browser, context, page, clock, 'sign-in', `${origin}/`, async () => {
    await page.getByRole('radio', { name: /^HK — / }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });
}

interface Session {
  token: string;
  expiresAt: string;
  agency: string;
  roles: string[];
}

async function gql<T>(hub: HubProcess, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(hub.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data;
}

async function session(origin: string, agency: string, roles: string[]): Promise<Session> {
  const res = await fetch(`${origin}/auth/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agency, roles }) });
  if (!res.ok) throw new Error(`dev-token: HTTP ${res.status}`);
  return (await res.json()) as Session;
}

async function publish(hub: HubProcess, gd: string, title: string): Promise<void> {
  const input = {
    title,
    summary: 'Benchmark alert for the console start-up.',
    riskLevel: 'HIGH',
    channel: 'SEA_CONTAINER',
    direction: 'EXPORT',
    goods: [{ category: 'AUDIO_EQUIPMENT', description: 'Bluetooth speakers', hsCode: '8518.22', quantity: 100, unit: 'pcs' }],
    infringements: ['TRADEMARK'],
    portOfLoading: 'CNSHK',
    portOfDischarge: 'HKHKG',
    distribution: { scope: 'SELECTED_AGENCIES', agencies: ['HK'] },
  };
  const created = (await gql<{ createAlert: { id: string; version: number } }>(hub, gd, 'mutation ($input: CreateAlertInput!) { createAlert(input: $input) { id version } }', { input })).createAlert;
  await gql(hub, gd, 'mutation ($id: ID!, $version: Int!) { publishAlert(id: $id, version: $version) { id } }', created);
}

/** A cursor just before a fresh GD alert, as HK's board would have stored it. */
async function cursorBefore(hub: HubProcess, hk: Session, gd: string, title: string): Promise<string> {
  const client = createClient({ url: hub.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${hk.token}` }, lazy: false });
  try {
    const marker = `startup marker ${Date.now()} ${Math.random()}`;
    const cursor = new Promise<string>((resolve, reject) => {
      client.subscribe<{ alertEvents: { cursor: string; alert: { title: string } } }>(
        { query: 'subscription { alertEvents { cursor alert { title } } }' },
        { next: (r) => (r.data?.alertEvents.alert.title === marker ? resolve(r.data.alertEvents.cursor) : undefined), error: reject, complete: () => undefined },
      );
    });
    await new Promise((r) => setTimeout(r, 300));
    await publish(hub, gd, marker);
    const c = await cursor;
    await publish(hub, gd, title);
    return c;
  } finally {
    await client.dispose();
  }
}

async function reload(browser: Browser, hub: HubProcess, gd: string): Promise<Measure> {
  const origin = hub.url.replace(/\/graphql$/, '');
  const hk = await session(origin, 'HK', ['OBSERVER']);
  const title = `startup first row ${Date.now()} ${Math.random()}`;
  const cursor = await cursorBefore(hub, hk, gd, title);
  const sub = JSON.parse(Buffer.from(hk.token.split('.')[1], 'base64url').toString('utf8')).sub as string;
  const { context, page, clock } = await newContext(browser, title, [
    `sessionStorage.setItem('gba-hub.session', ${JSON.stringify(JSON.stringify(hk))});`,
    `sessionStorage.setItem(${JSON.stringify(`gba-hub.live-board.HK.${sub}`)}, ${JSON.stringify(JSON.stringify({ cursor, events: [] }))});`,
  ]);
  return traced(browser, context, page, clock, title, `${origin}/live`, () => page.getByRole('row').filter({ hasText: title }).waitFor());
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function summary(label: string, ms: Measure[]): string {
  const kinds = ['compile', 'script', 'style+layout', 'paint', 'html', 'gc', 'other'];
  const by = kinds.map((k) => `${k} ${median(ms.map((m) => m.cpu.byKind[k] ?? 0)).toFixed(0)}`).join(', ');
  const painted = ms.map((m) => Math.round(m.paintedMs));
  return `${label}: wall ${median(ms.map((m) => m.wallMs))} ms (runs ${ms.map((m) => m.wallMs).join('/')}), in the page ${median(ms.map((m) => m.inDomMs)).toFixed(0)} ms in the DOM, ${median(painted)} ms painted (runs ${painted.join('/')}), FCP ${median(ms.map((m) => m.fcpMs)).toFixed(0)} ms, main thread busy ${median(ms.map((m) => m.cpu.busyMs)).toFixed(0)} ms (${by})`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gba-hub-startup-'));
  const hubs: HubProcess[] = [];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: LAUNCH_ARGS });
  try {
    if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL: the builds share one database');
    for (const b of BUILDS) hubs.push(await startHubProcess({ main: b.main, dataDir, env: { HUB_DEMO_FEED_SECONDS: '0', HUB_RATE_LIMIT_PER_MINUTE: '1000000', HUB_RATE_LIMIT_BURST: '100000' } }));
    const gd = (await session(hubs[0].url.replace(/\/graphql$/, ''), 'GD', ['ANALYST'])).token;
    const results = BUILDS.map(() => ({ signIn: [] as Measure[], reload: [] as Measure[] }));
    // Warm-up: each hub's first requests, Chromium's first renderers.
    for (const h of hubs) {
      await signIn(browser, h.url.replace(/\/graphql$/, ''));
      await reload(browser, h, gd);
    }
    for (let r = 0; r < RUNS; r++) {
      const order = BUILDS.map((_, i) => i);
      if (r % 2) order.reverse();
      for (const i of order) {
        results[i].signIn.push(await signIn(browser, hubs[i].url.replace(/\/graphql$/, '')));
        results[i].reload.push(await reload(browser, hubs[i], gd));
        const [si, re] = [results[i].signIn[r], results[i].reload[r]];
        console.log(`run ${r + 1} ${BUILDS[i].label}: sign-in ${si.wallMs} ms (painted ${si.paintedMs.toFixed(0)}, busy ${si.cpu.busyMs.toFixed(0)}), reload ${re.wallMs} ms (painted ${re.paintedMs.toFixed(0)}, busy ${re.cpu.busyMs.toFixed(0)})`);
      }
    }
    for (const [i, b] of BUILDS.entries()) {
      console.log(`\n${summary(`${b.label}, sign-in usable`, results[i].signIn)}`);
      console.log(summary(`${b.label}, first row after a reload`, results[i].reload));
      if (DETAIL) {
        for (const what of ['signIn', 'reload'] as const) {
          const last = results[i][what][RUNS - 1];
          console.log(`  ${what}, last run: long tasks\n${last.cpu.longTasks.join('\n')}\n  assets\n${last.cpu.scripts.join('\n')}`);
        }
      }
    }
  } finally {
    await browser.close();
    for (const h of hubs.reverse()) await h.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
