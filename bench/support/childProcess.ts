// Starts a benchmark peer in a child process (through tsx) and waits for its "READY <port>" line,
// so client and server never share one event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** A running child peer and the UDP port it announced. */
export interface ChildPeer {
  readonly port: number;
  /** What the READY line said after the port (e.g. which echo the ceiling uses). */
  readonly label: string;
  readonly process: ChildProcess;
  /** CPU time (user + system) the child has used so far, in seconds; undefined off Linux. */
  cpuSeconds(): number | undefined;
  stop(): Promise<void>;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on every Linux ABI). */
const USER_HZ = 100;

/** utime + stime of a process from /proc (fields 14 and 15, after the parenthesised name). */
export function procCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return undefined;
  }
}

/** Node flags of every benchmark child: the echo ceiling and the CoAP server run alike. */
const CHILD_NODE_FLAGS: readonly string[] = ['--import', 'tsx'];

/** Spawns `node --import tsx <file> ...args` and resolves once it prints `READY <port>`. */
export async function startChild(
  file: string | URL,
  args: string[] = [],
  timeoutMs = 20_000,
  env: NodeJS.ProcessEnv = {},
): Promise<ChildPeer> {
  const path = file instanceof URL ? file.pathname : file;
  const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, path, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  let label = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${path} did not become ready in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^READY (\d+) ?(.*)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        label = m[2] ?? '';
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
    label,
    process: child,
    cpuSeconds: () => procCpuSeconds(child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
