// Our DTLS client against libcoap's coap-server built on OpenSSL and on GnuTLS (Debian
// libcoap3-bin): `coap-server-<tls> -A 127.0.0.1 -p P -k secretPSK -h id1` serves DTLS on P+1
// (man coap-server: -k is the PSK for inbound sessions, whatever the identity; -h the identity
// hint it sends in ServerKeyExchange, which our client reads and ignores). A CoapEndpoint on our
// client-role DtlsTransport GETs / (the libcoap banner) over the secured session: the handshake
// starts with the request and the response comes back on the authenticated connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { DtlsTransport } from '../../src/transport/dtls/DtlsTransport.js';
import { makePeer } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { requirePeer } from '../support/peers.js';
import { freeUdpPort, PSK, startChild, stopChild } from './dtlsPeers.js';

for (const tls of ['openssl', 'gnutls'] as const) {
  const binary = `coap-server-${tls}`;
  const peer = requirePeer(binary, 'libcoap3-bin');
  test(`our client GETs / from ${binary} over DTLS PSK`, { skip: peer.skip }, async () => {
    const port = await freeUdpPort();
    const child = startChild(peer.path!, [
      '-A',
      '127.0.0.1',
      '-p',
      String(port),
      '-k',
      PSK.toString('latin1'),
      '-h',
      'id1',
    ]);
    const transport = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
      role: 'client',
      psk: { identity: 'id1', key: PSK },
    });
    const endpoint = new CoapEndpoint(transport);
    try {
      // no wait for the server to bind: our ClientHello flight is retransmitted until it answers
      const res = await endpoint.request(makePeer('127.0.0.1', port + 1), {
        method: 'GET',
        path: '/',
        timeoutMs: 20_000,
      });
      assert.equal(res.code, Code.CONTENT);
      assert.match(new TextDecoder().decode(res.payload), /libcoap/);
      assert.equal(transport.stats.handshakesCompleted, 1);
      assert.equal(transport.connectionCount, 1);
    } finally {
      await endpoint.close();
      await stopChild(child.proc);
    }
  });
}
