// The public-key work of certificate-suite handshakes behind one asynchronous interface (research
// dtls.md section 7; issue 15 item 5): ECDH on P-256 (points as raw 65-byte uncompressed bytes,
// what createECDH takes, ~4x cheaper than importing keys) and ECDSA-SHA256 signing and checking
// (DER signatures, as TLS 1.2 carries them). PSK handshakes never come here. The inline
// implementation runs each call synchronously; WorkerHandshakeCrypto moves them to worker threads
// so a storm of ECDHE handshakes does not stall the event loop.

import { createECDH, createPublicKey, sign, verify, type ECDH, type KeyObject } from 'node:crypto';
import { TurnBudget, type TurnBudgetOptions } from './TurnBudget.js';

/** An ephemeral P-256 key pair: the private scalar and the uncompressed public point. */
export interface EcdhKeyPair {
  readonly privateKey: Uint8Array;
  readonly publicPoint: Uint8Array;
}

/** A fresh ephemeral key pair and an ECDSA-SHA256 signature over `prefix || publicPoint`. */
export interface SignedEcdhKeyPair {
  readonly pair: EcdhKeyPair;
  readonly signature: Uint8Array;
}

export interface HandshakeCrypto {
  /** A fresh ephemeral key pair. */
  ecdhGenerate(): Promise<EcdhKeyPair>;
  /**
   * A fresh ephemeral key pair and, in the same call (one worker round trip instead of two), the
   * DER ECDSA-SHA256 signature of `prefix` followed by its public point: the server's
   * ServerKeyExchange, whose signed ServerECDHParams end with the point (RFC 8422 5.4).
   */
  ecdhGenerateSigned(prefix: Uint8Array, privateKey: KeyObject): Promise<SignedEcdhKeyPair>;
  /** The shared secret (the x coordinate, 32 bytes); rejects for a point not on the curve. */
  ecdhCompute(privateKey: Uint8Array, peerPoint: Uint8Array): Promise<Uint8Array>;
  /** ECDSA-SHA256 over `data` with a private key (DER signature). */
  sign(data: Uint8Array, privateKey: KeyObject): Promise<Uint8Array>;
  /** Checks a DER ECDSA-SHA256 signature; `publicKey` is a KeyObject or SPKI DER. */
  verify(data: Uint8Array, publicKey: KeyObject | Uint8Array, signature: Uint8Array): Promise<boolean>;
  /** Stops worker threads, if any. */
  close(): Promise<void>;
}

const asKey = (k: KeyObject | Uint8Array): KeyObject =>
  k instanceof Uint8Array ? createPublicKey({ key: Buffer.from(k), format: 'der', type: 'spki' }) : k;

/**
 * The ECDH object that made each private key of this thread, by the key's buffer: a compute with
 * it skips making a new object and setPrivateKey, which recomputes the public point (~18 µs of a
 * ~150 µs handshake). The key is still fresh per handshake (RFC 8422 2); the entry goes with it.
 */
const madeBy = new WeakMap<Uint8Array, ECDH>();

/** The synchronous functions, shared by the inline implementation and the worker. */
export const handshakeCryptoOps = {
  ecdhGenerate(): EcdhKeyPair {
    const ecdh = createECDH('prime256v1');
    const publicPoint = ecdh.generateKeys();
    const privateKey = ecdh.getPrivateKey();
    madeBy.set(privateKey, ecdh);
    return { privateKey, publicPoint };
  },
  ecdhGenerateSigned(prefix: Uint8Array, privateKey: KeyObject): SignedEcdhKeyPair {
    const pair = handshakeCryptoOps.ecdhGenerate();
    const signature = sign('sha256', Buffer.concat([prefix, pair.publicPoint]), privateKey);
    return { pair, signature };
  },
  ecdhCompute(privateKey: Uint8Array, peerPoint: Uint8Array): Uint8Array {
    let ecdh = madeBy.get(privateKey);
    if (!ecdh) {
      ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(privateKey);
    }
    return ecdh.computeSecret(peerPoint);
  },
  sign(data: Uint8Array, privateKey: KeyObject): Uint8Array {
    return sign('sha256', data, privateKey);
  },
  verify(data: Uint8Array, publicKey: KeyObject | Uint8Array, signature: Uint8Array): boolean {
    try {
      return verify('sha256', data, asKey(publicKey), signature);
    } catch {
      return false; // a malformed signature or key is a failed check
    }
  },
};

/**
 * Every call on the calling thread, at most a budget of them per event-loop turn (TurnBudget.ts:
 * the rest wait for the next turns, bounded; past the bound a call rejects with CryptoBusyError).
 */
export class InlineHandshakeCrypto implements HandshakeCrypto {
  private readonly turns: TurnBudget;

  constructor(options: TurnBudgetOptions = {}) {
    this.turns = new TurnBudget(options);
  }

  /** Operations that waited for a later event-loop turn so far. */
  get deferred(): number {
    return this.turns.deferred;
  }

  ecdhGenerate(): Promise<EcdhKeyPair> {
    return this.turns.run(() => handshakeCryptoOps.ecdhGenerate());
  }
  ecdhGenerateSigned(prefix: Uint8Array, privateKey: KeyObject): Promise<SignedEcdhKeyPair> {
    return this.turns.run(() => handshakeCryptoOps.ecdhGenerateSigned(prefix, privateKey));
  }
  ecdhCompute(privateKey: Uint8Array, peerPoint: Uint8Array): Promise<Uint8Array> {
    return this.turns.run(() => handshakeCryptoOps.ecdhCompute(privateKey, peerPoint));
  }
  sign(data: Uint8Array, privateKey: KeyObject): Promise<Uint8Array> {
    return this.turns.run(() => handshakeCryptoOps.sign(data, privateKey));
  }
  verify(data: Uint8Array, publicKey: KeyObject | Uint8Array, signature: Uint8Array): Promise<boolean> {
    return this.turns.run(() => handshakeCryptoOps.verify(data, publicKey, signature));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
