// Handshake message codecs (RFC 5246 7.4, RFC 6347 4.2-4.3, RFC 4279 2, RFC 9146 3, RFC 5746,
// RFC 7627): the captured messages decode to what the peers meant and encode back to the same
// bytes; every structural violation is a DecodeError at the offending offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BodyWriter } from '../../../src/transport/dtls/handshake/messages/BodyWriter.js';
import {
  decodeClientHello,
  encodeClientHello,
} from '../../../src/transport/dtls/handshake/messages/ClientHello.js';
import {
  decodeConnectionId,
  decodeRenegotiationInfo,
  encodeConnectionId,
  encodeRenegotiationInfo,
  ExtensionType,
  findExtension,
  hasExtendedMasterSecret,
} from '../../../src/transport/dtls/handshake/messages/extensions.js';
import { decodeFinished, encodeFinished } from '../../../src/transport/dtls/handshake/messages/Finished.js';
import {
  decodeHandshakeFragments,
  encodeHandshakeFragment,
  encodeHandshakeMessage,
  HandshakeType,
} from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import {
  decodeHelloVerifyRequest,
  encodeHelloVerifyRequest,
} from '../../../src/transport/dtls/handshake/messages/HelloVerifyRequest.js';
import {
  decodePskClientKeyExchange,
  encodePskClientKeyExchange,
} from '../../../src/transport/dtls/handshake/messages/PskClientKeyExchange.js';
import {
  decodeServerHello,
  encodeServerHello,
} from '../../../src/transport/dtls/handshake/messages/ServerHello.js';
import { decodeServerHelloDone } from '../../../src/transport/dtls/handshake/messages/ServerHelloDone.js';
import { DecodeError } from '../../../src/transport/DecodeError.js';
import { bodiesOf, handshakeMessages, handshakeRecordContents } from './captureMessages.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function assertDecodeError(f: () => unknown, offset: number, kind: DecodeError['kind'] = 'invalid'): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof DecodeError, `not a DecodeError: ${String(e)}`);
    assert.deepEqual({ offset: e.offset, kind: e.kind }, { offset, kind }, e.message);
    return true;
  });
}

test('every captured handshake record splits into fragments that encode back to the same bytes', () => {
  assert.equal(handshakeMessages.length, 13); // A1: 6, A2: 6 + NewSessionTicket
  for (const content of handshakeRecordContents) {
    const again = decodeHandshakeFragments(content).map(encodeHandshakeFragment);
    assert.equal(toHex(Buffer.concat(again)), toHex(content));
  }
});

test('a record may carry several fragments; their bounds are checked against the message length', () => {
  const two = hex('0e 000000 0002 000000 000000' + '14 00000c 0003 000004 000002 aabb');
  const fs = decodeHandshakeFragments(two);
  assert.deepEqual(
    fs.map((f) => [f.msgType, f.length, f.messageSeq, f.fragmentOffset, toHex(f.body)]),
    [
      [14, 0, 2, 0, ''],
      [20, 12, 3, 4, 'aabb'],
    ],
  );
  // offset 11 + length 2 > 12
  assertDecodeError(() => decodeHandshakeFragments(hex('14 00000c 0003 00000b 000002 aabb')), 6);
  assertDecodeError(() => decodeHandshakeFragments(hex('14 00000c 0003 000000 000002 aa')), 12, 'truncated');
  assertDecodeError(() => decodeHandshakeFragments(hex('14 00000c 0003 0000')), 0, 'truncated');
  const many = hex('0e 000000 0002 000000 000000'.repeat(3));
  assertDecodeError(() => decodeHandshakeFragments(many, { maxFragments: 2 }), 24, 'limit');
  assert.throws(
    () =>
      encodeHandshakeFragment({
        msgType: 20,
        length: 1,
        messageSeq: 0,
        fragmentOffset: 0,
        body: hex('0102'),
      }),
    RangeError,
  );
});

test("tinydtls's second ClientHello: cookie, CCM_8 only, null compression, EMS as its one extension", () => {
  const [first, second] = bodiesOf(HandshakeType.clientHello);
  const hello = decodeClientHello(second!);
  assert.equal(hello.clientVersion, 0xfefd);
  assert.equal(toHex(hello.random).slice(0, 8), '4e2691b7');
  assert.equal(hello.sessionId.length, 0);
  assert.equal(toHex(hello.cookie), '6ab0b48f032b906ddbb7c05b2ad6244f56fedff4');
  assert.deepEqual(hello.cipherSuites, [0xc0a8]);
  assert.equal(toHex(hello.compressionMethods), '00');
  assert.deepEqual(
    hello.extensions?.map((e) => e.type),
    [ExtensionType.extendedMasterSecret],
  );
  assert.ok(hasExtendedMasterSecret(hello.extensions));
  assert.equal(toHex(encodeClientHello(hello)), toHex(second!));
  assert.equal(decodeClientHello(first!).cookie.length, 0);
});

