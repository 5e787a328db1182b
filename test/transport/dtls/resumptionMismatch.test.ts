// Resumption with mismatching parameters against a scripted peer (research/dtls.md 6.3; RFC 5246
// 7.4.1.2/7.3, RFC 7627 5.3). Server side: a ClientHello naming a real session but without
// extended_master_secret is refused with handshake_failure; one offering another suite only, or
// naming an unknown session, gets a full handshake (ServerHelloDone, a new session id); a proper
// one gets ServerHello(same id), ChangeCipherSpec and a Finished that verifies, server first.
// Client side: a ServerHello echoing our session id with another suite (illegal_parameter) or
// without extended_master_secret (handshake_failure) ends the handshake and forgets the session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import { finishedVerifyData, TranscriptHash } from '../../../src/transport/dtls/handshake/KeySchedule.js';
import {
  decodeClientHello,
  encodeClientHello,
} from '../../../src/transport/dtls/handshake/messages/ClientHello.js';
import { ExtensionType, type Extension } from '../../../src/transport/dtls/handshake/messages/extensions.js';
import {
  decodeHandshakeFragments,
  encodeHandshakeMessage,
  HandshakeType,
} from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { decodeHelloVerifyRequest } from '../../../src/transport/dtls/handshake/messages/HelloVerifyRequest.js';
import {
  decodeServerHello,
  encodeServerHello,
} from '../../../src/transport/dtls/handshake/messages/ServerHello.js';
import { EpochKeys } from '../../../src/transport/dtls/record/EpochKeys.js';
import { ContentType, decodeDatagram } from '../../../src/transport/dtls/record/RecordCodec.js';
import type { DtlsSession } from '../../../src/transport/dtls/session/DtlsSession.js';
import { SessionCache } from '../../../src/transport/dtls/session/SessionCache.js';
import {
  TLS_PSK_WITH_AES_128_CBC_SHA256,
  TLS_PSK_WITH_AES_128_CCM_8,
} from '../../../src/transport/dtls/suites.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';
import { flush, MemoryNetwork } from '../../support/MemoryTransport.js';
import { KEY, memoryClient, memoryServer, SERVER, sendThrough } from './resumptionSupport.js';

const EMS: Extension = { type: ExtensionType.extendedMasterSecret, data: new Uint8Array(0) };
const CCM_8 = TLS_PSK_WITH_AES_128_CCM_8.id;
const CBC = TLS_PSK_WITH_AES_128_CBC_SHA256.id;

/** A server accepting both suites, with one session made by our client; the session it made. */
async function serverWithSession(): Promise<{
  net: MemoryNetwork;
  server: DtlsTransport;
  session: DtlsSession;
}> {
  const clock = new ManualClock();
  const { net, server } = memoryServer(clock, new Map([['id1', KEY]]), {
    suites: [TLS_PSK_WITH_AES_128_CCM_8, TLS_PSK_WITH_AES_128_CBC_SHA256],
  });
  const cache = new SessionCache<DtlsSession>({ maxEntries: 1, lifetimeMs: 60_000, clock });
  const client = memoryClient(net, clock, 40001, { sessionCache: cache });
  assert.equal(await sendThrough(client, clock, 'first'), 'sent');
  await client.close();
  return { net, server, session: cache.get(SERVER.key)! };
}

/** What a scripted client got back for a ClientHello (after the cookie exchange). */
interface Answer {
  messages: { type: number; seq: number; body: Uint8Array }[];
  alerts: number[][];
  /** Epoch-1 records, to open with keys the test derives. */
  protectedRecords: ReturnType<typeof decodeDatagram>;
  helloWire: Uint8Array;
  random: Uint8Array;
}

