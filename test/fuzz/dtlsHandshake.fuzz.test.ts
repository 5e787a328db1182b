// Fuzzes the DTLS handshake codecs with mutations of the golden captures' messages (and random
// bytes): decoding throws nothing but DecodeError, and whatever decodes encodes back to the very
// same bytes. Set FUZZ_SEED to replay a run; the seed is in every failure message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeClientHello,
  encodeClientHello,
} from '../../src/transport/dtls/handshake/messages/ClientHello.js';
import { decodeFinished, encodeFinished } from '../../src/transport/dtls/handshake/messages/Finished.js';
import {
  decodeHandshakeFragments,
  encodeHandshakeFragment,
  HandshakeType,
} from '../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import {
  decodeHelloVerifyRequest,
  encodeHelloVerifyRequest,
} from '../../src/transport/dtls/handshake/messages/HelloVerifyRequest.js';
import {
  decodePskClientKeyExchange,
  encodePskClientKeyExchange,
} from '../../src/transport/dtls/handshake/messages/PskClientKeyExchange.js';
import {
  decodeServerHello,
  encodeServerHello,
} from '../../src/transport/dtls/handshake/messages/ServerHello.js';
import { decodeConnectionId, findExtension } from '../../src/transport/dtls/handshake/messages/extensions.js';
import { bodiesOf, handshakeRecordContents } from '../transport/dtls/captureMessages.js';
import { fuzzDecoder } from './mutator.js';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const sameBytes = (a: Uint8Array, b: Uint8Array, what: string) => (): void =>
  assert.equal(toHex(b), toHex(a), what);

/** One codec under fuzz: its corpus and decode → encode. */
const TARGETS: {
  name: string;
  corpus: Uint8Array[];
  iterations: number;
  roundTrip: (b: Uint8Array) => Uint8Array;
}[] = [
  {
    name: 'handshake fragments',
    corpus: [...handshakeRecordContents],
    iterations: 40_000,
    roundTrip: (b) => Buffer.concat(decodeHandshakeFragments(b).map(encodeHandshakeFragment)),
  },
  {
    name: 'ClientHello',
    corpus: bodiesOf(HandshakeType.clientHello),
    iterations: 40_000,
    roundTrip: (b) => {
      const m = decodeClientHello(b);
      const cid = findExtension(m.extensions, 54);
      if (cid) {
        try {
          decodeConnectionId(cid);
        } catch {
          /* a malformed extension's data is the handshake's to refuse; only DecodeError may come */
        }
      }
      return encodeClientHello(m);
    },
  },
  {
    name: 'ServerHello',
    corpus: bodiesOf(HandshakeType.serverHello),
    iterations: 30_000,
    roundTrip: (b) => encodeServerHello(decodeServerHello(b)),
  },
  {
    name: 'HelloVerifyRequest',
    corpus: bodiesOf(HandshakeType.helloVerifyRequest),
    iterations: 10_000,
    roundTrip: (b) => encodeHelloVerifyRequest(decodeHelloVerifyRequest(b)),
  },
  {
    name: 'PSK ClientKeyExchange',
    corpus: bodiesOf(HandshakeType.clientKeyExchange),
    iterations: 10_000,
    roundTrip: (b) => encodePskClientKeyExchange(decodePskClientKeyExchange(b)),
  },
  {
    name: 'Finished',
    corpus: [Uint8Array.from({ length: 12 }, (_, i) => i)],
    iterations: 5_000,
    roundTrip: (b) => encodeFinished(decodeFinished(b)),
  },
];

for (const t of TARGETS) {
  test(`DTLS ${t.name}: ${t.iterations} mutated inputs decode safely and round-trip`, () => {
    const { ok, rejected } = fuzzDecoder(`DTLS ${t.name}`, t.corpus, t.iterations, (bytes) => {
      const again = t.roundTrip(bytes);
      return sameBytes(again, bytes, `${t.name} re-encodes differently`);
    });
    console.log(`DTLS ${t.name}: ${ok} decoded, ${rejected} rejected`);
    assert.ok(ok > 50, `only ${ok} inputs decoded; the corpus is too hostile`);
  });
}
