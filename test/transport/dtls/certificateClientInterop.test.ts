// Our DTLS client with certificate credentials (TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, issue 15)
// against independent servers: `openssl s_server -dtls1_2` with X.509 (it requires and verifies
// our device certificate, -Verify 1) under the certificate usages of /0/x/15, and `gnutls-serv
// --udp --echo` with raw public keys (RFC 7250). Certificates come from liveCertificates.ts
// (valid around the real clock). Every child is bounded by a timeout and killed in finally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import type { DtlsClientCertificate } from '../../../src/transport/dtls/DtlsTransportOptions.js';
import type { ServerCertificateRule } from '../../../src/transport/dtls/x509/serverCertificateUsage.js';
import { UdpTransport } from '../../../src/transport/udp/UdpTransport.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { requirePeer } from '../../support/peers.js';
import { waitUntil } from '../../support/waitUntil.js';
import { certificatePem, livePki, privateKeyPem, publicKeyPem, writeFiles } from './liveCertificates.js';
import { startChild } from '../../interop/dtlsPeers.js';

const openssl = requirePeer('openssl', 'openssl');
const gnutlsServer = requirePeer('gnutls-serv', 'gnutls-bin');
const pki = livePki();
const spki = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });

const randomPort = (): number => 20_000 + Math.floor(Math.random() * 20_000);

