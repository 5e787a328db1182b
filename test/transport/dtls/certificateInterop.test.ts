// Interop of our DTLS server's certificate suites (issue 15) with independent clients:
// `openssl s_client -dtls1_2 -cipher ECDHE-ECDSA-AES128-CCM8` with X.509 (accepted with its CN
// delivered; an untrusted CA, an expired certificate and a missing intermediate refused with the
// matching alert) and `gnutls-cli --udp` with raw public keys (RFC 7250; a known key accepted, an
// unknown one refused). The server runs with the default handshake crypto (worker threads).
// Every child process is bounded by a timeout and killed in finally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { UdpTransport } from '../../../src/transport/udp/UdpTransport.js';
import type { Peer } from '../../../src/transport/Peer.js';
import { requirePeer } from '../../support/peers.js';
import { waitUntil } from '../../support/waitUntil.js';
import { pemDir } from './x509/pemFiles.js';
import { DAY, issued, keyPair, selfSigned, testPki } from './x509/testPki.js';
import { startChild } from '../../interop/dtlsPeers.js';

const openssl = requirePeer('openssl', 'openssl');
const gnutls = requirePeer('gnutls-cli', 'gnutls-bin');

const pki = testPki();
const rpkDevice = keyPair();
const rpkSpki = rpkDevice.publicKey.export({ type: 'spki', format: 'der' });

/** Our server with the test PKI's server chain, trusting its root and `rpkDevice`; it answers each datagram. */
async function ourServer(): Promise<{ server: DtlsTransport; got: { text: string; peer: Peer }[] }> {
  const server = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
    role: 'server',
    certificate: { privateKey: pki.server.privateKey, chain: [pki.server.der, pki.intermediate.der] },
    clientTrust: {
      trustAnchors: [pki.root.der],
      knownRawPublicKey: (spki) => Buffer.from(spki).equals(rpkSpki),
    },
  });
  const got: { text: string; peer: Peer }[] = [];
  server.onDatagram((b, peer) => {
    got.push({ text: Buffer.from(b).toString('utf8'), peer });
    void server.send(peer, Buffer.from('reply from lwm2m-ts\n')).catch(() => undefined);
  });
  return { server, got };
}

/** Runs a client program; `accepted`: data flows both ways, else the handshake fails with `refusal` in its output. */
async function against(
  path: string,
  args: (port: number) => string[],
  expect: { accepted: (peer: Peer) => void } | { refusal: RegExp },
): Promise<void> {
  const { server, got } = await ourServer();
  const child = startChild(path, args(server.address().port));
  try {
    if ('accepted' in expect) {
      // gnutls-cli reads stdin only once connected: send the line until it arrives
      await waitUntil(
        () => {
          if (got.length > 0) return true;
          child.proc.stdin!.write('hello from the peer\n');
          return false;
        },
        'the line from the peer',
        20_000,
        250,
      );
      assert.ok(got[0]!.text.startsWith('hello from the peer\n'), got[0]!.text);
      expect.accepted(got[0]!.peer);
      await waitUntil(
        () => child.out().includes('reply from lwm2m-ts'),
        'our reply on the peer stdout',
        20_000,
      );
      assert.equal(server.stats.handshakesCompleted, 1);
    } else {
      await waitUntil(() => server.stats.handshakesFailed > 0, 'the refused handshake', 20_000);
      await waitUntil(() => expect.refusal.test(child.out()), `${expect.refusal} from the peer`, 20_000);
      assert.equal(server.stats.handshakesCompleted, 0);
      assert.equal(got.length, 0);
    }
  } finally {
    child.proc.kill('SIGKILL');
    await server.close();
  }
}

