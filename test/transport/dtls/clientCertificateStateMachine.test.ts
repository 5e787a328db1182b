// The certificate-suite client handshake (TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, issue 15) against
// a scripted server that breaks the rules: a ServerKeyExchange without a signature or with a bad
// one (decrypt_error), on another curve (illegal_parameter), a Certificate of 9 certificates
// (decode_error, MAX_CERTIFICATES), a raw public key other than the pinned one (bad_certificate).
// And one that follows them: the ClientHello offers what RFC 7925 4.4 / RFC 7250 ask, and the
// CertificateVerify the client sends verifies over the handshake messages before it (RFC 5246 7.4.8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, sign, verify, type KeyObject } from 'node:crypto';
import {
  InlineHandshakeCrypto,
  type HandshakeCrypto,
} from '../../../src/transport/dtls/crypto/HandshakeCrypto.js';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import type { DtlsClientCertificate } from '../../../src/transport/dtls/DtlsTransportOptions.js';
import {
  encodeCertificate,
  decodeCertificate,
} from '../../../src/transport/dtls/handshake/messages/Certificate.js';
import {
  CertificateExtensionType,
  encodeCertificateTypeChoice,
} from '../../../src/transport/dtls/handshake/messages/certificateExtensions.js';
import {
  ECDSA_SIGN,
  encodeCertificateRequest,
} from '../../../src/transport/dtls/handshake/messages/CertificateRequest.js';
import {
  decodeClientHello,
  type ClientHello,
} from '../../../src/transport/dtls/handshake/messages/ClientHello.js';
import {
  SECP256R1,
  encodeEcdheServerKeyExchange,
  encodeServerEcdhParams,
} from '../../../src/transport/dtls/handshake/messages/EcdheKeyExchange.js';
import { ExtensionType, type Extension } from '../../../src/transport/dtls/handshake/messages/extensions.js';
import {
  decodeHandshakeFragments,
  encodeHandshakeMessage,
  HandshakeType,
} from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { encodeServerHello } from '../../../src/transport/dtls/handshake/messages/ServerHello.js';
import {
  ECDSA_SHA256,
  decodeCertificateVerify,
} from '../../../src/transport/dtls/handshake/messages/signatures.js';
import { EpochKeys } from '../../../src/transport/dtls/record/EpochKeys.js';
import { ContentType, decodeDatagram } from '../../../src/transport/dtls/record/RecordCodec.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';
import { MemoryNetwork, flush } from '../../support/MemoryTransport.js';
import { testPki } from './x509/testPki.js';

const pki = testPki();
const spki = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });
const SERVER_RANDOM = new Uint8Array(32).fill(7);

interface Sent {
  /** Handshake messages in transcript form, in order, with their type. */
  readonly messages: { type: number; wire: Uint8Array; body: Uint8Array }[];
  readonly alerts: number[][];
}

/** Our client with `certificate` and a raw scripted server at 10.0.0.1:5684. */
function setup(
  certificate: DtlsClientCertificate,
  handshakeCrypto: HandshakeCrypto = new InlineHandshakeCrypto(),
) {
  const net = new MemoryNetwork();
  const client = new DtlsTransport(net.bind('10.0.0.2', 40000), {
    role: 'client',
    clock: new ManualClock(),
    certificate,
    handshakeCrypto,
  });
  const raw = net.bind('10.0.0.1', 5684);
  const inbox: Uint8Array[] = [];
  raw.onDatagram((b) => inbox.push(b));
  const keys = new EpochKeys('server');
  let seq = 0;
  return {
    client,
    /** Sends handshake messages (type, body) of the server, one record each, in one datagram. */
    async serverFlight(...messages: [number, Uint8Array][]): Promise<Uint8Array[]> {
      const wires = messages.map(([type, body]) => encodeHandshakeMessage(type, seq++, body));
      const records = wires.map((w) => keys.seal(0, ContentType.handshake, w));
      await raw.send(makePeer('10.0.0.2', 40000), Buffer.concat(records));
      await flush(10);
      return wires;
    },
    received(): Sent {
      const out: Sent = { messages: [], alerts: [] };
      for (const d of inbox.splice(0))
        for (const r of decodeDatagram(d)) {
          if (r.type === ContentType.alert && r.epoch === 0) out.alerts.push([...r.fragment]);
          if (r.type === ContentType.handshake && r.epoch === 0)
            for (const f of decodeHandshakeFragments(r.fragment))
              out.messages.push({
                type: f.msgType,
                wire: encodeHandshakeMessage(f.msgType, f.messageSeq, f.body),
                body: f.body,
              });
        }
      return out;
    },
  };
}

