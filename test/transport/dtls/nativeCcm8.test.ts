// The native AES-128-CCM_8 record cipher (native/ccm8.c, record/nativeCcm8.ts) against node:crypto:
// the same bytes for random keys, nonces, AAD and lengths (empty included), in place and not;
// every forged bit refused, and a refusal leaves the next call correct; bad arguments throw;
// it loads in a worker thread too; and the node:crypto fallback passes the CCM vectors.
// A missing build skips loudly (fails under REQUIRE_PEERS=1, as .ci/run sets).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  randomFillSync,
} from 'node:crypto';
import { Worker } from 'node:worker_threads';
import {
  NATIVE_CCM8_PATH,
  nativeCcm8,
  nativeCcm8Unavailable,
} from '../../../src/transport/dtls/record/nativeCcm8.js';
import { skipOrFail } from '../../support/peers.js';

/** node:crypto's AES-128-CCM_8: ciphertext | tag. */
function nodeSeal(keyNonce: Uint8Array, aad: Uint8Array, plain: Uint8Array): Buffer {
  const c = createCipheriv('aes-128-ccm', keyNonce.subarray(0, 16), keyNonce.subarray(16), {
    authTagLength: 8,
  });
  c.setAAD(aad, { plaintextLength: plain.length });
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
}

function nodeOpens(keyNonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): boolean {
  const n = sealed.length - 8;
  const d = createDecipheriv('aes-128-ccm', keyNonce.subarray(0, 16), keyNonce.subarray(16), {
    authTagLength: 8,
  });
  d.setAuthTag(sealed.subarray(n));
  d.setAAD(aad, { plaintextLength: n });
  d.update(sealed.subarray(0, n));
  try {
    d.final();
    return true;
  } catch {
    return false;
  }
}

const MISSING = `NATIVE CIPHER MISSING: ${nativeCcm8Unavailable} (run node scripts/build-native.mjs)`;

test('the native cipher gives node:crypto bytes for 3 000 random messages, in place and not', (t) => {
  const native = nativeCcm8;
  if (!native) return skipOrFail(t, MISSING);
  for (let i = 0; i < 3_000; i++) {
    const keyNonce = randomBytes(28);
    const aad = randomBytes(i % 41); // 0-40: classic (13) and CID (up to 23 + CID) AAD lengths
    // (node:crypto reads some empty Buffers, e.g. randomBytes(0), as a NULL pointer and fails)
    const plain = randomFillSync(Buffer.alloc(i % 7 === 0 ? 0 : (i * 13) % 1_500));
    const expected = nodeSeal(keyNonce, aad, plain);
    const out = Buffer.alloc(plain.length + 8 + 5);
    native.seal(keyNonce, aad, plain, out, 5);
    assert.deepEqual(out.subarray(5), expected, `message ${i}`);
    const inPlace = Buffer.concat([plain, Buffer.alloc(8)]);
    native.seal(keyNonce, aad, inPlace.subarray(0, plain.length), inPlace, 0);
    assert.deepEqual(inPlace, expected, `message ${i} in place`);
    const back = Buffer.alloc(plain.length);
    assert.equal(
      native.open(keyNonce, aad, expected.subarray(0, plain.length), expected.subarray(plain.length), back),
      true,
    );
    assert.deepEqual(back, plain);
  }
});

test('every flipped bit of ciphertext, tag, AAD, key or nonce is refused, and the next message still opens', (t) => {
  const native = nativeCcm8;
  if (!native) return skipOrFail(t, MISSING);
  for (const length of [0, 1, 16, 40]) {
    const keyNonce = randomBytes(28);
    const aad = randomBytes(13);
    const plain = randomFillSync(Buffer.alloc(length));
    const sealed = nodeSeal(keyNonce, aad, plain);
    const parts = { sealed, aad, keyNonce };
    for (const [name, bytes] of Object.entries(parts))
      for (let bit = 0; bit < bytes.length * 8; bit += 3) {
        const forged = { ...parts, [name]: Buffer.from(bytes) };
        forged[name as keyof typeof parts][bit >> 3]! ^= 1 << (bit & 7);
        const f = forged.sealed;
        const out = Buffer.alloc(length);
        const ok: boolean = native.open(
          forged.keyNonce,
          forged.aad,
          f.subarray(0, length),
          f.subarray(length),
          out,
        );
        assert.equal(ok, false, `${name} bit ${bit}, length ${length}`);
        assert.equal(nodeOpens(forged.keyNonce, forged.aad, f), false);
        // a refusal leaves the context ready for the next, genuine record
        const again = Buffer.alloc(length);
        assert.equal(
          native.open(keyNonce, aad, sealed.subarray(0, length), sealed.subarray(length), again),
          true,
        );
        assert.deepEqual(again, plain);
      }
  }
});

