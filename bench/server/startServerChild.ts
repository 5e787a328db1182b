// Starts bench/server/serverChild.ts in its own Node process (through tsx, with --expose-gc and
// an IPC channel) and offers its control protocol as typed async calls.
import { fork, type ChildProcess } from 'node:child_process';
import type {
  CommandMessage,
  ReadyMessage,
  ReplyMessage,
  ServerCommand,
  ServerReplies,
} from './serverControl.js';

/** A running server child. */
export interface ServerChild {
  readonly port: number;
  /** The DTLS port (BENCH_SERVER_SECURED=n), else undefined. */
  readonly securePort: number | undefined;
  /** Sends a command and resolves with the child's answer. */
  ask<C extends ServerCommand>(command: C): Promise<ServerReplies[C['kind']]>;
  stop(): Promise<void>;
}

/** Forks the server child and waits until it listens (at most `timeoutMs`). */
export async function startServerChild(timeoutMs = 20_000): Promise<ServerChild> {
  const script = new URL('./serverChild.ts', import.meta.url).pathname;
  const child: ChildProcess = fork(script, [], {
    // BENCH_SERVER_CPU_PROF=<dir> writes a V8 CPU profile of the whole server process there
    // (BENCH_SERVER_PHASE_PROF=<dir>: one of each round of reads alone, see serverChild.ts).
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      // Room for --sweep 1000000 (about 1 GB of heap at 1M registrations; V8's default old-space
      // limit depends on the machine and may be as low as 2 GB): a ceiling, not a reservation.
      '--max-old-space-size=8192',
      ...(process.env.BENCH_SERVER_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_CPU_PROF}`]
        : []),
      // BENCH_SERVER_NODE_FLAGS="--trace-gc ...": extra Node flags for the server child (experiments).
      ...(process.env.BENCH_SERVER_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (m: ReplyMessage) => void>();
  let nextId = 0;
  let securePort: number | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server child not ready in ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server child exited with ${code} before it was ready`));
    });
    child.on('message', (m: ReplyMessage | ReadyMessage) => {
      if ('ready' in m) {
        clearTimeout(timer);
        securePort = m.secure;
        resolve(m.ready);
        return;
      }
      const done = waiting.get(m.id);
      waiting.delete(m.id);
      done?.(m);
    });
  });
  return {
    port,
    securePort,
    ask: <C extends ServerCommand>(command: C) =>
      new Promise<ServerReplies[C['kind']]>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, (m) =>
          m.error === undefined ? resolve(m.result as ServerReplies[C['kind']]) : reject(new Error(m.error)),
        );
        child.send({ id, command } satisfies CommandMessage);
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.disconnect();
      }),
  };
}
