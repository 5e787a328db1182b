// Session-id resumption between our client and our server (RFC 5246 7.3; RFC 6347 4.2.1; RFC
// 7627 5.3): a client restarted with the same session cache resumes with an abbreviated
// handshake (no ClientKeyExchange, the server's Finished first, still behind a cookie), keeps the
// original identity and exchanges data; removed or changed credentials, invalidateSessions and
// an expired session all fall back to a full handshake; the caches are bounded and counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HandshakeType } from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { decodeServerHello } from '../../../src/transport/dtls/handshake/messages/ServerHello.js';
import type { DtlsSession } from '../../../src/transport/dtls/session/DtlsSession.js';
import { SessionCache } from '../../../src/transport/dtls/session/SessionCache.js';
import { ManualClock } from '../../support/ManualClock.js';
import { flush } from '../../support/MemoryTransport.js';
import { EpochKeys } from '../../../src/transport/dtls/record/EpochKeys.js';
import { ContentType } from '../../../src/transport/dtls/record/RecordCodec.js';
import { TLS_PSK_WITH_AES_128_CCM_8 } from '../../../src/transport/dtls/suites.js';
import { makePeer } from '../../../src/transport/Peer.js';
import {
  handshakeSentFrom,
  KEY,
  memoryClient,
  memoryServer,
  nextDatagram,
  SERVER,
  sendThrough,
} from './resumptionSupport.js';

const KEY2 = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

function sharedCache(clock: ManualClock): SessionCache<DtlsSession> {
  return new SessionCache<DtlsSession>({ maxEntries: 4, lifetimeMs: 3600_000, clock });
}

/** A first client makes a session with the server and closes (close_notify); returns the cache. */
async function firstSession(
  clock: ManualClock,
  keys: Map<string, Uint8Array>,
  serverExtra = {},
): Promise<ReturnType<typeof memoryServer> & { cache: SessionCache<DtlsSession> }> {
  const setup = memoryServer(clock, keys, serverExtra);
  const cache = sharedCache(clock);
  const first = memoryClient(setup.net, clock, 40001, { sessionCache: cache });
  assert.equal(await sendThrough(first, clock, 'first'), 'sent');
  const sh = handshakeSentFrom(setup.net, SERVER.port).find((f) => f.msgType === HandshakeType.serverHello)!;
  assert.equal(decodeServerHello(sh.body).sessionId.length, 32, 'the server issues a session id');
  assert.equal(setup.server.sessionCount, 1);
  assert.equal(cache.size, 1);
  await first.close();
  return { ...setup, cache };
}

test('a restarted client resumes: abbreviated handshake behind a cookie, same identity, data both ways', async () => {
  const clock = new ManualClock();
  const { net, server, cache } = await firstSession(clock, new Map([['id1', KEY]]));
  const second = memoryClient(net, clock, 40002, { sessionCache: cache });
  try {
    const atServer = nextDatagram(server);
    assert.equal(await sendThrough(second, clock, 'resumed'), 'sent');
    const got = await atServer;
    assert.equal(got.text, 'resumed');
    assert.deepEqual(got.peer.identity, { kind: 'psk', identity: 'id1' });
    const fromClient = handshakeSentFrom(net, 40002).map((f) => f.msgType);
    assert.deepEqual(
      fromClient,
      [HandshakeType.clientHello, HandshakeType.clientHello],
      'no ClientKeyExchange',
    );
    const fromServer = handshakeSentFrom(net, SERVER.port)
      .slice(-2)
      .map((f) => f.msgType);
    // the HelloVerifyRequest, then ServerHello alone in plaintext (its Finished is in epoch 1)
    assert.deepEqual(fromServer, [HandshakeType.helloVerifyRequest, HandshakeType.serverHello]);
    assert.equal(server.stats.helloVerifyRequests, 2, 'the resuming ClientHello gets a cookie too');
    assert.equal(server.stats.sessionsResumed, 1);
    assert.equal(second.stats.sessionsResumed, 1);
    const atClient = nextDatagram(second);
    await server.send(got.peer, Buffer.from('back'));
    assert.equal((await atClient).text, 'back');
    assert.equal(server.connectionCount, 1);
    assert.equal(server.handshakesInProgress, 0);
  } finally {
    await second.close();
    await server.close();
  }
});

