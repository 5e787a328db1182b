// The certificate path of our server against a scripted client that breaks the rules: messages
// out of order (unexpected_message), a CertificateVerify that does not verify (decrypt_error), a
// point off the curve or not uncompressed (illegal_parameter), a certificate list over the bound
// (decode_error), and a client that never sends CertificateVerify (never completes: its
// ChangeCipherSpec is dropped and its Finished unreadable, until the handshake deadline).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContentType } from '../../../src/transport/dtls/record/RecordCodec.js';
import {
  encodeHandshakeMessage,
  HandshakeType,
} from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { waitUntil } from '../../support/waitUntil.js';
import { certificateServer, pki, settle } from './certificateServerSetup.js';

const fatal = (description: number): number[] => [2, description];
const chain = [pki.device.der, pki.intermediate.der];

/** Runs `script` after the server's first flight and returns the alerts it got; the server keeps nothing. */
async function alertsAfter(
  script: (c: ReturnType<ReturnType<typeof certificateServer>['client']>) => Promise<void>,
): Promise<number[][]> {
  const { server, client, delivered } = certificateServer();
  try {
    const c = client();
    await c.toServerHelloDone();
    await script(c);
    await waitUntil(() => c.alerts().length > 0, 'an alert', 5_000, 1);
    assert.equal(server.handshakesInProgress, 0);
    assert.equal(server.connectionCount, 0);
    assert.equal(delivered.length, 0);
    return c.alerts();
  } finally {
    await server.close();
  }
}

test('ClientKeyExchange before Certificate: unexpected_message', async () => {
  assert.deepEqual(await alertsAfter((c) => c.send(c.keyExchange())), [fatal(10)]);
});

test('CertificateVerify before ClientKeyExchange: unexpected_message', async () => {
  assert.deepEqual(
    await alertsAfter((c) =>
      c.send(c.certificate({ type: 'x509', chain }), c.certificateVerify(pki.device.privateKey)),
    ),
    [fatal(10)],
  );
});

test('a CertificateVerify that does not verify: decrypt_error', async () => {
  // signed by the right key over the wrong bytes, then by another key over the right ones
  assert.deepEqual(
    await alertsAfter((c) =>
      c.send(
        c.certificate({ type: 'x509', chain }),
        c.keyExchange(),
        c.certificateVerify(pki.device.privateKey, Buffer.from('not the transcript')),
      ),
    ),
    [fatal(51)],
  );
  assert.deepEqual(
    await alertsAfter((c) =>
      c.send(
        c.certificate({ type: 'x509', chain }),
        c.keyExchange(),
        c.certificateVerify(pki.server.privateKey),
      ),
    ),
    [fatal(51)],
  );
});

test('a client point off the curve, or compressed: illegal_parameter', async () => {
  const offCurve = new Uint8Array(65).fill(1);
  offCurve[0] = 4;
  assert.deepEqual(
    await alertsAfter((c) => c.send(c.certificate({ type: 'x509', chain }), c.keyExchange(offCurve))),
    [fatal(47)],
  );
  const compressed = new Uint8Array(33).fill(7);
  compressed[0] = 2;
  assert.deepEqual(
    await alertsAfter((c) => c.send(c.certificate({ type: 'x509', chain }), c.keyExchange(compressed))),
    [fatal(47)],
  );
});

test('a certificate list over the bound (9 certificates): decode_error', async () => {
  const certs = Array.from({ length: 9 }, () => pki.intermediate.der);
  const list = Buffer.concat(certs.map((d) => Buffer.concat([u24(d.length), d])));
  const body = Buffer.concat([u24(list.length), list]);
  assert.deepEqual(
    await alertsAfter((c) =>
      c.send(
        c.keys.seal(0, ContentType.handshake, encodeHandshakeMessage(HandshakeType.certificate, 2, body)),
      ),
    ),
    [fatal(50)],
  );
});

test('no CertificateVerify: the ChangeCipherSpec is dropped, nothing completes, the deadline ends it', async () => {
  const { server, client, delivered, clock } = certificateServer({ handshakeTimeoutMs: 10_000 });
  try {
    const c = client();
    await c.toServerHelloDone();
    await c.send(c.certificate({ type: 'x509', chain }), c.keyExchange(), ...c.finish());
    await c.send(c.keys.seal(1, ContentType.applicationData, Buffer.from('sneaky')));
    await settle();
    assert.deepEqual(c.alerts(), []);
    assert.equal(c.serverFinished(), false);
    assert.equal(server.connectionCount, 0);
    assert.equal(delivered.length, 0);
    assert.equal(server.handshakesInProgress, 1);
    clock.advance(10_000);
    assert.equal(server.handshakesInProgress, 0);
    assert.equal(server.stats.handshakesFailed, 1);
  } finally {
    await server.close();
  }
});

function u24(n: number): Buffer {
  return Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
}
