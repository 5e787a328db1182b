// Fuzzes what our DTLS client makes of a server's certificate-suite messages (issue 15), beyond
// the codecs (dtlsCertificateMessages.fuzz.test.ts): mutated ServerKeyExchange bodies through
// readServerKeyExchange, mutated Certificate bodies through decodeCertificate and
// acceptServerCertificate (RPK pin, X.509 usage 3 pin, X.509 usage 2 chain validation).
// Every input either passes or ends the handshake with a HandshakeAbort (a fatal alert) or a
// DecodeError (decode_error): nothing else may escape (it found a CA key that does not parse
// throwing out of CertificateVerifier). A fifth of DTLS_FUZZ_INPUTS each (200k by default: the
// codecs under them get the full count in dtlsCertificateMessages.fuzz.test.ts), chain
// validation a twentieth; FUZZ_SEED replays a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DtlsClientCertificate } from '../../src/transport/dtls/DtlsTransportOptions.js';
import {
  acceptServerCertificate,
  readServerKeyExchange,
} from '../../src/transport/dtls/handshake/clientCertificateChecks.js';
import { HandshakeAbort } from '../../src/transport/dtls/handshake/HandshakeBase.js';
import {
  decodeCertificate,
  encodeCertificate,
} from '../../src/transport/dtls/handshake/messages/Certificate.js';
import { certificateMessageSamples } from '../transport/dtls/x509/certificateMessages.js';
import { NOW } from '../transport/dtls/x509/testPki.js';
import { DTLS_FUZZ_INPUTS } from './dtlsFuzzInputs.js';
import { fuzzDecoder } from './mutator.js';

/** The codecs get DTLS_FUZZ_INPUTS each in dtlsCertificateMessages.fuzz.test.ts; these checks a fifth. */
const CHECK_INPUTS = Math.ceil(DTLS_FUZZ_INPUTS / 5);
const s = certificateMessageSamples();
const pki = s.pki;
const u8 = (b: Uint8Array): Uint8Array => new Uint8Array(b);
const RANDOM = new Uint8Array(32).fill(7);
const serverSpki = pki.server.publicKey.export({ type: 'spki', format: 'der' });

/** Runs `step`; a HandshakeAbort counts as a refusal (an alert), like a DecodeError. */
function aborts(step: () => unknown): void {
  try {
    step();
  } catch (e) {
    if (!(e instanceof HandshakeAbort)) throw e;
  }
}

function fuzz(
  name: string,
  corpus: Uint8Array[],
  step: (b: Uint8Array) => void,
  inputs = CHECK_INPUTS,
): void {
  test(`DTLS client ${name}: ${inputs} mutated inputs end in a pass or an alert`, () => {
    const { ok, rejected } = fuzzDecoder(`DTLS client ${name}`, corpus, inputs, (b) => aborts(() => step(b)));
    console.log(`DTLS client ${name}: ${ok} passed or aborted, ${rejected} decode errors`);
    assert.ok(ok > Math.min(50, inputs / 100), `only ${ok} of ${inputs} inputs got past decoding`);
  });
}

fuzz('ServerKeyExchange checks', [u8(s.serverKeyExchange)], (b) => readServerKeyExchange(b, RANDOM, RANDOM));

const rpk: DtlsClientCertificate = {
  mode: 'rpk',
  privateKey: pki.device.privateKey,
  serverPublicKey: serverSpki,
};
const serverChain = u8(encodeCertificate({ type: 'x509', chain: [pki.server.der, pki.intermediate.der] }));
const rpkServer = u8(encodeCertificate({ type: 'rawPublicKey', subjectPublicKeyInfo: serverSpki }));

fuzz('raw public key acceptance', [rpkServer, u8(s.rpkCertificate)], (b) =>
  acceptServerCertificate(decodeCertificate(b, 'rawPublicKey'), rpk),
);

fuzz('X.509 chain under RPK pinning', [serverChain], (b) =>
  acceptServerCertificate(decodeCertificate(b, 'x509'), rpk),
);

const x509 = (usage: 2 | 3): DtlsClientCertificate => ({
  mode: 'x509',
  privateKey: pki.device.privateKey,
  chain: [pki.device.der],
  server: {
    usage,
    serverCertificate: usage === 3 ? pki.server.der : pki.root.der,
    host: 'localhost',
    now: () => NOW,
  },
});

fuzz('X.509 usage 3 acceptance', [serverChain, u8(s.x509Certificate)], (b) =>
  acceptServerCertificate(decodeCertificate(b, 'x509'), x509(3)),
);

// chain validation costs ~1.5 ms per certificate list that decodes: a twentieth of the inputs
fuzz(
  'X.509 usage 2 acceptance',
  [serverChain, u8(s.x509Certificate)],
  (b) => acceptServerCertificate(decodeCertificate(b, 'x509'), x509(2)),
  Math.ceil(DTLS_FUZZ_INPUTS / 20),
);
