// Our server's ECDHE_ECDSA handshakes against a scripted client (issue 15 items 1-3): the flight
// (ServerHello, Certificate, ServerKeyExchange signed over both randoms and the params,
// CertificateRequest, ServerHelloDone), X.509 and raw-public-key clients completing with their
// identity, the RFC 7250 type negotiation, suite choice by the server's order, refused chains with
// the alert that names why, and a saturated crypto pool dropping the handshake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { InlineHandshakeCrypto } from '../../../src/transport/dtls/crypto/HandshakeCrypto.js';
import { CryptoBusyError } from '../../../src/transport/dtls/crypto/WorkerHandshakeCrypto.js';
import { HandshakeType } from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import {
  CertificateExtensionType,
  decodeCertificateTypeChoice,
  encodeCertificateTypeList,
  encodeEcPointFormats,
  encodeSupportedGroups,
} from '../../../src/transport/dtls/handshake/messages/certificateExtensions.js';
import { ECDSA_SIGN } from '../../../src/transport/dtls/handshake/messages/CertificateRequest.js';
import { findExtension } from '../../../src/transport/dtls/handshake/messages/extensions.js';
import { ECDSA_SHA256 } from '../../../src/transport/dtls/handshake/messages/signatures.js';
import {
  TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
  TLS_PSK_WITH_AES_128_CCM_8,
} from '../../../src/transport/dtls/suites.js';
import { ContentType } from '../../../src/transport/dtls/record/RecordCodec.js';
import { certificateFields } from '../../../src/transport/dtls/x509/certificateFields.js';
import { waitUntil } from '../../support/waitUntil.js';
import { certificateHelloExtensions } from './CertificateClientScript.js';
import { certificateServer, pki, rpkDevice, rpkDeviceSpki, settle } from './certificateServerSetup.js';
import { DAY, issued, selfSigned } from './x509/testPki.js';

const ECDHE = TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8.id;
const PSK_SUITE = TLS_PSK_WITH_AES_128_CCM_8.id;
const u8 = (b: Uint8Array): Uint8Array => Uint8Array.from(b);
const fatal = (description: number): number[] => [2, description];

test('an X.509 client completes; the server delivers its subject and CN, and sends no session id', async () => {
  const { server, delivered, client } = certificateServer();
  try {
    const c = client();
    const flight = await c.toServerHelloDone();
    assert.deepEqual(flight.types, [
      HandshakeType.serverHello,
      HandshakeType.certificate,
      HandshakeType.serverKeyExchange,
      HandshakeType.certificateRequest,
      HandshakeType.serverHelloDone,
    ]);
    assert.equal(flight.suite, ECDHE);
    assert.deepEqual(flight.certificate, {
      type: 'x509',
      chain: [u8(pki.server.der), u8(pki.intermediate.der)],
    });
    assert.deepEqual(flight.request?.certificateTypes, [ECDSA_SIGN]);
    assert.deepEqual(flight.request?.signatureAlgorithms, [ECDSA_SHA256]);
    assert.equal(flight.request?.authorities.length, 1, 'our trust anchor is named');
    await c.send(
      c.certificate({ type: 'x509', chain: [pki.device.der, pki.intermediate.der] }),
      c.keyExchange(),
      c.certificateVerify(pki.device.privateKey),
      ...c.finish(),
    );
    await waitUntil(() => c.serverFinished(), 'the server Finished', 5_000, 1);
    await c.send(c.keys.seal(1, ContentType.applicationData, Buffer.from('hello')));
    await waitUntil(() => delivered.length > 0, 'the first datagram', 5_000, 1);
    assert.deepEqual(delivered[0]!.peer.identity, {
      kind: 'x509',
      subject: 'CN=urn:imei:490154203237518',
      commonName: 'urn:imei:490154203237518',
    });
    assert.equal(server.sessionCount, 0, 'ECDHE sessions are not cached');
    assert.equal(server.stats.handshakesCompleted, 1);
  } finally {
    await server.close();
  }
});

