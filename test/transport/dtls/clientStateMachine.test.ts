// The client handshake against a scripted server that breaks the rules: a ServerHello with a
// suite the client did not offer, or with an extension it did not offer, ends the handshake with
// the right fatal alert (RFC 5246 7.4.1.3 and 7.4.1.4) and rejects the queued send; a
// HelloVerifyRequest is followed with the cookie and the same random (RFC 6347 4.2.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import {
  decodeClientHello,
  type ClientHello,
} from '../../../src/transport/dtls/handshake/messages/ClientHello.js';
import { ExtensionType, type Extension } from '../../../src/transport/dtls/handshake/messages/extensions.js';
import {
  decodeHandshakeFragments,
  encodeHandshakeMessage,
  HandshakeType,
} from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { encodeHelloVerifyRequest } from '../../../src/transport/dtls/handshake/messages/HelloVerifyRequest.js';
import { encodeServerHello } from '../../../src/transport/dtls/handshake/messages/ServerHello.js';
import { EpochKeys } from '../../../src/transport/dtls/record/EpochKeys.js';
import { ContentType, decodeDatagram } from '../../../src/transport/dtls/record/RecordCodec.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';
import { MemoryNetwork, flush } from '../../support/MemoryTransport.js';

const KEY = Buffer.from('73656372657450534b', 'hex');

/** Our client and a raw scripted server; returns the client's ClientHellos and alerts as they come. */
function setup(): {
  client: DtlsTransport;
  send: (...records: Uint8Array[]) => Promise<void>;
  received: () => { hellos: ClientHello[]; alerts: number[][] };
  keys: EpochKeys;
} {
  const net = new MemoryNetwork();
  const client = new DtlsTransport(net.bind('10.0.0.2', 40000), {
    role: 'client',
    clock: new ManualClock(),
    psk: { identity: 'id1', key: KEY },
  });
  const raw = net.bind('10.0.0.1', 5684);
  const inbox: Uint8Array[] = [];
  raw.onDatagram((b) => inbox.push(b));
  const keys = new EpochKeys('server');
  return {
    client,
    keys,
    send: async (...records) => {
      await raw.send(makePeer('10.0.0.2', 40000), Buffer.concat(records));
      await flush(6);
    },
    received: () => {
      const out = { hellos: [] as ClientHello[], alerts: [] as number[][] };
      for (const d of inbox.splice(0))
        for (const r of decodeDatagram(d)) {
          if (r.type === ContentType.alert) out.alerts.push([...r.fragment]);
          if (r.type === ContentType.handshake)
            for (const f of decodeHandshakeFragments(r.fragment))
              if (f.msgType === HandshakeType.clientHello) out.hellos.push(decodeClientHello(f.body));
        }
      return out;
    },
  };
}

function serverHello(keys: EpochKeys, cipherSuite: number, extensions: Extension[]): Uint8Array {
  const body = encodeServerHello({
    serverVersion: 0xfefd,
    random: new Uint8Array(32).fill(7),
    sessionId: new Uint8Array(0),
    cipherSuite,
    compressionMethod: 0,
    extensions,
  });
  return keys.seal(0, ContentType.handshake, encodeHandshakeMessage(HandshakeType.serverHello, 1, body));
}

async function afterCookie(s: ReturnType<typeof setup>): Promise<{ outcome: Promise<string> }> {
  const outcome = s.client.send(makePeer('10.0.0.1', 5684), Buffer.from('x')).then(
    () => 'sent',
    (e: Error) => e.message,
  );
  await flush(6);
  const first = s.received().hellos;
  assert.equal(first.length, 1);
  assert.equal(first[0]!.cookie.length, 0);
  assert.ok(first[0]!.extensions!.some((e) => e.type === ExtensionType.extendedMasterSecret));
  assert.ok(first[0]!.extensions!.some((e) => e.type === ExtensionType.renegotiationInfo));
  assert.deepEqual(first[0]!.cipherSuites, [0xc0a8]);
  const cookie = Uint8Array.of(1, 2, 3, 4);
  const hvr = encodeHelloVerifyRequest({ serverVersion: 0xfeff, cookie });
  await s.send(
    s.keys.seal(0, ContentType.handshake, encodeHandshakeMessage(HandshakeType.helloVerifyRequest, 0, hvr)),
  );
  const second = s.received().hellos;
  assert.equal(second.length, 1);
  assert.deepEqual(second[0]!.cookie, cookie);
  assert.deepEqual(second[0]!.random, first[0]!.random);
  return { outcome };
}

test('a ServerHello choosing a suite the client did not offer: illegal_parameter', async () => {
  const s = setup();
  const { outcome } = await afterCookie(s);
  await s.send(serverHello(s.keys, 0x00ae, []));
  assert.deepEqual(s.received().alerts, [[2, 47]]);
  assert.match(await outcome, /not offered/);
  assert.equal(s.client.handshakesInProgress, 0);
  await s.client.close();
});

test('a ServerHello with an extension the client did not offer: unsupported_extension', async () => {
  const s = setup();
  const { outcome } = await afterCookie(s);
  await s.send(serverHello(s.keys, 0xc0a8, [{ type: ExtensionType.sessionTicket, data: new Uint8Array(0) }]));
  assert.deepEqual(s.received().alerts, [[2, 110]]);
  assert.match(await outcome, /extension 35 not offered/);
  assert.equal(s.client.handshakesInProgress, 0);
  await s.client.close();
});
