// Fuzzes the certificate-suite handshake codecs (issue 15: certificate and key-exchange message
// codecs, DTLS_FUZZ_INPUTS inputs each, default 1M) with mutations of real messages: decoding
// throws nothing but DecodeError, and whatever decodes encodes back to the very same bytes.
// Set FUZZ_SEED to replay a run; the seed is in every failure message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeCertificate,
  encodeCertificate,
} from '../../src/transport/dtls/handshake/messages/Certificate.js';
import {
  decodeCertificateRequest,
  encodeCertificateRequest,
} from '../../src/transport/dtls/handshake/messages/CertificateRequest.js';
import {
  decodeEcdhClientKeyExchange,
  decodeEcdheServerKeyExchange,
  encodeEcdhClientKeyExchange,
  encodeEcdheServerKeyExchange,
} from '../../src/transport/dtls/handshake/messages/EcdheKeyExchange.js';
import {
  decodeCertificateVerify,
  encodeCertificateVerify,
} from '../../src/transport/dtls/handshake/messages/signatures.js';
import {
  decodeCertificateTypeList,
  decodeSignatureAlgorithms,
  decodeSupportedGroups,
  encodeCertificateTypeList,
  encodeSignatureAlgorithms,
  encodeSupportedGroups,
} from '../../src/transport/dtls/handshake/messages/certificateExtensions.js';
import { certificateMessageSamples } from '../transport/dtls/x509/certificateMessages.js';
import { DTLS_FUZZ_INPUTS } from './dtlsFuzzInputs.js';
import { fuzzDecoder } from './mutator.js';

const s = certificateMessageSamples();
const u8 = (b: Uint8Array): Uint8Array => new Uint8Array(b);

const TARGETS: { name: string; corpus: Uint8Array[]; roundTrip: (b: Uint8Array) => Uint8Array }[] = [
  {
    name: 'Certificate (X.509)',
    corpus: [u8(s.x509Certificate), u8(s.emptyCertificate)],
    roundTrip: (b) => encodeCertificate(decodeCertificate(b, 'x509')),
  },
  {
    name: 'Certificate (RPK)',
    corpus: [u8(s.rpkCertificate)],
    roundTrip: (b) => encodeCertificate(decodeCertificate(b, 'rawPublicKey')),
  },
  {
    name: 'ECDHE ServerKeyExchange',
    corpus: [u8(s.serverKeyExchange)],
    roundTrip: (b) => {
      const m = decodeEcdheServerKeyExchange(b);
      return encodeEcdheServerKeyExchange(m.paramsBytes, m.signed);
    },
  },
  {
    name: 'ECDH ClientKeyExchange',
    corpus: [u8(s.clientKeyExchange)],
    roundTrip: (b) => encodeEcdhClientKeyExchange(decodeEcdhClientKeyExchange(b)),
  },
  {
    name: 'CertificateVerify',
    corpus: [u8(s.certificateVerify)],
    roundTrip: (b) => encodeCertificateVerify(decodeCertificateVerify(b)),
  },
  {
    name: 'CertificateRequest',
    corpus: [u8(s.certificateRequest), u8(s.certificateRequestWithAuthorities)],
    roundTrip: (b) => encodeCertificateRequest(decodeCertificateRequest(b)),
  },
  {
    name: 'certificate-suite hello extensions',
    corpus: [
      u8(encodeSupportedGroups([23])),
      u8(encodeSignatureAlgorithms([0x0403])),
      u8(encodeCertificateTypeList([2, 0])),
    ],
    roundTrip: (b) => {
      // each decoder on the same bytes; the first that accepts must round-trip
      for (const [dec, enc] of [
        [decodeSupportedGroups, encodeSupportedGroups],
        [decodeSignatureAlgorithms, encodeSignatureAlgorithms],
      ] as const) {
        try {
          return enc(dec(b));
        } catch {
          /* next */
        }
      }
      return encodeCertificateTypeList(decodeCertificateTypeList(b));
    },
  },
];

for (const t of TARGETS) {
  test(`DTLS ${t.name}: ${DTLS_FUZZ_INPUTS} mutated inputs decode safely and round-trip`, () => {
    const { ok, rejected } = fuzzDecoder(`DTLS ${t.name}`, t.corpus, DTLS_FUZZ_INPUTS, (bytes) => {
      const again = t.roundTrip(bytes);
      return () => assert.equal(Buffer.from(again).toString('hex'), Buffer.from(bytes).toString('hex'));
    });
    console.log(`DTLS ${t.name}: ${ok} decoded, ${rejected} rejected`);
    assert.ok(ok > 50, `only ${ok} inputs decoded; the corpus is too hostile`);
  });
}