type Setup = ReturnType<typeof setup>;

/** Starts a send; returns its outcome and the ClientHello (with its transcript form). */
async function hello(s: Setup): Promise<{ outcome: Promise<string>; hello: ClientHello; wire: Uint8Array }> {
  const outcome = s.client.send(makePeer('10.0.0.1', 5684), Buffer.from('x')).then(
    () => 'sent',
    (e: Error) => e.message,
  );
  await flush(6);
  const m = s.received().messages;
  assert.equal(m.length, 1);
  assert.equal(m[0]!.type, HandshakeType.clientHello);
  return { outcome, hello: decodeClientHello(m[0]!.body), wire: m[0]!.wire };
}

function serverHello(extensions: Extension[]): [number, Uint8Array] {
  return [
    HandshakeType.serverHello,
    encodeServerHello({
      serverVersion: 0xfefd,
      random: SERVER_RANDOM,
      sessionId: new Uint8Array(0),
      cipherSuite: 0xc0ae,
      compressionMethod: 0,
      extensions: [{ type: ExtensionType.extendedMasterSecret, data: new Uint8Array(0) }, ...extensions],
    }),
  ];
}

const rpkTypes: Extension[] = [
  { type: CertificateExtensionType.serverCertificateType, data: encodeCertificateTypeChoice(2) },
  { type: CertificateExtensionType.clientCertificateType, data: encodeCertificateTypeChoice(2) },
];

/** A ServerKeyExchange signed by `key` (a fresh point on `curve`), or unsigned. */
function serverKeyExchange(
  clientRandom: Uint8Array,
  key: KeyObject | undefined,
  curve = SECP256R1,
): [number, Uint8Array] {
  const point = createECDH('prime256v1').generateKeys();
  const params = encodeServerEcdhParams({ namedCurve: curve, point });
  if (!key) return [HandshakeType.serverKeyExchange, params];
  const signature = sign('sha256', Buffer.concat([clientRandom, SERVER_RANDOM, params]), key);
  return [
    HandshakeType.serverKeyExchange,
    encodeEcdheServerKeyExchange(params, { algorithm: ECDSA_SHA256, signature }),
  ];
}

const rpkCredentials: DtlsClientCertificate = {
  mode: 'rpk',
  privateKey: pki.device.privateKey,
  serverPublicKey: spki(pki.server.publicKey),
};
const serverRpk: [number, Uint8Array] = [
  HandshakeType.certificate,
  encodeCertificate({ type: 'rawPublicKey', subjectPublicKeyInfo: spki(pki.server.publicKey) }),
];

async function expectAlert(s: Setup, outcome: Promise<string>, alert: number, reason: RegExp): Promise<void> {
  assert.deepEqual(s.received().alerts, [[2, alert]]);
  assert.match(await outcome, reason);
  assert.equal(s.client.handshakesInProgress, 0);
  await s.client.close();
}

test('RPK ClientHello: 0xC0AE only, secp256r1, uncompressed, ecdsa_secp256r1_sha256, RawPublicKey both ways', async () => {
  const s = setup(rpkCredentials);
  const { hello: h } = await hello(s);
  assert.deepEqual(h.cipherSuites, [0xc0ae]);
  const ext = (type: number): string | undefined =>
    h.extensions!.find((e) => e.type === type) &&
    Buffer.from(h.extensions!.find((e) => e.type === type)!.data).toString('hex');
  assert.equal(ext(CertificateExtensionType.supportedGroups), '00020017');
  assert.equal(ext(CertificateExtensionType.ecPointFormats), '0100');
  assert.equal(ext(CertificateExtensionType.signatureAlgorithms), '00020403');
  assert.equal(ext(CertificateExtensionType.clientCertificateType), '0102');
  assert.equal(ext(CertificateExtensionType.serverCertificateType), '0102');
  assert.equal(ext(ExtensionType.extendedMasterSecret), '');
  await s.client.close();
});

