// A closed-loop load generator without a promise per operation, for loads whose operations are
// as cheap as the ceiling's round trip (CON notifications): each of `inFlight` slots starts its
// next operation straight from the callback of the last one, as the ceiling's generator
// (udpEchoLoad.ts) sends its next datagram from the receive callback. runLoad (loadLoop.ts) costs
// an async function turn, a promise and two clock reads per operation on the simulator's side,
// which shares the machine's two cores with the server it measures. No latencies are kept.
import { measureWindow, type LoadResult, type LoadOptions } from './loadLoop.js';

/** Ends an operation: no error on success. */
export type Done = (error: Error | undefined) => void;

/**
 * Starts one operation that calls `done` exactly once, later (never from within this call);
 * returns false, and never calls `done`, when none could start (counted as an error, retried on
 * the next turn of the event loop).
 */
export type StartOperation = (done: Done) => boolean;

/** Runs `start` with `inFlight` concurrent slots: a warm-up, then a measured window. */
export async function runCallbackLoad(start: StartOperation, options: LoadOptions): Promise<LoadResult> {
  let measuring = false;
  let stop = false;
  let operations = 0;
  let errors = 0;
  let running = 0;
  let allStopped: (() => void) | undefined;
  const slot = (): void => {
    running++;
    const next = (): void => {
      if (stop) {
        if (--running === 0) allStopped?.();
        return;
      }
      if (start(done)) return;
      if (measuring) errors++;
      setImmediate(next); // a failure to start must not spin: try again next turn
    };
    const done: Done = (error) => {
      if (measuring) {
        if (error) errors++;
        else operations++;
      }
      next();
    };
    next();
  };
  for (let i = 0; i < options.inFlight; i++) slot();
  const { seconds, cpuSeconds } = await measureWindow(
    options,
    () => (measuring = true),
    () => (measuring = false),
  );
  const counted = operations;
  stop = true;
  // The operations still out end on their answer or their timeout; each slot then stops.
  if (running > 0) await new Promise<void>((r) => (allStopped = r));
  return {
    operations: counted,
    errors,
    seconds,
    perSec: counted / seconds,
    p50Ms: NaN,
    p99Ms: NaN,
    cpuSeconds,
  };
}
