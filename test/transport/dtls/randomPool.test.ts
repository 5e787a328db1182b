// RandomPool: small draws come from one batch of CSPRNG output (one native call per 4 KiB rather
// than one per draw), every byte is handed out once and zeroed in the batch as it leaves, and a
// draw longer than the batch is filled on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { RandomPool } from '../../../src/transport/dtls/RandomPool.js';

/** A pool over node:crypto that counts its fills and keeps the buffers it filled. */
function countingPool(batch: number): { pool: RandomPool; fills: Buffer[] } {
  const fills: Buffer[] = [];
  const pool = new RandomPool(batch, (b) => {
    fills.push(b);
    randomFillSync(b);
  });
  return { pool, fills };
}

test('128 draws of 32 bytes take one 4 KiB fill; the 129th refills', () => {
  const { pool, fills } = countingPool(4096);
  for (let i = 0; i < 128; i++) assert.equal(pool.bytes(32).length, 32);
  assert.equal(fills.length, 1);
  pool.bytes(32);
  assert.equal(fills.length, 2);
});

test('bytes handed out are zeroed in the batch and never handed out twice', () => {
  const { pool, fills } = countingPool(256);
  const seen = new Set<string>();
  for (let i = 0; i < 16; i++) {
    const b = pool.bytes(16);
    const batch = fills.at(-1)!;
    const at = (i * 16) % 256;
    assert.ok(
      batch.subarray(at, at + 16).every((x) => x === 0),
      'drawn bytes left in the batch',
    );
    const hex = Buffer.from(b).toString('hex');
    assert.ok(!seen.has(hex));
    seen.add(hex);
  }
  assert.equal(fills.length, 1);
});

test('a draw longer than the batch is filled on its own and leaves the batch alone', () => {
  const { pool, fills } = countingPool(64);
  const long = pool.bytes(100);
  assert.equal(long.length, 100);
  assert.equal(fills.length, 1);
  assert.equal(fills[0]!.length, 100);
  pool.bytes(8);
  assert.equal(fills.length, 2);
  assert.equal(fills[1]!.length, 64);
});

test('the default pool gives distinct random draws of the asked length', () => {
  const pool = new RandomPool();
  const draws = new Set<string>();
  for (let i = 0; i < 1000; i++) draws.add(Buffer.from(pool.bytes(16)).toString('hex'));
  assert.equal(draws.size, 1000);
  assert.throws(() => new RandomPool(0), RangeError);
});