/** s_client arguments for a certificate client: `cert` (leaf) and the `chain` it sends. */
function sClient(
  files: ReturnType<typeof pemDir>,
  leaf: { der: Uint8Array; privateKey: import('node:crypto').KeyObject },
  chain: Uint8Array[],
) {
  const cert = files.certificates('client.pem', leaf.der);
  const key = files.privateKey('client.key', leaf.privateKey);
  const ca = files.certificates('root.pem', pki.root.der);
  const chainArgs = chain.length > 0 ? ['-cert_chain', files.certificates('chain.pem', ...chain)] : [];
  return (port: number): string[] => [
    's_client',
    '-dtls1_2',
    '-cipher',
    'ECDHE-ECDSA-AES128-CCM8',
    '-cert',
    cert,
    '-key',
    key,
    ...chainArgs,
    '-CAfile',
    ca,
    '-verify_return_error',
    '-connect',
    `127.0.0.1:${port}`,
    '-quiet',
  ];
}

test(
  'openssl s_client with an X.509 chain: accepted, its subject and CN delivered',
  { skip: openssl.skip },
  async () => {
    const files = pemDir();
    try {
      await against(openssl.path!, sClient(files, pki.device, [pki.intermediate.der]), {
        accepted: (peer) =>
          assert.deepEqual(peer.identity, {
            kind: 'x509',
            subject: 'CN=urn:imei:490154203237518',
            commonName: 'urn:imei:490154203237518',
          }),
      });
    } finally {
      files.remove();
    }
  },
);

test(
  'openssl s_client refused: untrusted CA, expired certificate, missing intermediate',
  { skip: openssl.skip },
  async () => {
    const files = pemDir();
    try {
      const stranger = issued('urn:imei:1', selfSigned('Other Root'), { extKeyUsage: ['clientAuth'] });
      await against(openssl.path!, sClient(files, stranger, []), { refusal: /alert unknown ca/i });
      const expired = issued('urn:imei:2', pki.intermediate, {
        notBefore: Date.now() - 60 * DAY,
        notAfter: Date.now() - DAY,
      });
      await against(openssl.path!, sClient(files, expired, [pki.intermediate.der]), {
        refusal: /alert certificate expired/i,
      });
      // the leaf alone: no path to the root without the intermediate
      await against(openssl.path!, sClient(files, pki.device, []), { refusal: /alert unknown ca/i });
    } finally {
      files.remove();
    }
  },
);

function gnutlsRpk(files: ReturnType<typeof pemDir>, key: ReturnType<typeof keyPair>) {
  const keyFile = files.privateKey('rpk.key', key.privateKey);
  const pubFile = files.publicKey('rpk.pub', key.publicKey);
  return (port: number): string[] => [
    '--udp',
    '-p',
    String(port),
    '127.0.0.1',
    '--rawpkkeyfile',
    keyFile,
    '--rawpkfile',
    pubFile,
    // our raw key is checked by pinning (LwM2M /0/x/4), which gnutls-cli cannot do: not verified here
    '--insecure',
    '--priority',
    'NORMAL:-CTYPE-ALL:+CTYPE-CLI-RAWPK:+CTYPE-SRV-RAWPK:+AES-128-CCM-8',
  ];
}

test(
  'gnutls-cli with a raw public key the server knows: accepted, its key delivered',
  { skip: gnutls.skip },
  async () => {
    const files = pemDir();
    try {
      await against(gnutls.path!, gnutlsRpk(files, rpkDevice), {
        accepted: (peer) => {
          assert.equal(peer.identity?.kind, 'rpk');
          assert.ok(peer.identity?.kind === 'rpk' && Buffer.from(peer.identity.publicKey).equals(rpkSpki));
        },
      });
    } finally {
      files.remove();
    }
  },
);

test(
  'gnutls-cli with an unknown raw public key: refused with access_denied',
  { skip: gnutls.skip },
  async () => {
    const files = pemDir();
    try {
      await against(gnutls.path!, gnutlsRpk(files, keyPair()), { refusal: /Received alert \[49\]/ });
    } finally {
      files.remove();
    }
  },
);
