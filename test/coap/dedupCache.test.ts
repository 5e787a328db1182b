// Tests of the duplicate-detection cache (RFC 7252 4.5): states, replay bytes, lifetime, the byte
// cap with oldest-first eviction, arena wrap-around, and the documented per-entry byte estimate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { DedupCache, DedupState, ENTRY_BYTES_ESTIMATE, tokenFingerprint } from '../../src/coap/DedupCache.js';
import { ManualClock } from '../support/ManualClock.js';

test('remembers a key as NEW once, then PENDING until a reply is set', () => {
  const c = new DedupCache(new ManualClock());
  assert.equal(c.check('p|1:5', 1000), DedupState.NEW);
  assert.equal(c.check('p|1:5', 1000), DedupState.PENDING);
  assert.equal(c.check('p|1:6', 1000), DedupState.NEW);
  assert.equal(c.size, 2);
});

test('replays a copy of the stored reply bytes', () => {
  const c = new DedupCache(new ManualClock());
  c.check('k', 1000);
  const reply = Uint8Array.from([0x60, 0x45, 0, 1, 0xff, 9]);
  c.setReply('k', reply);
  reply[5] = 0; // the cache kept its own copy
  assert.equal(c.check('k', 1000), DedupState.REPLY);
  assert.deepEqual([...c.replay('k')!], [0x60, 0x45, 0, 1, 0xff, 9]);
  assert.equal(c.replay('other'), undefined);
});

test('records EMPTY_ACK, RESET and IGNORE outcomes', () => {
  const c = new DedupCache(new ManualClock());
  for (const [k, s] of [
    ['a', DedupState.EMPTY_ACK],
    ['b', DedupState.RESET],
    ['c', DedupState.IGNORE],
  ] as const) {
    c.check(k, 1000);
    c.setState(k, s);
    assert.equal(c.check(k, 1000), s);
  }
});

test('the same MID with another token fingerprint is a new message, not a duplicate', () => {
  const c = new DedupCache(new ManualClock());
  const t1 = tokenFingerprint(Uint8Array.from([1, 2, 3, 4]));
  const t2 = tokenFingerprint(Uint8Array.from([1, 2, 3, 5]));
  assert.notEqual(t1, t2);
  assert.notEqual(tokenFingerprint(Uint8Array.from([0])), tokenFingerprint(new Uint8Array(0)));
  assert.equal(c.check('k', 1000, t1), DedupState.NEW);
  c.setState('k', DedupState.EMPTY_ACK);
  assert.equal(c.check('k', 1000, t1), DedupState.EMPTY_ACK);
  assert.equal(c.check('k', 1000, t2), DedupState.NEW);
  assert.equal(c.check('k', 1000, t2), DedupState.PENDING);
});

test('forgets a key when its lifetime has passed', () => {
  const clock = new ManualClock();
  const c = new DedupCache(clock);
  c.check('k', 1000);
  clock.advance(999);
  assert.equal(c.check('k', 1000), DedupState.PENDING);
  clock.advance(1);
  assert.equal(c.check('k', 1000), DedupState.NEW);
});

test('expired entries are swept from the head when new ones arrive', () => {
  const clock = new ManualClock();
  const c = new DedupCache(clock);
  for (let i = 0; i < 100; i++) c.check(`k${i}`, 1000);
  clock.advance(1000);
  c.check('fresh', 1000);
  assert.equal(c.size, 1);
});

test('under the byte cap the oldest entries are dropped first', () => {
  const c = new DedupCache(new ManualClock(), { maxBytes: 2 * ENTRY_BYTES_ESTIMATE * 300 });
  assert.equal(c.capacity, 300);
  for (let i = 0; i < 1000; i++) c.check(`k${i}`, 1e9);
  assert.equal(c.size, 300);
  assert.equal(c.check('k699', 1e9), DedupState.NEW, 'dropped');
  assert.equal(c.check('k999', 1e9), DedupState.PENDING, 'kept');
  assert.ok(c.estimatedBytes <= 2 * ENTRY_BYTES_ESTIMATE * 300 + 1);
});

test('replies overwritten in a full arena are no longer replayed, newer ones are', () => {
  const c = new DedupCache(new ManualClock(), { maxBytes: 8192 }); // arena 4096 bytes
  const reply = (i: number) => new Uint8Array(100).fill(i & 0xff);
  for (let i = 0; i < 200; i++) {
    c.check(`k${i}`, 1e9);
    c.setReply(`k${i}`, reply(i));
  }
  assert.equal(c.replay('k0'), undefined);
  assert.deepEqual(c.replay('k199'), reply(199));
  assert.deepEqual(c.replay('k185'), reply(185));
  assert.ok(c.estimatedBytes <= 8192);
});

