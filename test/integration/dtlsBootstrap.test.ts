// Issue 13 item 5 end to end: a Bootstrap-Server (plain UDP) provisions a PSK account (Core TS
// E.1: Security Mode 0, resource 3 the identity, 5 the key, a coaps:// URI) and the client then
// registers to our DTLS server with those credentials, read from /0 as the bootstrap left it;
// credentials rewritten later are used from the next exchange on; a coaps:// Bootstrap-Server is
// reached over DTLS with the PSK of the bootstrap account.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { BootstrapServer } from '../../src/bootstrap/BootstrapServer.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import type { BootstrapConfig } from '../../src/lwm2m/BootstrapConfig.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';
import { DtlsTransport } from '../../src/transport/dtls/DtlsTransport.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { startDtlsServer } from './support/dtlsServer.js';
import { assertNoOpenHandles, withTimeout } from './support/e2e.js';

after(assertNoOpenHandles);

const KEY = Buffer.from('0f0e0d0c0b0a09080706050403020100', 'hex');

test('a bootstrap that provisions PSK credentials leads to a DTLS registration', async () => {
  const s = await startDtlsServer();
  const configs = new MemoryBootstrapConfigStore();
  const bs = await BootstrapServer.start({ address: '127.0.0.1', port: 0, configStore: configs });
  const client = new Lwm2mClient({
    endpoint: 'bs-dtls-1',
    bind: { address: '127.0.0.1', port: 0 },
    bootstrapServer: { uri: `coap://127.0.0.1:${bs.address().port}` },
    requestTimeoutMs: 5_000,
    dtls: { handshakeTimeoutMs: 5_000, flight: { initialTimeoutMs: 200 } },
  });
  try {
    await s.store.put({ endpoint: 'bs-dtls-1', kind: 'psk', identity: 'bs-dev-1', key: KEY });
    const config: BootstrapConfig = {
      security: {
        1: {
          uri: s.uri,
          bootstrapServer: false,
          securityMode: 'psk',
          publicKeyOrIdentity: new TextEncoder().encode('bs-dev-1'),
          secretKey: KEY,
          shortServerId: 1,
        },
      },
      servers: { 0: { shortServerId: 1, lifetime: 300, binding: 'U' } },
    };
    await configs.put('bs-dtls-1', config);
    const registered = new Promise<void>((r) => client.on('registered', () => r()));
    await client.start();
    const reg = await s.server.waitForRegistration('bs-dtls-1', 15_000);
    await withTimeout(registered, 15_000, 'client registration');
    assert.deepEqual(reg.peer.identity, { kind: 'psk', identity: 'bs-dev-1' });
    assert.equal(s.dtls.stats.handshakesCompleted, 1);
    const read = await s.server.read('bs-dtls-1', '/3/0');
    assert.equal(read.code, 0x45, 'DM over the provisioned DTLS session');
  } finally {
    await withTimeout(client.stop(), 3_000).catch(() => undefined);
    await bs.stop();
    await s.close();
  }
});

test('new PSK credentials in /0 are used from the next exchange on, never the old session', async () => {
  const s = await startDtlsServer();
  const KEY_OLD = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  await s.store.put({ endpoint: 'rekey-1', kind: 'psk', identity: 'old-id', key: KEY_OLD });
  const client = new Lwm2mClient({
    endpoint: 'rekey-1',
    bind: { address: '127.0.0.1', port: 0 },
    servers: [
      { uri: s.uri, ssid: 1, lifetime: 300, binding: 'U', psk: { identity: 'old-id', key: KEY_OLD } },
    ],
    requestTimeoutMs: 5_000,
  });
  try {
    const registered = new Promise<void>((r) => client.on('registered', () => r()));
    await client.start();
    await withTimeout(registered, 10_000, 'client registration'); // the client has its 2.01
    assert.deepEqual((await s.server.waitForRegistration('rekey-1', 10_000)).peer.identity, {
      kind: 'psk',
      identity: 'old-id',
    });
    // what a Bootstrap-Server's writes of /0/0/3 and /0/0/5 leave behind
    await s.store.put({ endpoint: 'rekey-1', kind: 'psk', identity: 'new-id', key: KEY });
    client.set('/0/0/3', new TextEncoder().encode('new-id'));
    client.set('/0/0/5', KEY);
    const updated = new Promise<void>((r) => client.on('updated', () => r()));
    client.set('/1/0/1', 600); // a lifetime change sends an Update
    await withTimeout(updated, 10_000, 'the Update');
    const reg = await s.server.getRegistration('rekey-1');
    assert.equal(reg?.lifetime, 600);
    assert.deepEqual(reg?.peer.identity, { kind: 'psk', identity: 'new-id' });
    assert.equal(s.dtls.stats.handshakesCompleted, 2);
  } finally {
    await withTimeout(client.stop(), 3_000).catch(() => undefined);
    await s.close();
  }
});

test('a coaps Bootstrap-Server is reached over DTLS with the PSK of the bootstrap account', async () => {
  const s = await startDtlsServer();
  const configs = new MemoryBootstrapConfigStore();
  const BS_KEY = Buffer.from('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf', 'hex');
  const bsDtls = new DtlsTransport(await UdpTransport.bind({ address: '127.0.0.1', port: 0 }), {
    role: 'server',
    pskFor: (identity) => (identity === 'bs-id' ? BS_KEY : undefined),
  });
  const bs = await BootstrapServer.start({ transports: [bsDtls], configStore: configs });
  const client = new Lwm2mClient({
    endpoint: 'bs-dtls-2',
    bind: { address: '127.0.0.1', port: 0 },
    bootstrapServer: {
      uri: `coaps://127.0.0.1:${bs.address().port}`,
      psk: { identity: 'bs-id', key: BS_KEY },
    },
    requestTimeoutMs: 5_000,
  });
  try {
    await s.store.put({ endpoint: 'bs-dtls-2', kind: 'psk', identity: 'dev-2', key: KEY });
    await configs.put('bs-dtls-2', {
      security: {
        1: {
          uri: s.uri,
          bootstrapServer: false,
          securityMode: 'psk',
          publicKeyOrIdentity: new TextEncoder().encode('dev-2'),
          secretKey: KEY,
          shortServerId: 1,
        },
      },
      servers: { 0: { shortServerId: 1, lifetime: 300, binding: 'U' } },
    });
    await client.start();
    const reg = await s.server.waitForRegistration('bs-dtls-2', 15_000);
    assert.deepEqual(reg.peer.identity, { kind: 'psk', identity: 'dev-2' });
    assert.equal(bsDtls.stats.handshakesCompleted, 1, 'the bootstrap went over DTLS');
  } finally {
    await withTimeout(client.stop(), 3_000).catch(() => undefined);
    await bs.stop();
    await s.close();
  }
});
