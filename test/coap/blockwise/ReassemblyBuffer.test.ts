// RFC 7959 sections 2.3, 2.9 and 7: bounded Block1 reassembly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReassemblyBuffer, TRANSFER_OVERHEAD_BYTES } from '../../../src/coap/blockwise/ReassemblyBuffer.js';
import { ManualClock } from '../../support/ManualClock.js';

const bytes = (n: number, seed = 1): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
const P = '10.0.0.1|5683';
/** Bytes a transfer is charged besides its buffer: the fixed overhead and its keys (short here). */
const OVERHEAD = TRANSFER_OVERHEAD_BYTES + 200;

test('reassembles blocks in order and returns the whole body on the last one', () => {
  const buf = new ReassemblyBuffer(new ManualClock());
  const body = bytes(300);
  assert.deepEqual(buf.offer(P, 'k', { num: 0, more: true, szx: 3 }, body.subarray(0, 128)), {
    kind: 'continue',
    szx: 3,
  });
  assert.equal(buf.offer(P, 'k', { num: 1, more: true, szx: 3 }, body.subarray(128, 256)).kind, 'continue');
  const last = buf.offer(P, 'k', { num: 2, more: false, szx: 3 }, body.subarray(256));
  assert.equal(last.kind, 'complete');
  assert.deepEqual(last.kind === 'complete' && last.body, body);
  assert.equal(buf.openTransfers, 0);
  assert.equal(buf.heldBytes, 0);
});

test('a single final block 0 completes without keeping state', () => {
  const buf = new ReassemblyBuffer(new ManualClock());
  const r = buf.offer(P, 'k', { num: 0, more: false, szx: 6 }, bytes(10));
  assert.equal(r.kind, 'complete');
  assert.equal(buf.openTransfers, 0);
});

test('answers 4.08 for a gap and drops the transfer', () => {
  const buf = new ReassemblyBuffer(new ManualClock());
  buf.offer(P, 'k', { num: 0, more: true, szx: 2 }, bytes(64));
  const r = buf.offer(P, 'k', { num: 2, more: true, szx: 2 }, bytes(64));
  assert.equal(r.kind, 'incomplete');
  assert.equal(buf.openTransfers, 0);
  assert.equal(buf.offer(P, 'k', { num: 1, more: true, szx: 2 }, bytes(64)).kind, 'incomplete');
});

test('answers 4.08 for a later block with no transfer (num jumping to 2^20-1)', () => {
  const buf = new ReassemblyBuffer(new ManualClock());
  const r = buf.offer(P, 'k', { num: 0xfffff, more: true, szx: 6 }, bytes(1024));
  assert.equal(r.kind, 'incomplete');
  assert.equal(buf.heldBytes, 0);
});

test('answers 4.13 with the maximum once a body outgrows the limit, memory stays bounded', () => {
  const buf = new ReassemblyBuffer(new ManualClock(), { maxBodyBytes: 4096 });
  let r = buf.offer(P, 'k', { num: 0, more: true, szx: 6 }, bytes(1024));
  let num = 1;
  while (r.kind === 'continue') {
    assert.ok(buf.heldBytes <= 4096 + OVERHEAD);
    r = buf.offer(P, 'k', { num: num++, more: true, szx: 6 }, bytes(1024));
  }
  assert.deepEqual(r, { kind: 'tooLarge', maxBodyBytes: 4096 });
  assert.equal(num, 5);
  assert.equal(buf.heldBytes, 0);
});

test('answers 4.13 at block 0 when Size1 announces a body over the limit', () => {
  const buf = new ReassemblyBuffer(new ManualClock(), { maxBodyBytes: 1000 });
  assert.deepEqual(buf.offer(P, 'k', { num: 0, more: true, szx: 4 }, bytes(256), 5000), {
    kind: 'tooLarge',
    maxBodyBytes: 1000,
  });
  assert.equal(buf.openTransfers, 0);
});

