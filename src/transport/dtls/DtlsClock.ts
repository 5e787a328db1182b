// Time as an input for the DTLS layer (flight retransmission, handshake deadlines, cookie
// rotation). Structurally the same shape as coap/Clock, which transport/ may not import
// (DESIGN.md layers), so a coap Clock or the tests' ManualClock fits as is.

/** A cancellable timer. */
export interface DtlsTimer {
  cancel(): void;
}

/** Current time in milliseconds and one-shot timers. */
export interface DtlsClock {
  now(): number;
  setTimer(ms: number, fn: () => void): DtlsTimer;
}

/** performance.now() and unref'd Node timers: they never hold the process open. */
export const systemDtlsClock: DtlsClock = {
  now: () => performance.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.min(ms, 0x7fff_ffff));
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};
