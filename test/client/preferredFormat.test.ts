// Lwm2mClientOptions.preferredFormat: answers with multi-value content to requests without Accept
// use it when it can carry the content, else the default choice; single values stay text/plain;
// an explicit Accept wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { MemoryNetwork } from '../support/MemoryTransport.js';

async function withClient(
  preferredFormat: number | undefined,
  body: (get: (path: string, accept?: number) => Promise<number | undefined>) => Promise<void>,
): Promise<void> {
  const net = new MemoryNetwork();
  const ct = net.bind('10.0.0.1');
  const client = new Lwm2mClient({
    endpoint: 'pf',
    transport: ct,
    preferredFormat,
    device: { manufacturer: 'lwm2m-ts' },
  });
  await client.start();
  const server = new CoapEndpoint(net.bind('10.0.0.2'));
  try {
    await body(async (path, accept) => {
      const res = await server.request(ct.self, { method: 'GET', path, accept, timeoutMs: 5_000 });
      assert.equal(res.code, Code.CONTENT, `GET ${path}`);
      return res.contentFormat;
    });
  } finally {
    await client.stop();
    await server.close();
  }
}

test('without a preference the default choice applies (text for a value, SenML CBOR for an instance)', async () => {
  await withClient(undefined, async (get) => {
    assert.equal(await get('/3/0/0'), ContentFormat.TEXT);
    assert.equal(await get('/3/0'), ContentFormat.SENML_CBOR);
  });
});

test('a preferred TLV is used for instances and objects when no Accept is given; a single value stays text', async () => {
  await withClient(ContentFormat.TLV, async (get) => {
    assert.equal(await get('/3/0/0'), ContentFormat.TEXT);
    assert.equal(await get('/3/0'), ContentFormat.TLV);
    assert.equal(await get('/3'), ContentFormat.TLV);
    assert.equal(await get('/3/0', ContentFormat.SENML_JSON), ContentFormat.SENML_JSON, 'Accept wins');
  });
});

test('a preferred format that cannot carry the content falls back to the default choice', async () => {
  await withClient(ContentFormat.TEXT, async (get) => {
    assert.equal(await get('/3/0/0'), ContentFormat.TEXT);
    assert.equal(await get('/3/0'), ContentFormat.SENML_CBOR);
  });
});