test('a session whose PSK was removed does not resume: the new handshake fails as a full one', async () => {
  const clock = new ManualClock();
  const keys = new Map([['id1', KEY]]);
  const { net, server, cache } = await firstSession(clock, keys);
  keys.delete('id1');
  const second = memoryClient(net, clock, 40002, { sessionCache: cache });
  try {
    assert.match(await sendThrough(second, clock, 'never'), /alert 115/); // unknown_psk_identity
    assert.equal(server.stats.sessionsResumed, 0);
    assert.equal(server.sessionCount, 0, 'the stale session is forgotten');
    assert.equal(cache.size, 0, 'the client does not offer it again');
    assert.equal(server.connectionCount, 0);
  } finally {
    await second.close();
    await server.close();
  }
});

test('a session whose PSK changed does not resume: a full handshake with the new key', async () => {
  const clock = new ManualClock();
  const keys = new Map([['id1', KEY]]);
  const { net, server, cache } = await firstSession(clock, keys);
  keys.set('id1', KEY2);
  const second = memoryClient(net, clock, 40002, { sessionCache: cache, key: KEY2 });
  try {
    assert.equal(await sendThrough(second, clock, 'full'), 'sent');
    assert.equal(server.stats.sessionsResumed, 0);
    assert.ok(handshakeSentFrom(net, 40002).some((f) => f.msgType === HandshakeType.clientKeyExchange));
    assert.equal(server.sessionCount, 1, 'only the new session');
  } finally {
    await second.close();
    await server.close();
  }
});

test('invalidateSessions(identity) makes the next handshake a full one', async () => {
  const clock = new ManualClock();
  const { net, server, cache } = await firstSession(clock, new Map([['id1', KEY]]));
  assert.equal(server.invalidateSessions('id1'), 1);
  assert.equal(server.invalidateSessions('id1'), 0);
  const second = memoryClient(net, clock, 40002, { sessionCache: cache });
  try {
    assert.equal(await sendThrough(second, clock, 'full'), 'sent');
    assert.equal(server.stats.sessionsResumed, 0);
    assert.ok(handshakeSentFrom(net, 40002).some((f) => f.msgType === HandshakeType.clientKeyExchange));
  } finally {
    await second.close();
    await server.close();
  }
});

test('an expired session is not resumed and counts as expired', async () => {
  const clock = new ManualClock();
  const { net, server, cache } = await firstSession(clock, new Map([['id1', KEY]]), {
    sessionLifetimeMs: 60_000,
  });
  clock.advance(60_000);
  const second = memoryClient(net, clock, 40002, { sessionCache: cache });
  try {
    assert.equal(await sendThrough(second, clock, 'full'), 'sent');
    assert.equal(server.stats.sessionsResumed, 0);
    assert.equal(server.stats.sessionsExpired, 1);
    assert.ok(handshakeSentFrom(net, 40002).some((f) => f.msgType === HandshakeType.clientKeyExchange));
  } finally {
    await second.close();
    await server.close();
  }
});

test('maxSessions 0 turns resumption off: no session id is issued', async () => {
  const clock = new ManualClock();
  const { net, server } = memoryServer(clock, new Map([['id1', KEY]]), { maxSessions: 0 });
  const client = memoryClient(net, clock, 40001);
  try {
    assert.equal(await sendThrough(client, clock, 'x'), 'sent');
    const sh = handshakeSentFrom(net, SERVER.port).find((f) => f.msgType === HandshakeType.serverHello)!;
    assert.equal(decodeServerHello(sh.body).sessionId.length, 0);
    assert.equal(server.sessionCount, 0);
  } finally {
    await client.close();
    await server.close();
  }
});

test('the session cache keeps at most maxEntries, evicting the oldest, and expires entries', () => {
  const clock = new ManualClock();
  const drops: string[] = [];
  const cache = new SessionCache<number>({
    maxEntries: 2,
    lifetimeMs: 1000,
    clock,
    onDrop: (r) => drops.push(r),
  });
  cache.set('a', 1);
  clock.advance(10);
  cache.set('b', 2);
  cache.set('c', 3);
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.get('b'), 2);
  assert.equal(cache.size, 2);
  assert.equal(cache.evicted, 1);
  clock.advance(1000);
  assert.equal(cache.get('b'), undefined, 'b was stored at 10 and lives 1000 ms');
  assert.equal(cache.expired, 1);
  assert.deepEqual(drops, ['evicted', 'expired']);
});

