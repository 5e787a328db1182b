// A ClientHello that passed the cookie check (the cookie binds no extension, RFC 6347 4.2.1) but
// carries a malformed renegotiation_info (RFC 5746 3.2) ends the handshake with a fatal
// decode_error alert (RFC 5246 7.2.2), not internal_error: found by the stateful handshake fuzzer
// (test/fuzz/dtlsHandshakeFlights.fuzz.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AlertDescription, AlertLevel } from '../../../src/transport/dtls/handshake/alerts.js';
import {
  encodeClientHello,
  type ClientHello,
} from '../../../src/transport/dtls/handshake/messages/ClientHello.js';
import {
  encodeHandshakeMessage,
  HandshakeType,
} from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { ServerHandshake } from '../../../src/transport/dtls/handshake/ServerHandshake.js';
import { ContentType, decodeDatagram } from '../../../src/transport/dtls/record/RecordCodec.js';
import { ManualClock } from '../../support/ManualClock.js';
import { waitUntil } from '../../support/waitUntil.js';

test('a malformed renegotiation_info in the ClientHello gets a fatal decode_error alert', async () => {
  const hello: ClientHello = {
    clientVersion: 0xfefd,
    random: randomBytes(32),
    sessionId: new Uint8Array(0),
    cookie: new Uint8Array(32),
    cipherSuites: [0xc0a8],
    compressionMethods: Uint8Array.of(0),
    // renegotiated_connection<0..255> claiming 5 bytes and holding none
    extensions: [{ type: 0xff01, data: Uint8Array.of(5) }],
  };
  const sent: Uint8Array[] = [];
  const failures: string[] = [];
  const handshake = new ServerHandshake(
    { clock: new ManualClock(), random: randomBytes, send: (d) => sent.push(d) },
    { onComplete: () => assert.fail('completed'), onFailed: (reason) => failures.push(reason) },
    { pskFor: () => undefined },
    hello,
    encodeHandshakeMessage(HandshakeType.clientHello, 1, encodeClientHello(hello)),
    1,
    1,
  );
  handshake.start(); // the answer runs on the handshake's task queue (it may await pskFor)
  await waitUntil(() => failures.length > 0, 'the handshake fails');
  assert.equal(failures.length, 1, 'the handshake failed once');
  const alerts = sent.flatMap((d) => decodeDatagram(d)).filter((r) => r.type === ContentType.alert);
  assert.deepEqual(
    alerts.map((r) => [...r.fragment]),
    [[AlertLevel.fatal, AlertDescription.decodeError]],
  );
});
