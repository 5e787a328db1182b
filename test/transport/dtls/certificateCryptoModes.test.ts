// Where a server's ECDHE_ECDSA public-key work runs (the `handshakeCrypto` option, issue 15
// benchmark): inline on the event loop (the default) and on the worker pool both complete X.509
// and raw-public-key handshakes through the whole transport, and the default starts no pool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import type { HandshakeCryptoChoice } from '../../../src/transport/dtls/crypto/lazyHandshakeCrypto.js';
import { ContentType } from '../../../src/transport/dtls/record/RecordCodec.js';
import { waitUntil } from '../../support/waitUntil.js';
import { certificateServer, pki, rpkDevice, rpkDeviceSpki } from './certificateServerSetup.js';

/** Threads of this process now (Linux), undefined elsewhere. */
function threadCount(): number | undefined {
  try {
    return readdirSync('/proc/self/task').length;
  } catch {
    return undefined;
  }
}

/** One full handshake of `kind` against `server`, then a record it delivers. */
async function completeOne(setup: ReturnType<typeof certificateServer>, kind: 'x509' | 'rpk'): Promise<void> {
  const c = setup.client({ rawPublicKeys: kind === 'rpk' });
  await c.toServerHelloDone(); // the script checks the ServerKeyExchange signature
  await c.send(
    kind === 'rpk'
      ? c.certificate({ type: 'rawPublicKey', subjectPublicKeyInfo: rpkDeviceSpki })
      : c.certificate({ type: 'x509', chain: [pki.device.der, pki.intermediate.der] }),
    c.keyExchange(),
    c.certificateVerify(kind === 'rpk' ? rpkDevice.privateKey : pki.device.privateKey),
    ...c.finish(),
  );
  await waitUntil(() => c.serverFinished(), 'the server Finished', 5_000, 1);
  const before = setup.delivered.length;
  await c.send(c.keys.seal(1, ContentType.applicationData, Buffer.from('hello')));
  await waitUntil(() => setup.delivered.length > before, 'the first datagram', 5_000, 1);
  assert.equal(setup.delivered.at(-1)!.peer.identity?.kind, kind);
}

for (const mode of ['inline', 'workers', undefined] as const) {
  test(`handshakeCrypto ${mode ?? 'by default'}: X.509 and raw-public-key clients complete`, async () => {
    const setup = certificateServer(mode ? { handshakeCrypto: mode } : { handshakeCrypto: undefined });
    try {
      await completeOne(setup, 'x509');
      await completeOne(setup, 'rpk');
      assert.equal(setup.server.stats.handshakesCompleted, 2);
      assert.equal(setup.server.stats.cryptoBusy, 0);
    } finally {
      await setup.server.close();
    }
  });
}

test('by default a server runs its certificate handshakes inline: no worker thread starts', async (t) => {
  const before = threadCount();
  if (before === undefined) return t.skip('no /proc/self/task here');
  const setup = certificateServer({ handshakeCrypto: undefined });
  try {
    await completeOne(setup, 'rpk');
    assert.equal(threadCount(), before);
  } finally {
    await setup.server.close();
  }
});

test("'workers' starts the pool's threads on the first certificate handshake", async (t) => {
  const before = threadCount();
  if (before === undefined) return t.skip('no /proc/self/task here');
  const setup = certificateServer({ handshakeCrypto: 'workers' });
  try {
    assert.equal(threadCount(), before, 'nothing before a certificate handshake');
    await completeOne(setup, 'rpk');
    assert.ok(threadCount()! > before);
  } finally {
    await setup.server.close();
  }
});

test('an unknown handshakeCrypto is refused when the transport is made', () => {
  assert.throws(
    () => certificateServer({ handshakeCrypto: 'fibers' as unknown as HandshakeCryptoChoice }),
    /handshakeCrypto must be/,
  );
});
