// Pieces shared by the long-running commands (server, bootstrap): option parsers and the
// start-then-wait-for-a-signal action.
import { InvalidArgumentError } from 'commander';

/** Commander parser of a UDP/TCP port option (0 to 65535). */
export function portOption(value: string): number {
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) > 65535)
    throw new InvalidArgumentError('must be a port number from 0 to 65535');
  return Number(value);
}

/**
 * Starts a service; on failure prints `lwm2m <name>: message` and sets exit code 2, otherwise
 * stops it cleanly and exits 0 on SIGINT or SIGTERM.
 */
export async function serveUntilSignal(
  name: string,
  start: () => Promise<{ stop(): Promise<void> }>,
): Promise<void> {
  let running: { stop(): Promise<void> };
  try {
    running = await start();
  } catch (e) {
    console.error(`lwm2m ${name}: ${(e as Error).message}`);
    process.exitCode = 2;
    return;
  }
  const shutdown = (): void => void running.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
