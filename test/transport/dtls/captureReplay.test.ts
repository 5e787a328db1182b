// The acceptance test of the DTLS foundation: replay the golden handshakes of research/dtls.md
// Appendix A (tinydtls -> OpenSSL, and mbedTLS <-> mbedTLS with RFC 9146 CIDs) through our record
// codec, handshake codecs, key schedule and CCM_8 protection. Given only the PSK, we must derive
// the extended master secret from the transcript, reproduce both Finished messages and open the
// application data: proof that every piece agrees with three independent implementations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage } from '../../../src/coap/messageCodec.js';
import {
  deriveKeys,
  extendedMasterSecret,
  finishedVerifyData,
  pskPremasterSecret,
  TranscriptHash,
  type KeyMaterial,
} from '../../../src/transport/dtls/handshake/KeySchedule.js';
import {
  decodeClientHello,
  type ClientHello,
} from '../../../src/transport/dtls/handshake/messages/ClientHello.js';
import {
  decodeConnectionId,
  ExtensionType,
  findExtension,
  hasExtendedMasterSecret,
} from '../../../src/transport/dtls/handshake/messages/extensions.js';
import { decodeFinished } from '../../../src/transport/dtls/handshake/messages/Finished.js';
import {
  decodeHandshakeFragments,
  encodeHandshakeMessage,
  HandshakeType,
  isWholeMessage,
  type HandshakeFragment,
} from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { decodeHelloVerifyRequest } from '../../../src/transport/dtls/handshake/messages/HelloVerifyRequest.js';
import { decodePskClientKeyExchange } from '../../../src/transport/dtls/handshake/messages/PskClientKeyExchange.js';
import {
  decodeServerHello,
  type ServerHello,
} from '../../../src/transport/dtls/handshake/messages/ServerHello.js';
import { decodeServerHelloDone } from '../../../src/transport/dtls/handshake/messages/ServerHelloDone.js';
import { ContentType, decodeDatagram } from '../../../src/transport/dtls/record/RecordCodec.js';
import {
  createRecordProtection,
  type RecordProtection,
} from '../../../src/transport/dtls/record/RecordProtection.js';
import { suiteById, TLS_PSK_WITH_AES_128_CCM_8 } from '../../../src/transport/dtls/suites.js';
import {
  A2_CLIENT_CID_LENGTH,
  A2_SERVER_CID_LENGTH,
  bytesOf,
  CAPTURE_A1,
  CAPTURE_A2,
  CAPTURE_IDENTITY,
  CAPTURE_PSK,
  type CapturedDatagram,
} from './captures.js';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
type Side = 'client' | 'server';

/** What replaying a capture established. */
interface Replay {
  /** `side:msgType` of every handshake message, in order, epoch 1 ones marked `*`. */
  messages: string[];
  finishedVerified: Side[];
  applicationData: { from: Side; content: Uint8Array }[];
  clientHello?: ClientHello;
  serverHello?: ServerHello;
  pskIdentity?: string;
  /** Records of epoch 1 that did not open (must stay empty). */
  unopened: number;
}

