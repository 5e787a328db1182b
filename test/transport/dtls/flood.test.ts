// Floods a DtlsTransport server with datagrams from spoofed sources (RFC 6347 4.2.1: before a
// valid cookie the server keeps nothing and sends no more than it received; research/dtls.md 2.3):
// cookie-less ClientHellos from a million addresses, ClientHellos with forged and stale cookies,
// random garbage, and records for epochs and CIDs that no connection has. After each flood every
// table the transport owns is as empty as before (heldState.ts walks them all), no handshake or
// connection exists, each datagram got at most one answer no longer than itself, and the heap is
// back near where it started.
//
// The inner transport is FloodInner (synchronous, counting), so the flood is CPU-bound: on Node
// 20 here 1M ClientHellos take ~10-15 s (the cookie HMAC is most of it). DTLS_FLOOD_COUNT
// scales the ClientHello flood (default 1 000 000); the other floods are a tenth of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtlsTransport } from '../../../src/transport/dtls/DtlsTransport.js';
import {
  decodeClientHello,
  encodeClientHello,
} from '../../../src/transport/dtls/handshake/messages/ClientHello.js';
import {
  decodeHandshakeFragments,
  encodeHandshakeMessage,
  HandshakeType,
} from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { decodeHelloVerifyRequest } from '../../../src/transport/dtls/handshake/messages/HelloVerifyRequest.js';
import {
  ContentType,
  decodeDatagram,
  DtlsVersion,
  encodeDatagram,
} from '../../../src/transport/dtls/record/RecordCodec.js';
import { makePeer, type Peer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';
import { prng } from '../../content/randomNodes.js';
import { bytesOf, CAPTURE_A1, CAPTURE_PSK } from './captures.js';
import { FloodInner } from './FloodInner.js';
import { heapAfterGc, heldEntries } from './heldState.js';

const FLOOD = Number(process.env.DTLS_FLOOD_COUNT ?? 1_000_000);
if (!Number.isSafeInteger(FLOOD) || FLOOD < 1000)
  throw new Error(`DTLS_FLOOD_COUNT must be an integer >= 1000, got ${process.env.DTLS_FLOOD_COUNT}`);
const SMALL_FLOOD = Math.max(1000, Math.floor(FLOOD / 10));
/** The stale-cookie flood comes from one source: a tenth of the small floods. */
const STALE_FLOOD = Math.floor(SMALL_FLOOD / 10);
/** Heap the transport may keep after a flood (caches warming up, JIT code), bytes. */
const HEAP_SLACK = 16 * 1024 * 1024;

/** A server with CIDs on, on a manual clock, over a FloodInner. */
function floodServer(): { server: DtlsTransport; inner: FloodInner; clock: ManualClock } {
  const inner = new FloodInner();
  const clock = new ManualClock(1_000);
  const server = new DtlsTransport(inner, {
    role: 'server',
    clock,
    pskFor: (identity) => (identity === 'id1' ? CAPTURE_PSK : undefined),
    connectionIdLength: 6,
  });
  return { server, inner, clock };
}

/** The i-th spoofed source: 2^24 addresses x ports, IPv4 and a share of IPv6. */
function spoofed(i: number): Peer {
  const port = 1024 + (i % 64_000);
  if (i % 8 === 7) return makePeer(`fd00::${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}`, port);
  return makePeer(`10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`, port);
}

interface FloodResult {
  readonly answers: number;
  readonly seconds: number;
}

/**
 * Delivers `count` datagrams (`datagram(i)` from `spoofed(i)`) and checks each as it goes: at most
 * one answer, to the source, no longer than the datagram. Returns how many were answered.
 */
async function flood(
  server: DtlsTransport,
  inner: FloodInner,
  count: number,
  datagram: (i: number) => Uint8Array,
  source: (i: number) => Peer = spoofed,
): Promise<FloodResult> {
  let answers = 0;
  let bad: string | undefined;
  let current: { peer: Peer; size: number; answered: number } = { peer: spoofed(0), size: 0, answered: 0 };
  inner.onSend = (peer, bytes) => {
    current.answered++;
    answers++;
    if (bad !== undefined) return;
    if (current.answered > 1) bad = `${current.answered} answers to one datagram from ${current.peer.key}`;
    else if (peer.key !== current.peer.key)
      bad = `an answer to ${peer.key} for a datagram from ${current.peer.key}`;
    else if (bytes.length > current.size)
      bad = `${bytes.length} bytes answered ${current.size} from ${peer.key}`;
  };
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const bytes = datagram(i);
    current = { peer: source(i), size: bytes.length, answered: 0 };
    inner.deliver(bytes, current.peer);
    if (bad !== undefined) assert.fail(`datagram ${i}: ${bad}`);
    // a real socket hands datagrams over one macrotask each: let the send promises settle
    if (i % 1024 === 1023) await new Promise((r) => setImmediate(r));
  }
  const seconds = (performance.now() - started) / 1000;
  assert.equal(server.handshakesInProgress, 0, 'handshakes in progress');
  assert.equal(server.connectionCount, 0, 'connections');
  assert.ok(inner.bytesOut <= inner.bytesIn, `sent ${inner.bytesOut} bytes for ${inner.bytesIn} received`);
  return { answers, seconds };
}

