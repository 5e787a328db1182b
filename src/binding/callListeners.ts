// LwM2M Core TS 1.1.1 sections 5.2 and 6 (a role's interfaces run inside CoAP request handling,
// RFC 7252 section 5.2): event listeners are user code, so each is called on its own and its
// failure, thrown or as a rejected promise, is reported instead of reaching the protocol handler.
// Here, below the roles, so the server and the bootstrap server share it.

/** A listener as EventEmitter.rawListeners returns it (once-wrappers included). */
export type AnyListener = (...args: unknown[]) => unknown;

/**
 * Calls each of `listeners` with `args`, in order; one that throws or returns a promise that
 * rejects does not stop the others, and `report` gets its error. `report` itself must not throw.
 */
export function callListeners(
  listeners: readonly AnyListener[],
  args: readonly unknown[],
  report: (error: unknown) => void,
): void {
  for (const listener of listeners) {
    try {
      const result = listener(...args);
      if (isThenable(result)) result.then(undefined, report);
    } catch (e) {
      report(e);
    }
  }
}

/** The Error a 'warning' event carries for a listener of `event` that failed with `cause`. */
export function listenerError(event: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(`a listener of the '${event}' event failed: ${reason}`, { cause });
}

/** An emitter as emitGuarded needs it (an EventEmitter of any event map). */
export interface ListenerSource {
  rawListeners(event: never): unknown[];
  listenerCount(event: never): number;
}

/**
 * Emits `event` with `args` through `callListeners`: a listener's failure becomes a 'warning'
 * event (Error naming `event`, `cause` the failure); a failing 'warning' listener is ignored, so
 * reporting never recurses.
 */
export function emitGuarded(emitter: ListenerSource, event: string, args: readonly unknown[]): void {
  // No closure per emission (a server emits one per notification, issue 17; under tsx each named
  // closure also costs a defineProperty): the reporter is made only for a listener's promise.
  // No copy of the listener array either when there is none (most events of a busy server).
  if (emitter.listenerCount(event as never) === 0) return;
  for (const listener of emitter.rawListeners(event as never) as AnyListener[]) {
    try {
      const result = listener(...args);
      if (isThenable(result)) result.then(undefined, reporterOf(emitter, event));
    } catch (e) {
      reportFailure(emitter, event, e);
    }
  }
}

/** Reports a failed listener of `event` as a 'warning' (none for a failing 'warning' listener). */
function reportFailure(emitter: ListenerSource, event: string, e: unknown): void {
  if (event !== 'warning')
    callListeners(
      emitter.rawListeners('warning' as never) as AnyListener[],
      [listenerError(event, e)],
      ignore,
    );
}

function reporterOf(emitter: ListenerSource, event: string): (e: unknown) => void {
  return (e) => reportFailure(emitter, event, e);
}

function ignore(): void {}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof (v as { then?: unknown } | null | undefined)?.then === 'function';
}
