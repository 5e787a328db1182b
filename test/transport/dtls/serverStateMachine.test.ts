// The server handshake against a scripted client that breaks the rules (research/dtls.md 6.3):
// cookie-less ClientHellos keep no state and are answered with fewer bytes than they carried;
// ChangeCipherSpec before ClientKeyExchange (CVE-2017-7243 class) is dropped without touching
// keys; Finished before ChangeCipherSpec, a Finished in plaintext after it (contiki-ng#998) and
// application data before Finished end the handshake with a fatal unexpected_message alert,
// deliver nothing and leave no state; renegotiation is refused; the tables stay bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { encodeClientHello } from '../../../src/transport/dtls/handshake/messages/ClientHello.js';
import { ExtensionType } from '../../../src/transport/dtls/handshake/messages/extensions.js';
import {
  decodeHandshakeFragments,
  encodeHandshakeMessage,
  HandshakeType,
} from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { decodeHelloVerifyRequest } from '../../../src/transport/dtls/handshake/messages/HelloVerifyRequest.js';
import { encodePskClientKeyExchange } from '../../../src/transport/dtls/handshake/messages/PskClientKeyExchange.js';
import { decodeServerHello } from '../../../src/transport/dtls/handshake/messages/ServerHello.js';
import {
  extendedMasterSecret,
  finishedVerifyData,
  pskPremasterSecret,
  TranscriptHash,
} from '../../../src/transport/dtls/handshake/KeySchedule.js';
import { EpochKeys } from '../../../src/transport/dtls/record/EpochKeys.js';
import { ContentType, decodeDatagram } from '../../../src/transport/dtls/record/RecordCodec.js';
import { TLS_PSK_WITH_AES_128_CCM_8 } from '../../../src/transport/dtls/suites.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';
import { MemoryNetwork, flush, type MemoryTransport } from '../../support/MemoryTransport.js';

const KEY = Buffer.from('73656372657450534b', 'hex');
const SERVER = makePeer('10.0.0.1', 5684);

/** Our server and a raw scripted client on one memory network. */
function setup(options: { maxHandshakes?: number; handshakeTimeoutMs?: number } = {}): {
  server: DtlsTransport;
  raw: MemoryTransport;
  inbox: Uint8Array[];
  delivered: Uint8Array[];
  clock: ManualClock;
  net: MemoryNetwork;
} {
  const net = new MemoryNetwork();
  const clock = new ManualClock();
  const server = new DtlsTransport(net.bind(SERVER.address, SERVER.port), {
    role: 'server',
    clock,
    pskFor: (identity) => (identity === 'id1' ? KEY : undefined),
    ...options,
  });
  const delivered: Uint8Array[] = [];
  server.onDatagram((b) => delivered.push(b));
  const raw = net.bind('10.0.0.66', 40000);
  const inbox: Uint8Array[] = [];
  raw.onDatagram((b) => inbox.push(b));
  return { server, raw, inbox, delivered, clock, net };
}

/** The scripted client's record state and transcript. */
class Script {
  readonly keys = new EpochKeys('client');
  readonly transcript = new TranscriptHash();
  readonly random = randomBytes(32);
  serverRandom: Uint8Array = new Uint8Array(32);
  master: Uint8Array = new Uint8Array(48);
  constructor(
    private readonly raw: MemoryTransport,
    private readonly inbox: Uint8Array[],
  ) {}

  hello(cookie: Uint8Array, messageSeq: number): Uint8Array {
    const body = encodeClientHello({
      clientVersion: 0xfefd,
      random: this.random,
      sessionId: new Uint8Array(0),
      cookie,
      cipherSuites: [0xc0a8],
      compressionMethods: Uint8Array.of(0),
      extensions: [{ type: ExtensionType.extendedMasterSecret, data: new Uint8Array(0) }],
    });
    return encodeHandshakeMessage(HandshakeType.clientHello, messageSeq, body);
  }

  async send(...records: Uint8Array[]): Promise<void> {
    await this.raw.send(SERVER, Buffer.concat(records));
    await flush(6);
  }

  /** Every handshake message and alert received since the last call. */
  take(): { handshake: { type: number; body: Uint8Array }[]; alerts: number[][] } {
    const out = { handshake: [] as { type: number; body: Uint8Array }[], alerts: [] as number[][] };
    for (const d of this.inbox.splice(0))
      for (const r of decodeDatagram(d)) {
        if (r.type === ContentType.alert && r.epoch === 0) out.alerts.push([...r.fragment]);
        if (r.type === ContentType.handshake)
          for (const f of decodeHandshakeFragments(r.fragment))
            out.handshake.push({ type: f.msgType, body: f.body });
      }
    return out;
  }

