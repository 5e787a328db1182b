// Issue 13 item 5 end to end: our Lwm2mClient speaks DTLS PSK (Transport TS 1.1.1 5.2, Security
// Mode 0) to our Lwm2mServer behind a DtlsTransport, with the credentials of its Security instance
// (Core TS E.1 resources 2, 3, 5): it registers, every DM operation, observe + notify, composite
// read and Send go over DTLS; a wrong key registers nothing; a coaps:// URI never gets plain text.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { declareInstance, type DeclaredInstance } from '../../src/client/declareInstance.js';
import { Lwm2mClient, type Lwm2mClientOptions } from '../../src/client/Lwm2mClient.js';
import { temperatureInstance } from '../../src/client/objects/temperatureInstance.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { instance, resource } from '../../src/lwm2m/nodes.js';
import { ResponseCode } from '../../src/lwm2m/responses.js';
import { integerValue, stringValue } from '../../src/lwm2m/values.js';
import type { SendEvent } from '../../src/server/Lwm2mServerEvents.js';
import { makePeer } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { waitUntil } from '../support/waitUntil.js';
import { startDtlsServer, type DtlsServer } from './support/dtlsServer.js';
import { assertNoOpenHandles, testValues, withTimeout } from './support/e2e.js';
import { iterate, nextNotification, valueOf } from './support/notifications.js';
import { TEST_OBJECT, TEST_OBJECT_ID as T } from './support/testObject.js';

after(assertNoOpenHandles);

const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/**
 * A client with one coaps account for `uri`; short DTLS and CoAP deadlines keep failures bounded.
 * The caller stops it.
 */
function dtlsClient(
  endpoint: string,
  uri: string,
  psk: { identity: string; key: Uint8Array },
  extra: Partial<Lwm2mClientOptions> = {},
): { client: Lwm2mClient; testInstance: DeclaredInstance; executed: (string | undefined)[] } {
  const executed: (string | undefined)[] = [];
  const testInstance = declareInstance(TEST_OBJECT, 0, testValues(), {
    execute: { 9: (args) => void executed.push(args) },
  });
  const client = new Lwm2mClient({
    endpoint,
    bind: { address: '127.0.0.1', port: 0 },
    servers: [{ uri, ssid: 1, lifetime: 300, binding: 'U', psk }],
    objects: [testInstance, temperatureInstance({ value: 21.5 })],
    requestTimeoutMs: 5_000,
    dtls: { handshakeTimeoutMs: 3_000, flight: { initialTimeoutMs: 200 } },
    ...extra,
  });
  return { client, testInstance, executed };
}