test('keeps replies intact while the ring and the arena grow', () => {
  const c = new DedupCache(new ManualClock());
  const n = 5000;
  for (let i = 0; i < n; i++) {
    c.check(`peer|${i}`, 1e9);
    if (i % 2 === 0)
      c.setReply(
        `peer|${i}`,
        Uint8Array.from([
          i & 0xff,
          (i >> 8) & 0xff,
          1,
          2,
          3,
          4,
          5,
          6,
          7,
          8,
          9,
          10,
          11,
          12,
          13,
          14,
          15,
          16,
          17,
          18,
        ]),
      );
  }
  for (let i = 0; i < n; i += 2) {
    const r = c.replay(`peer|${i}`);
    assert.ok(r, `reply ${i}`);
    assert.equal(r[0], i & 0xff);
    assert.equal(r[1], (i >> 8) & 0xff);
  }
  assert.equal(c.check('peer|1', 1e9), DedupState.PENDING);
});

test('an entry costs under 200 bytes of heap, close to ENTRY_BYTES_ESTIMATE (measured)', () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const n = 100_000;
  const c = new DedupCache(new ManualClock());
  // Warm up so the ring arrays for n entries exist before measuring.
  for (let i = 0; i < n; i++)
    c.check(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}|56830:${i & 0xffff}`, 1e9);
  c.clear();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++)
    c.check(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}|56830:${i & 0xffff}`, 1e9);
  gc();
  const perEntry = (process.memoryUsage().heapUsed - before) / n;
  assert.ok(perEntry <= 200, `measured ${perEntry.toFixed(1)} bytes per entry`);
  assert.ok(
    Math.abs(perEntry - ENTRY_BYTES_ESTIMATE) < 40,
    `estimate ${ENTRY_BYTES_ESTIMATE} vs ${perEntry.toFixed(1)}`,
  );
  assert.equal(c.size, n);
  if (process.env.DEDUP_VERBOSE) console.log(`dedup entry: ${perEntry.toFixed(1)} bytes`);
});

test('growing a wrapped ring keeps every live entry, its state, token and reply (model check)', () => {
  // Entries expire from the head while new ones arrive, so the ring is wrapped (head > 0) when it
  // fills and doubles; a plain Map model says what each key must answer at every step.
  const clock = new ManualClock();
  const c = new DedupCache(clock);
  const model = new Map<number, { expires: number; state: number; reply?: number[] }>();
  let seed = 7;
  const rnd = (n: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
  let key = 0;
  for (let step = 0; step < 40_000; step++) {
    // More arrivals per tick as time goes on: the ring fills and doubles while wrapped, 3 times.
    if (step % (1 + Math.floor(step / 5000)) === 0) clock.advance(1);
    key++;
    const lifetime = 200 + rnd(3) * 50; // equal-ish lifetimes: arrival order is expiry order
    // Lifetimes differ a little, so the ring may keep an expired entry behind a live head; the
    // model forgets only what the cache must forget.
    assert.equal(c.check(key, lifetime), DedupState.NEW);
    model.set(key, { expires: clock.now() + lifetime, state: DedupState.PENDING });
    const pick = rnd(3);
    if (pick === 0) {
      const reply = [0x60, 0x45, key & 0xff, (key >> 8) & 0xff, rnd(256)];
      c.setReply(key, Uint8Array.from(reply));
      model.set(key, { ...model.get(key)!, state: DedupState.REPLY, reply });
    } else if (pick === 1) {
      c.setState(key, DedupState.EMPTY_ACK);
      model.get(key)!.state = DedupState.EMPTY_ACK;
    }
    if (step % 997 === 0 || step > 39_900) {
      for (const [k, m] of model) {
        if (m.expires <= clock.now()) {
          model.delete(k);
          continue;
        }
        assert.equal(c.check(k, 1000), m.state, `key ${k} at step ${step}`);
        if (m.reply) assert.deepEqual([...c.replay(k)!], m.reply, `reply of ${k}`);
      }
    }
  }
  assert.ok(c.size >= 1000 && c.size <= 4096, `size ${c.size}`);
});
