// The worker thread of WorkerHandshakeCrypto, as JavaScript source run with `eval: true`: it
// needs nothing but node:crypto, and an eval'd worker loads the same from the TypeScript sources
// (tests, tsx) and from the built package, without a loader. It mirrors handshakeCryptoOps
// (HandshakeCrypto.ts); test/transport/dtls/handshakeCrypto.test.ts runs both on the same cases.
import type { KeyObject } from 'node:crypto';

/** One request to the worker. */
export type CryptoRequest =
  | { readonly id: number; readonly op: 'ecdhGenerate' }
  | {
      readonly id: number;
      readonly op: 'ecdhGenerateSigned';
      readonly prefix: Uint8Array;
      readonly privateKey: KeyObject;
    }
  | {
      readonly id: number;
      readonly op: 'ecdhCompute';
      readonly privateKey: Uint8Array;
      readonly peerPoint: Uint8Array;
    }
  | { readonly id: number; readonly op: 'sign'; readonly data: Uint8Array; readonly privateKey: KeyObject }
  | {
      readonly id: number;
      readonly op: 'verify';
      readonly data: Uint8Array;
      readonly publicKey: KeyObject | Uint8Array;
      readonly signature: Uint8Array;
    };

/** Its answer: the value (structured-cloned) or the error's message. */
export type CryptoResponse =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

export const HANDSHAKE_CRYPTO_WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const { createECDH, createPublicKey, sign, verify } = require('node:crypto');
const ops = {
  ecdhGenerate() {
    const ecdh = createECDH('prime256v1');
    const publicPoint = ecdh.generateKeys();
    return { privateKey: ecdh.getPrivateKey(), publicPoint };
  },
  ecdhGenerateSigned(r) {
    const pair = ops.ecdhGenerate();
    const signature = sign('sha256', Buffer.concat([r.prefix, pair.publicPoint]), r.privateKey);
    return { pair, signature };
  },
  ecdhCompute(r) {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(r.privateKey);
    return ecdh.computeSecret(r.peerPoint);
  },
  sign(r) {
    return sign('sha256', r.data, r.privateKey);
  },
  verify(r) {
    try {
      const key = r.publicKey instanceof Uint8Array
        ? createPublicKey({ key: Buffer.from(r.publicKey), format: 'der', type: 'spki' })
        : r.publicKey;
      return verify('sha256', r.data, key, r.signature);
    } catch {
      return false;
    }
  },
};
parentPort.on('message', (r) => {
  let response;
  try {
    const op = ops[r.op];
    if (!op) throw new Error('unknown operation ' + r.op);
    response = { id: r.id, ok: true, value: op(r) };
  } catch (e) {
    response = { id: r.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort.postMessage(response);
});
`;
