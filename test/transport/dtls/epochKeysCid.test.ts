// EpochKeys with negotiated Connection IDs (RFC 9146): epoch-1 records carry the peer's CID as
// tls12_cid, epoch 0 never does, and a CID record opens only when it carries our own CID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EpochKeys } from '../../../src/transport/dtls/record/EpochKeys.js';
import { ContentType, decodeDatagram } from '../../../src/transport/dtls/record/RecordCodec.js';
import { TLS_PSK_WITH_AES_128_CCM_8 } from '../../../src/transport/dtls/suites.js';

const MASTER = new Uint8Array(48).fill(7);
const CLIENT_RANDOM = new Uint8Array(32).fill(1);
const SERVER_RANDOM = new Uint8Array(32).fill(2);
const SERVER_CID = Uint8Array.of(0xc0, 0xff, 0xee, 0x01);

/** Client and server keys with epoch 1 active both ways; the server issued SERVER_CID. */
function pair(
  clientOwn = new Uint8Array(0),
  serverOwn = SERVER_CID,
): { client: EpochKeys; server: EpochKeys } {
  const client = new EpochKeys('client');
  const server = new EpochKeys('server');
  for (const k of [client, server]) {
    k.installPending(TLS_PSK_WITH_AES_128_CCM_8, MASTER, CLIENT_RANDOM, SERVER_RANDOM);
    k.activateWrite();
    k.activateRead();
  }
  client.useConnectionIds(clientOwn, serverOwn);
  server.useConnectionIds(serverOwn, clientOwn);
  return { client, server };
}

test('epoch-1 records carry the peer CID as tls12_cid and open at the peer; epoch 0 has none', () => {
  const { client, server } = pair();
  const wire = client.seal(1, ContentType.applicationData, Uint8Array.of(1, 2, 3));
  const [record] = decodeDatagram(wire, { cidLength: 4 });
  assert.equal(record!.type, ContentType.tls12Cid);
  assert.deepEqual(record!.cid, SERVER_CID);
  const opened = server.open(record!);
  assert.equal(opened?.type, ContentType.applicationData);
  assert.deepEqual([...opened.content], [1, 2, 3]);
  // the client asked for no CID: the server's records are classic
  assert.equal(server.seal(1, ContentType.applicationData, Uint8Array.of(4))[0], ContentType.applicationData);
  assert.equal(client.seal(0, ContentType.handshake, Uint8Array.of(5))[0], ContentType.handshake);
});

test('a CID record with another CID, or to a side that issued none, does not open', () => {
  const { client } = pair();
  const other = pair(new Uint8Array(0), Uint8Array.of(0xc0, 0xff, 0xee, 0x02)).server;
  const [record] = decodeDatagram(client.seal(1, ContentType.applicationData, Uint8Array.of(1)), {
    cidLength: 4,
  });
  assert.equal(other.open(record!), undefined, 'same keys, CID not ours');
  const noCid = pair(new Uint8Array(0), new Uint8Array(0)).server;
  assert.equal(noCid.open(record!), undefined, 'we issued no CID');
});
