// store/dtlsCredentials: which writes revoke a raw public key's or a certificate's sessions, and
// onRevokedCertificate ending the registered session of an endpoint whose key or certificate
// credentials were removed or changed (only when that session was made with them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Registration } from '../../src/lwm2m/Registration.js';
import type { SecurityInfo } from '../../src/lwm2m/SecurityInfo.js';
import { onRevokedCertificate, revokedCertificateEndpoint } from '../../src/store/dtlsCredentials.js';
import { MemorySecurityStore } from '../../src/store/memory/MemorySecurityStore.js';
import { makePeer, type Peer, type PeerIdentity } from '../../src/transport/Peer.js';
import { waitUntil } from '../support/waitUntil.js';

const rpk = (fill: number): SecurityInfo => ({
  endpoint: 'dev1',
  kind: 'rpk',
  publicKey: new Uint8Array(91).fill(fill),
});
const x509: SecurityInfo = { endpoint: 'dev1', kind: 'x509' };
const psk: SecurityInfo = { endpoint: 'dev1', kind: 'psk', identity: 'a', key: Uint8Array.of(1) };

test('revokedCertificateEndpoint: a key removed or replaced, or X.509 credentials removed', () => {
  const rows: [string, SecurityInfo | undefined, SecurityInfo | undefined, boolean][] = [
    ['new endpoint', undefined, rpk(1), false],
    ['same key again', rpk(1), rpk(1), false],
    ['key deleted', rpk(1), undefined, true],
    ['another key', rpk(1), rpk(2), true],
    ['rpk to x509', rpk(1), x509, true],
    ['x509 again', x509, x509, false],
    ['x509 deleted', x509, undefined, true],
    ['x509 to psk', x509, psk, true],
    ['psk deleted (the transport handles it)', psk, undefined, false],
  ];
  for (const [name, previous, current, revoked] of rows) {
    const got = revokedCertificateEndpoint({
      endpoint: 'dev1',
      ...(previous ? { previous } : {}),
      ...(current ? { current } : {}),
    });
    assert.equal(got !== undefined, revoked, name);
    if (revoked) assert.deepEqual(got, previous, name);
  }
});

test('onRevokedCertificate disconnects the registered peer that authenticated with the revoked credentials', async () => {
  const store = new MemorySecurityStore([
    rpk(1),
    { endpoint: 'cert1', kind: 'x509' },
    { endpoint: 'other', kind: 'rpk', publicKey: new Uint8Array(91).fill(7) },
  ]);
  const peers: Record<string, PeerIdentity> = {
    dev1: { kind: 'rpk', publicKey: new Uint8Array(91).fill(1) },
    cert1: { kind: 'x509', subject: 'CN=cert1', commonName: 'cert1' },
    other: { kind: 'psk', identity: 'x' }, // a session not made with its key: left alone
  };
  const registrations = {
    getByEndpoint: (ep: string) =>
      Promise.resolve(
        peers[ep]
          ? ({ endpoint: ep, peer: makePeer('127.0.0.1', 5000, peers[ep]) } as unknown as Registration)
          : undefined,
      ),
  };
  const ended: Peer[] = [];
  const stop = onRevokedCertificate(store, registrations, (peer) => {
    ended.push(peer);
    return Promise.resolve();
  });
  await store.put(rpk(1)); // the same key: nothing
  await store.put(rpk(2));
  await waitUntil(() => ended.length === 1, 'the dev1 session ended');
  assert.deepEqual(ended[0]!.identity, peers.dev1);
  await store.delete('cert1');
  await waitUntil(() => ended.length === 2, 'the cert1 session ended');
  assert.equal(ended[1]!.identity?.kind, 'x509');
  await store.delete('other');
  stop();
  await store.put({ endpoint: 'cert1', kind: 'x509' });
  await store.delete('cert1');
  await new Promise((r) => setImmediate(r));
  assert.equal(
    ended.length,
    2,
    'a session not made with the key, and writes after unsubscribing, end nothing',
  );
});