/** Sends ClientHello(sessionId, suites, extensions), follows the HelloVerifyRequest, collects the answer. */
async function hello(
  net: MemoryNetwork,
  sessionId: Uint8Array,
  suites: number[],
  extensions: Extension[],
): Promise<Answer> {
  const raw = net.bind('10.0.0.66', 40000);
  const inbox: Uint8Array[] = [];
  raw.onDatagram((b) => inbox.push(b));
  const keys = new EpochKeys('client');
  const random = randomBytes(32);
  const make = (cookie: Uint8Array, seq: number): Uint8Array =>
    encodeHandshakeMessage(
      HandshakeType.clientHello,
      seq,
      encodeClientHello({
        clientVersion: 0xfefd,
        random,
        sessionId,
        cookie,
        cipherSuites: suites,
        compressionMethods: Uint8Array.of(0),
        extensions,
      }),
    );
  const answer = (): Answer => {
    const out: Answer = {
      messages: [],
      alerts: [],
      protectedRecords: [],
      helloWire: new Uint8Array(0),
      random,
    };
    for (const d of inbox.splice(0))
      for (const r of decodeDatagram(d)) {
        if (r.epoch === 1) out.protectedRecords.push(r);
        else if (r.type === ContentType.alert) out.alerts.push([...r.fragment]);
        else if (r.type === ContentType.handshake)
          for (const f of decodeHandshakeFragments(r.fragment))
            out.messages.push({ type: f.msgType, seq: f.messageSeq, body: f.body });
      }
    return out;
  };
  await raw.send(SERVER, keys.seal(0, ContentType.handshake, make(new Uint8Array(0), 0)));
  await flush(6);
  const hvr = answer().messages[0]!;
  assert.equal(hvr.type, HandshakeType.helloVerifyRequest);
  const second = make(decodeHelloVerifyRequest(hvr.body).cookie, 1);
  await raw.send(SERVER, keys.seal(0, ContentType.handshake, second));
  await flush(8);
  const out = answer();
  await raw.close();
  return { ...out, helloWire: second };
}

test('server: resuming an EMS session without extended_master_secret is refused (handshake_failure)', async () => {
  const { net, server, session } = await serverWithSession();
  const a = await hello(net, session.id, [CCM_8], []);
  assert.deepEqual(a.alerts, [[2, 40]]);
  assert.deepEqual(a.messages, []);
  assert.equal(server.handshakesInProgress, 0);
  assert.equal(server.stats.sessionsResumed, 0);
  await server.close();
});

test('server: a resuming hello that does not offer the session suite gets a full handshake', async () => {
  const { net, server, session } = await serverWithSession();
  assert.equal(session.suiteId, CCM_8);
  const a = await hello(net, session.id, [CBC], [EMS]);
  assert.deepEqual(
    a.messages.map((m) => m.type),
    [HandshakeType.serverHello, HandshakeType.serverHelloDone],
  );
  const sh = decodeServerHello(a.messages[0]!.body);
  assert.equal(sh.cipherSuite, CBC);
  assert.equal(sh.sessionId.length, 32);
  assert.notDeepEqual([...sh.sessionId], [...session.id], 'a new session');
  await server.close();
});

test('server: an unknown session id gets a full handshake with a new session id', async () => {
  const { net, server, session } = await serverWithSession();
  const a = await hello(net, randomBytes(32), [CCM_8], [EMS]);
  assert.deepEqual(
    a.messages.map((m) => m.type),
    [HandshakeType.serverHello, HandshakeType.serverHelloDone],
  );
  assert.notDeepEqual([...decodeServerHello(a.messages[0]!.body).sessionId], [...session.id]);
  await server.close();
});

test("server: a proper resuming hello gets ServerHello(same id), CCS and the server's Finished first", async () => {
  const { net, server, session } = await serverWithSession();
  const a = await hello(net, session.id, [CCM_8], [EMS]);
  assert.deepEqual(
    a.messages.map((m) => m.type),
    [HandshakeType.serverHello],
  );
  const sh = decodeServerHello(a.messages[0]!.body);
  assert.deepEqual([...sh.sessionId], [...session.id]);
  // open the epoch-1 Finished with keys from the session's master secret and the new randoms
  const keys = new EpochKeys('client');
  keys.installPending(TLS_PSK_WITH_AES_128_CCM_8, session.master, a.random, sh.random);
  keys.activateRead();
  assert.equal(a.protectedRecords.length, 1);
  const finished = keys.open(a.protectedRecords[0]!)!;
  const f = decodeHandshakeFragments(finished.content)[0]!;
  assert.equal(f.msgType, HandshakeType.finished);
  const transcript = new TranscriptHash()
    .update(a.helloWire)
    .update(encodeHandshakeMessage(HandshakeType.serverHello, a.messages[0]!.seq, a.messages[0]!.body));
  assert.deepEqual([...f.body], [...finishedVerifyData(session.master, 'server', transcript.digest())]);
  assert.equal(server.handshakesInProgress, 1, 'waiting for the client Finished');
  await server.close();
});

