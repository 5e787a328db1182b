// Pieces shared by the long-running commands (server, bootstrap): option parsers and the
// start-then-wait-for-a-signal action, with a drain on SIGTERM (issue 12 item 12).
import { InvalidArgumentError } from 'commander';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type Logger, type LogLevel } from './logger.js';

/** Commander parser of a UDP/TCP port option (0 to 65535). */
export function portOption(value: string): number {
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) > 65535)
    throw new InvalidArgumentError('must be a port number from 0 to 65535');
  return Number(value);
}

/** Commander parser of a duration in milliseconds (0 to 10 minutes). */
export function msOption(value: string): number {
  if (!/^[0-9]{1,6}$/.test(value) || Number(value) > 600_000)
    throw new InvalidArgumentError('must be a number of milliseconds from 0 to 600000');
  return Number(value);
}

/** Commander parser of `--log-level`. */
export function logLevelOption(value: string): LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${LOG_LEVELS.join(', ')}`);
  return value as LogLevel;
}

/** Commander parser of `--log-format`. */
export function logFormatOption(value: string): LogFormat {
  if (!(LOG_FORMATS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`must be one of ${LOG_FORMATS.join(', ')}`);
  return value as LogFormat;
}

/** A started service, as serveUntilSignal runs it. */
export interface Service {
  /** Closes everything; in-flight requests are answered first. */
  stop(): Promise<void>;
  /** Stops advertising readiness (GET /readyz answers 503) while still serving. */
  drain?(): void;
  /** How long SIGTERM drains before stopping. Default 0. */
  readonly drainDelayMs?: number;
  readonly log?: Logger;
}

/** What serveUntilSignal needs of the process (tests pass a fake). */
export interface SignalHost {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  exit(code: number): void;
}

/**
 * Starts a service; on failure prints `lwm2m <name>: message` and sets exit code 2. Otherwise,
 * on SIGTERM it drains (readiness 503 for `drainDelayMs`, so load balancers stop sending), then
 * stops: new connections are refused, in-flight requests answered; then exits 0. SIGINT, or a
 * second signal while draining, stops at once.
 */
export async function serveUntilSignal(
  name: string,
  start: () => Promise<Service>,
  host: SignalHost = process,
): Promise<void> {
  let running: Service;
  try {
    running = await start();
  } catch (e) {
    console.error(`lwm2m ${name}: ${(e as Error).message}`);
    process.exitCode = 2;
    return;
  }
  const log = running.log;
  let skipWait: () => void = () => undefined;
  const shutdown = async (signal: string): Promise<void> => {
    log?.info({ signal }, 'shutting down');
    const delay = signal === 'SIGTERM' ? (running.drainDelayMs ?? 0) : 0;
    if (running.drain && delay > 0) {
      running.drain();
      log?.info({ drainDelayMs: delay }, 'draining: /readyz answers 503');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        skipWait = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    } else running.drain?.();
    await running.stop();
    log?.info('stopped');
    host.exit(0);
  };
  let stopping = false;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => (): void => {
    if (stopping) return skipWait(); // a second signal (e.g. Ctrl-C while draining) ends the wait
    stopping = true;
    shutdown(signal).catch((e: unknown) => {
      // A failing stop must still end the process, with a reason, not as an unhandled rejection.
      log?.error({ err: e }, 'stopping failed');
      host.exit(1);
    });
  };
  host.on('SIGINT', onSignal('SIGINT'));
  host.on('SIGTERM', onSignal('SIGTERM'));
}
