// lazyHandshakeCrypto: the transport's default HandshakeCrypto (inline, or the worker pool with
// 'workers') starts on first use only (a PSK-only transport never starts worker threads), is
// stopped by close(), and an application's own instance is used as given and never closed by the
// transport.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InlineHandshakeCrypto,
  type HandshakeCrypto,
} from '../../../src/transport/dtls/crypto/HandshakeCrypto.js';
import { lazyHandshakeCrypto } from '../../../src/transport/dtls/crypto/lazyHandshakeCrypto.js';
import { WorkerHandshakeCrypto } from '../../../src/transport/dtls/crypto/WorkerHandshakeCrypto.js';

class CountingCrypto extends InlineHandshakeCrypto {
  closed = 0;
  override close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }
}

test('the default crypto is made on the first get(), once, and closed by close()', async () => {
  const made: CountingCrypto[] = [];
  const lazy = lazyHandshakeCrypto({ create: () => (made.push(new CountingCrypto()), made.at(-1)!) });
  assert.equal(made.length, 0);
  const a = lazy.get();
  assert.equal(lazy.get(), a);
  assert.equal(made.length, 1);
  await lazy.close();
  assert.equal(made[0]!.closed, 1);
  await lazy.close(); // nothing left to close
  assert.equal(made[0]!.closed, 1);
});

test('close() without a get() starts nothing', async () => {
  let made = 0;
  const lazy = lazyHandshakeCrypto({ create: () => (made++, new CountingCrypto()) });
  await lazy.close();
  assert.equal(made, 0);
});

test("the application's crypto is used and never closed", async () => {
  const given = new CountingCrypto();
  const lazy = lazyHandshakeCrypto({ handshakeCrypto: given, create: () => assert.fail('no default') });
  assert.equal(lazy.get(), given);
  await lazy.close();
  assert.equal(given.closed, 0);
});

test('without options the default is inline (measured cheaper than the pool: README, bench dtls)', async () => {
  const lazy = lazyHandshakeCrypto({});
  const crypto = lazy.get();
  assert.ok(crypto instanceof InlineHandshakeCrypto);
  assert.equal((await crypto.ecdhGenerate()).publicPoint.length, 65);
  await lazy.close();
  assert.throws(() => lazy.get(), /closed/);
});

test("'inline' and 'workers' choose the implementation; anything else is refused", async () => {
  const inline = lazyHandshakeCrypto({ handshakeCrypto: 'inline' });
  assert.ok(inline.get() instanceof InlineHandshakeCrypto);
  await inline.close();
  assert.throws(
    () => lazyHandshakeCrypto({ handshakeCrypto: 'toString' as unknown as 'workers' }),
    /handshakeCrypto must be/,
  );
});

test("'workers' is a WorkerHandshakeCrypto that works and stops", async () => {
  const lazy = lazyHandshakeCrypto({ handshakeCrypto: 'workers' });
  const crypto: HandshakeCrypto = lazy.get();
  assert.ok(crypto instanceof WorkerHandshakeCrypto);
  const pair = await crypto.ecdhGenerate();
  assert.equal(pair.publicPoint.length, 65);
  await lazy.close();
  await assert.rejects(crypto.ecdhGenerate(), /closed/);
  assert.throws(() => lazy.get(), /closed/, 'a closed transport never starts a new pool');
});
