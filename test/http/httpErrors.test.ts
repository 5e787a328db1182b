// REST API errors: bad paths, bad queries and bad bodies are 400 with a message and never reach
// the client; LwM2M error codes and local failures map to HTTP statuses with the CoAP code.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { RequestFailure } from '../../src/lwm2m/responses.js';
import { coapCodeText, httpStatusForCoapCode } from '../../src/http/lwm2mReply.js';
import { FakeServer, succeed } from './FakeServer.js';
import { body, setup } from './helpers.js';

let app: FastifyInstance;
let fake: FakeServer;
before(async () => ({ app, fake } = await setup()));
after(() => app.close());
beforeEach(() => {
  fake.sent.length = 0;
  fake.responder = succeed;
});

type Case = [method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload: unknown, message: RegExp];

async function expect400([method, url, payload, message]: Case): Promise<void> {
  const res = await app.inject({
    method,
    url,
    ...(payload === undefined
      ? {}
      : typeof payload === 'string'
        ? { payload, headers: { 'content-type': 'application/json' } }
        : { payload: payload as object }),
  });
  assert.equal(res.statusCode, 400, `${method} ${url}: ${res.body}`);
  const b = body(res);
  assert.equal(typeof b['error'], 'string');
  assert.match(b['message'] as string, message);
  assert.equal(b['coapCode'], undefined, 'a local error carries no CoAP code');
  assert.equal(fake.sent.length, 0, 'nothing was sent to the client');
}

describe('bad paths', () => {
  const cases: Case[] = [
    ['GET', '/api/clients/dev1/abc', undefined, /segment "abc" is not an id/],
    ['GET', '/api/clients/dev1/65535', undefined, /65535 is out of range/],
    ['GET', '/api/clients/dev1/3/-1', undefined, /not an id/],
    ['GET', '/api/clients/dev1/3/0/1/2/3', undefined, /not an LwM2M path/],
    ['GET', '/api/clients/dev1/3/0/1/2/discover', undefined, /Discover cannot target \/3\/0\/1\/2/],
    [
      'PUT',
      '/api/clients/dev1/3',
      { id: 3, instances: [] },
      /object instance, a resource or a resource instance/,
    ],
    ['DELETE', '/api/clients/dev1/3', undefined, /Delete cannot target \/3/],
    ['POST', '/api/clients/dev1/3/0', { resources: [] }, /POST creates on an object or executes a resource/],
    ['PUT', '/api/clients/dev1/composite/read', { paths: ['/3'] }, /segment "composite" is not an id/],
  ];
  for (const c of cases) it(`answers 400 to ${c[0]} ${c[1]}`, () => expect400(c));
});

describe('bad queries', () => {
  const cases: Case[] = [
    ['GET', '/api/clients/dev1/3/0?format=xml', undefined, /format.*allowed values: text, opaque, cbor/],
    ['GET', '/api/clients/dev1/3/0?timeout=0', undefined, /timeout/],
    ['GET', '/api/clients/dev1/3/0?timeout=abc', undefined, /timeout/],
    ['PUT', '/api/clients/dev1/3/0/1/attributes?pmin=-1', undefined, /pmin=-1: not a non-negative integer/],
    ['PUT', '/api/clients/dev1/3/0/1/attributes?foo=1', undefined, /unknown attribute "foo"/],
    [
      'PUT',
      '/api/clients/dev1/3/0/1/attributes?pmin=60&pmax=10',
      undefined,
      /pmin \(60\) must not exceed pmax \(10\)/,
    ],
    ['PUT', '/api/clients/dev1/3/0/1/attributes?gt=5', undefined, /gt needs a numeric resource/],
    ['PUT', '/api/clients/dev1/3/0/attributes?gt=5', undefined, /gt cannot be set on instance/],
    ['PUT', '/api/clients/dev1/3/0/attributes', undefined, /at least one attribute/],
    ['PUT', '/api/clients/dev1/3/0/attributes?pmin=%ZZ', undefined, /percent-encoding/],
    ['GET', '/api/events?types=registered,bogus', undefined, /unknown event type "bogus"/],
  ];
  for (const c of cases) it(`answers 400 to ${c[0]} ${c[1]}`, () => expect400(c));
});

