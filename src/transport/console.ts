import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { Role } from '../common/enums';
import type { Logger } from '../common/logger';
import { mintDevToken } from '../identity/dev-identity';
import { publicSignInConfig, type PublicAgencySignIn } from '../identity/sign-in-config';
import type { TrustConfig } from '../identity/trust-config';
import { jsonOnly, requireUtf8 } from './http';

/**
 * The web console: the static files `npm run build` wrote to dist/console (src/console, built
 * by Vite), served at `/` by the hub itself, and the two small endpoints its sign-in page needs
 * (`/auth/config`, `/auth/dev-token`). Mounted after every other route, so it shadows nothing.
 */

/** Paths the console's fallback never answers: the hub's own endpoints (and anything under them). */
const HUB_PATHS = ['/graphql', '/healthz', '/readyz', '/metrics', '/auth'];

/** Where the built console is: dist/console beside the compiled server, or under the project when run from sources. */
export function findConsoleDir(): string | undefined {
  const candidates = [resolve(__dirname, '..', '..', 'console'), resolve(__dirname, '..', '..', 'dist', 'console')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/** The console's GraphQL explorer (GraphiQL): its documents get a slightly wider style policy, see consoleCsp. */
export const EXPLORER_PATH = '/explorer';

/** The placeholder Vite writes where a per-response CSP nonce goes (src/console/vite.config.mts). */
export const NONCE_PLACEHOLDER = '__HUB_CSP_NONCE__';

/**
 * The console's Content-Security-Policy: everything from the hub itself, nothing from anywhere
 * else (partner networks are closed; a CDN would not load, and must not). Ant Design writes its
 * styles at run time: those carry the response's nonce instead of 'unsafe-inline'.
 * `connect-src 'self'` covers the same-origin ws:/wss: socket in current browsers; it is named
 * as well for those that read 'self' strictly.
 */
export function consoleCsp(nonce: string, req: Request, identityProviders: readonly string[] = [], explorer = false): string {
  const host = req.headers.host ?? '';
  const ws = host ? ` ${req.secure ? 'wss' : 'ws'}://${host}` : '';
  // The agencies' OpenID providers: the console reads their discovery documents and exchanges
  // codes and refresh tokens at their token endpoints (CORS), and sends the browser to them.
  const idps = identityProviders.map((o) => ` ${o}`).join('');
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    // The explorer's editor (Monaco, in GraphiQL) writes style="…" attributes through innerHTML,
    // which no nonce can cover: allowed in documents opened at /explorer only (the console's
    // menu loads that page, and leaves it, with a full navigation). <style> elements stay nonce-only.
    ...(explorer ? ["style-src-attr 'unsafe-inline'"] : []),
    "img-src 'self' data:",
    // GraphiQL's stylesheet (the explorer) carries its fonts inline as data: URLs; a font cannot run code.
    "font-src 'self' data:",
    `connect-src 'self'${ws}${idps}`,
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self'${idps}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  next();
};

export interface ConsoleOptions {
  /** The built console (default: findConsoleDir()); undefined or missing answers a page saying how to build it. */
  dir?: string;
  /** The trust file: its agencies' `oidc` authorities are the only other origins the console may talk to. */
  trust?: TrustConfig;
  log: Logger;
}

/**
 * The origins of the agencies' OpenID providers (`oidc.authority` in the trust file), each once,
 * for the console's CSP. Suspended agencies are not offered, so their providers are left out.
 */
export function identityProviderOrigins(trust: TrustConfig | undefined): string[] {
  if (!trust) return [];
  return [...new Set(publicSignInConfig(trust).flatMap((a) => (a.oidc ? [new URL(a.oidc.authority).origin] : [])))];
}

/**
 * Vite's assets in the compressed copy the build wrote beside each (.br, .gz) when the browser
 * accepts one; otherwise (or for small files, which have none) express.static sends the plain file.
 */
function precompressedAssets(dir: string): RequestHandler {
  const encodings = [['br', '.br'], ['gzip', '.gz']] as const;
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const name = req.path.slice(1);
    // A flat folder of content-hashed names: anything else is not ours to answer here.
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return next();
    res.vary('Accept-Encoding');
    // Brotli first when both are accepted (it is smaller); negotiation by the client's order would pick gzip.
    const chosen = encodings.find(([encoding, suffix]) => req.acceptsEncodings(encoding) === encoding && existsSync(join(dir, name + suffix)));
    if (!chosen) return next();
    res.setHeader('content-encoding', chosen[0]);
    res.type(extname(name));
    res.sendFile(join(dir, name + chosen[1]), { maxAge: '365d', immutable: true, dotfiles: 'deny' }, (e) => {
      if (e && !res.headersSent) next(e);
    });
  };
}

/**
 * The console's pages that a page load at their path starts fetching with the libraries, instead
 * of after them (src/console/app/pages.tsx loads each page's code lazily, once the libraries have
 * run): a reload of the live board shows its first row sooner. Path prefix → the page's module in
 * Vite's manifest (src/console-relative). The explorer is left out: its editor is megabytes that
 * only its own page should pay for.
 */
export const PRELOADED_PAGES: Readonly<Record<string, string>> = {
  '/live': 'live-board/live-board-page.tsx',
  '/alerts': 'alerts/alerts-page.tsx',
  '/compose': 'compose/compose-page.tsx',
  '/clusters': 'clusters/clusters-page.tsx',
  '/probe': 'probe/probe-page.tsx',
  '/inbox': 'inbox/inbox-page.tsx',
  '/sharing': 'sharing/sharing-page.tsx',
  '/operations': 'operations/operations-page.tsx',
  '/statistics': 'statistics/statistics-page.tsx',
};

/**
 * The signed-in console (Apollo Client, the shell), a lazy chunk too (src/console/app/load-signed-in.ts):
 * named with each of PRELOADED_PAGES, whose pages are only ever shown signed in. The sign-in
 * page (`/`) loads none of it.
 */
export const SIGNED_IN_MODULE = 'app/signed-in.tsx';

interface ManifestChunk {
  file: string;
  imports?: string[];
}

/**
 * `<link rel="modulepreload">` tags for each PRELOADED_PAGES path: the signed-in console's and
 * the page's chunks and the chunks they import (from dist/console/.vite/manifest.json), less those index.html names already.
 * Empty when the build wrote no manifest.
 */
function pagePreloads(dir: string, indexHtml: string): Map<string, string> {
  const out = new Map<string, string>();
  const path = join(dir, '.vite', 'manifest.json');
  if (!existsSync(path)) return out;
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, ManifestChunk>;
  for (const [prefix, module] of Object.entries(PRELOADED_PAGES)) {
    const files = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key];
      if (!chunk || files.has(chunk.file)) return;
      files.add(chunk.file);
      chunk.imports?.forEach(visit);
    };
    visit(SIGNED_IN_MODULE);
    visit(module);
    const tags = [...files]
      .filter((f) => !indexHtml.includes(`/${f}"`))
      .map((f) => `<link rel="modulepreload" crossorigin href="/${f}" nonce="${NONCE_PLACEHOLDER}">`);
    if (tags.length) out.set(prefix, tags.join('\n    '));
  }
  return out;
}

