// Session resumption with OpenSSL (issue 13 item 1; RFC 5246 7.3): `openssl s_client -sess_out`
// then `-sess_in` resumes against our server ("Reused" in its output, our abbreviated handshake
// counted), and our client resumes with `openssl s_server -listen` (it caches sessions by id:
// "Reused session-id") when a second client transport shares the first one's session cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatagramTransport } from '../../src/transport/DatagramTransport.js';
import { systemDtlsClock } from '../../src/transport/dtls/DtlsClock.js';
import { DtlsTransport } from '../../src/transport/dtls/DtlsTransport.js';
import type { DtlsSession } from '../../src/transport/dtls/session/DtlsSession.js';
import { SessionCache } from '../../src/transport/dtls/session/SessionCache.js';
import { makePeer } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { requirePeer } from '../support/peers.js';
import { waitUntil } from '../support/waitUntil.js';
import { freeUdpPort, PSK, PSK_HEX, startChild, stopChild } from './dtlsPeers.js';

const openssl = requirePeer('openssl', 'openssl');

test(
  'openssl s_client -sess_out then -sess_in resumes its session with our server',
  { skip: openssl.skip },
  async () => {
    const server = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
      role: 'server',
      pskFor: (identity) => (identity === 'id1' ? PSK : undefined),
    });
    const got: string[] = [];
    server.onDatagram((b, peer) => {
      got.push(Buffer.from(b).toString('utf8'));
      void server.send(peer, Buffer.from('reply from lwm2m-ts\n')).catch(() => undefined);
    });
    const dir = mkdtempSync(join(tmpdir(), 'lwm2m-sess-'));
    const sessionFile = join(dir, 'session.pem');
    const args = (sessionArgs: string[]): string[] => [
      's_client',
      '-dtls1_2',
      '-psk',
      PSK_HEX,
      '-psk_identity',
      'id1',
      '-cipher',
      'PSK-AES128-CCM8',
      '-connect',
      `127.0.0.1:${server.address().port}`,
      ...sessionArgs,
    ];
    try {
      for (const [round, sessionArgs] of [
        [1, ['-sess_out', sessionFile]],
        [2, ['-sess_in', sessionFile]],
      ] as const) {
        const child = startChild(openssl.path!, args([...sessionArgs]));
        try {
          child.proc.stdin!.write(`line ${round}\n`);
          await waitUntil(() => child.out().includes('reply from lwm2m-ts'), `round ${round} reply`, 20_000);
          assert.match(child.out(), round === 1 ? /^New, TLSv1\.2/m : /^Reused, TLSv1\.2/m);
          assert.match(child.out(), /Extended master secret: yes/);
        } finally {
          await stopChild(child.proc);
        }
      }
      assert.deepEqual(got, ['line 1\n', 'line 2\n']);
      assert.equal(server.stats.sessionsResumed, 1);
      assert.equal(
        server.stats.helloVerifyRequests,
        2,
        'the resuming hello went through the cookie exchange',
      );
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('our client resumes its session with openssl s_server -listen', { skip: openssl.skip }, async () => {
  const port = await freeUdpPort();
  const child = startChild(openssl.path!, [
    's_server',
    '-dtls1_2',
    '-listen',
    '-accept',
    `127.0.0.1:${port}`,
    '-nocert',
    '-psk',
    PSK_HEX,
    '-psk_identity',
    'id1',
    '-cipher',
    'PSK-AES128-CCM8',
    '-naccept',
    '2',
  ]);
  const cache = new SessionCache<DtlsSession>({ maxEntries: 4, lifetimeMs: 60_000, clock: systemDtlsClock });
  const server = makePeer('127.0.0.1', port);
  // s_server serves one association at a time on a socket connected to its client, so both
  // client transports run on one UDP socket (a DTLS layer restarted on the same port): a closed
  // port would answer s_server's close_notify with an ICMP error that fails its next accept
  const udp = await UdpTransport.bind({ address: '127.0.0.1' });
  try {
    await waitUntil(() => child.out().includes('ACCEPT'), 's_server listening', 20_000);
    for (const round of [1, 2]) {
      const client = new DtlsTransport(detached(udp), {
        role: 'client',
        psk: { identity: 'id1', key: PSK },
        sessionCache: cache,
      });
      try {
        await client.send(server, Buffer.from(`hello ${round}\n`));
        await waitUntil(() => child.out().includes(`hello ${round}`), `round ${round} on s_server`, 20_000);
        assert.equal(client.stats.sessionsResumed, round === 1 ? 0 : 1);
      } finally {
        await client.close();
      }
    }
    child.proc.stdin!.end(); // s_server prints its summary (buffered) as it exits
    await waitUntil(() => child.out().includes('session cache'), 's_server summary', 20_000);
    assert.match(child.out(), /Reused session-id/);
    assert.equal(cache.size, 1);
  } finally {
    await stopChild(child.proc);
    await udp.close();
  }
});

/** `inner` for one DtlsTransport: closing it only detaches the handler, the socket stays open. */
function detached(inner: DatagramTransport): DatagramTransport {
  return {
    reliable: inner.reliable,
    maxDatagramSize: inner.maxDatagramSize,
    send: (peer, bytes) => inner.send(peer, bytes),
    onDatagram: (handler) => inner.onDatagram(handler),
    address: () => inner.address(),
    close: () => {
      inner.onDatagram(() => undefined);
      return Promise.resolve();
    },
  };
}