describe('bad bodies', () => {
  const cases: Case[] = [
    ['PUT', '/api/clients/dev1/3/0/14', '{"id":14,', /JSON/i],
    [
      'PUT',
      '/api/clients/dev1/3/0/14',
      { id: 14, value: 5 },
      /\/3\/0\/14: a string value must be a JSON string/,
    ],
    ['PUT', '/api/clients/dev1/1/0/1', { value: 'soon' }, /\/1\/0\/1/],
    ['PUT', '/api/clients/dev1/3/0', { resources: 'none' }, /"resources" must be an array/],
    ['POST', '/api/clients/dev1/3303', [], /at least one instance/],
    ['POST', '/api/clients/dev1/3303', { resources: [{ id: 5700, value: 'warm' }] }, /\/3303\/5700|5700/],
    ['POST', '/api/clients/dev1/3/0/4', { arguments: 5 }, /execute takes/],
    // Core TS 5.4.5 grammar: refused locally, never sent (issue 11 item 9).
    ['POST', '/api/clients/dev1/3/0/4', { arguments: '0=a' }, /Execute arguments: .* at offset 2/],
    ['POST', '/api/clients/dev1/3/0/4', { arguments: "0='a',x" }, /Execute arguments: expected a digit/],
    ['POST', '/api/clients/dev1/3/0/4', '"0=\'a b\'"', /Execute arguments/],
    ['POST', '/api/clients/dev1/composite/read', { paths: [] }, /paths/],
    ['POST', '/api/clients/dev1/composite/read', { paths: ['/3/x'] }, /not an id/],
    ['POST', '/api/clients/dev1/composite/read', {}, /paths/],
    [
      'POST',
      '/api/clients/dev1/composite/write',
      { nodes: { '/3/0': { resources: [] } } },
      /Write-Composite writes resources/,
    ],
    ['POST', '/api/clients/dev1/composite/write', { nodes: { '/3/0/14': 1 } }, /must be a JSON string/],
    ['POST', '/api/clients/dev1/composite/write', { nodes: {} }, /nodes/],
    ['DELETE', '/api/clients/dev1/composite/observe', { paths: { a: 1 } }, /paths must be array/],
  ];
  for (const c of cases) it(`answers 400 to ${c[0]} ${c[1]} ${JSON.stringify(c[2])}`, () => expect400(c));
});