  /** Runs the cookie exchange and reads ServerHello + ServerHelloDone; returns nothing kept by the server before. */
  async toServerHelloDone(): Promise<void> {
    await this.send(this.keys.seal(0, ContentType.handshake, this.hello(new Uint8Array(0), 0)));
    const hvr = this.take().handshake[0]!;
    assert.equal(hvr.type, HandshakeType.helloVerifyRequest);
    const ch2 = this.hello(decodeHelloVerifyRequest(hvr.body).cookie, 1);
    this.transcript.update(ch2);
    await this.send(this.keys.seal(0, ContentType.handshake, ch2));
    const flight = this.take().handshake;
    assert.deepEqual(
      flight.map((m) => m.type),
      [HandshakeType.serverHello, HandshakeType.serverHelloDone],
    );
    this.serverRandom = decodeServerHello(flight[0]!.body).random;
    this.transcript.update(encodeHandshakeMessage(HandshakeType.serverHello, 1, flight[0]!.body));
    this.transcript.update(encodeHandshakeMessage(HandshakeType.serverHelloDone, 2, flight[1]!.body));
  }

  /** The ClientKeyExchange record for id1, with the keys derived and installed. */
  keyExchange(): Uint8Array {
    const cke = encodeHandshakeMessage(
      HandshakeType.clientKeyExchange,
      2,
      encodePskClientKeyExchange({ pskIdentity: Buffer.from('id1') }),
    );
    this.transcript.update(cke);
    this.master = extendedMasterSecret(pskPremasterSecret(KEY), this.transcript.digest());
    this.keys.installPending(TLS_PSK_WITH_AES_128_CCM_8, this.master, this.random, this.serverRandom);
    return this.keys.seal(0, ContentType.handshake, cke);
  }
}

const UNEXPECTED_MESSAGE_FATAL = [2, 10];

test('cookie-less ClientHellos keep no state and get fewer bytes back than they carried', async () => {
  const { server, raw, inbox } = setup();
  let bytesIn = 0;
  for (let i = 0; i < 50; i++) {
    const s = new Script(raw, inbox);
    const record = s.keys.seal(0, ContentType.handshake, s.hello(new Uint8Array(0), 0));
    bytesIn += record.length;
    await raw.send(SERVER, record);
  }
  await flush(6);
  assert.equal(inbox.length, 50);
  const bytesOut = inbox.reduce((n, d) => n + d.length, 0);
  assert.ok(bytesOut <= bytesIn, `${bytesOut} bytes out for ${bytesIn} in`);
  assert.equal(server.handshakesInProgress, 0);
  assert.equal(server.connectionCount, 0);
  await server.close();
});

test('ChangeCipherSpec before ClientKeyExchange is dropped, no keys used; the real flight still completes', async () => {
  const { server, raw, inbox } = setup();
  const s = new Script(raw, inbox);
  await s.toServerHelloDone();
  assert.equal(server.handshakesInProgress, 1);
  await s.send(s.keys.seal(0, ContentType.changeCipherSpec, Uint8Array.of(1)));
  assert.deepEqual(s.take().alerts, []);
  assert.equal(server.handshakesInProgress, 1);
  const cke = s.keyExchange();
  const ccs = s.keys.seal(0, ContentType.changeCipherSpec, Uint8Array.of(1));
  const verifyData = finishedVerifyData(s.master, 'client', s.transcript.digest());
  s.keys.activateWrite();
  const finished = encodeHandshakeMessage(HandshakeType.finished, 3, verifyData);
  await s.send(cke, ccs, s.keys.seal(1, ContentType.handshake, finished));
  assert.equal(server.handshakesInProgress, 0);
  assert.equal(server.connectionCount, 1);
  await server.close();
});

test('Finished before ChangeCipherSpec: unexpected_message, no state', async () => {
  const { server, raw, inbox } = setup();
  const s = new Script(raw, inbox);
  await s.toServerHelloDone();
  const fakeFinished = encodeHandshakeMessage(HandshakeType.finished, 3, new Uint8Array(12));
  await s.send(s.keyExchange(), s.keys.seal(0, ContentType.handshake, fakeFinished));
  assert.deepEqual(s.take().alerts, [UNEXPECTED_MESSAGE_FATAL]);
  assert.equal(server.handshakesInProgress, 0);
  assert.equal(server.connectionCount, 0);
  await server.close();
});

