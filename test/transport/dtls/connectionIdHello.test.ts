// The server's answer to a ClientHello's connection_id (RFC 9146 section 3), on raw bytes: its
// own fresh CID of the configured length when offered, no extension when CID is off, when the
// client's CID is longer than we agree to send, or with a CBC suite; a malformed one is fatal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { encodeClientHello } from '../../../src/transport/dtls/handshake/messages/ClientHello.js';
import {
  decodeConnectionId,
  encodeConnectionId,
  ExtensionType,
  findExtension,
  type Extension,
} from '../../../src/transport/dtls/handshake/messages/extensions.js';
import {
  decodeHandshakeFragments,
  encodeHandshakeMessage,
  HandshakeType,
} from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { decodeHelloVerifyRequest } from '../../../src/transport/dtls/handshake/messages/HelloVerifyRequest.js';
import {
  decodeServerHello,
  type ServerHello,
} from '../../../src/transport/dtls/handshake/messages/ServerHello.js';
import {
  ContentType,
  decodeDatagram,
  encodeDatagram,
} from '../../../src/transport/dtls/record/RecordCodec.js';
import { TLS_PSK_WITH_AES_128_CBC_SHA256 } from '../../../src/transport/dtls/suites.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';
import { MemoryNetwork, flush } from '../../support/MemoryTransport.js';

const SERVER = makePeer('10.0.0.1', 5684);
const CCM_8 = 0xc0a8;

/** Runs the cookie exchange with `extensions` and returns the ServerHello, or the alert bytes. */
async function helloWith(
  extensions: Extension[],
  server: { connectionIdLength?: number; cbc?: boolean } = {},
): Promise<{ hello?: ServerHello; alert?: number[] }> {
  const net = new MemoryNetwork();
  const t = new DtlsTransport(net.bind(SERVER.address, SERVER.port), {
    role: 'server',
    clock: new ManualClock(),
    pskFor: () => undefined,
    ...(server.connectionIdLength !== undefined ? { connectionIdLength: server.connectionIdLength } : {}),
    ...(server.cbc ? { suites: [TLS_PSK_WITH_AES_128_CBC_SHA256] } : {}),
  });
  const raw = net.bind('10.0.0.66', 40000);
  const inbox: Uint8Array[] = [];
  raw.onDatagram((b) => inbox.push(b));
  const random = randomBytes(32);
  const send = async (cookie: Uint8Array, seq: number): Promise<void> => {
    const body = encodeClientHello({
      clientVersion: 0xfefd,
      random,
      sessionId: new Uint8Array(0),
      cookie,
      cipherSuites: [CCM_8, TLS_PSK_WITH_AES_128_CBC_SHA256.id],
      compressionMethods: Uint8Array.of(0),
      extensions,
    });
    const fragment = encodeHandshakeMessage(HandshakeType.clientHello, seq, body);
    await raw.send(
      SERVER,
      encodeDatagram([{ type: 22, version: 0xfefd, epoch: 0, sequenceNumber: seq, fragment }]),
    );
    await flush(6);
  };
  try {
    await send(new Uint8Array(0), 0);
    const hvr = decodeHandshakeFragments(decodeDatagram(inbox.shift()!)[0]!.fragment)[0]!;
    await send(decodeHelloVerifyRequest(hvr.body).cookie, 1);
    const records = decodeDatagram(inbox.shift()!);
    if (records[0]!.type === ContentType.alert) return { alert: [...records[0]!.fragment] };
    const sh = decodeHandshakeFragments(records[0]!.fragment)[0]!;
    assert.equal(sh.msgType, HandshakeType.serverHello);
    return { hello: decodeServerHello(sh.body) };
  } finally {
    await t.close();
  }
}

const cidOf = (hello: ServerHello | undefined): Uint8Array | undefined => {
  const data = findExtension(hello?.extensions, ExtensionType.connectionId);
  return data === undefined ? undefined : decodeConnectionId(data);
};
const offer = (cid: Uint8Array): Extension => ({
  type: ExtensionType.connectionId,
  data: encodeConnectionId(cid),
});

test('an offered connection_id is answered with a fresh server CID of the configured length', async () => {
  const a = cidOf((await helloWith([offer(new Uint8Array(0))])).hello);
  const b = cidOf((await helloWith([offer(Uint8Array.of(1, 2))])).hello);
  assert.equal(a?.length, 6, 'default 6 bytes');
  assert.equal(b?.length, 6);
  assert.notDeepEqual(a, b, 'random');
  assert.equal(
    cidOf((await helloWith([offer(new Uint8Array(0))], { connectionIdLength: 4 })).hello)?.length,
    4,
  );
});

test('no connection_id in the ServerHello when not offered, off, too long a client CID, or CBC', async () => {
  assert.equal(cidOf((await helloWith([])).hello), undefined);
  assert.equal(
    cidOf((await helloWith([offer(new Uint8Array(0))], { connectionIdLength: 0 })).hello),
    undefined,
  );
  const long = await helloWith([offer(new Uint8Array(17))]);
  assert.ok(long.hello);
  assert.equal(cidOf(long.hello), undefined, 'a 17-byte client CID is more than we agree to send');
  assert.equal(cidOf((await helloWith([offer(new Uint8Array(16))])).hello)?.length, 6);
  const cbc = await helloWith([offer(new Uint8Array(0))], { cbc: true });
  assert.equal(cbc.hello?.cipherSuite, TLS_PSK_WITH_AES_128_CBC_SHA256.id);
  assert.equal(cidOf(cbc.hello), undefined);
});

test('a malformed connection_id ends the handshake with a fatal decode_error', async () => {
  const got = await helloWith([{ type: ExtensionType.connectionId, data: Uint8Array.of(5, 1) }]);
  assert.deepEqual(got.alert, [2, 50]);
});
