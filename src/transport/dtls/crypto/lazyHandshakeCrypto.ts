// The HandshakeCrypto a transport uses for its certificate handshakes: the application's, or a
// default made on the first call to get() and stopped by close(). The application's own instance
// is never closed here. After close() the default cannot be started again (a handshake still
// finishing on a closed transport must not start a new pool).
//
// The default is inline for both roles (`'workers'` asks for the pool). Measured during an ECDHE
// storm (README, `npm run bench -- dtls`): a worker round trip costs the event loop about as much
// as the operation it moves (a postMessage each way against ~25-90 µs of ECDSA or ECDH), so the
// pool makes each handshake cost more CPU in all, in 5 bench runs of 7: ~440 against ~790 µs per
// raw-public-key handshake, all threads, in the best (callgrind, steady state: 4.0 M against 5.6
// M instructions). Inline, a handshake's event-loop work is spread over the datagrams that bring
// it, its crypto at most 2 ms per turn (TurnBudget.ts), and the storm's lag p99 stayed within
// its 50 ms target unless the machine was oversubscribed (README has the figures).

import { InlineHandshakeCrypto, type HandshakeCrypto } from './HandshakeCrypto.js';
import { WorkerHandshakeCrypto } from './WorkerHandshakeCrypto.js';

/** Where a transport's public-key work runs: on its event loop, on a worker pool, or the given one. */
export type HandshakeCryptoChoice = HandshakeCrypto | 'inline' | 'workers';

/** The default of both roles (see above). */
export const DEFAULT_HANDSHAKE_CRYPTO: 'inline' | 'workers' = 'inline';

const MAKERS: Readonly<Record<string, () => HandshakeCrypto>> = {
  inline: () => new InlineHandshakeCrypto(),
  workers: () => new WorkerHandshakeCrypto(),
};

export interface LazyHandshakeCrypto {
  /** The crypto to use now (starts the default one on first use; throws once closed). */
  get(): HandshakeCrypto;
  /** Stops the default crypto if it was started. */
  close(): Promise<void>;
}

export function lazyHandshakeCrypto(options: {
  readonly handshakeCrypto?: HandshakeCryptoChoice;
  /** Makes the default (overrides the choice; tests). */
  readonly create?: () => HandshakeCrypto;
}): LazyHandshakeCrypto {
  const given = options.handshakeCrypto;
  if (typeof given === 'object') return { get: () => given, close: () => Promise.resolve() };
  const mode = given ?? DEFAULT_HANDSHAKE_CRYPTO;
  const make = Object.hasOwn(MAKERS, mode) ? MAKERS[mode] : undefined;
  if (!make)
    throw new RangeError(
      `handshakeCrypto must be 'inline', 'workers' or a HandshakeCrypto, got ${String(mode)}`,
    );
  const create = options.create ?? make;
  let started: HandshakeCrypto | undefined;
  let closed = false;
  return {
    get: () => {
      if (closed) throw new Error('handshake crypto closed');
      return (started ??= create());
    },
    close: async () => {
      closed = true;
      const s = started;
      started = undefined;
      await s?.close();
    },
  };
}