test('a refused tag leaves no OpenSSL error behind for the next node:crypto call', (t) => {
  const native = nativeCcm8;
  if (!native) return skipOrFail(t, MISSING);
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  });
  const keyNonce = randomBytes(28);
  const sealed = nodeSeal(keyNonce, new Uint8Array(0), randomFillSync(Buffer.alloc(16)));
  sealed[20]! ^= 1;
  const out = Buffer.alloc(16);
  assert.equal(
    native.open(keyNonce, new Uint8Array(0), sealed.subarray(0, 16), sealed.subarray(16), out),
    false,
  );
  // a PEM import fails on a stale error in the queue ("cipher operation failed"); it must not
  assert.equal(createPrivateKey(pem).asymmetricKeyType, 'ec');
});

test('bad arguments throw a TypeError or RangeError and never write out of bounds', (t) => {
  const native = nativeCcm8;
  if (!native) return skipOrFail(t, MISSING);
  const keyNonce = randomBytes(28);
  const aad = randomBytes(13);
  const plain = randomBytes(10);
  const out = Buffer.alloc(18);
  assert.throws(() => native.seal(randomBytes(27), aad, plain, out, 0), RangeError);
  assert.throws(() => native.seal(keyNonce, randomBytes(65), plain, out, 0), RangeError);
  assert.throws(
    () => native.seal(keyNonce, aad, plain, Buffer.alloc(17), 0),
    RangeError,
    'no room for the tag',
  );
  assert.throws(() => native.seal(keyNonce, aad, plain, out, 1), RangeError, 'offset leaves no room');
  assert.throws(() => native.seal(keyNonce, aad, plain, out, 19), RangeError, 'offset past the end');
  assert.throws(
    () => native.seal(keyNonce, aad, new Uint16Array(5) as unknown as Uint8Array, out, 0),
    TypeError,
  );
  assert.throws(() => native.seal(keyNonce, aad, 'text' as unknown as Uint8Array, out, 0), TypeError);
  assert.throws(() => (native.seal as (...a: unknown[]) => void)(keyNonce, aad, plain, out), TypeError);
  const sealed = nodeSeal(keyNonce, aad, plain);
  const ct = sealed.subarray(0, 10);
  assert.throws(
    () => native.open(keyNonce, aad, ct, sealed.subarray(10, 17), Buffer.alloc(10)),
    RangeError,
    'short tag',
  );
  assert.throws(
    () => native.open(keyNonce, aad, ct, sealed.subarray(10), Buffer.alloc(9)),
    RangeError,
    'no room',
  );
  assert.throws(() => native.open(keyNonce, aad, ct, sealed.subarray(10), {} as Uint8Array), TypeError);
});

test('a worker thread loads its own copy and gets the same bytes', async (t) => {
  if (!nativeCcm8) return skipOrFail(t, MISSING);
  const keyNonce = randomBytes(28);
  const aad = randomBytes(13);
  const plain = randomBytes(100);
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const native = require(workerData.path);
     const out = new Uint8Array(workerData.plain.length + 8);
     native.seal(workerData.keyNonce, workerData.aad, workerData.plain, out, 0);
     parentPort.postMessage(out);`,
    { eval: true, workerData: { path: NATIVE_CCM8_PATH, keyNonce, aad, plain } },
  );
  try {
    const got = await new Promise<Uint8Array>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    assert.deepEqual(Buffer.from(got), nodeSeal(keyNonce, aad, plain));
  } finally {
    await worker.terminate();
  }
});

test('with LWM2M_NATIVE_CRYPTO=0 the node:crypto path passes the CCM vectors and record tests', () => {
  // NODE_TEST_CONTEXT would make the child report to this test runner instead of printing
  const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
  const childEnv = { ...inherited, LWM2M_NATIVE_CRYPTO: '0' };
  const run = spawnSync(
    process.execPath,
    [
      'scripts/run-tests.mjs',
      'test/transport/dtls/aesCcm8.test.ts',
      'test/transport/dtls/recordProtection.test.ts',
    ],
    { env: childEnv, encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /ℹ fail 0/);
});
