import pino from 'pino';
import type { LogLevel } from '../config';

export type Logger = pino.Logger;

/**
 * The hub's structured logger: one JSON object a line on stdout. Never log tokens,
 * connection strings with passwords, or alert content (personal data under PIPL/PDPO).
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'gba-hub' },
    redact: { paths: ['authorization', '*.authorization', 'token', '*.token'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