/** Runs a capture through the stack the way a passive observer holding the PSK would. */
function replay(
  capture: readonly CapturedDatagram[],
  cidLengthFor: (receiver: Side) => number,
  psk: Uint8Array = CAPTURE_PSK,
): Replay {
  const out: Replay = { messages: [], finishedVerified: [], applicationData: [], unopened: 0 };
  const transcript = new TranscriptHash();
  let master: Uint8Array | undefined;
  const protection: Partial<Record<Side, RecordProtection>> = {};

  const handshake = (from: Side, f: HandshakeFragment, epoch: number): void => {
    assert.ok(isWholeMessage(f), 'the captures carry whole messages only');
    out.messages.push(`${from}:${f.msgType}${epoch ? '*' : ''}`);
    const wire = encodeHandshakeMessage(f.msgType, f.messageSeq, f.body);
    switch (f.msgType) {
      case HandshakeType.clientHello: {
        const hello = decodeClientHello(f.body);
        // RFC 6347 4.2.1: the cookie-less ClientHello and the HelloVerifyRequest stay out of it
        if (hello.cookie.length === 0) return;
        out.clientHello = hello;
        break;
      }
      case HandshakeType.helloVerifyRequest:
        decodeHelloVerifyRequest(f.body);
        return;
      case HandshakeType.serverHello:
        out.serverHello = decodeServerHello(f.body);
        break;
      case HandshakeType.serverHelloDone:
        decodeServerHelloDone(f.body);
        break;
      case HandshakeType.clientKeyExchange: {
        out.pskIdentity = Buffer.from(decodePskClientKeyExchange(f.body).pskIdentity).toString('utf8');
        transcript.update(wire);
        const ch = out.clientHello!;
        const sh = out.serverHello!;
        assert.ok(hasExtendedMasterSecret(ch.extensions) && hasExtendedMasterSecret(sh.extensions));
        const suite = suiteById(sh.cipherSuite);
        assert.equal(suite, TLS_PSK_WITH_AES_128_CCM_8);
        // RFC 7627 4: session_hash covers the transcript up to and including ClientKeyExchange
        master = extendedMasterSecret(pskPremasterSecret(psk), transcript.digest());
        const keys: KeyMaterial = deriveKeys(master, ch.random, sh.random, suite);
        protection.client = createRecordProtection(suite, {
          key: keys.clientWriteKey,
          iv: keys.clientWriteIv,
          macKey: keys.clientMacKey,
        });
        protection.server = createRecordProtection(suite, {
          key: keys.serverWriteKey,
          iv: keys.serverWriteIv,
          macKey: keys.serverMacKey,
        });
        return;
      }
      case HandshakeType.finished: {
        assert.equal(epoch, 1, 'Finished is the first message of epoch 1');
        const expected = finishedVerifyData(master!, from, transcript.digest());
        assert.equal(toHex(decodeFinished(f.body).verifyData), toHex(expected), `${from} Finished`);
        out.finishedVerified.push(from);
        break;
      }
      default:
        break; // NewSessionTicket (A2): part of the transcript, nothing to check
    }
    transcript.update(wire);
  };

  for (const d of capture) {
    const receiver: Side = d.from === 'client' ? 'server' : 'client';
    for (const record of decodeDatagram(bytesOf(d), { cidLength: cidLengthFor(receiver) })) {
      let type = record.type;
      let content = record.fragment;
      if (record.epoch === 1) {
        const opened = protection[d.from]?.open(record);
        if (!opened) {
          out.unopened++;
          continue;
        }
        ({ type, content } = opened);
      }
      if (type === ContentType.handshake)
        for (const f of decodeHandshakeFragments(content)) handshake(d.from, f, record.epoch);
      else if (type === ContentType.applicationData) out.applicationData.push({ from: d.from, content });
      else assert.equal(type, ContentType.changeCipherSpec);
    }
  }
  return out;
}

test('A1 (tinydtls -> OpenSSL, PSK CCM_8, EMS): both Finished verify and the CoAP Register opens', () => {
  const r = replay(CAPTURE_A1, () => 0);
  assert.deepEqual(r.messages, [
    'client:1',
    'server:3',
    'client:1',
    'server:2',
    'server:14',
    'client:16',
    'client:20*',
    'server:20*',
  ]);
  assert.deepEqual(r.finishedVerified, ['client', 'server']);
  assert.equal(r.unopened, 0);
  assert.equal(r.pskIdentity, CAPTURE_IDENTITY);
  assert.deepEqual(r.clientHello!.cipherSuites, [0xc0a8]);
  assert.equal(r.applicationData.length, 1);
  const coap = decodeMessage(r.applicationData[0]!.content);
  assert.equal(coap.code, 0x02, 'POST');
  const uriPath = coap.options.filter((o) => o.number === 11).map((o) => Buffer.from(o.value).toString());
  assert.deepEqual(uriPath, ['rd']);
  const query = coap.options.filter((o) => o.number === 15).map((o) => Buffer.from(o.value).toString());
  assert.ok(query.includes('lwm2m=1.1') && query.some((q) => q.startsWith('ep=')), query.join('&'));
});

test('A2 (mbedTLS, RFC 9146 CIDs both ways): tls12_cid Finished records verify and the data opens', () => {
  const r = replay(CAPTURE_A2, (receiver) =>
    receiver === 'server' ? A2_SERVER_CID_LENGTH : A2_CLIENT_CID_LENGTH,
  );
  assert.deepEqual(r.messages, [
    'client:1',
    'server:3',
    'client:1',
    'server:2',
    'server:14',
    'client:16',
    'client:20*',
    'server:4',
    'server:20*',
  ]);
  assert.deepEqual(r.finishedVerified, ['client', 'server']);
  assert.equal(r.unopened, 0);
  // each side asked for the CID it parses with (RFC 9146 3: the receiver chooses)
  const clientCid = decodeConnectionId(findExtension(r.clientHello!.extensions, ExtensionType.connectionId)!);
  const serverCid = decodeConnectionId(findExtension(r.serverHello!.extensions, ExtensionType.connectionId)!);
  assert.equal(toHex(clientCid), 'abcd');
  assert.equal(toHex(serverCid), 'c0ffee01');
  assert.equal(r.applicationData.length, 1);
  assert.match(Buffer.from(r.applicationData[0]!.content).toString('latin1'), /^GET \/hello HTTP\/1\.0/);
});

test('a wrong PSK opens nothing: the Finished records stay sealed', () => {
  const wrong = Uint8Array.from(CAPTURE_PSK);
  wrong[wrong.length - 1]! ^= 1;
  const r = replay(CAPTURE_A1, () => 0, wrong);
  assert.deepEqual(r.finishedVerified, []);
  assert.equal(r.unopened, 3);
  assert.equal(r.applicationData.length, 0);
});