test("mbedTLS's ClientHello and ServerHello: connection_id, renegotiation_info and pass-through extensions", () => {
  const ch = decodeClientHello(bodiesOf(HandshakeType.clientHello)[3]!);
  assert.deepEqual(
    ch.extensions?.map((e) => e.type),
    [0, 13, 54, 22, 23, 35],
  );
  assert.equal(toHex(decodeConnectionId(findExtension(ch.extensions, ExtensionType.connectionId)!)), 'abcd');
  assert.equal(toHex(findExtension(ch.extensions, ExtensionType.signatureAlgorithms)!).slice(0, 4), '000c');
  assert.deepEqual(ch.cipherSuites, [0xc0a8, 0x00ff]);
  const sh = decodeServerHello(bodiesOf(HandshakeType.serverHello)[1]!);
  assert.equal(sh.cipherSuite, 0xc0a8);
  assert.equal(sh.compressionMethod, 0);
  assert.equal(
    decodeRenegotiationInfo(findExtension(sh.extensions, ExtensionType.renegotiationInfo)!).length,
    0,
  );
  assert.equal(
    toHex(decodeConnectionId(findExtension(sh.extensions, ExtensionType.connectionId)!)),
    'c0ffee01',
  );
  for (const body of bodiesOf(HandshakeType.serverHello))
    assert.equal(toHex(encodeServerHello(decodeServerHello(body))), toHex(body));
});

test('HelloVerifyRequest, PSK ClientKeyExchange and ServerHelloDone of the captures', () => {
  const hvr = decodeHelloVerifyRequest(bodiesOf(HandshakeType.helloVerifyRequest)[0]!);
  assert.equal(hvr.serverVersion, 0xfeff);
  assert.equal(hvr.cookie.length, 20);
  assert.equal(toHex(encodeHelloVerifyRequest(hvr)), toHex(bodiesOf(HandshakeType.helloVerifyRequest)[0]!));
  const cke = decodePskClientKeyExchange(bodiesOf(HandshakeType.clientKeyExchange)[0]!);
  assert.equal(Buffer.from(cke.pskIdentity).toString(), 'id1');
  assert.equal(toHex(encodePskClientKeyExchange(cke)), '0003696431');
  for (const b of bodiesOf(HandshakeType.serverHelloDone)) decodeServerHelloDone(b);
  assertDecodeError(() => decodeServerHelloDone(hex('00')), 0);
  assertDecodeError(() => decodePskClientKeyExchange(hex('0003 6964')), 2, 'truncated');
  assertDecodeError(() => decodePskClientKeyExchange(hex('0001 69 00')), 3);
});

test('ClientHello: absent and empty extension blocks stay apart; violations are DecodeErrors', () => {
  const base = '0102' + '00'.repeat(32) + '00' + '00' + '0002c0a8' + '0100';
  const absent = decodeClientHello(hex(base));
  assert.equal(absent.extensions, undefined);
  assert.equal(toHex(encodeClientHello(absent)), base);
  const empty = decodeClientHello(hex(base + '0000'));
  assert.deepEqual(empty.extensions, []);
  assert.equal(toHex(encodeClientHello(empty)), base + '0000');
  const withOne = hex(base + '0004 0017 0000');
  assert.equal(toHex(encodeClientHello(decodeClientHello(withOne))), toHex(withOne));
  // the offsets below count from the body start: 34 = session_id length
  assertDecodeError(() => decodeClientHello(hex('0102' + '00'.repeat(32) + '21' + '00'.repeat(33))), 34);
  assertDecodeError(() => decodeClientHello(hex('0102' + '00'.repeat(32) + '00 00 0003 c0a800 01 00')), 41);
  assertDecodeError(() => decodeClientHello(hex('0102' + '00'.repeat(32) + '00 00 0000 01 00')), 36);
  assertDecodeError(() => decodeClientHello(hex(base.slice(0, -4) + '00')), 40);
  // extensions start at 42: block length (2), then the first extension at 44
  assertDecodeError(() => decodeClientHello(hex(base + '0008 0017 0000 0017 0000')), 48);
  assertDecodeError(() => decodeClientHello(hex(base + '0004 0017 0000 ff')), 48);
  assertDecodeError(() => decodeClientHello(hex(base + '0004 0017 0001')), 48, 'truncated');
  assertDecodeError(() => decodeClientHello(hex(base.slice(0, 20))), 2, 'truncated');
});

test('Finished carries exactly 12 bytes of verify_data', () => {
  const vd = hex('000102030405060708090a0b');
  assert.equal(toHex(decodeFinished(vd).verifyData), toHex(vd));
  assert.equal(toHex(encodeFinished({ verifyData: vd })), toHex(vd));
  assertDecodeError(() => decodeFinished(vd.subarray(1)), 0);
  assertDecodeError(() => decodeFinished(hex('00'.repeat(13))), 0);
  assert.throws(() => encodeFinished({ verifyData: vd.subarray(1) }), RangeError);
});

test('connection_id and renegotiation_info data, and a non-empty EMS counts as absent', () => {
  assert.equal(toHex(encodeConnectionId(hex('c0ffee01'))), '04c0ffee01');
  assert.equal(toHex(encodeConnectionId(new Uint8Array(0))), '00');
  assert.equal(decodeConnectionId(hex('00')).length, 0);
  assertDecodeError(() => decodeConnectionId(hex('02 ab')), 1, 'truncated');
  assertDecodeError(() => decodeConnectionId(hex('01 ab cd')), 2);
  assert.equal(toHex(encodeRenegotiationInfo()), '00');
  assert.equal(hasExtendedMasterSecret([{ type: 23, data: hex('00') }]), false);
  assert.equal(hasExtendedMasterSecret(undefined), false);
});

test('the writer grows past its first buffer without losing bytes', () => {
  const body = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
  const msg = encodeHandshakeMessage(HandshakeType.certificate, 7, body);
  assert.equal(toHex(msg.subarray(0, 12)), '0b00012c000700000000012c');
  assert.equal(toHex(msg.subarray(12)), toHex(body));
  assert.throws(() => new BodyWriter().u16(0x10000), RangeError);
});
