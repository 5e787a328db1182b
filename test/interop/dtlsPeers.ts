// Shared pieces of the DTLS interop tests: the PSK every peer uses, child processes bounded by a
// timeout with their output collected, and a free UDP port on 127.0.0.1 for a peer to listen on.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';

export const PSK_HEX = '73656372657450534b';
export const PSK = Buffer.from(PSK_HEX, 'hex');
export const CHILD_TIMEOUT_MS = 30_000;

/** A child process whose stdin stays open, with stdout and stderr collected. */
export function startChild(path: string, args: string[]): { proc: ChildProcess; out: () => string } {
  const proc = spawn(path, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: CHILD_TIMEOUT_MS });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  proc.stdin!.on('error', () => undefined);
  return { proc, out: () => out };
}

/** Kills a child and waits for it to exit (bounded). */
export async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGKILL');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
}

/** A UDP port on 127.0.0.1 that was free a moment ago. */
export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