test('ServerKeyExchange without a signature: decrypt_error', async () => {
  const s = setup(rpkCredentials);
  const { outcome, hello: h } = await hello(s);
  await s.serverFlight(serverHello(rpkTypes), serverRpk, serverKeyExchange(h.random, undefined));
  await expectAlert(s, outcome, 51, /without a signature/);
});

test('ServerKeyExchange signed by another key: decrypt_error', async () => {
  const s = setup(rpkCredentials);
  const { outcome, hello: h } = await hello(s);
  await s.serverFlight(serverHello(rpkTypes), serverRpk, serverKeyExchange(h.random, pki.device.privateKey));
  await expectAlert(s, outcome, 51, /signature does not verify/);
});

test('ServerKeyExchange on another curve (secp384r1): illegal_parameter', async () => {
  const s = setup(rpkCredentials);
  const { outcome, hello: h } = await hello(s);
  await s.serverFlight(
    serverHello(rpkTypes),
    serverRpk,
    serverKeyExchange(h.random, pki.server.privateKey, 24),
  );
  await expectAlert(s, outcome, 47, /curve 24 not offered/);
});

test('a raw public key other than the pinned one: bad_certificate', async () => {
  const s = setup(rpkCredentials);
  const { outcome } = await hello(s);
  const other = encodeCertificate({ type: 'rawPublicKey', subjectPublicKeyInfo: spki(pki.device.publicKey) });
  await s.serverFlight(serverHello(rpkTypes), [HandshakeType.certificate, other]);
  await expectAlert(s, outcome, 42, /not the pinned one/);
});

test('a server Certificate of 9 certificates: decode_error (MAX_CERTIFICATES)', async () => {
  const s = setup({
    mode: 'x509',
    privateKey: pki.device.privateKey,
    chain: [pki.device.der, pki.intermediate.der],
    server: { usage: 3, serverCertificate: pki.server.der },
  });
  const { outcome } = await hello(s);
  // the 8-certificate encoder limit is the point here: build the list by hand
  const one = (der: Uint8Array): Buffer =>
    Buffer.concat([Buffer.from([0, der.length >> 8, der.length & 0xff]), der]);
  const list = Buffer.concat(Array.from({ length: 9 }, () => one(pki.server.der)));
  const body = Buffer.concat([
    Buffer.from([list.length >> 16, (list.length >> 8) & 0xff, list.length & 0xff]),
    list,
  ]);
  await s.serverFlight(serverHello([]), [HandshakeType.certificate, body]);
  await expectAlert(s, outcome, 50, /more than 8 certificates/);
});

/** Counts the calls of an inline crypto, and whether it was closed. */
class CountingCrypto extends InlineHandshakeCrypto {
  readonly calls: string[] = [];
  closed = false;
  override ecdhGenerate() {
    this.calls.push('ecdhGenerate');
    return super.ecdhGenerate();
  }
  override ecdhCompute(k: Uint8Array, p: Uint8Array) {
    this.calls.push('ecdhCompute');
    return super.ecdhCompute(k, p);
  }
  override sign(d: Uint8Array, k: KeyObject) {
    this.calls.push('sign');
    return super.sign(d, k);
  }
  override verify(d: Uint8Array, k: KeyObject | Uint8Array, sig: Uint8Array) {
    this.calls.push('verify');
    return super.verify(d, k, sig);
  }
  override close() {
    this.closed = true;
    return super.close();
  }
}

