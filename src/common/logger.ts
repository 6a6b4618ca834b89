import pino from 'pino';
import type { LogLevel } from '../config';

export type Logger = pino.Logger;

/**
 * The hub's structured logger: one JSON object a line on stdout. Never log tokens,
 * connection strings with passwords, or alert content (personal data under PIPL/PDPO).
 */
/**
 * Errors are logged in full (type, message, stack, code) with one change: quoted literals are
 * blanked, because a database error quotes the statement with its values, and those values
 * can be an alert's consignee or a search for one. An `err` that is only a message (a string)
 * is scrubbed the same way and logged as that string.
 */
export function scrubbedError(e: unknown): unknown {
  const scrub = (v: unknown) => (typeof v === 'string' ? v.replace(/'(?:[^']|'')*'/g, "'…'") : v);
  if (typeof e !== 'object' || e === null) return scrub(e);
  const serialized = pino.stdSerializers.err(e as Error) as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(serialized)) if (!['params', 'query', 'sql', 'parameters'].includes(k)) out[k] = scrub(v);
  return out;
}

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    serializers: { err: scrubbedError },
    level,
    base: { service: 'gba-hub' },
    redact: { paths: ['authorization', '*.authorization', 'token', '*.token'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