test('expires a transfer that receives no block within the lifetime', () => {
  const clock = new ManualClock();
  const buf = new ReassemblyBuffer(clock, { transferLifetimeMs: 10_000 });
  buf.offer(P, 'k', { num: 0, more: true, szx: 0 }, bytes(16));
  clock.advance(9_999);
  assert.equal(buf.offer(P, 'k', { num: 1, more: true, szx: 0 }, bytes(16)).kind, 'continue');
  clock.advance(10_000);
  assert.equal(buf.openTransfers, 0);
  assert.equal(buf.offer(P, 'k', { num: 2, more: false, szx: 0 }, bytes(16)).kind, 'incomplete');
});

test('negotiates down to the preferred SZX and accepts the smaller blocks that follow', () => {
  const buf = new ReassemblyBuffer(new ManualClock(), {}, 2);
  const body = bytes(1024 + 100);
  assert.deepEqual(buf.offer(P, 'k', { num: 0, more: true, szx: 6 }, body.subarray(0, 1024)), {
    kind: 'continue',
    szx: 2,
  });
  // 1024 bytes received = 16 blocks of 64: the client continues at num 16 with SZX 2.
  assert.equal(
    buf.offer(P, 'k', { num: 16, more: true, szx: 2 }, body.subarray(1024, 1088)).kind,
    'continue',
  );
  const r = buf.offer(P, 'k', { num: 17, more: false, szx: 2 }, body.subarray(1088));
  assert.deepEqual(r.kind === 'complete' && r.body, body);
});

test('rejects a block size that grows mid-transfer with 4.00', () => {
  const buf = new ReassemblyBuffer(new ManualClock());
  buf.offer(P, 'k', { num: 0, more: true, szx: 2 }, bytes(64));
  buf.offer(P, 'k', { num: 1, more: true, szx: 2 }, bytes(64));
  assert.equal(buf.offer(P, 'k', { num: 1, more: false, szx: 3 }, bytes(10)).kind, 'badRequest');
});

test('rejects a non-final block whose payload is not exactly the block size', () => {
  const buf = new ReassemblyBuffer(new ManualClock());
  assert.equal(buf.offer(P, 'k', { num: 0, more: true, szx: 2 }, bytes(63)).kind, 'badRequest');
  assert.equal(buf.offer(P, 'k', { num: 0, more: false, szx: 2 }, bytes(65)).kind, 'badRequest');
});

test('a repeated block (lost 2.31) is acknowledged again without being appended twice', () => {
  const buf = new ReassemblyBuffer(new ManualClock());
  const body = bytes(48);
  buf.offer(P, 'k', { num: 0, more: true, szx: 0 }, body.subarray(0, 16));
  buf.offer(P, 'k', { num: 1, more: true, szx: 0 }, body.subarray(16, 32));
  assert.equal(buf.offer(P, 'k', { num: 1, more: true, szx: 0 }, body.subarray(16, 32)).kind, 'continue');
  const r = buf.offer(P, 'k', { num: 2, more: false, szx: 0 }, body.subarray(32));
  assert.deepEqual(r.kind === 'complete' && r.body, body);
});

test('keeps transfers of different request keys apart', () => {
  const buf = new ReassemblyBuffer(new ManualClock());
  buf.offer(P, 'a', { num: 0, more: true, szx: 0 }, bytes(16, 1));
  buf.offer(P, 'b', { num: 0, more: true, szx: 0 }, bytes(16, 2));
  const a = buf.offer(P, 'a', { num: 1, more: false, szx: 0 }, bytes(4, 3));
  const b = buf.offer(P, 'b', { num: 1, more: false, szx: 0 }, bytes(4, 4));
  assert.deepEqual(a.kind === 'complete' && a.body.subarray(0, 16), bytes(16, 1));
  assert.deepEqual(b.kind === 'complete' && b.body.subarray(0, 16), bytes(16, 2));
});