/** Runs our client with `certificate` against a fresh `openssl s_server`; returns what happened. */
async function againstOpenssl(
  server: Omit<ServerCertificateRule, 'serverCertificate'> & { serverCertificate: Uint8Array },
): Promise<{ outcome: string; serverOut: string; identity?: unknown }> {
  const dir = mkdtempSync(join(tmpdir(), 'lwm2m-dtls-cert-'));
  const f = writeFiles(dir, {
    'server.pem': certificatePem(pki.server.der),
    'server.key': privateKeyPem(pki.server.privateKey),
    'root.pem': certificatePem(pki.root.der),
  });
  const port = randomPort();
  const child = startChild(openssl.path!, [
    's_server',
    '-dtls1_2',
    '-listen',
    '-accept',
    `127.0.0.1:${port}`,
    '-cert',
    f['server.pem']!,
    '-key',
    f['server.key']!,
    '-CAfile',
    f['root.pem']!,
    '-Verify',
    '1',
    '-cipher',
    'ECDHE-ECDSA-AES128-CCM8',
    '-naccept',
    '1',
  ]);
  const credentials: DtlsClientCertificate = {
    mode: 'x509',
    privateKey: pki.device.privateKey,
    chain: [pki.device.der],
    server,
  };
  const client = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'client',
    certificate: credentials,
  });
  try {
    await waitUntil(() => child.out().includes('ACCEPT'), 's_server listening', 20_000);
    const outcome = await client.send(makePeer('127.0.0.1', port), Buffer.from('hello from lwm2m-ts\n')).then(
      () => 'sent',
      (e: Error) => e.message,
    );
    if (outcome === 'sent')
      await waitUntil(() => child.out().includes('hello from lwm2m-ts'), 'our line on s_server', 20_000);
    return {
      outcome,
      serverOut: child.out(),
      identity: client.connectedPeer('127.0.0.1', port)?.identity,
    };
  } finally {
    child.proc.kill('SIGKILL');
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test(
  'openssl s_server: usage 3 with the pinned server certificate: handshake, our certificate verified, data flows',
  { skip: openssl.skip },
  async () => {
    const r = await againstOpenssl({ usage: 3, serverCertificate: pki.server.der });
    assert.equal(r.outcome, 'sent');
    assert.match(r.serverOut, /CIPHER is ECDHE-ECDSA-AES128-CCM8/);
    assert.match(r.serverOut, /subject=CN ?= ?urn:dev:test-device/);
    assert.deepEqual(r.identity, {
      kind: 'x509',
      subject: 'CN=localhost',
      commonName: 'localhost',
      subjectAltNames: ['localhost'],
    });
  },
);

test(
  'openssl s_server: usage 3 with another pinned certificate is refused',
  { skip: openssl.skip },
  async () => {
    const r = await againstOpenssl({ usage: 3, serverCertificate: pki.stranger.der });
    assert.match(r.outcome, /not the one in the Security object/);
    assert.doesNotMatch(r.serverOut, /hello from lwm2m-ts/);
  },
);

test(
  'openssl s_server: usage 2 with our root as trust anchor and the IP host',
  { skip: openssl.skip },
  async () => {
    const r = await againstOpenssl({ usage: 2, serverCertificate: pki.root.der, host: '127.0.0.1' });
    assert.equal(r.outcome, 'sent');
  },
);

test(
  'openssl s_server: usage 2 with another root is refused (unknown CA)',
  { skip: openssl.skip },
  async () => {
    const r = await againstOpenssl({ usage: 2, serverCertificate: pki.stranger.der, host: '127.0.0.1' });
    assert.match(r.outcome, /no trust anchor/);
  },
);

test(
  'openssl s_server: usage 1 with its certificate, our anchor and its DNS name (sent as server_name)',
  { skip: openssl.skip },
  async () => {
    const r = await againstOpenssl({
      usage: 1,
      serverCertificate: pki.server.der,
      trustAnchors: [pki.root.der],
      host: 'localhost',
    });
    assert.equal(r.outcome, 'sent');
  },
);

test('openssl s_server: usage 1 with a host name mismatch is refused', { skip: openssl.skip }, async () => {
  const r = await againstOpenssl({
    usage: 1,
    serverCertificate: pki.server.der,
    trustAnchors: [pki.root.der],
    host: 'other.example',
  });
  assert.match(r.outcome, /not for other\.example/);
});

test('openssl s_server: usage 0 with a host name mismatch is refused', { skip: openssl.skip }, async () => {
  const r = await againstOpenssl({
    usage: 0,
    serverCertificate: pki.root.der,
    trustAnchors: [pki.root.der],
    host: 'other.example',
  });
  assert.match(r.outcome, /not for other\.example/);
});

/** Our client in RPK mode against `gnutls-serv --udp --echo` serving the server's raw public key. */
async function againstGnutlsRpk(
  pinned: Uint8Array,
): Promise<{ outcome: string; echoed: string[]; identity?: unknown }> {
  const dir = mkdtempSync(join(tmpdir(), 'lwm2m-dtls-rpk-'));
  const f = writeFiles(dir, {
    'server.key': privateKeyPem(pki.server.privateKey),
    'server.pub': publicKeyPem(pki.server.publicKey),
  });
  const port = randomPort();
  const child = startChild(gnutlsServer.path!, [
    '--udp',
    '-p',
    String(port),
    '--echo',
    '--rawpkkeyfile',
    f['server.key']!,
    '--rawpkfile',
    f['server.pub']!,
    '--priority',
    'NORMAL:+AES-128-CCM-8:+CTYPE-CLI-RAWPK:+CTYPE-SRV-RAWPK',
  ]);
  const client = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'client',
    certificate: { mode: 'rpk', privateKey: pki.device.privateKey, serverPublicKey: pinned },
  });
  const echoed: string[] = [];
  client.onDatagram((b) => echoed.push(Buffer.from(b).toString('utf8')));
  try {
    await waitUntil(() => /listening on IPv4/.test(child.out()), 'gnutls-serv listening', 20_000);
    const outcome = await client.send(makePeer('127.0.0.1', port), Buffer.from('echo me\n')).then(
      () => 'sent',
      (e: Error) => e.message,
    );
    if (outcome === 'sent') await waitUntil(() => echoed.length > 0, 'the echo from gnutls-serv', 20_000);
    return { outcome, echoed, identity: client.connectedPeer('127.0.0.1', port)?.identity };
  } finally {
    child.proc.kill('SIGKILL');
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test(
  'gnutls-serv with a raw public key: the pinned key is accepted and the echo comes back',
  { skip: gnutlsServer.skip },
  async () => {
    const pinned = spki(pki.server.publicKey);
    const r = await againstGnutlsRpk(pinned);
    assert.equal(r.outcome, 'sent');
    assert.deepEqual(r.echoed, ['echo me\n']);
    assert.deepEqual(r.identity, { kind: 'rpk', publicKey: new Uint8Array(pinned) });
  },
);

test(
  'gnutls-serv with a raw public key other than the pinned one is refused',
  { skip: gnutlsServer.skip },
  async () => {
    const r = await againstGnutlsRpk(spki(pki.stranger.publicKey));
    assert.match(r.outcome, /not the pinned one/);
    assert.deepEqual(r.echoed, []);
  },
);

const coapServerGnutls = requirePeer('coap-server-gnutls', 'libcoap3-bin');

test(
  'coap-server-gnutls -M: our RPK client with the pinned key gets a CoAP answer over 0xC0AE',
  { skip: coapServerGnutls.skip },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lwm2m-dtls-rpk-'));
    const f = writeFiles(dir, {
      'server.key': pki.server.privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
    });
    const port = randomPort();
    const child = startChild(coapServerGnutls.path!, [
      '-A',
      '127.0.0.1',
      '-p',
      String(port),
      '-M',
      f['server.key']!,
    ]);
    const client = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
      role: 'client',
      certificate: {
        mode: 'rpk',
        privateKey: pki.device.privateKey,
        serverPublicKey: spki(pki.server.publicKey),
      },
    });
    const answers: Uint8Array[] = [];
    client.onDatagram((b) => answers.push(b));
    const coapsPort = port + 1; // libcoap listens for coaps on port + 1
    try {
      // CON GET / (message id 0x1234, no token): libcoap's index resource answers 2.05
      const get = Uint8Array.of(0x40, 0x01, 0x12, 0x34);
      await waitUntil(
        async () => {
          await client.send(makePeer('127.0.0.1', coapsPort), get).catch(() => undefined);
          return client.connectedPeer('127.0.0.1', coapsPort) !== undefined;
        },
        'a DTLS connection to coap-server-gnutls',
        20_000,
        200,
      );
      await waitUntil(() => answers.length > 0, 'the CoAP answer', 20_000);
      assert.equal(answers[0]![1], 0x45); // 2.05 Content
      assert.equal(client.connectedPeer('127.0.0.1', coapsPort)!.identity!.kind, 'rpk');
    } finally {
      child.proc.kill('SIGKILL');
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
