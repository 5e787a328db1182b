// The HandshakeCrypto a transport uses for its certificate handshakes: the application's, or a
// WorkerHandshakeCrypto started on the first call to get() (a PSK-only transport never starts
// worker threads) and stopped by close(). The application's own instance is never closed here.

import type { HandshakeCrypto } from './HandshakeCrypto.js';
import { WorkerHandshakeCrypto } from './WorkerHandshakeCrypto.js';

export interface LazyHandshakeCrypto {
  /** The crypto to use now (starts the default one on first use). */
  get(): HandshakeCrypto;
  /** Stops the default crypto if it was started; get() starts a new one afterwards. */
  close(): Promise<void>;
}

export function lazyHandshakeCrypto(options: {
  readonly handshakeCrypto?: HandshakeCrypto;
  /** Makes the default (default: a WorkerHandshakeCrypto with its default pool). */
  readonly create?: () => HandshakeCrypto;
}): LazyHandshakeCrypto {
  const given = options.handshakeCrypto;
  let started: HandshakeCrypto | undefined;
  return {
    get: () => given ?? (started ??= (options.create ?? (() => new WorkerHandshakeCrypto()))()),
    close: async () => {
      const s = started;
      started = undefined;
      await s?.close();
    },
  };
}