test("a lost client final flight of an abbreviated handshake is resent when the server's flight repeats", async () => {
  const clock = new ManualClock();
  const { net, server, cache } = await firstSession(clock, new Map([['id1', KEY]]));
  let droppedFinal = 0;
  // drop the resuming client's first CCS + Finished (RFC 6347 4.2.4: the client's flight is final)
  net.fate = (d) => (d.from.port === 40002 && d.bytes[0] === 20 && droppedFinal++ === 0 ? 'drop' : 'deliver');
  const second = memoryClient(net, clock, 40002, { sessionCache: cache });
  try {
    // the client is done at once; its first record after the lost flight is lost with it
    assert.equal(await sendThrough(second, clock, 'lost with the flight'), 'sent');
    for (let i = 0; i < 20 && server.stats.sessionsResumed === 0; i++) {
      clock.advance(250); // the server retransmits its flight, the client resends its final one
      await flush(4);
    }
    assert.equal(droppedFinal, 2, 'the final flight went twice');
    assert.equal(server.stats.sessionsResumed, 1);
    const atServer = nextDatagram(server);
    assert.equal(await sendThrough(second, clock, 'after a loss'), 'sent');
    assert.equal((await atServer).text, 'after a loss');
    assert.equal(server.handshakesInProgress, 0);
  } finally {
    await second.close();
    await server.close();
  }
});

test('a resumed handshake negotiates connection_id afresh: the server issues a new CID', async () => {
  const clock = new ManualClock();
  const { net, server } = memoryServer(clock, new Map([['id1', KEY]]));
  const cache = sharedCache(clock);
  const first = memoryClient(net, clock, 40001, { sessionCache: cache, connectionIdLength: 0 });
  const firstPeer = nextDatagram(server);
  assert.equal(await sendThrough(first, clock, 'first'), 'sent');
  const firstKey = (await firstPeer).peer.key;
  await first.close();
  const second = memoryClient(net, clock, 40002, { sessionCache: cache, connectionIdLength: 0 });
  try {
    const atServer = nextDatagram(server);
    assert.equal(await sendThrough(second, clock, 'resumed with a CID'), 'sent');
    const got = await atServer;
    assert.equal(server.stats.sessionsResumed, 1);
    assert.match(firstKey, /^dtls-cid:[0-9a-f]{12}$/);
    assert.match(got.peer.key, /^dtls-cid:[0-9a-f]{12}$/);
    assert.notEqual(got.peer.key, firstKey);
    assert.deepEqual(got.peer.identity, { kind: 'psk', identity: 'id1' });
  } finally {
    await second.close();
    await server.close();
  }
});

test('a session whose connection ended with a fatal alert is not resumed (RFC 5246 7.2.2)', async () => {
  const clock = new ManualClock();
  const { net, server, serverInner } = memoryServer(clock, new Map([['id1', KEY]]));
  const cache = sharedCache(clock);
  const lines: string[] = [];
  const first = memoryClient(net, clock, 40001, { sessionCache: cache, keyLog: (l) => lines.push(l) });
  try {
    assert.equal(await sendThrough(first, clock, 'first'), 'sent');
    assert.equal(server.sessionCount, 1);
    // a fatal internal_error under the connection's keys, as the client would send it
    const [, clientRandom, master] = /^CLIENT_RANDOM (\S+) (\S+)$/.exec(lines[0]!)!;
    const sh = handshakeSentFrom(net, SERVER.port).find((f) => f.msgType === HandshakeType.serverHello)!;
    const keys = new EpochKeys('client');
    keys.installPending(
      TLS_PSK_WITH_AES_128_CCM_8,
      Buffer.from(master!, 'hex'),
      Buffer.from(clientRandom!, 'hex'),
      decodeServerHello(sh.body).random,
    );
    keys.activateWrite();
    for (let i = 0; i < 5; i++) keys.seal(1, ContentType.alert, Uint8Array.of(1, 0)); // past the client's own sequence numbers
    net.inject(
      makePeer('10.0.0.2', 40001),
      serverInner,
      keys.seal(1, ContentType.alert, Uint8Array.of(2, 80)),
    );
    await flush(6);
    assert.equal(server.connectionCount, 0);
    assert.equal(server.sessionCount, 0);
  } finally {
    await first.close();
    await server.close();
  }
});
