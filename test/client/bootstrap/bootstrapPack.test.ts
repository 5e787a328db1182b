// Core TS 1.2 Bootstrap-Pack-Request, client side, against a raw UDP peer playing the
// Bootstrap-Server (and the LwM2M Server the pack names): the GET /bspack bytes, the pack applied
// (then the client registers), and the Bootstrap-Request that follows an error code or a pack
// that cannot be used (Core TS 1.2), the client left unchanged.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Lwm2mClient,
  type Lwm2mClientEvents,
  type Lwm2mClientOptions,
} from '../../../src/client/Lwm2mClient.js';
import { RawCoapPeer, hex, toHexString } from '../../support/RawCoapPeer.js';

/** The arguments of the next `event` of `client`. */
function nextEvent<K extends keyof Lwm2mClientEvents>(
  client: Lwm2mClient,
  event: K,
): Promise<Lwm2mClientEvents[K]> {
  return new Promise((resolve) => {
    const l = (...args: Lwm2mClientEvents[K]): void => {
      client.off(event, l);
      resolve(args);
    };
    client.on(event, l);
  });
}
const hexOfText = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
/** The bytes of an ACK answering `request` (same MID and token) with `rest` (code, options, payload). */
const ackOf = (request: Uint8Array, rest: string): Uint8Array => {
  const tkl = request[0]! & 0x0f;
  return hex(
    `6${tkl.toString(16)}` + rest.slice(0, 2) + toHexString(request.subarray(2, 4 + tkl)) + rest.slice(2),
  );
};
/** A SenML JSON pack: Security /0/1 for `uri` with Short Server ID `ssid`, Server /1/0 with ssid 1. */
const packFor = (uri: string, ssid = 1): string =>
  JSON.stringify([
    { bn: '/0/1/', n: '0', vs: uri },
    { n: '1', vb: false },
    { n: '2', v: 3 },
    { n: '10', v: ssid },
    { bn: '/1/0/', n: '0', v: 1 },
    { n: '1', v: 300 },
    { n: '7', vs: 'U' },
  ]);

describe('client Bootstrap-Pack-Request (LwM2M 1.2)', () => {
  /** CON POST /bs?ep=pk1&pct=112 with a 4-byte token: the Bootstrap-Request that follows a failed pack. */
  const POST_BS = '44 02 .... ........ b2 6273 46 65703d706b31 07 7063743d313132';
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function setup(extra: Partial<Lwm2mClientOptions> = {}) {
    const peer = await RawCoapPeer.open();
    const uri = `coap://127.0.0.1:${peer.address.port}`;
    const client = new Lwm2mClient({
      endpoint: 'pk1',
      lwm2mVersion: '1.2',
      bootstrapPack: true,
      bind: { address: '127.0.0.1', port: 0 },
      bootstrapServer: { uri },
      ...extra,
    });
    closers.push(
      () => peer.close(),
      () => client.stop(),
    );
    return { peer, uri, client };
  }
  const replyTo = (
    peer: RawCoapPeer,
    req: { bytes: Uint8Array; address: string; port: number },
    rest: string,
  ) => peer.send(ackOf(req.bytes, rest), { address: req.address, port: req.port });

  test('sends GET /bspack?ep=.. with Accept SenML CBOR, applies the 2.05 pack and registers (raw bytes)', async () => {
    const { peer, uri, client } = await setup();
    const bootstrapped = nextEvent(client, 'bootstrapped');
    await client.start();
    // CON GET with a 4-byte token; Uri-Path "bspack" (b6), Uri-Query "ep=pk1" (46), Accept 112 (21 70).
    const get = await peer.expect('44 01 .... ........ b6 62737061636b 46 65703d706b31 21 70');
    // 2.05, Content-Format 110 (c1 6e), the pack naming this same peer as the LwM2M Server.
    await replyTo(peer, get, '45 c1 6e ff' + hexOfText(packFor(uri)));
    await bootstrapped;
    // No Bootstrap-Finish comes: the pack was the whole bootstrap; the client registers.
    const register = await peer.next();
    assert.equal(register.bytes[1], 0x02, 'a POST');
    assert.match(Buffer.from(register.bytes).toString('latin1'), /rd.*ep=pk1.*lwm2m=1\.2/s);
    const lifetime = client.tree.get(1, 0)!.read(1);
    assert.equal(lifetime?.kind === 'resource' && lifetime.value.value, 300);
    const accounts = client.tree.instanceIds(0).map((i) => client.tree.get(0, i)!.read(1));
    assert.equal(accounts.filter((r) => r?.kind === 'resource' && r.value.value === true).length, 1);
  });

  test('falls back to the Bootstrap-Request when the Bootstrap-Server answers 4.04', async () => {
    const { peer, client } = await setup();
    await client.start();
    const get = await peer.expect('44 01 .... ........ b6 62737061636b 46 65703d706b31 21 70');
    await replyTo(peer, get, '84');
    // CON POST /bs?ep=pk1&pct=112: Uri-Path "bs" (b2), Uri-Query "ep=pk1" (46), "pct=112" (07).
    await peer.expect(POST_BS);
  });

  test('a pack that would leave the configuration inconsistent is not applied: POST /bs follows', async () => {
    const { peer, uri, client } = await setup();
    const warning = nextEvent(client, 'warning');
    await client.start();
    const get = await peer.expect('44 01 .... ........ b6 62737061636b 46 65703d706b31 21 70');
    await replyTo(peer, get, '45 c1 6e ff' + hexOfText(packFor(uri, 9)));
    await peer.expect(POST_BS);
    const [e] = await warning;
    assert.match(
      e.message,
      /inconsistent configuration from the Bootstrap-Pack: .*Short Server ID 9.*falling back/,
    );
    assert.deepEqual(client.tree.instanceIds(0), [0], 'only the bootstrap account, unchanged');
    assert.deepEqual(client.tree.instanceIds(1), []);
  });

  test('an undecodable pack changes nothing and POST /bs follows', async () => {
    const { peer, client } = await setup();
    const warning = nextEvent(client, 'warning');
    await client.start();
    const get = await peer.expect('44 01 .... ........ b6 62737061636b 46 65703d706b31 21 70');
    await replyTo(peer, get, '45 c1 6e ff' + hexOfText('[{"bn":"/1/0/","n":"1","v":'));
    await peer.expect(POST_BS);
    assert.match((await warning)[0].message, /unusable Bootstrap-Pack: /);
    assert.deepEqual(client.tree.instanceIds(1), []);
  });

  test('resources and objects the client does not know are left out, not an error', async () => {
    const { peer, uri, client } = await setup();
    const bootstrapped = nextEvent(client, 'bootstrapped');
    const warning = nextEvent(client, 'warning');
    await client.start();
    const get = await peer.expect('44 01 .... ........ b6 62737061636b 46 65703d706b31 21 70');
    const records = JSON.parse(packFor(uri)) as object[];
    records.push({ bn: '/1/0/', n: '999', v: 1 }, { bn: '/4242/0/', n: '1', vs: 'x' });
    await replyTo(peer, get, '45 c1 6e ff' + hexOfText(JSON.stringify(records)));
    await bootstrapped;
    assert.match((await warning)[0].message, /ignored unknown \/1\/0\/999, \/4242/);
    assert.deepEqual(client.tree.instanceIds(1), [0]);
  });

  test('bootstrapPack needs LwM2M 1.2', () => {
    assert.throws(
      () => new Lwm2mClient({ endpoint: 'x', lwm2mVersion: '1.1', bootstrapPack: true }),
      /bootstrapPack needs lwm2mVersion 1.2/,
    );
  });
});