/** Asserts that no Map, Set or array the server holds grew since `before`. */
function assertNoHeldGrowth(
  server: DtlsTransport,
  inner: FloodInner,
  clock: ManualClock,
  before: Map<string, number>,
): void {
  const after = heldEntries(server, [inner, clock]).byPath;
  for (const [path, n] of after)
    assert.ok(
      n <= (before.get(path) ?? 0),
      `${path} holds ${n} entries after the flood (${before.get(path) ?? 0} before)`,
    );
}

const firstHello = bytesOf(CAPTURE_A1[0]!); // cookie-less ClientHello, 75 bytes
/** Offset of ClientHello.random in `firstHello` (record header 13 + handshake header 12 + version 2). */
const RANDOM_AT = 13 + 12 + 2;

/** `firstHello` with the cookie field set to `cookie` (and `random` if given). */
function helloWithCookie(cookie: Uint8Array, random?: Uint8Array): Uint8Array {
  const [record] = decodeDatagram(firstHello);
  const [fragment] = decodeHandshakeFragments(record!.fragment);
  const hello = decodeClientHello(fragment!.body);
  const body = encodeClientHello({ ...hello, cookie, ...(random ? { random } : {}) });
  return encodeDatagram([
    { ...record!, fragment: encodeHandshakeMessage(HandshakeType.clientHello, 0, body) },
  ]);
}

test(`${FLOOD} spoofed cookie-less ClientHellos: one HelloVerifyRequest each, no state, no amplification`, async () => {
  const { server, inner, clock } = floodServer();
  const before = heldEntries(server, [inner, clock]).byPath;
  const heapBefore = heapAfterGc();
  const hello = Uint8Array.from(firstHello);
  const { answers, seconds } = await flood(server, inner, FLOOD, (i) => {
    hello[RANDOM_AT] = i & 255;
    hello[RANDOM_AT + 1] = (i >>> 8) & 255;
    hello[RANDOM_AT + 2] = (i >>> 16) & 255;
    return hello;
  });
  const heapGrowth = heapAfterGc() - heapBefore;
  console.log(
    `ClientHello flood: ${FLOOD} in ${seconds.toFixed(1)} s (${Math.round(FLOOD / seconds)}/s), ` +
      `${inner.bytesIn} B in, ${inner.bytesOut} B out, heap ${(heapGrowth / 1024).toFixed(0)} KiB`,
  );
  assert.equal(answers, FLOOD, 'every ClientHello gets its HelloVerifyRequest');
  assert.equal(server.stats.helloVerifyRequests, FLOOD);
  assertNoHeldGrowth(server, inner, clock, before);
  assert.ok(heapGrowth < HEAP_SLACK, `heap grew by ${heapGrowth} bytes`);
});

