// Fuzzes the DTLS handshake codecs with mutations of the golden captures' messages (and random
// bytes), DTLS_FUZZ_INPUTS each (default 1M): decoding throws nothing but DecodeError, and
// whatever decodes encodes back to the very same bytes. Set FUZZ_SEED to replay a run; the seed is in every failure message.
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
import {
  decodeConnectionId,
  decodeRenegotiationInfo,
  findExtension,
  readExtensions,
  writeExtensions,
} from '../../src/transport/dtls/handshake/messages/extensions.js';
import { BodyReader } from '../../src/transport/dtls/handshake/messages/BodyReader.js';
import { BodyWriter } from '../../src/transport/dtls/handshake/messages/BodyWriter.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { bodiesOf, handshakeRecordContents } from '../transport/dtls/captureMessages.js';
import { DTLS_FUZZ_INPUTS } from './dtlsFuzzInputs.js';
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
    iterations: DTLS_FUZZ_INPUTS,
    roundTrip: (b) => Buffer.concat(decodeHandshakeFragments(b).map(encodeHandshakeFragment)),
  },
  {
    name: 'ClientHello',
    corpus: bodiesOf(HandshakeType.clientHello),
    iterations: DTLS_FUZZ_INPUTS,
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
    // the extensions blocks of the captured hellos (CID, EMS, renegotiation_info, SNI, ...)
    name: 'extensions',
    corpus: extensionBlocks(),
    iterations: DTLS_FUZZ_INPUTS,
    roundTrip: (b) => {
      const r = new BodyReader(b);
      const extensions = readExtensions(r);
      r.end('extensions');
      for (const e of extensions) {
        try {
          if (e.type === 54) decodeConnectionId(e.data);
          if (e.type === 0xff01) decodeRenegotiationInfo(e.data);
        } catch (err) {
          if (!(err instanceof DecodeError)) throw err;
        }
      }
      const w = new BodyWriter();
      writeExtensions(w, extensions);
      return w.finish();
    },
  },
  {
    name: 'ServerHello',
    corpus: bodiesOf(HandshakeType.serverHello),
    iterations: DTLS_FUZZ_INPUTS,
    roundTrip: (b) => encodeServerHello(decodeServerHello(b)),
  },
  {
    name: 'HelloVerifyRequest',
    corpus: bodiesOf(HandshakeType.helloVerifyRequest),
    iterations: DTLS_FUZZ_INPUTS,
    roundTrip: (b) => encodeHelloVerifyRequest(decodeHelloVerifyRequest(b)),
  },
  {
    name: 'PSK ClientKeyExchange',
    corpus: bodiesOf(HandshakeType.clientKeyExchange),
    iterations: DTLS_FUZZ_INPUTS,
    roundTrip: (b) => encodePskClientKeyExchange(decodePskClientKeyExchange(b)),
  },
  {
    name: 'Finished',
    corpus: [Uint8Array.from({ length: 12 }, (_, i) => i)],
    iterations: DTLS_FUZZ_INPUTS,
    roundTrip: (b) => encodeFinished(decodeFinished(b)),
  },
];

/** The extensions blocks (length included) of every captured ClientHello and ServerHello. */
function extensionBlocks(): Uint8Array[] {
  const hellos = [
    ...bodiesOf(HandshakeType.clientHello).map(decodeClientHello),
    ...bodiesOf(HandshakeType.serverHello).map(decodeServerHello),
  ];
  return hellos.flatMap((h) => {
    if (!h.extensions) return [];
    const w = new BodyWriter();
    writeExtensions(w, h.extensions);
    return [w.finish()];
  });
}

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
