// DER writer and reader (X.690): known encodings and the strictness of the reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  children,
  integer,
  namedBits,
  oid,
  readBits,
  readNode,
  readOid,
  sequence,
  time,
  tlv,
} from '../../../../src/transport/dtls/x509/der.js';
import { DecodeError } from '../../../../src/transport/DecodeError.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('known encodings: OIDs, INTEGERs, named bits, times, long lengths', () => {
  assert.equal(hex(oid('1.2.840.10045.2.1')), '06072a8648ce3d0201');
  assert.equal(hex(oid('2.5.29.37.0')), '0604551d2500');
  assert.equal(hex(integer(2)), '020102');
  assert.equal(hex(integer(128)), '02020080');
  assert.equal(hex(integer(Buffer.from([0, 0, 0xff]))), '020200ff');
  assert.equal(hex(integer(0)), '020100');
  assert.equal(hex(namedBits([true])), '03020780'); // digitalSignature
  assert.equal(hex(namedBits([false, false, false, false, false, true, true])), '03020106'); // keyCertSign, cRLSign
  assert.equal(hex(namedBits([])), '030100');
  assert.equal(
    Buffer.from(time(Date.UTC(2049, 11, 31, 23, 59, 59)))
      .toString('latin1')
      .slice(2),
    '491231235959Z',
  );
  assert.equal(
    Buffer.from(time(Date.UTC(2050, 0, 1)))
      .toString('latin1')
      .slice(2),
    '20500101000000Z',
  );
  assert.equal(time(Date.UTC(2050, 0, 1))[0], 0x18);
  const long = tlv(0x04, Buffer.alloc(300));
  assert.equal(hex(long.subarray(0, 4)), '0482012c');
  assert.equal(readNode(long, 0).end, long.length);
});

test('the reader reads back what the writer wrote', () => {
  for (const id of ['1.2.840.10045.4.3.2', '2.5.4.3', '1.3.6.1.4.1.99999.1', '2.999.3']) {
    const b = oid(id);
    assert.equal(readOid(b, readNode(b, 0)), id);
  }
  const bits = [true, false, true, false, false, true];
  const b = namedBits(bits);
  assert.deepEqual(readBits(b, readNode(b, 0)), bits);
  const s = sequence(oid('2.5.4.3'), integer(5));
  assert.equal(children(s, readNode(s, 0)).length, 2);
});

test('the reader refuses what is not DER, with DecodeError', () => {
  const bad = [
    '0480', // indefinite length
    '048105' + '00'.repeat(5), // long form for a short length
    '04820005' + '00'.repeat(5), // long length with a leading zero
    '0405000000', // truncated contents
    '1f0100', // multi-byte tag
    '0484ffffffff', // length too large
  ];
  for (const h of bad) assert.throws(() => readNode(Buffer.from(h, 'hex'), 0), DecodeError, h);
  assert.throws(
    () => readOid(Buffer.from('06028001', 'hex'), readNode(Buffer.from('06028001', 'hex'), 0)),
    DecodeError,
  );
  assert.throws(
    () => readOid(Buffer.from('060181', 'hex'), readNode(Buffer.from('060181', 'hex'), 0)),
    DecodeError,
  );
  assert.throws(
    () => readBits(Buffer.from('030108', 'hex'), readNode(Buffer.from('030108', 'hex'), 0)),
    DecodeError,
  );
});