test(`${SMALL_FLOOD} ClientHellos with forged, replayed and stale cookies: a HelloVerifyRequest each, no handshake`, async () => {
  const { server, inner, clock } = floodServer();
  const before = heldEntries(server, [inner, clock]).byPath;
  // a cookie the server really issued to 192.0.2.1:5684, for the replay and stale floods
  let issued: Uint8Array | undefined;
  inner.onSend = (_peer, bytes) => {
    const [record] = decodeDatagram(bytes);
    issued = decodeHelloVerifyRequest(decodeHandshakeFragments(record!.fragment)[0]!.body).cookie;
  };
  const owner = makePeer('192.0.2.1', 5684);
  inner.deliver(firstHello, owner);
  assert.equal(issued?.length, 32);
  const withIssued = helloWithCookie(issued!);
  const rnd = prng(7);
  const forged = new Uint8Array(32);
  const kinds = [
    // random 32-byte cookies from spoofed sources
    (): Uint8Array => {
      for (let j = 0; j < 32; j++) forged[j] = Math.floor(rnd() * 256);
      return helloWithCookie(forged);
    },
    // the cookie issued to `owner`, replayed from other sources
    (): Uint8Array => withIssued,
    // cookies of the wrong length (a peer's, or a truncated one of ours)
    (): Uint8Array => helloWithCookie(issued!.subarray(0, 1 + Math.floor(rnd() * 31))),
  ];
  const first = await flood(server, inner, SMALL_FLOOD, (i) => kinds[i % kinds.length]!());
  assert.equal(first.answers, SMALL_FLOOD, 'each refused cookie gets a HelloVerifyRequest');
  // two rotations later the issued cookie is stale even from its owner (RFC 6347 4.2.1)
  clock.advance(2 * 60_000 + 1);
  const stale = await flood(
    server,
    inner,
    STALE_FLOOD,
    () => withIssued,
    () => owner,
  );
  assert.equal(stale.answers, STALE_FLOOD);
  assert.equal(server.stats.handshakesCompleted + server.stats.handshakesFailed, 0, 'no handshake started');
  assertNoHeldGrowth(server, inner, clock, before);
});

test(`${SMALL_FLOOD} random datagrams and ${SMALL_FLOOD} records for unknown epochs and CIDs: no answer, no state`, async () => {
  const { server, inner, clock } = floodServer();
  const before = heldEntries(server, [inner, clock]).byPath;
  const heapBefore = heapAfterGc();
  const rnd = prng(11);
  const random = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
  const garbage = await flood(server, inner, SMALL_FLOOD, (i) => {
    const b = random(1 + Math.floor(rnd() * 200));
    // a share that looks like a record header, so decoding goes past the first byte
    if (i % 2 === 0 && b.length > 3) b.set([[20, 21, 22, 23, 25][i % 5]!, 0xfe, 0xfd]);
    return b;
  });
  assert.equal(garbage.answers, 0, 'garbage is dropped silently (RFC 6347 4.1.2.7)');
  const records = [
    // application data and alerts in epochs no connection has
    (i: number): Uint8Array =>
      encodeDatagram([
        {
          type: i % 3 === 0 ? ContentType.alert : ContentType.applicationData,
          version: DtlsVersion.dtls12,
          epoch: 1 + (i % 0xfffe),
          sequenceNumber: i,
          fragment: random(8 + (i % 40)),
        },
      ]),
    // tls12_cid records with CIDs nobody was issued
    (i: number): Uint8Array =>
      encodeDatagram([
        {
          type: ContentType.tls12Cid,
          version: DtlsVersion.dtls12,
          epoch: 1,
          sequenceNumber: i,
          cid: random(6),
          fragment: random(24 + (i % 40)),
        },
      ]),
    // later handshake messages (epoch 0) without any handshake: ClientKeyExchange, Finished, CCS
    (i: number): Uint8Array => {
      const [, , , , cke, ccs] = CAPTURE_A1.map(bytesOf);
      return i % 2 === 0 ? cke! : ccs!;
    },
  ];
  const unknown = await flood(server, inner, SMALL_FLOOD, (i) => records[i % records.length]!(i));
  assert.equal(unknown.answers, 0, 'records of no connection are dropped silently');
  assert.equal(server.stats.dropped, 2 * SMALL_FLOOD, 'each datagram counted as dropped');
  assertNoHeldGrowth(server, inner, clock, before);
  const heapGrowth = heapAfterGc() - heapBefore;
  assert.ok(heapGrowth < HEAP_SLACK, `heap grew by ${heapGrowth} bytes`);
});
