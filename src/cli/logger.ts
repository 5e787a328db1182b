// The long-running commands' log (issue 12 item 11): pino, one JSON object per line (`json`) or
// one readable line per entry (`pretty`, formatted by prettyLine.ts, no pino-pretty needed).
// Levels: error = this process failed at something, warn = something was refused or lost
// (a rejected registration, a store write that failed), info = lifecycle (start, stop,
// registrations coming and going), debug = per-message traffic (updates, notifications, HTTP
// requests). Credentials are never logged; the redaction below is a second line of defence.
import { pino, type Logger } from 'pino';
import { prettyLine } from './prettyLine.js';

export type { Logger } from 'pino';

/** `--log-level` values, quietest first. */
export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug', 'trace'] as const;
/** One of LOG_LEVELS. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `--log-format` values. */
export const LOG_FORMATS = ['pretty', 'json'] as const;
/** One of LOG_FORMATS. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Where log lines go: anything with a `write(line)` (default: standard output). */
export interface LogDestination {
  write(line: string): unknown;
}

/** Settings of createLogger. */
export interface LoggerOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  readonly destination?: LogDestination;
}

/** Field names that may hold secrets, at any of the first two levels of a log entry. */
const SECRET_FIELDS = ['secretKey', 'key', 'psk', 'password', 'apiKey', 'apiKeys', 'token', 'authorization'];
const REDACT_PATHS = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]);

/** A pino logger writing `format` lines to `destination`, with ISO timestamps and level names. */
export function createLogger(o: LoggerOptions): Logger {
  const out = o.destination ?? process.stdout;
  const destination: LogDestination =
    o.format === 'json' ? out : { write: (line: string) => out.write(prettyLine(line)) };
  return pino(
    {
      level: o.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
