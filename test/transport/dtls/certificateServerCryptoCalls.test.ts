// The public-key calls of one ECDHE_ECDSA server handshake (issue 15 benchmark): each is a worker
// round trip with the default pool, so the server makes as few as it can: the ephemeral key and
// its ServerKeyExchange signature in one call, then the premaster secret and the client's
// CertificateVerify.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { InlineHandshakeCrypto } from '../../../src/transport/dtls/crypto/HandshakeCrypto.js';
import { waitUntil } from '../../support/waitUntil.js';
import { certificateServer, rpkDevice, rpkDeviceSpki } from './certificateServerSetup.js';

class CountingCrypto extends InlineHandshakeCrypto {
  readonly calls: string[] = [];
  override ecdhGenerate() {
    this.calls.push('ecdhGenerate');
    return super.ecdhGenerate();
  }
  override ecdhGenerateSigned(prefix: Uint8Array, key: KeyObject) {
    this.calls.push('ecdhGenerateSigned');
    return super.ecdhGenerateSigned(prefix, key);
  }
  override ecdhCompute(k: Uint8Array, p: Uint8Array) {
    this.calls.push('ecdhCompute');
    return super.ecdhCompute(k, p);
  }
  override sign(data: Uint8Array, key: KeyObject) {
    this.calls.push('sign');
    return super.sign(data, key);
  }
  override verify(data: Uint8Array, key: KeyObject | Uint8Array, signature: Uint8Array) {
    this.calls.push('verify');
    return super.verify(data, key, signature);
  }
}

test('a server handshake makes three public-key calls: generate-and-sign, compute, verify', async () => {
  const crypto = new CountingCrypto();
  const { server, client } = certificateServer({ handshakeCrypto: crypto });
  try {
    const c = client({ rawPublicKeys: true }); // the script checks the ServerKeyExchange signature
    await c.toServerHelloDone();
    await c.send(
      c.certificate({ type: 'rawPublicKey', subjectPublicKeyInfo: rpkDeviceSpki }),
      c.keyExchange(),
      c.certificateVerify(rpkDevice.privateKey),
      ...c.finish(),
    );
    await waitUntil(() => c.serverFinished(), 'the server Finished', 5_000, 1);
    assert.deepEqual(crypto.calls, ['ecdhGenerateSigned', 'ecdhCompute', 'verify']);
  } finally {
    await server.close();
  }
});
