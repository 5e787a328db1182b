// The transport's HandshakeCrypto (issue 15 item 5): the application's one is used as given and
// never closed by the transport; without one, a worker pool starts on first use only (a PSK-only
// transport starts no thread) and stops with the transport.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InlineHandshakeCrypto } from '../../../src/transport/dtls/crypto/HandshakeCrypto.js';
import { lazyHandshakeCrypto } from '../../../src/transport/dtls/crypto/lazyHandshakeCrypto.js';
import { WorkerHandshakeCrypto } from '../../../src/transport/dtls/crypto/WorkerHandshakeCrypto.js';

test('a given HandshakeCrypto is used as is and left open', async () => {
  const given = new InlineHandshakeCrypto();
  let closed = 0;
  given.close = () => Promise.resolve(void closed++);
  const lazy = lazyHandshakeCrypto({ handshakeCrypto: given });
  assert.equal(lazy.get(), given);
  await lazy.close();
  assert.equal(closed, 0);
});

test('the default worker pool starts on the first get, is shared, and stops on close', async () => {
  const lazy = lazyHandshakeCrypto({});
  await lazy.close(); // nothing started: nothing to stop
  const fresh = lazyHandshakeCrypto({});
  const crypto = fresh.get();
  assert.ok(crypto instanceof WorkerHandshakeCrypto);
  assert.equal(fresh.get(), crypto);
  assert.equal((await crypto.ecdhGenerate()).publicPoint.length, 65);
  await fresh.close();
  await assert.rejects(crypto.ecdhGenerate(), /closed/);
  assert.throws(() => fresh.get(), /closed/);
});