/** Our client holding a made-up session for 10.0.0.1:5684, and a raw server there. */
function clientWithSession(): {
  client: DtlsTransport;
  cache: SessionCache<DtlsSession>;
  session: DtlsSession;
  answer: (sessionId: Uint8Array, suite: number, extensions: Extension[]) => Promise<number[][]>;
  offered: () => Uint8Array[];
} {
  const clock = new ManualClock();
  const net = new MemoryNetwork();
  const raw = net.bind(SERVER.address, SERVER.port);
  const inbox: Uint8Array[] = [];
  raw.onDatagram((b) => inbox.push(b));
  const cache = new SessionCache<DtlsSession>({ maxEntries: 1, lifetimeMs: 60_000, clock });
  const session: DtlsSession = {
    id: randomBytes(32),
    master: randomBytes(48),
    suiteId: CCM_8,
    extendedMasterSecret: true,
    identity: 'id1',
  };
  cache.set(SERVER.key, session);
  const client = new DtlsTransport(net.bind('10.0.0.2', 40001), {
    role: 'client',
    clock,
    psk: { identity: 'id1', key: KEY },
    suites: [TLS_PSK_WITH_AES_128_CCM_8, TLS_PSK_WITH_AES_128_CBC_SHA256],
    sessionCache: cache,
  });
  const hellos: Uint8Array[] = [];
  const keys = new EpochKeys('server');
  const take = (): number[][] => {
    const alerts: number[][] = [];
    for (const d of inbox.splice(0))
      for (const r of decodeDatagram(d)) {
        if (r.type === ContentType.alert) alerts.push([...r.fragment]);
        if (r.type === ContentType.handshake)
          for (const f of decodeHandshakeFragments(r.fragment))
            if (f.msgType === HandshakeType.clientHello) hellos.push(decodeClientHello(f.body).sessionId);
      }
    return alerts;
  };
  return {
    client,
    cache,
    session,
    offered: () => hellos,
    answer: async (sessionId, suite, extensions) => {
      void client.send(SERVER, Buffer.from('x')).catch(() => undefined);
      await flush(6);
      take();
      const body = encodeServerHello({
        serverVersion: 0xfefd,
        random: randomBytes(32),
        sessionId,
        cipherSuite: suite,
        compressionMethod: 0,
        extensions,
      });
      const record = keys.seal(
        0,
        ContentType.handshake,
        encodeHandshakeMessage(HandshakeType.serverHello, 0, body),
      );
      await raw.send(makePeer('10.0.0.2', 40001), record);
      await flush(6);
      return take();
    },
  };
}

test('client: it offers its session, and a ServerHello resuming it with another suite is illegal_parameter', async () => {
  const c = clientWithSession();
  const alerts = await c.answer(c.session.id, CBC, [EMS]);
  assert.deepEqual([...c.offered()[0]!], [...c.session.id], 'the ClientHello names the session');
  assert.deepEqual(alerts, [[2, 47]]);
  assert.equal(c.client.handshakesInProgress, 0);
  assert.equal(c.cache.size, 0, 'a failed resumption is not offered again');
  await c.client.close();
});

test('client: a ServerHello resuming the EMS session without extended_master_secret is handshake_failure', async () => {
  const c = clientWithSession();
  const alerts = await c.answer(c.session.id, CCM_8, []);
  assert.deepEqual(alerts, [[2, 40]]);
  assert.equal(c.client.handshakesInProgress, 0);
  await c.client.close();
});

test('client: a ServerHello with another session id is a full handshake (no alert, waits for ServerHelloDone)', async () => {
  const c = clientWithSession();
  const alerts = await c.answer(randomBytes(32), CCM_8, [EMS]);
  assert.deepEqual(alerts, []);
  assert.equal(c.client.handshakesInProgress, 1);
  await c.client.close();
});
