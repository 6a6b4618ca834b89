import { isUtf8 } from 'node:buffer';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import cors from 'cors';
import type { ApolloServerPlugin } from '@apollo/server';
import type { HubContext } from '../context';
import type { Logger } from '../common/logger';
import { operationLabel, type HubMetrics } from './metrics';

/** A GraphQL-shaped error body for what never reaches GraphQL (transport refusals). */
function refusal(message: string, code = 'BAD_REQUEST') {
  return { errors: [{ message, extensions: { code } }] };
}

/**
 * Every answer of /graphql is for its viewer alone, under sharing that can change at any
 * moment: no browser or proxy may keep it, a GET query's answer included.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('cache-control', 'no-store');
  next();
};

/**
 * POSTs must be JSON (`application/json`, or the GraphQL-over-HTTP media type): a form or
 * multipart body is refused with 415 before anything reads it. GET stays for queries; Apollo
 * refuses a mutation over GET with 405.
 */
export const jsonOnly: RequestHandler = (req, res, next) => {
  if (req.method !== 'POST') return next();
  if (req.is(['application/json', 'application/graphql-response+json'])) return next();
  res.status(415).json(refusal('POST bodies must be application/json'));
};

/**
 * express.json's `verify`: a body that is not valid UTF-8 is refused (400) before it is
 * decoded, which would silently turn each bad byte into U+FFFD.
 */
export function requireUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('request body is not valid UTF-8'), { status: 400, type: 'encoding.invalid' });
}

/** Body-parser failures (too large, not JSON) as JSON errors, never an HTML page or a stack. */
export const bodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent) return next(err);
  const status = typeof err?.status === 'number' ? err.status : 500;
  if (err?.type === 'entity.too.large') return void res.status(413).json(refusal('request body too large'));
  if (err?.type === 'encoding.invalid') return void res.status(400).json(refusal('request body is not valid UTF-8'));
  if (status >= 400 && status < 500) return void res.status(status).json(refusal(err?.type === 'entity.parse.failed' ? 'request body is not valid JSON' : 'bad request'));
  res.status(500).json(refusal('Internal server error', 'INTERNAL_SERVER_ERROR'));
};

/** CORS for the browser origins of HUB_ALLOWED_ORIGINS only; other origins get no CORS headers. */
export function corsFor(allowedOrigins: readonly string[]): RequestHandler {
  return cors({
    origin: (origin, cb) => cb(null, origin !== undefined && allowedOrigins.includes(origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
}

/**
 * One structured log line per HTTP operation (request id, agency, subject, operation name and
 * shape, duration, outcome) and the request metrics. Variables and tokens are never logged:
 * they can carry personal data.
 */
export function requestLogPlugin(metrics: HubMetrics, log: Logger): ApolloServerPlugin<HubContext> {
  // The line goes through the request's own logger, made on first use: not made when the level drops it.
  const logged = log.isLevelEnabled('info');
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      let label = 'unparsed';
      let type = 'unknown';
      let name: string | undefined;
      return {
        async didResolveOperation({ document, operation }) {
          label = operationLabel(document, operation);
          type = operation?.operation ?? 'unknown';
          name = operation?.name?.value;
        },
        async willSendResponse({ response, request, errors }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const codes = [...new Set((body?.errors ?? errors ?? []).map((e) => String(e.extensions?.code ?? 'ERROR')))];
          const outcome = codes.length ? codes.sort().join(',') : 'ok';
          metrics.requests.inc({ operation: label, transport: 'http', outcome });
          metrics.duration.observe({ operation_type: type, transport: 'http' }, seconds);
          if (!logged) return;
          contextValue.log.info(
            {
              operationName: (request.operationName ?? name)?.slice(0, 100),
              operation: label,
              durationMs: Math.round(seconds * 1000),
              outcome,
              status: response.http.status ?? 200,
            },
            'graphql request',
          );
        },
      };
    },
  };
}

