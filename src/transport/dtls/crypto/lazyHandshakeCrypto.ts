// The HandshakeCrypto a transport uses for its certificate handshakes: the application's, or a
// default (a WorkerHandshakeCrypto unless `create` says otherwise) started on the first call to
// get() (a PSK-only transport never starts worker threads) and stopped by close(). The
// application's own instance is never closed here. After close() the default cannot be started
// again (a handshake still finishing on a closed transport must not start a new pool).

import type { HandshakeCrypto } from './HandshakeCrypto.js';
import { WorkerHandshakeCrypto } from './WorkerHandshakeCrypto.js';

export interface LazyHandshakeCrypto {
  /** The crypto to use now (starts the default one on first use; throws once closed). */
  get(): HandshakeCrypto;
  /** Stops the default crypto if it was started. */
  close(): Promise<void>;
}

export function lazyHandshakeCrypto(options: {
  readonly handshakeCrypto?: HandshakeCrypto;
  /** Makes the default (default: a WorkerHandshakeCrypto with its default pool). */
  readonly create?: () => HandshakeCrypto;
}): LazyHandshakeCrypto {
  const given = options.handshakeCrypto;
  if (given) return { get: () => given, close: () => Promise.resolve() };
  let started: HandshakeCrypto | undefined;
  let closed = false;
  return {
    get: () => {
      if (closed) throw new Error('handshake crypto closed');
      return (started ??= (options.create ?? (() => new WorkerHandshakeCrypto()))());
    },
    close: async () => {
      closed = true;
      const s = started;
      started = undefined;
      await s?.close();
    },
  };
}
