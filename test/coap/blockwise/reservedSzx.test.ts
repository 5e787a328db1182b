// RFC 7959 section 2.2 on the wire: a request whose Block1 option carries the reserved SZX 7
// (a 2048-byte block) is answered 4.00 Bad Request, not 4.02 Bad Option, and reaches no handler.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoapEndpoint } from '../../../src/coap/CoapEndpoint.js';
import { UdpTransport } from '../../../src/transport/udp/UdpTransport.js';
import { RawCoapPeer } from '../../support/RawCoapPeer.js';

test('a CON PUT with Block1 SZX 7 is answered 4.00 in a piggybacked ACK (raw bytes)', async () => {
  const endpoint = new CoapEndpoint(await UdpTransport.bind({ address: '127.0.0.1' }));
  let handled = 0;
  endpoint.router.use('x', () => {
    handled++;
    return { code: 0x44 };
  });
  const peer = await RawCoapPeer.open();
  try {
    // CON PUT, MID 0x1234, token aa; Uri-Path "x" (b1 78); Block1 (27, delta 16: d1 03) = 0x0f:
    // NUM 0, M 1, SZX 7; then 16 bytes of payload.
    await peer.send('41 03 1234 aa b1 78 d1 03 0f ff' + '00'.repeat(16), endpoint.address());
    // ACK, 4.00 (0x80), same MID and token, no options.
    await peer.expect('61 80 1234 aa');
    // The same with SZX 6 (0x0e) is an ordinary first block: 2.31 Continue echoing Block1
    // (option 27 from 0: delta 13 + 14).
    await peer.send('41 03 1235 ab b1 78 d1 03 0e ff' + '00'.repeat(1024), endpoint.address());
    await peer.expect('61 5f 1235 ab d1 0e 0e');
    assert.equal(handled, 0);
  } finally {
    await peer.close();
    await endpoint.close();
  }
});