test('asked for its certificate, the RPK client sends its key, our point and a CertificateVerify over the transcript', async () => {
  const crypto = new CountingCrypto();
  const s = setup(rpkCredentials, crypto);
  const { hello: h, wire: helloWire } = await hello(s);
  const request = encodeCertificateRequest({
    certificateTypes: [ECDSA_SIGN],
    signatureAlgorithms: [ECDSA_SHA256],
    authorities: [],
  });
  const serverWires = await s.serverFlight(
    serverHello(rpkTypes),
    serverRpk,
    serverKeyExchange(h.random, pki.server.privateKey),
    [HandshakeType.certificateRequest, request],
    [HandshakeType.serverHelloDone, new Uint8Array(0)],
  );
  const flight = s.received();
  assert.deepEqual(flight.alerts, []);
  assert.deepEqual(
    flight.messages.map((m) => m.type),
    [HandshakeType.certificate, HandshakeType.clientKeyExchange, HandshakeType.certificateVerify],
  );
  const [certificate, cke, cv] = flight.messages;
  const ours = decodeCertificate(certificate!.body, 'rawPublicKey');
  assert.deepEqual(ours, {
    type: 'rawPublicKey',
    subjectPublicKeyInfo: new Uint8Array(spki(pki.device.publicKey)),
  });
  assert.equal(cke!.body.length, 66); // <1..255> of a 65-byte uncompressed point
  assert.equal(cke!.body[1], 4);
  const signed = decodeCertificateVerify(cv!.body);
  assert.equal(signed.algorithm, ECDSA_SHA256);
  const transcript = Buffer.concat([helloWire, ...serverWires, certificate!.wire, cke!.wire]);
  assert.ok(
    verify('sha256', transcript, pki.device.publicKey, signed.signature),
    'CertificateVerify verifies',
  );
  // the public-key work went to the given handshakeCrypto, which the transport does not close
  assert.deepEqual(crypto.calls.sort(), ['ecdhCompute', 'ecdhGenerate', 'sign', 'verify']);
  await s.client.close();
  assert.equal(crypto.closed, false);
});

test('a client with PSK and certificate credentials for a server makes a PSK handshake', async () => {
  const net = new MemoryNetwork();
  const client = new DtlsTransport(net.bind('10.0.0.2', 40000), {
    role: 'client',
    clock: new ManualClock(),
    psk: { identity: 'id1', key: Buffer.from('secret') },
    certificate: rpkCredentials,
    handshakeCrypto: new InlineHandshakeCrypto(),
  });
  const raw = net.bind('10.0.0.1', 5684);
  const inbox: Uint8Array[] = [];
  raw.onDatagram((b) => inbox.push(b));
  void client.send(makePeer('10.0.0.1', 5684), Buffer.from('x')).catch(() => undefined);
  await flush(6);
  const record = decodeDatagram(inbox[0]!)[0]!;
  const h = decodeClientHello(decodeHandshakeFragments(record.fragment)[0]!.body);
  assert.deepEqual(h.cipherSuites, [0xc0a8]);
  assert.ok(!h.extensions!.some((e) => e.type === CertificateExtensionType.clientCertificateType));
  await client.close();
});

test('X.509 ClientHello: no certificate type extension, server_name for a DNS host only (RFC 6066 3)', async () => {
  const hostHello = async (host: string): Promise<ClientHello> => {
    const s = setup({
      mode: 'x509',
      privateKey: pki.device.privateKey,
      chain: [pki.device.der],
      server: { usage: 1, serverCertificate: pki.server.der, trustAnchors: [pki.root.der], host },
    });
    const { hello: h } = await hello(s);
    await s.client.close();
    return h;
  };
  const named = await hostHello('lwm2m.example.');
  const sni = named.extensions!.find((e) => e.type === ExtensionType.serverName)!;
  assert.equal(
    Buffer.from(sni.data).toString('hex'),
    '0010' + '00' + '000d' + Buffer.from('lwm2m.example').toString('hex'),
  );
  assert.ok(!named.extensions!.some((e) => e.type === CertificateExtensionType.clientCertificateType));
  assert.ok(!named.extensions!.some((e) => e.type === CertificateExtensionType.serverCertificateType));
  for (const ip of ['127.0.0.1', '::1'])
    assert.ok(!(await hostHello(ip)).extensions!.some((e) => e.type === ExtensionType.serverName), ip);
});
