// A client refuses accounts it cannot secure as their URI says (issue 11 item 14, issue 13 item 5):
// a coaps:// account without PSK credentials (NoSec), a PSK account on coap://, RPK/certificate
// accounts without their keys and schemes without a transport (coap+tcp) give a clear error at start-up with nothing
// sent (no plain CoAP to the DTLS port), and 4.06 at Bootstrap-Finish when a Bootstrap-Server
// configures one; the scheme check names the schemes the client has transports for.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toCoapRequest } from '../../src/binding/toCoapRequest.js';
import { checkBootstrapConsistency } from '../../src/client/bootstrap/checkBootstrapConsistency.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { schemeProblem } from '../../src/client/transportSchemes.js';
import { UnusableSecurityError } from '../../src/client/accountSecurity.js';
import type { Lwm2mClientOptions } from '../../src/client/Lwm2mClientOptions.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { securityInstanceNode, serverInstanceNode } from '../../src/lwm2m/bootstrapNodes.js';
import { bootstrapFinish, bootstrapWrite } from '../../src/lwm2m/requests.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { makePeer } from '../../src/transport/Peer.js';
import { ManualClock } from '../support/ManualClock.js';
import { flush, MemoryNetwork } from '../support/MemoryTransport.js';
import { RawCoapPeer } from '../support/RawCoapPeer.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('URI schemes and security modes a client cannot use', () => {
  test('schemeProblem names what is missing and what is usable', () => {
    assert.equal(schemeProblem('coap://h:5683', ['coap']), undefined);
    assert.equal(
      schemeProblem('coaps://h:5684', ['coap']),
      'coaps://h:5684 needs a secured (DTLS) transport, which is not configured (usable schemes: coap)',
    );
    assert.match(schemeProblem('coap+tcp://h', ['coap'])!, /needs a transport this client does not have/);
    assert.equal(schemeProblem('coaps://h:5684', ['coap', 'coaps']), undefined);
  });

  test('a coaps server account without PSK (NoSec): start() fails clearly and nothing is sent', async () => {
    const peer = await RawCoapPeer.open();
    closers.push(() => peer.close());
    const client = new Lwm2mClient({
      endpoint: 'nosec-coaps',
      bind: { address: '127.0.0.1', port: 0 },
      servers: [{ uri: `coaps://127.0.0.1:${peer.address.port}`, ssid: 1 }],
    });
    closers.push(() => client.stop());
    await assert.rejects(client.start(), (e: unknown) => {
      assert.ok(e instanceof UnusableSecurityError);
      assert.match(
        e.message,
        /^\/0\/0: coaps:\/\/127\.0\.0\.1:\d+ is a secured URI but the security mode is 3/,
      );
      return true;
    });
    await assert.rejects(peer.next(300), /no datagram/);
  });

  test('a coaps Bootstrap-Server account without PSK: start() fails clearly', async () => {
    const client = new Lwm2mClient({
      endpoint: 'nosec-coaps',
      bind: { address: '127.0.0.1', port: 0 },
      bootstrapServer: { uri: 'coaps://127.0.0.1:5784' },
    });
    closers.push(() => client.stop());
    await assert.rejects(client.start(), /^UnusableSecurityError: the Bootstrap-Server account: coaps:/);
  });

  test('a PSK account on coap://, an RPK account, a coap+tcp account: start() fails clearly', async () => {
    const psk = { identity: 'dev1', key: Uint8Array.of(1, 2, 3) };
    const cases: [Lwm2mClientOptions['servers'], RegExp][] = [
      [[{ uri: 'coap://127.0.0.1:5683', ssid: 1, psk }], /security mode 0 \(PSK\) needs a coaps:\/\/ URI/],
      [[{ uri: 'coap+tcp://127.0.0.1:5683', ssid: 1 }], /needs a transport this client does not have/],
    ];
    for (const [servers, message] of cases) {
      const client = new Lwm2mClient({ endpoint: 'e', bind: { address: '127.0.0.1', port: 0 }, servers });
      closers.push(() => client.stop());
      await assert.rejects(client.start(), message);
    }
    const rpk = new Lwm2mClient({
      endpoint: 'e',
      bind: { address: '127.0.0.1', port: 0 },
      factoryConfig: {
        security: {
          0: { uri: 'coaps://127.0.0.1:5684', bootstrapServer: false, securityMode: 'rpk', shortServerId: 1 },
        },
        servers: { 0: { shortServerId: 1, lifetime: 60, binding: 'U' } },
      },
    });
    closers.push(() => rpk.stop());
    // RPK is supported (issue 15); an account without its keys is refused naming the resource
    await assert.rejects(
      rpk.start(),
      /security mode 1 \(RPK\): resource 5 is empty: the private key is missing/,
    );
  });

  test('checkBootstrapConsistency with supportedSchemes refuses coaps and coap+tcp accounts', () => {
    const sec = (id: number, uri: string, mode: 'psk' | 'nosec') =>
      securityInstanceNode(id, {
        uri,
        bootstrapServer: false,
        securityMode: mode,
        shortServerId: id,
        ...(mode === 'psk'
          ? { publicKeyOrIdentity: new Uint8Array([1]), secretKey: new Uint8Array([2]) }
          : {}),
      });
    const srv = (id: number) => serverInstanceNode(id, { shortServerId: id, lifetime: 60, binding: 'U' });
    const problems = checkBootstrapConsistency(
      [sec(1, 'coaps://a:5684', 'psk'), sec(2, 'coap+tcp://b', 'nosec'), sec(3, 'coap://c', 'nosec')],
      [srv(1), srv(2), srv(3)],
      { supportedSchemes: ['coap'] },
    );
    assert.deepEqual(problems, [
      '/0/1: coaps://a:5684 needs a secured (DTLS) transport, which is not configured (usable schemes: coap)',
      '/0/2: coap+tcp://b needs a transport this client does not have (usable schemes: coap)',
    ]);
  });

  test('Bootstrap-Finish after a NoSec coaps account was written: 4.06 naming the mismatch', async () => {
    const models = createCoreRegistry();
    const net = new MemoryNetwork();
    const bs = new CoapEndpoint(net.bind('10.0.0.5', 5783));
    let asked = 0;
    bs.router.use('bs', () => (asked++, { code: 0x44 }));
    const client = new Lwm2mClient({
      clock: new ManualClock(0),
      endpoint: 'dtls-less',
      transport: net.bind('10.0.0.1'),
      bootstrapServer: { uri: 'coap://10.0.0.5:5783' },
    });
    closers.push(async () => {
      await client.stop();
      await bs.close();
    });
    await client.start();
    for (let i = 0; i < 50 && client.bootstrapState !== 'running'; i++) await flush();
    assert.equal(asked, 1);
    const send = (r: Parameters<typeof toCoapRequest>[0]) =>
      bs.request(makePeer('10.0.0.1', 5683), toCoapRequest(r, { models, lwm2mVersion: '1.1' }));
    const security = securityInstanceNode(1, {
      uri: 'coaps://10.0.0.2:5684',
      bootstrapServer: false,
      securityMode: 'nosec',
      shortServerId: 9,
    });
    assert.equal((await send(bootstrapWrite('/0/1', security))).code, 0x44);
    const server = serverInstanceNode(0, { shortServerId: 9, lifetime: 300, binding: 'U' });
    assert.equal((await send(bootstrapWrite('/1/0', server))).code, 0x44);
    const res = await send(bootstrapFinish());
    assert.equal(res.code, 0x86);
    assert.match(new TextDecoder().decode(res.payload), /security mode 3 does not fit the scheme coaps:/);
  });
});