test('a raw-public-key client gets our raw key and completes with its own key as identity', async () => {
  const { server, delivered, client } = certificateServer();
  try {
    const c = client({ rawPublicKeys: true });
    const flight = await c.toServerHelloDone();
    const choice = (type: number): number | undefined => {
      const data = findExtension(flight.extensions, type);
      return data === undefined ? undefined : decodeCertificateTypeChoice(data);
    };
    assert.equal(choice(CertificateExtensionType.serverCertificateType), 2);
    assert.equal(choice(CertificateExtensionType.clientCertificateType), 2);
    assert.deepEqual(flight.certificate, {
      type: 'rawPublicKey',
      subjectPublicKeyInfo: u8(certificateFields(pki.server.der).subjectPublicKeyInfo),
    });
    assert.deepEqual(flight.request?.authorities, [], 'no authorities for raw keys');
    await c.send(
      c.certificate({ type: 'rawPublicKey', subjectPublicKeyInfo: rpkDeviceSpki }),
      c.keyExchange(),
      c.certificateVerify(rpkDevice.privateKey),
      ...c.finish(),
    );
    await waitUntil(() => c.serverFinished(), 'the server Finished', 5_000, 1);
    await c.send(c.keys.seal(1, ContentType.applicationData, Buffer.from('hello')));
    await waitUntil(() => delivered.length > 0, 'the first datagram', 5_000, 1);
    const identity = delivered[0]!.peer.identity;
    assert.equal(identity?.kind, 'rpk');
    assert.ok(identity?.kind === 'rpk' && Buffer.from(identity.publicKey).equals(rpkDeviceSpki));
  } finally {
    await server.close();
  }
});

test('a raw public key the application does not know: access_denied', async () => {
  const { server, client } = certificateServer();
  try {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const c = client({ rawPublicKeys: true });
    await c.toServerHelloDone();
    await c.send(
      c.certificate({
        type: 'rawPublicKey',
        subjectPublicKeyInfo: other.publicKey.export({ type: 'spki', format: 'der' }),
      }),
    );
    await waitUntil(() => c.alerts().length > 0, 'an alert', 5_000, 1);
    assert.deepEqual(c.alerts(), [fatal(49)]);
    assert.equal(server.handshakesInProgress, 0);
  } finally {
    await server.close();
  }
});

test('a raw public key not on P-256: unsupported_certificate; one that does not parse: bad_certificate', async () => {
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  for (const [spki, alert] of [
    [p384.publicKey.export({ type: 'spki', format: 'der' }), 43],
    [Buffer.from('3003020100', 'hex'), 42],
  ] as const) {
    const { server, client } = certificateServer();
    try {
      const c = client({ rawPublicKeys: true });
      await c.toServerHelloDone();
      await c.send(c.certificate({ type: 'rawPublicKey', subjectPublicKeyInfo: spki }));
      await waitUntil(() => c.alerts().length > 0, 'an alert', 5_000, 1);
      assert.deepEqual(c.alerts(), [fatal(alert)]);
    } finally {
      await server.close();
    }
  }
});

/** Sends `chain` as the client's certificates and returns the alerts that came back. */
async function refusedChain(chain: Uint8Array[]): Promise<number[][]> {
  const { server, client } = certificateServer();
  try {
    const c = client();
    await c.toServerHelloDone();
    await c.send(c.certificate({ type: 'x509', chain }));
    await waitUntil(() => c.alerts().length > 0, 'an alert', 5_000, 1);
    assert.equal(server.handshakesInProgress, 0);
    assert.equal(server.connectionCount, 0);
    return c.alerts();
  } finally {
    await server.close();
  }
}

test('client chains refused with the alert that says why', async () => {
  const otherRoot = selfSigned('Other Root');
  const stranger = issued('urn:imei:1', otherRoot, { extKeyUsage: ['clientAuth'] });
  assert.deepEqual(await refusedChain([stranger.der]), [fatal(48)], 'untrusted CA: unknown_ca');
  assert.deepEqual(await refusedChain([pki.device.der]), [fatal(48)], 'missing intermediate: unknown_ca');
  const expired = issued('urn:imei:2', pki.intermediate, {
    notBefore: Date.now() - 60 * DAY,
    notAfter: Date.now() - DAY,
  });
  assert.deepEqual(
    await refusedChain([expired.der, pki.intermediate.der]),
    [fatal(45)],
    'expired: certificate_expired',
  );
  // a server certificate (serverAuth only) presented by a client: unsupported_certificate
  assert.deepEqual(await refusedChain([pki.server.der, pki.intermediate.der]), [fatal(43)]);
  assert.deepEqual(await refusedChain([]), [fatal(40)], 'no certificate: handshake_failure');
});

