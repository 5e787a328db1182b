// HandshakeCrypto on a pool of worker threads (issue 15 item 5): ECDH and ECDSA of certificate
// handshakes run beside the event loop, which keeps moving records and PSK handshakes. Requests
// go to the least-busy worker; the number waiting is bounded (`maxPending`): past it a call
// rejects at once with CryptoBusyError, and the handshake that asked fails like any other (the
// peer retransmits later), so a storm cannot queue unbounded work. Workers are unref'd: an idle
// pool never keeps the process alive.

import { Worker } from 'node:worker_threads';
import type { KeyObject } from 'node:crypto';
import type { EcdhKeyPair, HandshakeCrypto, SignedEcdhKeyPair } from './HandshakeCrypto.js';
import {
  HANDSHAKE_CRYPTO_WORKER_SOURCE,
  type CryptoRequest,
  type CryptoResponse,
} from './handshakeCryptoWorkerSource.js';

/** Too many public-key operations are waiting; the caller should drop the handshake. */
export class CryptoBusyError extends Error {
  readonly code = 'LWM2M_DTLS_CRYPTO_BUSY';
  constructor(limit: number) {
    super(`more than ${limit} handshake crypto operations waiting`);
    this.name = 'CryptoBusyError';
  }
}

export interface WorkerHandshakeCryptoOptions {
  /** Worker threads (default 2). */
  readonly threads?: number;
  /** Operations waiting or running at most, over all workers (default 1 024). */
  readonly maxPending?: number;
}

interface Pending {
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class WorkerHandshakeCrypto implements HandshakeCrypto {
  private readonly slots: Slot[] = [];
  private readonly maxPending: number;
  private nextId = 1;
  private inFlight = 0;
  private closed = false;
  /** Calls refused because maxPending was reached. */
  busyRejections = 0;

  constructor(options: WorkerHandshakeCryptoOptions = {}) {
    const threads = options.threads ?? 2;
    if (!Number.isInteger(threads) || threads < 1 || threads > 64)
      throw new RangeError(`threads must be 1..64, got ${threads}`);
    this.maxPending = options.maxPending ?? 1024;
    for (let i = 0; i < threads; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(HANDSHAKE_CRYPTO_WORKER_SOURCE, { eval: true });
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (r: CryptoResponse) => {
      const p = slot.pending.get(r.id);
      if (!p) return;
      slot.pending.delete(r.id);
      this.inFlight--;
      if (r.ok) p.resolve(r.value);
      else p.reject(new Error(r.error));
    });
    const fail = (why: Error): void => {
      for (const p of slot.pending.values()) p.reject(why);
      this.inFlight -= slot.pending.size;
      slot.pending.clear();
      // a crashed worker is replaced, so the pool keeps its size
      const i = this.slots.indexOf(slot);
      if (i >= 0 && !this.closed) this.slots[i] = this.spawn();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`handshake crypto worker exited (${code})`)));
    return slot;
  }

  /** Operations waiting or running now. */
  get pending(): number {
    return this.inFlight;
  }

  private call<T>(request: WithoutId<CryptoRequest>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('handshake crypto closed'));
    if (this.inFlight >= this.maxPending) {
      this.busyRejections++;
      return Promise.reject(new CryptoBusyError(this.maxPending));
    }
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.nextId++;
    this.inFlight++;
    return new Promise<T>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      slot.worker.postMessage({ ...request, id });
    });
  }

  async ecdhGenerate(): Promise<EcdhKeyPair> {
    return this.call<EcdhKeyPair>({ op: 'ecdhGenerate' });
  }
  ecdhGenerateSigned(prefix: Uint8Array, privateKey: KeyObject): Promise<SignedEcdhKeyPair> {
    return this.call({ op: 'ecdhGenerateSigned', prefix, privateKey });
  }
  ecdhCompute(privateKey: Uint8Array, peerPoint: Uint8Array): Promise<Uint8Array> {
    return this.call({ op: 'ecdhCompute', privateKey, peerPoint });
  }
  sign(data: Uint8Array, privateKey: KeyObject): Promise<Uint8Array> {
    return this.call({ op: 'sign', data, privateKey });
  }
  verify(data: Uint8Array, publicKey: KeyObject | Uint8Array, signature: Uint8Array): Promise<boolean> {
    return this.call({ op: 'verify', data, publicKey, signature });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
