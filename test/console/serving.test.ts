import WebSocket from 'ws';
import { consoleUrl } from '../support/browser';
import { startTestHub, type TestHub } from '../support/hub';

const post = (t: TestHub, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(consoleUrl(t, '/auth/dev-token'), { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** Resolves with the HTTP status of a WebSocket upgrade (101 when accepted). */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, 'graphql-transport-ws', { headers });
    ws.once('upgrade', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => undefined);
  });
}

describe('the hub serves the console', () => {
  describe('on development identity', () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startTestHub({ devIdentity: true, env: { HUB_MAX_TOKEN_TTL: '2h' } });
    });
    afterAll(() => t?.stop());

    test('/ is the console with a strict CSP and a fresh nonce per response; its assets are cached for good, the page never', async () => {
      const [a, b] = await Promise.all([fetch(consoleUrl(t)), fetch(consoleUrl(t, '/alerts/some-id'))]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const csp = a.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+/);
      expect(csp).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)|unsafe-inline|unsafe-eval|\*/);
      expect(a.headers.get('cache-control')).toBe('no-cache');
      const html = await a.text();
      const nonce = /nonce-([^']+)'/.exec(csp)![1];
      expect(html).toContain(`nonce="${nonce}"`);
      expect(html).not.toContain('__HUB_CSP_NONCE__');
      expect(b.headers.get('content-security-policy')).not.toContain(nonce);
      // Nothing from another host.
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
      const js = await fetch(consoleUrl(t, asset));
      expect(js.status).toBe(200);
      expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await fetch(consoleUrl(t, '/assets/missing-0000.js'))).status).toBe(404);
    });

    test('assets go compressed (Brotli, else gzip) to browsers that accept it, and plain to those that do not', async () => {
      const html = await (await fetch(consoleUrl(t))).text();
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
      const get = (encoding: string) => fetch(consoleUrl(t, asset), { headers: { 'accept-encoding': encoding } });
      const [plain, br, gzip] = await Promise.all([get('identity'), get('gzip, deflate, br'), get('gzip')]);
      expect([plain.status, br.status, gzip.status]).toEqual([200, 200, 200]);
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(br.headers.get('content-encoding')).toBe('br');
      expect(gzip.headers.get('content-encoding')).toBe('gzip');
      for (const r of [plain, br, gzip]) {
        expect(r.headers.get('content-type')).toMatch(/^text\/javascript|^application\/javascript/);
        expect(r.headers.get('vary')).toMatch(/accept-encoding/i);
        expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      }
      // fetch decodes the body: the three are one file.
      const [a, b, c] = await Promise.all([plain.text(), br.text(), gzip.text()]);
      expect(a.length).toBeGreaterThan(1024);
      expect(b).toBe(a);
      expect(c).toBe(a);
    });

    test('a page\'s own code is named in the HTML for its path (fetched with the libraries), with the nonce; the build manifest is not served', async () => {
      const [root, live, alert] = await Promise.all([fetch(consoleUrl(t)), fetch(consoleUrl(t, '/live')), fetch(consoleUrl(t, '/alerts/some-id'))]);
      const preloads = (html: string) => [...html.matchAll(/<link rel="modulepreload" crossorigin href="(\/assets\/[^"]+\.js)" nonce="([^"]+)">/g)];
      const [rootHtml, liveHtml, alertHtml] = await Promise.all([root.text(), live.text(), alert.text()]);
      const rootFiles = preloads(rootHtml).map((m) => m[1]);
      const liveExtra = preloads(liveHtml).filter((m) => !rootFiles.includes(m[1]));
      const alertExtra = preloads(alertHtml).filter((m) => !rootFiles.includes(m[1]));
      expect(liveExtra.some((m) => /\/live-board-page-[\w-]+\.js$/.test(m[1]))).toBe(true);
      expect(alertExtra.some((m) => /\/alerts-page-[\w-]+\.js$/.test(m[1]))).toBe(true);
      // Not another page's, nor the explorer's editor, and `/` (the sign-in page) gets none.
      expect(liveExtra.some((m) => /alerts-page|compose-page|monaco|graphiql/.test(m[1]))).toBe(false);
      expect(rootFiles.some((f) => /-page-/.test(f))).toBe(false);
      // Each tag carries this response's nonce; each file is there.
      const nonce = /nonce-([^']+)'/.exec(live.headers.get('content-security-policy')!)![1];
      expect(liveExtra.every((m) => m[2] === nonce)).toBe(true);
      for (const [, file] of liveExtra) expect((await fetch(consoleUrl(t, file))).status).toBe(200);
      expect((await fetch(consoleUrl(t, '/.vite/manifest.json'))).status).toBe(404);
    });

    test('the console shadows none of the hub\'s own paths', async () => {
      const health = await fetch(consoleUrl(t, '/healthz'), { headers: { accept: 'text/html' } });
      expect(await health.json()).toEqual({ status: 'ok' });
      const metrics = await fetch(consoleUrl(t, '/metrics'), { headers: { accept: 'text/html' } });
      expect(await metrics.text()).toContain('# HELP');
      const graphql = await fetch(`${t.url}?query=${encodeURIComponent('{ viewer { subject } }')}`, { headers: { accept: 'text/html' } });
      expect(graphql.headers.get('content-type')).not.toContain('text/html');
      const unknownAuth = await fetch(consoleUrl(t, '/auth/nothing'), { headers: { accept: 'text/html' } });
      expect(unknownAuth.status).toBe(404);
      expect(await unknownAuth.text()).not.toContain('<div id="root">');
    });

    test('/auth/config says development and names the agencies', async () => {
      const res = await fetch(consoleUrl(t, '/auth/config'));
      expect(await res.json()).toEqual({
        mode: 'development',
        agencies: [
          { code: 'GD', name: 'Guangdong Branch of the General Administration of Customs' },
          { code: 'HK', name: 'Hong Kong Customs and Excise Department' },
          { code: 'MO', name: 'Macao Customs Service' },
        ],
      });
    });

    test('a development token is for the agency and roles asked, lives within HUB_MAX_TOKEN_TTL, and the hub accepts it', async () => {
      const res = await post(t, { agency: 'GD', roles: ['COORDINATOR', 'OBSERVER'] });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as { token: string; expiresAt: string };
      const left = Date.parse(body.expiresAt) - Date.now();
      expect(left).toBeGreaterThan(2 * 3600_000 - 60_000);
      expect(left).toBeLessThanOrEqual(2 * 3600_000);
      const viewer = await t.gql(body.token, '{ viewer { agency { code } roles } }');
      expect(viewer.body).toEqual({ data: { viewer: { agency: { code: 'GD' }, roles: ['COORDINATOR', 'OBSERVER'] } } });
    });

    test('a development token request that does not fit is BAD_USER_INPUT naming what fits', async () => {
      for (const body of [{ agency: 'XX', roles: ['ANALYST'] }, { agency: 'hk', roles: ['ANALYST'] }, { roles: ['ANALYST'] }]) {
        const res = await post(t, body);
        expect([res.status, await res.json()]).toEqual([400, { errors: [{ message: 'agency: one of GD, HK, MO', extensions: { code: 'BAD_USER_INPUT' } }] }]);
      }
      for (const roles of [[], ['ROOT'], ['ANALYST', 'ANALYST'], 'ANALYST', [{}]]) {
        const res = await post(t, { agency: 'HK', roles });
        expect([res.status, ((await res.json()) as any).errors[0].extensions.code]).toEqual([400, 'BAD_USER_INPUT']);
      }
      // A form post (what a cross-site page could send without asking) is refused before it is read.
      const form = await post(t, 'agency=HK&roles=ADMIN', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(form.status).toBe(415);
      const broken = await post(t, '{"agency":');
      expect([broken.status, ((await broken.json()) as any).errors[0].extensions.code]).toEqual([400, 'BAD_REQUEST']);
    });

    test('a socket from the hub\'s own origin (the console) is accepted; another origin is not', async () => {
      const { token } = (await (await post(t, { agency: 'HK', roles: ['ANALYST'] })).json()) as { token: string };
      const host = new URL(t.url).host;
      expect(await upgradeStatus(t.wsUrl, { origin: `http://${host}`, authorization: `Bearer ${token}` })).toBe(101);
      expect(await upgradeStatus(t.wsUrl, { origin: 'http://evil.example' })).toBe(403);
      expect(await upgradeStatus(t.wsUrl, { origin: `https://${host}.evil.example` })).toBe(403);
    });
  });

  describe('with a trust configuration (as in production)', () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startTestHub();
    });
    afterAll(() => t?.stop());

    test('development tokens are refused with 403, and /auth/config says production', async () => {
      const res = await post(t, { agency: 'HK', roles: ['ADMIN'] });
      expect(res.status).toBe(403);
      expect(((await res.json()) as any).errors[0]).toEqual({ message: expect.stringContaining('development sign-in is off'), extensions: { code: 'FORBIDDEN' } });
      const config = (await (await fetch(consoleUrl(t, '/auth/config'))).json()) as { mode: string; agencies: { code: string }[] };
      expect(config.mode).toBe('production');
      expect(config.agencies.map((a) => a.code)).toEqual(['GD', 'HK', 'MO']);
    });
  });
});
