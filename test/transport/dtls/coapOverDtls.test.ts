// CoAP over our DTLS transport on 127.0.0.1: a CoapEndpoint on each side, a CON GET whose request
// triggers the client's handshake, the response matched to its request through the connection's
// peer key, and the server's handler seeing the authenticated PSK identity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../../src/coap/CoapEndpoint.js';
import { Code } from '../../../src/coap/CoapMessage.js';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { makePeer, type PeerIdentity } from '../../../src/transport/Peer.js';
import { UdpTransport } from '../../../src/transport/udp/UdpTransport.js';

const KEY = Buffer.from('73656372657450534b', 'hex');

test('two CoapEndpoints exchange a CON GET over DTLS on 127.0.0.1', async () => {
  const server = new CoapEndpoint(
    new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
      role: 'server',
      pskFor: (identity) => (identity === 'device-1' ? KEY : undefined),
    }),
  );
  const client = new CoapEndpoint(
    new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1' }), {
      role: 'client',
      psk: { identity: 'device-1', key: KEY },
    }),
  );
  try {
    let seen: PeerIdentity | undefined;
    server.router.use('/hello', (req) => {
      seen = req.peer.identity;
      return { code: Code.CONTENT, contentFormat: 0, payload: new TextEncoder().encode('secured world') };
    });
    const res = await client.request(makePeer('127.0.0.1', server.address().port), {
      method: 'GET',
      path: '/hello',
    });
    assert.equal(res.code, Code.CONTENT);
    assert.equal(new TextDecoder().decode(res.payload), 'secured world');
    assert.deepEqual(seen, { kind: 'psk', identity: 'device-1' });
  } finally {
    await client.close();
    await server.close();
  }
});