test('a correct Finished sent in plaintext (epoch 0) after ChangeCipherSpec: unexpected_message', async () => {
  const { server, raw, inbox } = setup();
  const s = new Script(raw, inbox);
  await s.toServerHelloDone();
  const cke = s.keyExchange();
  const verifyData = finishedVerifyData(s.master, 'client', s.transcript.digest());
  const finished = encodeHandshakeMessage(HandshakeType.finished, 3, verifyData);
  const ccs = s.keys.seal(0, ContentType.changeCipherSpec, Uint8Array.of(1));
  await s.send(cke, ccs, s.keys.seal(0, ContentType.handshake, finished));
  assert.deepEqual(s.take().alerts, [UNEXPECTED_MESSAGE_FATAL]);
  assert.equal(server.handshakesInProgress, 0);
  assert.equal(server.connectionCount, 0, 'an unencrypted Finished never completes a handshake');
  await server.close();
});

test('application data in epoch 1 before Finished: unexpected_message, nothing delivered', async () => {
  const { server, raw, inbox, delivered } = setup();
  const s = new Script(raw, inbox);
  await s.toServerHelloDone();
  const cke = s.keyExchange();
  const ccs = s.keys.seal(0, ContentType.changeCipherSpec, Uint8Array.of(1));
  s.keys.activateWrite();
  await s.send(cke, ccs, s.keys.seal(1, ContentType.applicationData, Buffer.from('sneaky')));
  assert.deepEqual(s.take().alerts, [UNEXPECTED_MESSAGE_FATAL]);
  assert.equal(delivered.length, 0);
  assert.equal(server.handshakesInProgress, 0);
  assert.equal(server.connectionCount, 0);
  await server.close();
});

test('a client that starts over mid-handshake gets a new handshake, not the stale one', async () => {
  const { server, raw, inbox } = setup();
  const first = new Script(raw, inbox);
  await first.toServerHelloDone();
  assert.equal(server.handshakesInProgress, 1);
  // same address, new random (the device rebooted): cookie exchange and ServerHello again
  const second = new Script(raw, inbox);
  await second.toServerHelloDone();
  assert.equal(server.handshakesInProgress, 1);
  await server.close();
});

test('handshakes in progress are capped and expire at their deadline', async () => {
  const { server, net, clock } = setup({ maxHandshakes: 2, handshakeTimeoutMs: 5_000 });
  const scripts = [1, 2, 3].map((i) => {
    const raw = net.bind('10.0.0.66', 40000 + i);
    const inbox: Uint8Array[] = [];
    raw.onDatagram((b) => inbox.push(b));
    return new Script(raw, inbox);
  });
  await scripts[0]!.toServerHelloDone();
  await scripts[1]!.toServerHelloDone();
  await assert.rejects(scripts[2]!.toServerHelloDone()); // cookie answered, then no ServerHello
  assert.equal(server.handshakesInProgress, 2);
  clock.advance(5_000);
  assert.equal(server.handshakesInProgress, 0);
  assert.equal(clock.pendingTimers, 0);
  await server.close();
});

test('a renegotiation attempt on an established connection gets a no_renegotiation warning', async () => {
  const { server, raw, inbox, delivered } = setup();
  const s = new Script(raw, inbox);
  await s.toServerHelloDone();
  const cke = s.keyExchange();
  const ccs = s.keys.seal(0, ContentType.changeCipherSpec, Uint8Array.of(1));
  const verifyData = finishedVerifyData(s.master, 'client', s.transcript.digest());
  s.keys.activateWrite();
  const finished = encodeHandshakeMessage(HandshakeType.finished, 3, verifyData);
  await s.send(cke, ccs, s.keys.seal(1, ContentType.handshake, finished));
  assert.equal(server.connectionCount, 1);
  s.keys.activateRead();
  inbox.splice(0);
  // RFC 5746 4.2 / RFC 5246 7.2.2: a ClientHello under the established keys is refused, with a warning
  await s.send(s.keys.seal(1, ContentType.handshake, s.hello(new Uint8Array(0), 4)));
  const alerts = inbox
    .splice(0)
    .flatMap((d) => decodeDatagram(d))
    .map((r) => s.keys.open(r))
    .filter((o) => o?.type === ContentType.alert)
    .map((o) => [...o!.content]);
  assert.deepEqual(alerts, [[1, 100]]);
  // the connection is still there and carries data
  await s.send(s.keys.seal(1, ContentType.applicationData, Buffer.from('still here')));
  assert.deepEqual(
    delivered.map((b) => Buffer.from(b).toString()),
    ['still here'],
  );
  assert.equal(server.connectionCount, 1);
  await server.close();
});
