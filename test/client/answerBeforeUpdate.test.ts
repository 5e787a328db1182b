// Order on the wire (issue 11 item 11): a client answers the Write, Create, Delete or Execute
// before it sends the Registration Update that request causes. A raw UDP peer plays the server and
// records the datagrams in the order they arrive: the piggybacked ACK must come first.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { decodeMessage } from '../../src/coap/messageCodec.js';
import { getUriPath, getUriQuery } from '../../src/coap/options.js';
import { TEMPERATURE_1_1 } from '../../src/model/core/temperature.js';
import { RawCoapPeer, matchesHex, toHexString, type RawDatagram } from '../support/RawCoapPeer.js';

const ascii = (s: string): string => Buffer.from(s).toString('hex');

/** The empty-bodied ACK answering the CON `d` with `code` (hex), echoing its MID and token. */
function ackFor(d: RawDatagram, code: string, options = ''): string {
  const msg = decodeMessage(d.bytes);
  const tkl = msg.token.length;
  const mid = msg.messageId.toString(16).padStart(4, '0');
  return `6${tkl.toString(16)}${code}${mid}${toHexString(msg.token)}${options}`;
}

interface Wire {
  readonly peer: RawCoapPeer;
  readonly client: Lwm2mClient;
  /** Where the client listens (learnt from its Register). */
  readonly to: { address: string; port: number };
}

describe('a client answers a request before the Update it causes', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function registered(): Promise<Wire> {
    const peer = await RawCoapPeer.open();
    const client = new Lwm2mClient({
      endpoint: 'order-1',
      bind: { address: '127.0.0.1', port: 0 },
      servers: [{ uri: `coap://127.0.0.1:${peer.address.port}`, ssid: 1, lifetime: 300 }],
      models: [TEMPERATURE_1_1],
      requestTimeoutMs: 1_000,
    });
    closers.push(async () => {
      const stopping = client.stop();
      // Answer the De-register (if it comes) so stop() does not wait for CoAP timeouts.
      const d = await peer.next(1_500).catch(() => undefined);
      if (d && decodeMessage(d.bytes).code === 0x04) await peer.send(ackFor(d, '42'), d);
      await stopping;
      await peer.close();
    });
    await client.start();
    const reg = await peer.next();
    assert.deepEqual(getUriPath(decodeMessage(reg.bytes)), ['rd']);
    // ACK 2.01 with Location-Path "rd" "r1".
    await peer.send(ackFor(reg, '41', '82' + ascii('rd') + '02' + ascii('r1')), reg);
    return { peer, client, to: { address: reg.address, port: reg.port } };
  }

  /** Sends a CON request (MID 0xbeef, token 0x1234) and returns the next two datagrams, in order. */
  async function exchange(w: Wire, request: string): Promise<[RawDatagram, RawDatagram]> {
    await w.peer.send(request, w.to);
    const first = await w.peer.next();
    const second = await w.peer.next();
    for (const d of [first, second]) {
      const msg = decodeMessage(d.bytes);
      if (msg.type === 0 && msg.code === 0x02) await w.peer.send(ackFor(d, '44'), d); // the Update
    }
    return [first, second];
  }

  const isUpdate = (d: RawDatagram, query: string[] = []): boolean => {
    const msg = decodeMessage(d.bytes);
    return (
      msg.type === 0 &&
      msg.code === 0x02 &&
      getUriPath(msg).join('/') === 'rd/r1' &&
      JSON.stringify(getUriQuery(msg)) === JSON.stringify(query)
    );
  };

  test('a Write of the lifetime: ACK 2.04 first, then the Update carrying lt', async () => {
    const w = await registered();
    // CON PUT /1/0/1, Content-Format text/plain (0), payload "600".
    const [first, second] = await exchange(w, '4203 beef 1234 b131 0130 0131 10 ff' + ascii('600'));
    assert.ok(matchesHex(first.bytes, '6244 beef 1234'), `first: ${toHexString(first.bytes)}`);
    assert.ok(isUpdate(second, ['lt=600']), `second: ${toHexString(second.bytes)}`);
  });

  test('a Create that adds an instance: ACK 2.01 first, then the Update with the object links', async () => {
    const w = await registered();
    // CON POST /3303 with TLV (11542 = 0x2d16) holding instance 0 { 5700: float 21.5 }.
    const tlv = '07 00 e4 1644 41ac0000';
    const [first, second] = await exchange(w, '4202 beef 1234 b4' + ascii('3303') + '12 2d16 ff' + tlv);
    assert.ok(matchesHex(first.bytes, '6241 beef 1234 ' + '..'.repeat(first.bytes.length - 6)));
    assert.ok(isUpdate(second), `second: ${toHexString(second.bytes)}`);
    assert.match(new TextDecoder().decode(decodeMessage(second.bytes).payload), /<\/3303\/0>/);
  });

  test('a Delete of an instance: ACK 2.02 first, then the Update without it', async () => {
    const w = await registered();
    const tlv = '07 00 e4 1644 41ac0000';
    await exchange(w, '4202 beee 1233 b4' + ascii('3303') + '12 2d16 ff' + tlv);
    // CON DELETE /3303/0.
    const [first, second] = await exchange(w, '4204 beef 1234 b4' + ascii('3303') + '0130');
    assert.ok(matchesHex(first.bytes, '6242 beef 1234'), `first: ${toHexString(first.bytes)}`);
    assert.ok(isUpdate(second), `second: ${toHexString(second.bytes)}`);
    assert.doesNotMatch(new TextDecoder().decode(decodeMessage(second.bytes).payload), /<\/3303\/0>/);
  });

  test('an Execute of the Registration Update Trigger: ACK 2.04 first, then the Update', async () => {
    const w = await registered();
    const [first, second] = await exchange(w, '4202 beef 1234 b131 0130 0138');
    assert.ok(matchesHex(first.bytes, '6244 beef 1234'), `first: ${toHexString(first.bytes)}`);
    assert.ok(isUpdate(second), `second: ${toHexString(second.bytes)}`);
  });

  test('an Execute of Reboot: ACK 2.04 first, then a new Register, with no De-register first', async () => {
    const w = await registered();
    // CON POST /3/0/4.
    await w.peer.send('4202 beef 1234 b133 0130 0134', w.to);
    const ack = await w.peer.next();
    assert.ok(matchesHex(ack.bytes, '6244 beef 1234'), `first: ${toHexString(ack.bytes)}`);
    const reg = await w.peer.next();
    const r = decodeMessage(reg.bytes);
    assert.equal(r.code, 0x02, `second: ${toHexString(reg.bytes)}`);
    assert.deepEqual(getUriPath(r), ['rd']);
    assert.ok(getUriQuery(r).includes('ep=order-1'));
    await w.peer.send(ackFor(reg, '41', '82' + ascii('rd') + '02' + ascii('r1')), reg);
  });
});
