// Starts a benchmark peer in a child process (through tsx) and waits for its "READY <port>" line,
// so client and server never share one event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A running child peer and the UDP port it announced. */
export interface ChildPeer {
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns `node --import tsx <file> ...args` and resolves once it prints `READY <port>`. */
export async function startChild(
  file: string | URL,
  args: string[] = [],
  timeoutMs = 20_000,
): Promise<ChildPeer> {
  const path = file instanceof URL ? file.pathname : file;
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${path} did not become ready in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^READY (\d+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${path} exited with ${code} before it was ready`));
    });
  });
  return {
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
