// Core TS 1.1.1 sections 5.4.8, 5.4.9 and 5.5.2 (Read-, Write- and Observe-Composite, FETCH and
// iPATCH on "/"): a client that acknowledges such a request with an empty ACK (RFC 7252 5.2.2)
// and never sends the separate response. The request ends at its deadline with a diagnostic
// saying the client may not support the operation, in the typed API and in the REST reply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, type CoapMessage } from '../../src/coap/CoapMessage.js';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import { lwm2mServerPort } from '../../src/http/lwm2mServerPort.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { resource } from '../../src/lwm2m/nodes.js';
import { stringValue } from '../../src/lwm2m/values.js';
import { settle, startServer } from './serverFixture.js';

type Started = Awaited<ReturnType<typeof startServer>>;

const TIMEOUT_MS = 20_000;

async function registered(): Promise<Started> {
  const s = await startServer({ requestTimeoutMs: TIMEOUT_MS });
  await s.client.register(['ep=dev', 'lt=300', 'lwm2m=1.1', 'b=U'], '</3/0>');
  return s;
}

/** Answers `req` with an empty ACK (type 2, code 0.00, its message ID): the bytes `60 00 mid`. */
async function emptyAck(s: Started, req: CoapMessage): Promise<void> {
  const mid = req.messageId;
  await s.client.peer.send(Uint8Array.of(0x60, 0x00, mid >> 8, mid & 0xff), s.target);
}

/** Lets the request go out, acknowledges it and lets its deadline pass. */
async function ackThenSilence(s: Started, method: number): Promise<void> {
  const req = await s.client.nextRequest();
  assert.equal(req.code, method);
  await emptyAck(s, req);
  await settle(20);
  s.clock.advance(TIMEOUT_MS + 1);
  await settle();
}

for (const [name, method, call] of [
  ['Read-Composite', Code.FETCH, (s: Started) => s.server.readComposite('dev', ['/3/0/0', '/3/0/1'])],
  [
    'Write-Composite',
    Code.IPATCH,
    (s: Started) =>
      s.server.writeComposite('dev', [
        { path: Lwm2mPath.parse('/3/0/15'), node: resource(15, stringValue('Europe/Paris')) },
      ]),
  ],
] as const) {
  test(`a ${name} acknowledged and never answered ends at its deadline, saying it may be unsupported`, async () => {
    const s = await registered();
    try {
      const pending = call(s);
      await ackThenSilence(s, method);
      const res = await pending;
      assert.equal(res.ok, false);
      assert.equal(res.failure, 'timeout');
      assert.match(res.diagnostic ?? '', new RegExp(`acknowledged the ${name} request`));
      assert.match(res.diagnostic ?? '', new RegExp(`may not support ${name}`));
    } finally {
      await s.close();
    }
  });
}

test('an Observe-Composite acknowledged and never answered is refused with the same diagnostic', async () => {
  const s = await registered();
  try {
    const handle = s.server.observeComposite('dev', ['/3/0/0']);
    await ackThenSilence(s, Code.FETCH);
    const res = await handle.response;
    assert.equal(res.failure, 'timeout');
    assert.match(res.diagnostic ?? '', /may not support Observe-Composite/);
  } finally {
    await s.close();
  }
});

test('a request that was never acknowledged keeps the plain timeout diagnostic', async () => {
  const s = await registered();
  try {
    const pending = s.server.readComposite('dev', ['/3/0/0']);
    await s.client.nextRequest();
    s.clock.advance(TIMEOUT_MS + 1);
    const res = await pending;
    assert.equal(res.failure, 'timeout');
    assert.doesNotMatch(res.diagnostic ?? '', /may not support/);
  } finally {
    await s.close();
  }
});

test('the REST Read-Composite answers 504 with a message that the client may not support it', async () => {
  const s = await registered();
  const app = createHttpApi(lwm2mServerPort(s.server));
  try {
    await app.ready();
    const reply = app.inject({
      method: 'POST',
      url: '/api/clients/dev/composite/read',
      payload: { paths: ['/3/0/0', '/3/0/1'] },
    });
    await ackThenSilence(s, Code.FETCH);
    const res = await reply;
    assert.equal(res.statusCode, 504);
    const body = JSON.parse(res.body) as { error: string; message: string };
    assert.equal(body.error, 'timeout');
    assert.match(body.message, /may not support Read-Composite/);
  } finally {
    await app.close();
    await s.close();
  }
});
