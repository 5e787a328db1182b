// Execute arguments on the wire (Core TS 1.1.1 5.4.5, Transport TS 6.4): a client answers 4.00 to
// an argument list off the grammar without running the resource, and 2.04 to one that follows it.
// A raw UDP peer sends the exact bytes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { declareInstance } from '../../src/client/declareInstance.js';
import { TEMPERATURE_1_1 } from '../../src/model/core/temperature.js';
import { RawCoapPeer, matchesHex, toHexString } from '../support/RawCoapPeer.js';

const ascii = (s: string): string => Buffer.from(s).toString('hex');
// CON POST /3303/0/5605 (Reset Min and Max Measured Values), Content-Format text/plain, MID 0xbe00+n.
const post = (n: number, args: string): string =>
  `4202 be0${n} 1234 b4${ascii('3303')} 0130 04${ascii('5605')} 10 ff${ascii(args)}`;

describe('Execute arguments reaching the client', () => {
  let peer: RawCoapPeer;
  let client: Lwm2mClient;
  let to: { address: string; port: number };
  const calls: (string | undefined)[] = [];

  before(async () => {
    peer = await RawCoapPeer.open();
    client = new Lwm2mClient({
      endpoint: 'exec-args',
      bind: { address: '127.0.0.1', port: 0 },
      objects: [
        declareInstance(TEMPERATURE_1_1, 0, { 5700: 20 }, { execute: { 5605: (a) => void calls.push(a) } }),
      ],
    });
    await client.start();
    to = { address: '127.0.0.1', port: client.endpoint.address().port };
  });
  after(async () => {
    await client.stop();
    await peer.close();
  });

  test('a list off the grammar answers 4.00 (ACK, same MID and token) and runs nothing', async () => {
    for (const [n, args] of [
      [1, '0=a'],
      [2, "0='a b'"],
      [3, '12'],
      [4, "0='x',"],
    ] as const) {
      await peer.send(post(n, args), to);
      const reply = await peer.next();
      assert.ok(
        matchesHex(reply.bytes.subarray(0, 6), `6280 be0${n} 1234`),
        `${args}: ${toHexString(reply.bytes)}`,
      );
    }
    assert.deepEqual(calls, []);
  });

  test('a list following the grammar answers 2.04 and reaches the handler as sent', async () => {
    await peer.send(post(5, "0='a',1"), to);
    await peer.expect('6244 be05 1234');
    assert.deepEqual(calls, ["0='a',1"]);
  });
});
