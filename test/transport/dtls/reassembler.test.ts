// Handshake reassembly (RFC 6347 4.2.2-4.2.3): whole and fragmented messages, out of order,
// overlapping and repeated fragments, gaps, messages of later sequence numbers, and every bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reassembler } from '../../../src/transport/dtls/handshake/Reassembler.js';
import type { HandshakeFragment } from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';

const body = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 1) & 0xff);
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A fragment [from, to) of message `seq` with body `whole`. */
const frag = (
  seq: number,
  whole: Uint8Array,
  from = 0,
  to = whole.length,
  msgType = 11,
): HandshakeFragment => ({
  msgType,
  length: whole.length,
  messageSeq: seq,
  fragmentOffset: from,
  body: whole.subarray(from, to),
});

test('whole messages come out in order, and a zero-length one (ServerHelloDone) too', () => {
  const r = new Reassembler({}, 1);
  assert.equal(r.add(frag(1, body(40), 0, 40, 2)), 'accepted');
  assert.equal(r.add(frag(2, new Uint8Array(0), 0, 0, 14)), 'accepted');
  const a = r.take()!;
  assert.deepEqual([a.msgType, a.messageSeq, toHex(a.body)], [2, 1, toHex(body(40))]);
  const b = r.take()!;
  assert.deepEqual([b.msgType, b.messageSeq, b.body.length], [14, 2, 0]);
  assert.equal(r.take(), undefined);
  assert.equal(r.nextSeq, 3);
});

test('unordered and overlapping fragments make the message once every byte arrived', () => {
  const whole = body(1000);
  const r = new Reassembler();
  assert.equal(r.add(frag(0, whole, 600, 1000)), 'accepted');
  assert.equal(r.add(frag(0, whole, 0, 300)), 'accepted');
  assert.equal(r.take(), undefined, 'a gap at 300..600 remains');
  assert.equal(r.add(frag(0, whole, 250, 650)), 'accepted'); // overlaps both sides
  assert.equal(toHex(r.take()!.body), toHex(whole));
});

test('a fragment already covered is a duplicate; one of a delivered message is old', () => {
  const whole = body(100);
  const r = new Reassembler();
  r.add(frag(0, whole, 0, 60));
  assert.equal(r.add(frag(0, whole, 10, 50)), 'duplicate');
  assert.equal(r.add(frag(0, whole, 60, 100)), 'accepted');
  assert.equal(r.add(frag(0, whole)), 'duplicate');
  r.take();
  assert.equal(r.add(frag(0, whole)), 'old');
});

test('a later message waits for the ones before it; too far ahead is dropped', () => {
  const r = new Reassembler({ maxPendingMessages: 3 });
  assert.equal(r.add(frag(2, body(5))), 'accepted');
  assert.equal(r.add(frag(3, body(5))), 'future');
  assert.equal(r.take(), undefined);
  r.add(frag(1, body(6)));
  assert.equal(r.take(), undefined);
  r.add(frag(0, body(7)));
  assert.deepEqual(
    [r.take(), r.take(), r.take()].map((m) => m?.body.length),
    [7, 6, 5],
  );
  assert.equal(r.add(frag(3, body(5))), 'accepted', 'the window moved');
});

test('fragments disagreeing on type or length with their message are invalid', () => {
  const r = new Reassembler();
  r.add(frag(0, body(100), 0, 10, 11));
  assert.equal(r.add(frag(0, body(100), 10, 20, 12)), 'invalid');
  assert.equal(r.add(frag(0, body(101), 10, 20, 11)), 'invalid');
  assert.equal(
    r.add({ msgType: 11, length: 10, messageSeq: 1, fragmentOffset: 8, body: body(4) }),
    'invalid',
  );
});

test('bounds: message length, pending bytes and the number of disjoint ranges', () => {
  const r = new Reassembler({ maxMessageLength: 100, maxRanges: 3 });
  assert.equal(r.add(frag(0, body(101), 0, 1)), 'limit');
  assert.equal(r.bufferedBytes, 0, 'nothing kept for a refused message');
  const whole = body(100);
  for (const at of [0, 10, 20]) assert.equal(r.add(frag(0, whole, at, at + 1)), 'accepted');
  assert.equal(r.add(frag(0, whole, 30, 31)), 'limit', 'a fourth disjoint range');
  assert.equal(r.add(frag(0, whole, 1, 10)), 'accepted', 'merging ranges is always fine');
  assert.equal(r.bufferedBytes, 100);
  assert.equal(r.add(frag(0, whole, 10, 100)), 'accepted');
  assert.equal(toHex(r.take()!.body), toHex(whole));
  assert.equal(r.bufferedBytes, 0);
});

test('random fragmentations, shuffled and repeated, always give back the original messages', () => {
  let seed = 99;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (let run = 0; run < 200; run++) {
    const messages = Array.from({ length: 1 + rnd(4) }, (_, i) => body(rnd(600) + (i === 0 ? 0 : 1)));
    const fragments: HandshakeFragment[] = [];
    messages.forEach((whole, seq) => {
      let at = 0;
      do {
        const end = Math.min(whole.length, at + 1 + rnd(200));
        fragments.push(frag(seq, whole, at, end));
        if (rnd(4) === 0) fragments.push(frag(seq, whole, Math.max(0, at - rnd(50)), end)); // overlap
        at = end;
      } while (at < whole.length);
    });
    for (let i = fragments.length - 1; i > 0; i--) {
      const j = rnd(i + 1);
      [fragments[i], fragments[j]] = [fragments[j]!, fragments[i]!];
    }
    const r = new Reassembler({ maxRanges: 1000 });
    const out: Uint8Array[] = [];
    for (const f of fragments) {
      assert.notEqual(r.add(f), 'invalid');
      for (let m = r.take(); m; m = r.take()) out.push(m.body);
    }
    assert.deepEqual(out.map(toHex), messages.map(toHex), `run ${run}`);
    assert.equal(r.bufferedBytes, 0);
  }
});
