// A connection's record state stored compactly once its handshake is released
// (connection/compactRecords.ts): the same keys, the write sequence and the replay window
// (RFC 6347 4.1.2.6) carry over, and a CID record must still carry the CID we issued.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionTable } from '../../../src/transport/dtls/connection/ConnectionTable.js';
import { EpochKeys } from '../../../src/transport/dtls/record/EpochKeys.js';
import {
  ContentType,
  decodeDatagram,
  type DtlsRecord,
} from '../../../src/transport/dtls/record/RecordCodec.js';
import {
  TLS_PSK_WITH_AES_128_CBC_SHA256,
  TLS_PSK_WITH_AES_128_CCM_8,
  type CipherSuite,
} from '../../../src/transport/dtls/suites.js';
import { ManualClock } from '../../support/ManualClock.js';

const MASTER = new Uint8Array(48).fill(7);
const OUR_CID = Uint8Array.of(0xc0, 0xff, 0xee);

function established(suite: CipherSuite, cid = OUR_CID): { client: EpochKeys; server: EpochKeys } {
  const client = new EpochKeys('client');
  const server = new EpochKeys('server');
  for (const k of [client, server]) {
    k.installPending(suite, MASTER, new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
    k.activateWrite();
    k.activateRead();
  }
  client.useConnectionIds(new Uint8Array(0), cid);
  server.useConnectionIds(cid, new Uint8Array(0));
  return { client, server };
}

const one = (wire: Uint8Array, cidLength = 0): DtlsRecord => decodeDatagram(wire, { cidLength })[0]!;

test('released, a CCM_8 connection keeps its sequence numbers, replay window and CID check', () => {
  const { client, server } = established(TLS_PSK_WITH_AES_128_CCM_8);
  const table = new ConnectionTable(4, 60_000, new ManualClock(), OUR_CID.length);
  const conn = table.add({ addressKey: 'h|1', identity: 'id', keys: server, ownCid: OUR_CID })!;
  // before release: the EpochKeys object
  const early = one(client.seal(1, ContentType.applicationData, Uint8Array.of(1)), 3);
  assert.deepEqual([...conn.open(early)!.content], [1]);
  assert.equal(one(conn.seal(ContentType.applicationData, Uint8Array.of(2))).sequenceNumber, 0);
  conn.release();
  // compact now: the same record again is a replay, the next one opens
  assert.equal(conn.open(early), undefined, 'replay of a record received before the release');
  const later = one(client.seal(1, ContentType.applicationData, Uint8Array.of(3)), 3);
  assert.equal(conn.isNewest(later), true);
  assert.deepEqual([...conn.open(later)!.content], [3]);
  assert.equal(conn.isNewest(later), false);
  assert.equal(conn.open(later), undefined, 'replay after the release');
  // the write sequence goes on (a reused one would reuse a CCM nonce) and the client opens it
  const sent = one(conn.seal(ContentType.applicationData, Uint8Array.of(4)));
  assert.equal(sent.sequenceNumber, 1);
  assert.deepEqual([...client.open(sent)!.content], [4]);
  // a CID record with another CID, or a tampered one, does not open
  const wrongCid = { ...one(client.seal(1, ContentType.applicationData, Uint8Array.of(5)), 3) };
  assert.equal(conn.open({ ...wrongCid, cid: Uint8Array.of(0xc0, 0xff, 0xef) }), undefined);
  const tampered = Uint8Array.from(wrongCid.fragment);
  tampered[tampered.length - 1]! ^= 1;
  assert.equal(conn.open({ ...wrongCid, fragment: tampered }), undefined);
  assert.deepEqual([...conn.open(wrongCid)!.content], [5], 'the window did not move for the bad ones');
});

test('an old record within the window still opens once compact; one older than the window does not', () => {
  const { client, server } = established(TLS_PSK_WITH_AES_128_CCM_8);
  const table = new ConnectionTable(4, 60_000, new ManualClock(), OUR_CID.length);
  const conn = table.add({ addressKey: 'h|1', identity: 'id', keys: server, ownCid: OUR_CID })!;
  conn.release();
  const records = Array.from({ length: 70 }, (_, i) =>
    one(client.seal(1, ContentType.applicationData, Uint8Array.of(i)), 3),
  );
  assert.ok(conn.open(records[69]!));
  assert.ok(conn.open(records[10]!), '59 behind: inside the 64-record window');
  assert.equal(conn.open(records[5]!), undefined, '64 behind: outside');
});

test('a CBC connection stays as its EpochKeys object and works the same', () => {
  const { client, server } = established(TLS_PSK_WITH_AES_128_CBC_SHA256, new Uint8Array(0));
  const table = new ConnectionTable(4, 60_000, new ManualClock());
  const conn = table.add({ addressKey: 'h|1', identity: 'id', keys: server, ownCid: new Uint8Array(0) })!;
  conn.release();
  assert.equal(table.slab.extra[conn.slot]?.keys, server);
  const r = one(client.seal(1, ContentType.applicationData, Uint8Array.of(9)));
  assert.deepEqual([...conn.open(r)!.content], [9]);
  assert.deepEqual(
    [...client.open(one(conn.seal(ContentType.applicationData, Uint8Array.of(8))))!.content],
    [8],
  );
});

test('a client that asked for a CID keeps accepting records carrying it once released', () => {
  // the client's view: it asked the server for CID OUR_CID; its table holds no CIDs of its own
  const { client: serverSide, server: clientSide } = established(TLS_PSK_WITH_AES_128_CCM_8);
  const table = new ConnectionTable(4, 60_000, new ManualClock());
  const conn = table.add({ addressKey: 'h|1', identity: 'id', keys: clientSide, ownCid: new Uint8Array(0) })!;
  conn.release();
  const r = one(serverSide.seal(1, ContentType.applicationData, Uint8Array.of(6)), 3);
  assert.equal(r.type, ContentType.tls12Cid);
  assert.deepEqual([...conn.open(r)!.content], [6]);
});