describe('our client and our server over DTLS PSK', () => {
  let s: DtlsServer;
  let client: Lwm2mClient;
  let executed: (string | undefined)[];
  const ep = 'dtls-dev-1';
  before(async () => {
    s = await startDtlsServer();
    await s.store.put({ endpoint: ep, kind: 'psk', identity: 'dev-1', key: KEY });
    const made = dtlsClient(ep, s.uri, { identity: 'dev-1', key: KEY });
    client = made.client;
    executed = made.executed;
    const registered = new Promise<void>((r) => client.on('registered', () => r()));
    await client.start();
    await s.server.waitForRegistration(ep, 10_000);
    await withTimeout(registered, 10_000, 'client registration');
  });
  after(async () => {
    await withTimeout(client.stop(), 3_000).catch(() => undefined);
    await s.close();
  });

  test('registers over coaps with the PSK identity of its Security instance', async () => {
    const reg = await s.server.getRegistration(ep);
    assert.deepEqual(reg?.peer.identity, { kind: 'psk', identity: 'dev-1' });
    assert.equal(s.dtls.stats.handshakesCompleted, 1);
    assert.deepEqual(
      client.status().map((x) => [x.ssid, x.state]),
      [[1, 'registered']],
    );
  });

  test('read, write, execute, create, delete, discover and write-attributes go over DTLS', async () => {
    const read = await s.server.read(ep, `/${T}/0/0`);
    assert.equal(read.code, ResponseCode.CONTENT);
    assert.equal(valueOf(read.content), 'first');
    const write = await s.server.write(ep, `/${T}/0/0`, resource(0, stringValue('over dtls')));
    assert.equal(write.code, ResponseCode.CHANGED);
    assert.equal(valueOf((await s.server.read(ep, `/${T}/0/0`)).content), 'over dtls');
    const exec = await s.server.execute(ep, `/${T}/0/9`, "0='x'");
    assert.equal(exec.code, ResponseCode.CHANGED);
    assert.deepEqual(executed, ["0='x'"]);
    const created = instance(7, [resource(0, stringValue('made')), resource(1, integerValue(3))]);
    assert.equal((await s.server.create(ep, `/${T}`, created)).code, ResponseCode.CREATED);
    assert.equal(valueOf((await s.server.read(ep, `/${T}/7/0`)).content), 'made');
    assert.equal((await s.server.delete(ep, `/${T}/7`)).code, ResponseCode.DELETED);
    assert.equal((await s.server.read(ep, `/${T}/7`)).code, ResponseCode.NOT_FOUND);
    const wa = await s.server.writeAttributes(ep, `/${T}/0/1`, { pmax: 60 });
    assert.equal(wa.code, ResponseCode.CHANGED);
    const disc = await s.server.discover(ep, `/${T}/0`);
    assert.equal(disc.code, ResponseCode.CONTENT);
    assert.ok(disc.links?.some((l) => l.path.toString() === `/${T}/0/1` && l.attributes.pmax === 60));
  });

  test('observe + notify and composite read go over DTLS', async () => {
    const obs = s.server.observe(ep, '/3303/0/5700');
    const first = await obs.response;
    assert.equal(first.code, ResponseCode.CONTENT);
    const it = await iterate(obs);
    client.set('/3303/0/5700', { type: 'float', value: 30.5 });
    assert.equal(valueOf(await nextNotification(it, 5_000)), 30.5);
    await obs.cancel();
    const composite = await s.server.readComposite(ep, [`/${T}/0/1`, '/3303/0/5700'], {
      format: ContentFormat.SENML_CBOR,
    });
    assert.equal(composite.code, ResponseCode.CONTENT);
    const at = (p: string) => composite.content?.find((n) => n.path.toString() === p)?.node;
    assert.equal(valueOf(at(`/${T}/0/1`)), -42);
    assert.equal(valueOf(at('/3303/0/5700')), 30.5);
  });

  test('a client Send goes over DTLS', async () => {
    const got = withTimeout(new Promise<SendEvent>((r) => s.server.once('send', r)), 5_000, 'send event');
    await client.send(['/3303/0/5700']);
    const e = await got;
    assert.equal(e.registration.endpoint, ep);
    assert.ok(s.dtls.stats.handshakesCompleted === 1, 'one DTLS session carried everything');
  });

  test('a plain CoAP request from the server address is not served as that server', async () => {
    // the server's own port sends a plain GET /3/0/0: that peer is not the coaps account's (a
    // secured one), so the client answers 4.01, never the content
    const before = s.plainReceived.length;
    const get = Uint8Array.from([0x40, 0x01, 0x12, 0x34, 0xb1, 0x33, 0x01, 0x30, 0x01, 0x30]);
    await s.udp.send(makePeer('127.0.0.1', client.endpoint.address().port), get);
    await waitUntil(() => s.plainReceived.length > before, 'the plain answer');
    const answer = s.plainReceived[before]!;
    assert.equal(answer[1], 0x81, '4.01 Unauthorized');
  });
});

describe('a coaps account the client cannot authenticate to', () => {
  test('a wrong PSK registers nothing, and the failure is reported within the deadlines', async () => {
    const s = await startDtlsServer();
    closers.push(() => s.close());
    await s.store.put({ endpoint: 'dtls-wrong', kind: 'psk', identity: 'dev-w', key: KEY });
    const { client } = dtlsClient('dtls-wrong', s.uri, {
      identity: 'dev-w',
      key: Buffer.from('ffff', 'hex'),
    });
    closers.push(() => withTimeout(client.stop(), 3_000).catch(() => undefined));
    const failed = new Promise<unknown>((r) => client.on('registrationAttemptFailed', r));
    let registered = false;
    client.on('registered', () => (registered = true));
    await client.start();
    await withTimeout(failed, 20_000, 'the failed registration attempt');
    assert.equal(registered, false);
    assert.equal(await s.server.getRegistration('dtls-wrong'), undefined);
    // the client's Finished does not authenticate under the server's key (RFC 6347 4.1.2.7: dropped)
    assert.equal(s.dtls.stats.handshakesCompleted, 0);
    assert.equal(s.dtls.connectionCount, 0);
  });

  test('a coaps account is never spoken to in plain text: a plain socket there sees only DTLS records', async () => {
    const listener = await UdpTransport.bind({ address: '127.0.0.1', port: 0 });
    closers.push(() => listener.close());
    const seen: Uint8Array[] = [];
    listener.onDatagram((b) => seen.push(b));
    const uri = `coaps://127.0.0.1:${listener.address().port}`;
    const { client } = dtlsClient(
      'dtls-never-plain',
      uri,
      { identity: 'dev-n', key: KEY },
      { requestTimeoutMs: 2_000 },
    );
    closers.push(() => withTimeout(client.stop(), 3_000).catch(() => undefined));
    const failed = new Promise<unknown>((r) => client.on('registrationAttemptFailed', r));
    await client.start();
    await withTimeout(failed, 20_000, 'the failed registration attempt');
    assert.ok(seen.length >= 2, 'the ClientHello and its retransmissions');
    for (const b of seen) assert.equal(b[0], 22, 'a DTLS handshake record (RFC 6347 4.1), never CoAP');
  });
});