describe('LwM2M errors and failures', () => {
  const codes: [number, number][] = [
    [0x80, 400],
    [0x81, 403],
    [0x84, 404],
    [0x85, 405],
    [0x86, 406],
    [0x8f, 415],
    [0xa0, 502],
    [0xa3, 503],
  ];
  for (const [code, status] of codes) {
    it(`maps CoAP ${coapCodeText(code)} to HTTP ${status} with coapCode in the body`, async () => {
      fake.responder = () =>
        code === 0x84 ? { code, ok: false, diagnostic: 'no such instance' } : { code, ok: false };
      const res = await app.inject({ method: 'GET', url: '/api/clients/dev1/3/7' });
      assert.equal(res.statusCode, status);
      const b = body(res);
      assert.equal(b['coapCode'], coapCodeText(code));
      assert.equal(b['error'], 'lwm2m error');
      assert.match(
        b['message'] as string,
        code === 0x84 ? /no such instance/ : new RegExp(coapCodeText(code)),
      );
    });
  }

  it('maps other 4.xx codes to 400 and other 5.xx codes to 502', () => {
    assert.equal(httpStatusForCoapCode(0x8a), 400);
    assert.equal(httpStatusForCoapCode(0xa1), 502);
  });

  const failures: [RequestFailure, number, string][] = [
    ['timeout', 504, 'timeout'],
    ['sleeping', 503, 'client sleeping'],
    ['deregistered', 404, 'unknown endpoint'],
    ['reset', 502, 'reset by client'],
    ['decode', 502, 'undecodable response'],
    ['cancelled', 503, 'cancelled'],
  ];
  for (const [failure, status, error] of failures) {
    it(`maps failure ${failure} to HTTP ${status}`, async () => {
      fake.responder = () => ({ code: 0, ok: false, failure, diagnostic: `it was ${failure}` });
      const res = await app.inject({
        method: 'PUT',
        url: '/api/clients/dev1/3/0/14',
        payload: { value: 'x' },
      });
      assert.equal(res.statusCode, status);
      if (failure === 'timeout')
        assert.deepEqual(body(res), {
          error,
          outcome: 'unknown',
          message: `it was timeout; whether the device carried out the request is unknown`,
        });
      else assert.deepEqual(body(res), { error, message: `it was ${failure}` });
    });
  }

  it('says on a failure that the client was asleep (Queue Mode) and the request waited', async () => {
    fake.sleeping.add('dev1');
    try {
      fake.responder = () => ({ code: 0, ok: false, failure: 'timeout', diagnostic: 'did not wake up' });
      const res = await app.inject({ method: 'GET', url: '/api/clients/dev1/3/0/1' });
      assert.equal(res.statusCode, 504);
      const b = body(res);
      assert.equal(b['clientState'], 'sleeping');
      assert.equal(b['outcome'], 'unknown');
      assert.match(b['message'] as string, /did not wake up.*unknown.*asleep in Queue Mode/);
    } finally {
      fake.sleeping.delete('dev1');
    }
  });

  it('keeps the code of an undecodable success and reports it', async () => {
    fake.responder = () => ({ code: 0x45, ok: false, failure: 'decode', diagnostic: 'bad TLV' });
    const res = await app.inject({ method: 'GET', url: '/api/clients/dev1/3/0' });
    assert.equal(res.statusCode, 502);
    assert.deepEqual(body(res), { error: 'undecodable response', coapCode: '2.05', message: 'bad TLV' });
  });

  it('answers 500 for a request the server could not send and for a server bug', async () => {
    fake.responder = () => ({ code: 0, ok: false, diagnostic: 'not sent: no transport' });
    const notSent = await app.inject({ method: 'GET', url: '/api/clients/dev1/3/0' });
    assert.equal(notSent.statusCode, 500);
    assert.match(body(notSent)['message'] as string, /no transport/);
    fake.responder = () => {
      throw new Error('boom');
    };
    const bug = await app.inject({ method: 'GET', url: '/api/clients/dev1/3/0' });
    assert.equal(bug.statusCode, 500);
    assert.deepEqual(body(bug), { error: 'internal error', message: 'boom' });
  });

  it('answers 405 with a message for a method that is no operation', async () => {
    const res = await app.inject({ method: 'PATCH', url: '/api/clients/dev1/3/0', payload: {} });
    assert.equal(res.statusCode, 405);
    assert.match(body(res)['message'] as string, /PATCH is not an operation/);
  });

  it('answers 404 with a message for a route outside the API', async () => {
    const res = await app.inject({ method: 'GET', url: '/nothing/here' });
    assert.equal(res.statusCode, 404);
    assert.match(body(res)['message'] as string, /no route GET \/nothing\/here/);
  });
});

describe('one error shape (issue 12 item 10)', () => {
  it('takes a DELETE with a JSON content type and no body', async () => {
    const res = await app.inject({
      method: 'DELETE',
      url: '/api/clients/dev1/3/0',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(fake.last.request.kind, 'delete');
  });

  const parserErrors: [string, Record<string, string>, string, number, string, RegExp][] = [
    [
      'a form body',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'a=1',
      415,
      'unsupported media type',
      /content-type "application\/x-www-form-urlencoded" is not accepted here; send application\/json/,
    ],
    [
      'a JSON body that is not JSON',
      { 'content-type': 'application/json' },
      '{',
      400,
      'bad request',
      /body: not valid JSON/,
    ],
    [
      'a body over the limit',
      { 'content-type': 'application/json' },
      `"${'x'.repeat(1 << 20)}"`,
      413,
      'payload too large',
      /body: larger than the limit/,
    ],
  ];
  for (const [name, headers, payload, status, error, message] of parserErrors)
    it(`answers ${status} {error, message} to ${name}, with no fastify code`, async () => {
      const res = await app.inject({ method: 'PUT', url: '/api/clients/dev1/3/0/14', headers, payload });
      assert.equal(res.statusCode, status);
      const b = body(res);
      assert.deepEqual(Object.keys(b).sort(), ['error', 'message']);
      assert.equal(b['error'], error);
      assert.match(b['message'] as string, message);
      assert.doesNotMatch(res.body, /FST_/);
      assert.equal(fake.sent.length, 0);
    });
});
