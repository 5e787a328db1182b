// Issue 12, item 2: block-wise reassembly under hostile load. `/rd` buffers no more than its own
// payload limit (raw UDP), and a flood of first blocks from spoofed sources (injected on an
// in-memory network) neither blocks a registered client's block-wise Update nor a newcomer's Register.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, MessageType, OptionNumber, type CoapMessage } from '../../src/coap/CoapMessage.js';
import { decodeMessage, encodeMessage } from '../../src/coap/messageCodec.js';
import { decodeUint, encodeUint, getLocationPath, getOption } from '../../src/coap/options.js';
import { TRANSFER_OVERHEAD_BYTES } from '../../src/coap/blockwise/ReassemblyBuffer.js';
import { Lwm2mServer } from '../../src/server/Lwm2mServer.js';
import { MemoryRegistrationStore } from '../../src/store/memory/MemoryRegistrationStore.js';
import { makePeer, type Peer } from '../../src/transport/Peer.js';
import { ManualClock } from '../support/ManualClock.js';
import { MemoryNetwork, flush } from '../support/MemoryTransport.js';
import { contentFormat, requestMessage } from '../support/ScriptedClient.js';
import { withoutSyncAnswers } from '../support/withoutSyncAnswers.js';
import { startServer } from './serverFixture.js';

const block1 = (v: number) => ({ number: OptionNumber.BLOCK1, value: encodeUint(v) });
const links = (n: number): Uint8Array =>
  new TextEncoder().encode(Array.from({ length: n }, (_, i) => `</3303/${i}>`).join(','));

test('/rd reassembles no more than its payload limit: 4.13 with Size1 as soon as the body passes it', async () => {
  const s = await startServer({ registrationLimits: { maxPayloadLength: 100 } });
  const body = links(20);
  const query = ['ep=big'];
  // SZX 2 (64-byte blocks): num 0 with M → 0x0a; num 1 with M → 0x1a.
  const first = await s.client.exchange(
    requestMessage(Code.POST, '/rd', query, body.subarray(0, 64), [contentFormat(40), block1(0x0a)]),
  );
  assert.equal(first.code, Code.CONTINUE);
  const second = await s.client.exchange(
    requestMessage(Code.POST, '/rd', query, body.subarray(64, 128), [contentFormat(40), block1(0x1a)]),
  );
  assert.equal(second.code, Code.REQUEST_ENTITY_TOO_LARGE);
  assert.equal(decodeUint(getOption(second, OptionNumber.SIZE1)!), 100);
  assert.equal(await s.server.config.store.size(), 0);
});

let mid = 1;
function message(req: CoapMessage): Uint8Array {
  return encodeMessage({ ...req, type: MessageType.CON, messageId: mid++ & 0xffff });
}

// Registered peers as the store tells them at once (hasPeerNow), and as the server tracks them.
for (const [kind, store] of [
  ['a store that answers at once', () => new MemoryRegistrationStore()],
  ['a store that does not', () => withoutSyncAnswers(new MemoryRegistrationStore())],
] as const)
  test(`a flood of spoofed first blocks blocks neither a registered client nor a newcomer (${kind})`, async () => {
    const clock = new ManualClock(1_000_000);
    const net = new MemoryNetwork();
    const transport = net.bind('10.0.0.1', 5683);
    const perTransfer = 1024 + TRANSFER_OVERHEAD_BYTES + 400;
    const server = await Lwm2mServer.start({
      transports: [transport],
      clock,
      store: store(),
      coap: { blockwise: { limits: { maxTotalBytes: 8 * perTransfer, reservedBytes: 2 * perTransfer } } },
    });
    try {
      const replies = (peer: Peer): CoapMessage[] =>
        net.log.filter((d) => d.to.key === peer.key).map((d) => decodeMessage(d.bytes));
      const send = async (from: Peer, req: CoapMessage): Promise<CoapMessage> => {
        const before = replies(from).length;
        net.inject(from, transport, message(req));
        for (let i = 0; i < 20 && replies(from).length === before; i++) await flush();
        return replies(from).at(-1)!;
      };
      const device = makePeer('192.0.2.10', 40000);
      const created = await send(device, requestMessage(Code.POST, '/rd', ['ep=dev', 'lt=300'], '</1/0>'));
      assert.equal(created.code, Code.CREATED);
      const id = getLocationPath(created)[1]!;
      /** Spoofed sources `from`..`to` - 1 each send the first 1 KiB block of a Register and never the rest. */
      const flood = async (from: number, to: number): Promise<void> => {
        for (let i = from; i < to; i++) {
          const spoofed = makePeer(`198.51.${i >> 8}.${i & 255}`, 1000 + i);
          const req = requestMessage(Code.POST, '/rd', [`ep=s${i}`], links(200).subarray(0, 1024), [
            contentFormat(40),
            block1(0x0e),
          ]);
          net.inject(spoofed, transport, message(req));
          if (i % 50 === 49) await flush();
        }
        await flush();
      };
      await flood(0, 500);
      assert.ok(server.limits().blockwiseBytes.usage <= 8 * perTransfer);
      assert.ok(server.limits().blockwiseBytes.hits > 400);
      // The registered device updates its links block-wise: room was kept for it.
      const body = links(150);
      const path = `/rd/${id}`;
      const u0 = await send(
        device,
        requestMessage(Code.POST, path, [], body.subarray(0, 1024), [contentFormat(40), block1(0x0e)]),
      );
      assert.equal(u0.code, Code.CONTINUE);
      // More spoofed first blocks meanwhile: they evict each other, not the registered device's transfer.
      await flood(500, 530);
      const u1 = await send(
        device,
        requestMessage(Code.POST, path, [], body.subarray(1024), [contentFormat(40), block1(0x16)]),
      );
      assert.equal(u1.code, Code.CHANGED, new TextDecoder().decode(u1.payload));
      // A newcomer's block-wise Register displaces the oldest spoofed transfers instead of getting 5.03.
      const newcomer = makePeer('203.0.113.7', 5683);
      const q = ['ep=new', 'lt=300'];
      const r0 = await send(
        newcomer,
        requestMessage(Code.POST, '/rd', q, body.subarray(0, 1024), [contentFormat(40), block1(0x0e)]),
      );
      assert.equal(r0.code, Code.CONTINUE);
      const r1 = await send(
        newcomer,
        requestMessage(Code.POST, '/rd', q, body.subarray(1024), [contentFormat(40), block1(0x16)]),
      );
      assert.equal(r1.code, Code.CREATED);
    } finally {
      await server.stop();
    }
  });
