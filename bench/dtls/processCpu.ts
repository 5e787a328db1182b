// CPU time of a benchmark child split by thread, from /proc: its main thread (the event loop)
// and the whole process (every thread: worker threads, the garbage collector's helpers, libuv's
// pool; threads that ended are counted in too). Linux only; undefined elsewhere.
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc stat times (USER_HZ, 100 on every Linux ABI). */
const USER_HZ = 100;

/** utime + stime of a /proc stat file (fields 14 and 15, after the parenthesised name), seconds. */
function statCpuSeconds(path: string): number | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return undefined;
  }
}

/** CPU seconds so far of a process's main thread and of all its threads. */
export interface ProcessCpu {
  readonly main: number;
  readonly all: number;
}

export function processCpu(pid: number | undefined): ProcessCpu | undefined {
  if (pid === undefined) return undefined;
  const all = statCpuSeconds(`/proc/${pid}/stat`);
  const main = statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);
  return all === undefined || main === undefined ? undefined : { main, all };
}
