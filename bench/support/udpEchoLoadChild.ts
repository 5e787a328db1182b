// The ceiling's generator in a process of its own (issue 17 item 1): a fresh, small process runs
// runUdpEchoLoad (udpEchoLoad.ts) on request, so the ceiling does not pay for the simulator's
// heap, its thousands of client sockets or its other work, as a standalone dgram client would
// not. Forked with an IPC channel and the echo server's port and pid; each request runs one
// round and answers with its result (the echo server's CPU read from /proc over the window).
import { fork } from 'node:child_process';
import { procCpuSeconds } from './childProcess.js';
import { runUdpEchoLoad, type EchoLoadOptions, type EchoLoadResult } from './udpEchoLoad.js';

/** What the parent asks: one round (its CPU probe is the echo server's, read here). */
type Round = Omit<EchoLoadOptions, 'cpuProbe'>;

/** A running generator process. */
export interface UdpEchoLoadChild {
  run(round: Round): Promise<EchoLoadResult>;
  stop(): void;
}

/** Forks this file as the generator of echo rounds against the echo server at `port` (process `pid`). */
export async function startUdpEchoLoadChild(port: number, pid: number): Promise<UdpEchoLoadChild> {
  const child = fork(new URL(import.meta.url).pathname, [String(port), String(pid)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`echo load child exited with ${code}`)));
  });
  return {
    run: (round) =>
      new Promise<EchoLoadResult>((resolve, reject) => {
        const onExit = (code: number | null): void =>
          reject(new Error(`echo load child exited with ${code}`));
        child.once('exit', onExit);
        child.once('message', (m) => {
          child.off('exit', onExit);
          resolve(m as EchoLoadResult);
        });
        child.send(round);
      }),
    stop: () => void child.disconnect(),
  };
}

if (process.argv[1] === new URL(import.meta.url).pathname && process.send) {
  const port = Number(process.argv[2]);
  const pid = Number(process.argv[3]);
  process.on('message', (round: Round) => {
    void runUdpEchoLoad(port, { ...round, cpuProbe: () => procCpuSeconds(pid) ?? NaN }).then((r) =>
      process.send?.(r),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send('ready');
}
