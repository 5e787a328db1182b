// A pino logger (src/cli/logger.ts) that keeps its JSON lines in memory, for tests of what a
// command logs.
import { createLogger, type Logger, type LogLevel } from '../../src/cli/logger.js';

/** A captured log: the logger and the entries it wrote, parsed. */
export interface CapturedLog {
  readonly log: Logger;
  readonly lines: string[];
  entries(): Record<string, unknown>[];
}

/** A JSON logger at `level` writing into memory. */
export function captureLog(level: LogLevel = 'debug'): CapturedLog {
  const lines: string[] = [];
  const log = createLogger({ level, format: 'json', destination: { write: (l: string) => lines.push(l) } });
  return { log, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** A logger that writes nothing. */
export const silentLog = (): Logger => createLogger({ level: 'silent', format: 'json' });