test('many concurrent transfers from one peer: the oldest is dropped beyond the per-peer limit', () => {
  const buf = new ReassemblyBuffer(new ManualClock(), { maxTransfersPerPeer: 3 });
  for (let i = 0; i < 50; i++) buf.offer(P, `k${i}`, { num: 0, more: true, szx: 6 }, bytes(1024));
  assert.equal(buf.openTransfers, 3);
  assert.ok(buf.heldBytes > 3 * 1024 && buf.heldBytes <= 3 * (1024 + OVERHEAD));
  assert.equal(buf.offer(P, 'k0', { num: 1, more: false, szx: 6 }, bytes(1)).kind, 'incomplete');
  assert.equal(buf.offer(P, 'k49', { num: 1, more: false, szx: 6 }, bytes(1)).kind, 'complete');
});

test('refuses new transfers with 5.03 once registered peers together hold the byte budget', () => {
  const buf = new ReassemblyBuffer(new ManualClock(), { maxTotalBytes: 2 * (1024 + OVERHEAD) });
  const known = { privileged: true };
  const first = { num: 0, more: true, szx: 6 };
  assert.equal(buf.offer('a|1', 'k', first, bytes(1024), undefined, known).kind, 'continue');
  assert.equal(buf.offer('b|1', 'k', first, bytes(1024), undefined, known).kind, 'continue');
  assert.equal(buf.offer('c|1', 'k', first, bytes(1024), undefined, known).kind, 'busy');
  assert.equal(buf.offer('d|1', 'k', first, bytes(1024)).kind, 'busy');
  const next = { num: 1, more: true, szx: 6 };
  assert.equal(buf.offer('a|1', 'k', next, bytes(1024), undefined, known).kind, 'busy');
  assert.ok(buf.heldBytes <= 2 * (1024 + OVERHEAD));
});

test('counts real memory: 16-byte blocks are charged their overhead, not 16 bytes each', () => {
  const buf = new ReassemblyBuffer(new ManualClock(), { maxTotalBytes: 1024 * 1024 });
  for (let i = 0; i < 100; i++)
    buf.offer(`10.0.${i >> 8}.${i & 255}|1`, 'k', { num: 0, more: true, szx: 0 }, bytes(16));
  // 100 transfers of one 16-byte block: far more than the 1 600 payload bytes.
  assert.ok(buf.heldBytes >= 100 * (16 + TRANSFER_OVERHEAD_BYTES), `${buf.heldBytes}`);
});

test('a first block from an unregistered peer drops the least recently used unregistered transfer', () => {
  const limit = 4 * (1024 + OVERHEAD);
  const events: string[] = [];
  const buf = new ReassemblyBuffer(
    new ManualClock(),
    { maxTotalBytes: limit, reservedBytes: 1024 + OVERHEAD },
    6,
    (l, s) => events.push(`${l} ${s}`),
  );
  const first = { num: 0, more: true, szx: 6 };
  const known = { source: '192.0.2.1', privileged: true };
  assert.equal(buf.offer('192.0.2.1|1', 'k', first, bytes(1024), undefined, known).kind, 'continue');
  // Spoofed first blocks from many sources: each one drops the oldest spoofed one, never the registered peer's.
  for (let i = 0; i < 20; i++) {
    const src = `198.51.100.${i}`;
    assert.equal(buf.offer(`${src}|9`, 'k', first, bytes(1024), undefined, { source: src }).kind, 'continue');
  }
  assert.equal(
    buf.openTransfers,
    3,
    'reserved room: only two unregistered transfers fit beside the registered one',
  );
  assert.ok(buf.heldBytes <= limit);
  const last = buf.offer('192.0.2.1|1', 'k', { num: 1, more: false, szx: 6 }, bytes(10), undefined, known);
  assert.equal(last.kind, 'complete');
  assert.ok(events.length >= 18 && events.every((e) => e.startsWith('bytes 198.51.100.')), events.join());
});
