// Issue 13 item 5 end to end: a Bootstrap-Server (plain UDP) provisions a PSK account (Core TS
// E.1: Security Mode 0, resource 3 the identity, 5 the key, a coaps:// URI) and the client then
// registers to our DTLS server with those credentials, read from /0 as the bootstrap left it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { BootstrapServer } from '../../src/bootstrap/BootstrapServer.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import type { BootstrapConfig } from '../../src/lwm2m/BootstrapConfig.js';
import { MemoryBootstrapConfigStore } from '../../src/store/memory/MemoryBootstrapConfigStore.js';
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