/**
 * Static files with long caching for Vite's hashed assets, index.html never cached and with a
 * fresh CSP nonce, and index.html for any other GET that asks for a page (the console's routes).
 */
export function consoleRouter(options: ConsoleOptions): Router {
  const dir = options.dir ?? findConsoleDir();
  const router = express.Router();
  router.use(securityHeaders);
  const built = dir !== undefined && existsSync(join(dir, 'index.html'));
  if (!built) {
    options.log.warn('console: dist/console is missing: run `npm run build` to build it; / answers 503 until then');
  }
  // Read once: the build does not change under a running hub.
  const indexHtml = built ? readFileSync(join(dir!, 'index.html'), 'utf8') : '';
  const idps = identityProviderOrigins(options.trust);
  const preloads = built ? pagePreloads(dir!, indexHtml) : new Map<string, string>();
  const pageHtml = (path: string): string => {
    const prefix = [...preloads.keys()].find((p) => path === p || path.startsWith(`${p}/`));
    return prefix ? indexHtml.replace('</head>', `  ${preloads.get(prefix)}\n  </head>`) : indexHtml;
  };

  const sendIndex: RequestHandler = (req, res) => {
    if (!built) {
      res.status(503).type('text/plain').send('The web console is not built: run `npm run build` (or `npm run console:build`), then restart the hub.\n');
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    const explorer = req.path === EXPLORER_PATH || req.path.startsWith(`${EXPLORER_PATH}/`);
    res.setHeader('content-security-policy', consoleCsp(nonce, req, idps, explorer));
    res.setHeader('cache-control', 'no-cache');
    res.type('html').send(pageHtml(req.path).replaceAll(NONCE_PLACEHOLDER, nonce));
  };

  // `/auth/callback` is the console's page where an agency's provider sends the browser back
  // with a code (the rest of /auth/* belongs to the hub).
  router.get(['/', '/index.html', '/auth/callback'], sendIndex);
  if (built) {
    router.use('/assets', precompressedAssets(join(dir!, 'assets')));
    router.use(
      '/assets',
      express.static(join(dir!, 'assets'), {
        index: false,
        // Vite names every asset after its content hash: a changed file is a new name.
        immutable: true,
        maxAge: '365d',
      }),
    );
    router.use(express.static(dir!, { index: false, maxAge: '1h' }));
  }
  // The console's own routes (/alerts, /live …) are pages of the single-page app.
  router.get(/.*/, (req, res, next) => {
    if (HUB_PATHS.some((p) => req.path === p || req.path.startsWith(`${p}/`))) return next();
    if (/\.[a-z0-9]+$/i.test(req.path) || !req.accepts('html')) return next();
    sendIndex(req, res, next);
  });
  return router;
}

/**
 * What the sign-in page needs to know: the mode, and the agencies with their public OpenID
 * Connect settings where the trust file has them (publicSignInConfig: nothing secret).
 */
export interface AuthConfig {
  mode: 'development' | 'production';
  agencies: PublicAgencySignIn[];
}

function refusal(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}

export interface AuthOptions {
  trust: TrustConfig;
  /** True when the hub runs on development identity (generated keys): only then are development tokens issued. */
  devIdentity: boolean;
  dataDir: string;
  /** HUB_MAX_TOKEN_TTL: a development token lives 8 h or this, whichever is shorter. */
  maxTokenTtlSeconds: number;
  log: Logger;
}

/** A development token's lifetime, within HUB_MAX_TOKEN_TTL. */
export const DEV_TOKEN_TTL_SECONDS = 8 * 3600;

/**
 * `GET /auth/config` and `POST /auth/dev-token` ({agency, roles} → {token, expiresAt}). The
 * latter exists on development identity only; with a trust configuration (always in
 * production) it answers 403 and tokens come from each agency's identity provider.
 */
export function authRouter(options: AuthOptions): Router {
  const router = express.Router();
  router.use('/auth', securityHeaders, (_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  });
  router.get('/auth/config', (_req, res) => {
    const body: AuthConfig = {
      mode: options.devIdentity ? 'development' : 'production',
      agencies: publicSignInConfig(options.trust),
    };
    res.json(body);
  });
  router.post('/auth/dev-token', jsonOnly, express.json({ limit: '4kb', verify: requireUtf8 }), async (req, res) => {
    if (!options.devIdentity) {
      res.status(403).json(refusal('development sign-in is off: this hub trusts each agency\'s identity provider (HUB_TRUST_CONFIG); sign in there', 'FORBIDDEN'));
      return;
    }
    const body = (req.body ?? {}) as { agency?: unknown; roles?: unknown };
    const agencies = options.trust.agencies.filter((a) => !a.suspended).map((a) => a.code);
    if (typeof body.agency !== 'string' || !agencies.includes(body.agency)) {
      res.status(400).json(refusal(`agency: one of ${agencies.join(', ')}`, 'BAD_USER_INPUT'));
      return;
    }
    const roles = Object.values(Role) as string[];
    if (!Array.isArray(body.roles) || body.roles.length === 0 || body.roles.some((r) => !roles.includes(r as string)) || new Set(body.roles).size !== body.roles.length) {
      res.status(400).json(refusal(`roles: one or more of ${roles.join(', ')}, each once`, 'BAD_USER_INPUT'));
      return;
    }
    const ttlSeconds = Math.min(DEV_TOKEN_TTL_SECONDS, options.maxTokenTtlSeconds);
    try {
      const token = await mintDevToken(options.dataDir, { agency: body.agency, roles: body.roles as Role[], ttlSeconds });
      // The token's own exp, to the second; the console signs out then.
      const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;
      res.json({ token, expiresAt: new Date(exp * 1000).toISOString(), agency: body.agency, roles: body.roles });
    } catch (e) {
      options.log.error({ err: e }, 'development sign-in failed');
      res.status(500).json(refusal('Internal server error', 'INTERNAL_SERVER_ERROR'));
    }
  });
  return router;
}