test('without certificate credentials a client offering only ECDHE suites gets handshake_failure', async () => {
  const { server, client } = certificateServer({ certificate: undefined, clientTrust: undefined });
  try {
    const c = client();
    const flight = await c.toServerHelloDone();
    assert.deepEqual(flight.types, []);
    assert.deepEqual(c.alerts(), [fatal(40)]);
  } finally {
    await server.close();
  }
});

test('with PSK and certificates the server picks by its own suite order', async () => {
  const both = [ECDHE, PSK_SUITE];
  const pskFirst = certificateServer();
  try {
    assert.equal((await pskFirst.client({ suites: both }).toServerHelloDone()).suite, PSK_SUITE);
  } finally {
    await pskFirst.server.close();
  }
  const ecdheFirst = certificateServer({
    suites: [TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, TLS_PSK_WITH_AES_128_CCM_8],
  });
  try {
    assert.equal((await ecdheFirst.client({ suites: [PSK_SUITE, ECDHE] }).toServerHelloDone()).suite, ECDHE);
  } finally {
    await ecdheFirst.server.close();
  }
});

test('hellos the certificate suites cannot serve: handshake_failure, illegal_parameter, unsupported_certificate', async () => {
  const cases: { what: string; extensions: ReturnType<typeof certificateHelloExtensions>; alert: number }[] =
    [
      {
        what: 'no secp256r1 in supported_groups',
        extensions: certificateHelloExtensions().map((e) =>
          e.type === CertificateExtensionType.supportedGroups
            ? { ...e, data: encodeSupportedGroups([29]) }
            : e,
        ),
        alert: 40,
      },
      {
        what: 'no uncompressed point format',
        extensions: certificateHelloExtensions().map((e) =>
          e.type === CertificateExtensionType.ecPointFormats ? { ...e, data: encodeEcPointFormats([1]) } : e,
        ),
        alert: 47,
      },
      {
        what: 'a client certificate type we cannot check (OpenPGP only)',
        extensions: [
          ...certificateHelloExtensions(),
          { type: CertificateExtensionType.clientCertificateType, data: encodeCertificateTypeList([1]) },
        ],
        alert: 43,
      },
    ];
  for (const { what, extensions, alert } of cases) {
    const { server, client } = certificateServer();
    try {
      const c = client({ extensions });
      assert.deepEqual((await c.toServerHelloDone()).types, [], what);
      assert.deepEqual(c.alerts(), [fatal(alert)], what);
    } finally {
      await server.close();
    }
  }
});

test('a client that lists X.509 for our certificate but we have only a raw key: the raw key when it lists it', async () => {
  const { server, client } = certificateServer({
    certificate: { privateKey: pki.server.privateKey },
  });
  try {
    const extensions = [
      ...certificateHelloExtensions(),
      { type: CertificateExtensionType.serverCertificateType, data: encodeCertificateTypeList([0, 2]) },
    ];
    const flight = await client({ extensions }).toServerHelloDone();
    assert.equal(flight.certificate?.type, 'rawPublicKey');
  } finally {
    await server.close();
  }
});

test('a saturated crypto pool drops the handshake without an alert, counted', async () => {
  const busy = new InlineHandshakeCrypto();
  busy.ecdhGenerateSigned = () => Promise.reject(new CryptoBusyError(1));
  const { server, client } = certificateServer({ handshakeCrypto: busy });
  try {
    const c = client();
    await c.helloWithCookie();
    await waitUntil(() => server.stats.cryptoBusy > 0, 'the busy drop', 5_000, 1);
    await settle();
    assert.deepEqual(c.alerts(), [], 'no alert: the client retries');
    assert.equal(server.handshakesInProgress, 0);
    assert.equal(server.stats.handshakesFailed, 1);
  } finally {
    await server.close();
  }
});

test('our own credentials are checked when the transport is made: a P-256 key, a chain for that key', () => {
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  assert.throws(() => certificateServer({ certificate: { privateKey: p384.privateKey } }), /P-256/);
  assert.throws(
    () => certificateServer({ certificate: { privateKey: pki.device.privateKey, chain: [pki.server.der] } }),
    /not for the private key/,
  );
});
