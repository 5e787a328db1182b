// The asynchronous public-key interface of certificate handshakes (issue 15 item 5), inline and on
// worker threads: ECDH agreement, ECDSA sign/verify, refusals, and the worker pool's bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, generateKeyPairSync } from 'node:crypto';
import {
  InlineHandshakeCrypto,
  type HandshakeCrypto,
} from '../../../src/transport/dtls/crypto/HandshakeCrypto.js';
import {
  CryptoBusyError,
  WorkerHandshakeCrypto,
} from '../../../src/transport/dtls/crypto/WorkerHandshakeCrypto.js';

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const spki = keys.publicKey.export({ type: 'spki', format: 'der' });

for (const [name, make] of [
  ['inline', () => new InlineHandshakeCrypto()],
  ['worker threads', () => new WorkerHandshakeCrypto({ threads: 2 })],
] as const) {
  test(`${name}: ECDH agrees with a node:crypto peer; ECDSA signatures verify, wrong ones do not`, async (t) => {
    const crypto: HandshakeCrypto = make();
    t.after(() => crypto.close());
    const mine = await crypto.ecdhGenerate();
    assert.equal(mine.publicPoint.length, 65);
    assert.equal(mine.publicPoint[0], 4);
    const peer = createECDH('prime256v1');
    const peerPoint = peer.generateKeys();
    const secret = await crypto.ecdhCompute(mine.privateKey, peerPoint);
    assert.deepEqual(Buffer.from(secret), peer.computeSecret(Buffer.from(mine.publicPoint)));
    await assert.rejects(crypto.ecdhCompute(mine.privateKey, Buffer.alloc(65, 1)));

    const data = Buffer.from('client_random server_random params');
    const signature = await crypto.sign(data, keys.privateKey);
    assert.equal(await crypto.verify(data, keys.publicKey, signature), true);
    assert.equal(await crypto.verify(data, spki, signature), true);
    assert.equal(await crypto.verify(Buffer.from('other'), keys.publicKey, signature), false);
    assert.equal(await crypto.verify(data, keys.publicKey, Buffer.from('3000', 'hex')), false);
    assert.equal(await crypto.verify(data, Buffer.from('not a key'), signature), false);
  });

  test(`${name}: a key pair generated and signed in one call: prefix || point verifies`, async (t) => {
    const crypto: HandshakeCrypto = make();
    t.after(() => crypto.close());
    const prefix = Buffer.from('randoms and the params header');
    const { pair, signature } = await crypto.ecdhGenerateSigned(prefix, keys.privateKey);
    assert.equal(pair.publicPoint.length, 65);
    const signed = Buffer.concat([prefix, pair.publicPoint]);
    assert.equal(await crypto.verify(signed, keys.publicKey, signature), true);
    assert.equal(await crypto.verify(prefix, keys.publicKey, signature), false);
    const peer = createECDH('prime256v1');
    const peerPoint = peer.generateKeys();
    const secret = await crypto.ecdhCompute(pair.privateKey, peerPoint);
    assert.deepEqual(Buffer.from(secret), peer.computeSecret(Buffer.from(pair.publicPoint)));
    const again = await crypto.ecdhGenerateSigned(prefix, keys.privateKey);
    assert.notDeepEqual(again.pair.publicPoint, pair.publicPoint, 'a fresh key each call (RFC 8422 2)');
  });
}

test('inline: a key computes with the ECDH object that made it or, given as a copy, with a new one', async () => {
  const crypto = new InlineHandshakeCrypto();
  const mine = await crypto.ecdhGenerate();
  const peer = createECDH('prime256v1');
  const peerPoint = peer.generateKeys();
  const expected = peer.computeSecret(Buffer.from(mine.publicPoint));
  assert.deepEqual(Buffer.from(await crypto.ecdhCompute(mine.privateKey, peerPoint)), expected);
  const copy = Uint8Array.from(mine.privateKey);
  assert.deepEqual(Buffer.from(await crypto.ecdhCompute(copy, peerPoint)), expected);
});

test('the worker pool bounds the operations waiting: past maxPending a call fails at once', async (t) => {
  const crypto = new WorkerHandshakeCrypto({ threads: 1, maxPending: 2 });
  t.after(() => crypto.close());
  const a = crypto.ecdhGenerate();
  const b = crypto.ecdhGenerate();
  assert.equal(crypto.pending, 2);
  await assert.rejects(crypto.ecdhGenerate(), CryptoBusyError);
  assert.equal(crypto.busyRejections, 1);
  await Promise.all([a, b]);
  assert.equal(crypto.pending, 0);
  assert.equal((await crypto.ecdhGenerate()).publicPoint.length, 65);
});

test('closing the pool fails what is waiting and every later call', async () => {
  const crypto = new WorkerHandshakeCrypto({ threads: 1 });
  const waiting = crypto.sign(Buffer.from('x'), keys.privateKey);
  await crypto.close();
  await assert.rejects(waiting);
  await assert.rejects(crypto.ecdhGenerate(), /closed/);
});
