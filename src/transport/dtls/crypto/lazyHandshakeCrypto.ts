// The HandshakeCrypto of a transport (DtlsCommonOptions.handshakeCrypto): the application's when
// given (it stays the application's to close), else a WorkerHandshakeCrypto started on the first
// certificate handshake, so a PSK-only transport never starts a thread, and stopped on close.

import type { HandshakeCrypto } from './HandshakeCrypto.js';
import { WorkerHandshakeCrypto } from './WorkerHandshakeCrypto.js';

/** A HandshakeCrypto made on first use, and closed with its transport when it made it. */
export interface LazyHandshakeCrypto {
  get(): HandshakeCrypto;
  close(): Promise<void>;
}

/** The given `handshakeCrypto`, or a worker pool started by the first `get()`. */
export function lazyHandshakeCrypto(options: {
  readonly handshakeCrypto?: HandshakeCrypto;
}): LazyHandshakeCrypto {
  const given = options.handshakeCrypto;
  if (given) return { get: () => given, close: () => Promise.resolve() };
  let own: WorkerHandshakeCrypto | undefined;
  let closed = false;
  return {
    get: () => {
      if (closed) throw new Error('handshake crypto closed');
      return (own ??= new WorkerHandshakeCrypto());
    },
    close: () => {
      closed = true;
      return own ? own.close() : Promise.resolve();
    },
  };
}
