// CoAP over our DTLS server's certificate suites with libcoap's clients (issue 15 tests): a
// CoapEndpoint answers GET /hello with the authenticated identity's kind; `coap-client-gnutls`
// and `coap-client-openssl` connect with X.509 (-c/-j, our root with -R; libcoap's OpenSSL build
// sends its leaf only, so its certificate is issued by the root directly, and a leaf needing the
// intermediate is refused), `coap-client-gnutls -M` with a raw public key (RFC 7250).
// Every child process is bounded by a timeout and killed in finally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CoapEndpoint } from '../../../src/coap/CoapEndpoint.js';
import { Code } from '../../../src/coap/CoapMessage.js';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { UdpTransport } from '../../../src/transport/udp/UdpTransport.js';
import type { PeerIdentity } from '../../../src/transport/Peer.js';
import { requirePeer } from '../../support/peers.js';
import { pemDir, type PemDir } from './x509/pemFiles.js';
import { issued, keyPair, testPki, type Issued } from './x509/testPki.js';

const CHILD_TIMEOUT_MS = 30_000;
const coapGnutls = requirePeer('coap-client-gnutls', 'libcoap3-bin');
const coapOpenssl = requirePeer('coap-client-openssl', 'libcoap3-bin');

const pki = testPki();
/** A device certificate straight from the root (no intermediate to send). */
const rootDevice = issued('urn:imei:490154203237519', pki.root, { extKeyUsage: ['clientAuth'] });
const rpkDevice = keyPair();
const rpkSpki = rpkDevice.publicKey.export({ type: 'spki', format: 'der' });

/** Runs a libcoap client against a CoapEndpoint on our certificate server; its output and who we saw. */
async function coapClient(
  path: string,
  args: (files: PemDir) => string[],
): Promise<{ out: string; seen: PeerIdentity[]; failed: number }> {
  const files = pemDir();
  const transport = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'server',
    certificate: { privateKey: pki.server.privateKey, chain: [pki.server.der, pki.intermediate.der] },
    clientTrust: {
      trustAnchors: [pki.root.der],
      knownRawPublicKey: (spki) => Buffer.from(spki).equals(rpkSpki),
    },
  });
  const server = new CoapEndpoint(transport);
  const seen: PeerIdentity[] = [];
  server.router.use('/hello', (req) => {
    if (req.peer.identity) seen.push(req.peer.identity);
    return {
      code: Code.CONTENT,
      contentFormat: 0,
      payload: new TextEncoder().encode(`hello ${req.peer.identity?.kind}`),
    };
  });
  try {
    const uri = `coaps://127.0.0.1:${server.address().port}/hello`;
    const child = spawn(path, [...args(files), uri], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CHILD_TIMEOUT_MS,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
    try {
      await new Promise<void>((resolve) => child.on('exit', () => resolve()));
    } finally {
      child.kill('SIGKILL');
    }
    return { out, seen, failed: transport.stats.handshakesFailed };
  } finally {
    await server.close();
    files.remove();
  }
}

const x509Args =
  (device: Issued, chain: Uint8Array[] = []) =>
  (files: PemDir): string[] => [
    '-c',
    files.certificates('device.pem', device.der, ...chain),
    '-j',
    files.privateKey('device.key', device.privateKey),
    '-R',
    files.certificates('root.pem', pki.root.der),
  ];

test(
  'coap-client-gnutls with an X.509 chain: GET answered, identity x509 with its CN',
  { skip: coapGnutls.skip },
  async () => {
    const r = await coapClient(coapGnutls.path!, x509Args(pki.device, [pki.intermediate.der]));
    assert.match(r.out, /hello x509/);
    assert.deepEqual(r.seen, [
      { kind: 'x509', subject: 'CN=urn:imei:490154203237518', commonName: 'urn:imei:490154203237518' },
    ]);
  },
);

test(
  'coap-client-openssl with an X.509 certificate: GET answered; without its intermediate: refused',
  { skip: coapOpenssl.skip },
  async () => {
    const ok = await coapClient(coapOpenssl.path!, x509Args(rootDevice));
    assert.match(ok.out, /hello x509/);
    assert.deepEqual(ok.seen, [
      { kind: 'x509', subject: 'CN=urn:imei:490154203237519', commonName: 'urn:imei:490154203237519' },
    ]);
    const refused = await coapClient(coapOpenssl.path!, x509Args(pki.device, [pki.intermediate.der]));
    assert.match(refused.out, /unknown ca/i);
    assert.deepEqual(refused.seen, []);
    assert.ok(refused.failed >= 1);
  },
);

test(
  'coap-client-gnutls -M with a raw public key: GET answered, identity rpk; an unknown key refused',
  { skip: coapGnutls.skip },
  async () => {
    // -n: libcoap cannot pin our raw key (LwM2M clients do, with /0/x/4)
    const known = await coapClient(coapGnutls.path!, (files) => [
      '-n',
      '-M',
      files.privateKey('rpk.pem', rpkDevice.privateKey, true),
    ]);
    assert.match(known.out, /hello rpk/);
    assert.equal(known.seen.length, 1);
    assert.ok(known.seen[0]!.kind === 'rpk' && Buffer.from(known.seen[0]!.publicKey).equals(rpkSpki));
    const unknown = await coapClient(coapGnutls.path!, (files) => [
      '-n',
      '-M',
      files.privateKey('rpk.pem', keyPair().privateKey, true),
    ]);
    assert.doesNotMatch(unknown.out, /hello rpk/);
    assert.deepEqual(unknown.seen, []);
    assert.ok(unknown.failed >= 1);
  },
);
