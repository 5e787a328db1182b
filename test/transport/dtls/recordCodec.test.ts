// RFC 6347 4.1 / RFC 9146 4 record framing: hand-built headers at the limits, the captures, and
// every way a datagram can be malformed ending as a DecodeError with the offset of the fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ContentType,
  decodeDatagram,
  encodeDatagram,
  MAX_RECORD_FRAGMENT_LENGTH,
  MAX_SEQUENCE_NUMBER,
  readRecord,
} from '../../../src/transport/dtls/record/RecordCodec.js';
import { DecodeError } from '../../../src/transport/DecodeError.js';
import { A2_CLIENT_CID_LENGTH, A2_SERVER_CID_LENGTH, bytesOf, CAPTURE_A1, CAPTURE_A2 } from './captures.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function assertDecodeError(f: () => unknown, offset: number, kind?: DecodeError['kind']): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof DecodeError, `not a DecodeError: ${String(e)}`);
    assert.equal(e.offset, offset);
    if (kind) assert.equal(e.kind, kind);
    return true;
  });
}

test('decodes a plaintext record with an empty fragment', () => {
  const [r] = decodeDatagram(hex('16 fefd 0000 000000000000 0000'));
  assert.deepEqual(r, {
    type: 22,
    version: 0xfefd,
    epoch: 0,
    sequenceNumber: 0,
    fragment: new Uint8Array(0),
  });
});

test('decodes the largest epoch and sequence number exactly, and encodes them back', () => {
  const bytes = hex('17 fefd ffff ffffffffffff 0001 aa');
  const [r] = decodeDatagram(bytes);
  assert.equal(r!.epoch, 0xffff);
  assert.equal(r!.sequenceNumber, MAX_SEQUENCE_NUMBER);
  assert.equal(toHex(encodeDatagram([r!])), toHex(bytes));
});

test('decodes a sequence number with the high bit of each 32-bit half set', () => {
  const [r] = decodeDatagram(hex('17 fefd 0001 8000 80000001 0000'));
  assert.equal(r!.sequenceNumber, 0x8000 * 2 ** 32 + 0x80000001);
});

test('accepts a fragment of exactly 2^14 + 2048 bytes and refuses one byte more as a limit', () => {
  const max = MAX_RECORD_FRAGMENT_LENGTH;
  const ok = new Uint8Array(13 + max);
  ok.set(hex('17 fefd 0001 000000000001'), 0);
  ok[11] = max >> 8;
  ok[12] = max & 0xff;
  assert.equal(decodeDatagram(ok)[0]!.fragment.length, max);
  const over = new Uint8Array(13 + max + 1);
  over.set(ok.subarray(0, 11), 0);
  over[11] = (max + 1) >> 8;
  over[12] = (max + 1) & 0xff;
  assertDecodeError(() => decodeDatagram(over), 11, 'limit');
});

test('a truncated header or fragment is a truncated DecodeError at the fault', () => {
  assertDecodeError(() => decodeDatagram(hex('16 fefd 0000 0000000000')), 0, 'truncated');
  assertDecodeError(() => decodeDatagram(hex('16 fefd 0000 000000000000 0003 0102')), 13, 'truncated');
  // second record truncated: offset is where that record starts
  assertDecodeError(() => decodeDatagram(hex('15 fefd 0000 000000000000 0000 16 fefd')), 13, 'truncated');
});

test('reads the records before a malformed one, so the caller can keep them (RFC 6347 4.1.2.7)', () => {
  const bytes = hex('15 fefd 0000 000000000000 0002 0100 16fe');
  const { record, end } = readRecord(bytes, 0);
  assert.equal(record.type, ContentType.alert);
  assert.equal(end, 15);
  assertDecodeError(() => readRecord(bytes, end), 15, 'truncated');
});

test('parses several records of one datagram, and bounds their number', () => {
  const one = '14 fefd 0000 000000000003 0001 01';
  assert.equal(decodeDatagram(hex(one.repeat(3))).length, 3);
  assert.equal(decodeDatagram(hex(one.repeat(3)), { maxRecordsPerDatagram: 3 }).length, 3);
  assertDecodeError(() => decodeDatagram(hex(one.repeat(4)), { maxRecordsPerDatagram: 3 }), 42, 'limit');
});

test('a tls12_cid record carries the CID of the length the receiver configured (RFC 9146 4)', () => {
  const bytes = hex('19 fefd 0001 000000000005 c0ffee01 0003 aabbcc');
  const [r] = decodeDatagram(bytes, { cidLength: 4 });
  assert.equal(r!.type, ContentType.tls12Cid);
  assert.equal(toHex(r!.cid!), 'c0ffee01');
  assert.equal(toHex(r!.fragment), 'aabbcc');
  assert.equal(toHex(encodeDatagram([r!])), toHex(bytes));
  // with a 2-byte CID the same bytes mean another length field: ee01 is 60929, over the limit
  assertDecodeError(() => decodeDatagram(bytes, { cidLength: 2 }), 13, 'limit');
});

test('a tls12_cid record is invalid when no CID was negotiated, and a CID cut short is truncated', () => {
  assertDecodeError(() => decodeDatagram(hex('19 fefd 0001 000000000005 0000')), 0, 'invalid');
  assertDecodeError(() => decodeDatagram(hex('19 fefd 0001 000000000005 c0ff'), { cidLength: 4 }), 11);
});

test('records of other types never carry a CID, even when the receiver has one', () => {
  const [r] = decodeDatagram(hex('16 fefd 0000 000000000000 0001 ff'), { cidLength: 4 });
  assert.equal(r!.cid, undefined);
  assert.equal(r!.fragment.length, 1);
});

test('parses every datagram of both captures and serializes them to the same bytes', () => {
  const counts = [];
  for (const d of CAPTURE_A1) {
    const bytes = bytesOf(d);
    const records = decodeDatagram(bytes);
    counts.push(records.length);
    assert.equal(toHex(encodeDatagram(records)), d.hex);
  }
  assert.deepEqual(counts, [1, 1, 1, 2, 1, 1, 1, 2, 1]);
  const a2 = CAPTURE_A2.map((d) =>
    decodeDatagram(bytesOf(d), {
      cidLength: d.from === 'client' ? A2_SERVER_CID_LENGTH : A2_CLIENT_CID_LENGTH,
    }),
  );
  assert.deepEqual(
    a2.map((rs) => rs.map((r) => r.type)),
    [[22], [22], [22], [22, 22], [22, 20, 25], [22, 20, 25], [25]],
  );
  assert.equal(toHex(a2[4]![2]!.cid!), 'c0ffee01');
  assert.equal(toHex(a2[5]![2]!.cid!), 'abcd');
  CAPTURE_A2.forEach((d, i) => assert.equal(toHex(encodeDatagram(a2[i]!)), d.hex));
});

test('encoding refuses a CID on a non-CID record and a sequence number over 48 bits', () => {
  const fragment = new Uint8Array(0);
  const base = { type: 23, version: 0xfefd, epoch: 1, sequenceNumber: 0, fragment };
  assert.throws(() => encodeDatagram([{ ...base, cid: hex('01') }]), RangeError);
  assert.throws(() => encodeDatagram([{ ...base, type: 25 }]), RangeError);
  assert.throws(() => encodeDatagram([{ ...base, sequenceNumber: 2 ** 48 }]), RangeError);
});
