// Issue 4 end to end: the REST API (src/http, served by `lwm2m server`'s runServer) in front of a
// real Lwm2mServer with a real Lwm2mClient over UDP: Read of the Device instance as JSON, Write of
// the Server object's lifetime (Core TS 1.1.1 Appendix E.2, resource 1) with the client's Update,
// and Observe whose notifications reach GET /api/events as Server-Sent Events.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runServer, type RunningServer } from '../../src/cli/serverCommand.js';
import { Lwm2mClient } from '../../src/client/Lwm2mClient.js';
import { temperatureInstance } from '../../src/client/objects/temperatureInstance.js';
import { withTimeout, assertNoOpenHandles } from './support/e2e.js';

after(assertNoOpenHandles);

const EP = `rest-e2e-${process.pid}`;

describe('REST API with a real server and client', () => {
  let running: RunningServer;
  let client: Lwm2mClient;
  let base: string;

  before(async () => {
    running = await runServer({
      coapPort: 0,
      coapAddress: '127.0.0.1',
      httpPort: 0,
      httpAddress: '127.0.0.1',
      logLevel: 'silent',
    });
    const http = running.http.server.address();
    assert.ok(http && typeof http === 'object');
    base = `http://127.0.0.1:${http.port}/api`;
    client = new Lwm2mClient({
      endpoint: EP,
      servers: [{ uri: `coap://127.0.0.1:${running.server.address().port}`, ssid: 1, lifetime: 300 }],
      bind: { address: '127.0.0.1', port: 0 },
      device: { manufacturer: 'REST Corp', modelNumber: 'r1' },
      objects: [temperatureInstance({ value: 19 })],
    });
    const registered = new Promise<void>((r) => client.on('registered', () => r()));
    await client.start();
    await running.server.waitForRegistration(EP);
    await withTimeout(registered, 5_000, 'client registration');
  });
  after(async () => {
    await withTimeout(client.stop(), 3_000).catch(() => undefined);
    await running.stop();
  });

  test('GET /api/clients/{ep}/3/0 returns the Device instance as JSON', async () => {
    const res = await fetch(`${base}/clients/${EP}/3/0`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      code: string;
      content: { kind: string; id: number; resources: { id: number; value: unknown }[] };
    };
    assert.equal(body.code, '2.05');
    assert.equal(body.content.kind, 'instance');
    assert.equal(body.content.id, 0);
    const byId = new Map(body.content.resources.map((r) => [r.id, r.value]));
    assert.equal(byId.get(0), 'REST Corp');
    assert.equal(byId.get(1), 'r1');
  });

  test('PUT /api/clients/{ep}/1/0/1 writes the lifetime and the client updates its registration', async () => {
    const updated = withTimeout(
      new Promise<number>((r) => running.server.once('updated', (e) => r(e.registration.lifetime))),
      3_000,
      'update after the lifetime write',
    );
    const res = await fetch(`${base}/clients/${EP}/1/0/1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 1, value: 1234 }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { code: '2.04' });
    assert.equal(await updated, 1234);
    const read = (await (await fetch(`${base}/clients/${EP}/1/0/1`)).json()) as {
      content: { value: unknown };
    };
    assert.equal(read.content.value, 1234);
  });

  test('POST observe, then a client-side change arrives on GET /api/events', async () => {
    const abort = new AbortController();
    const events = await fetch(`${base}/events?endpoint=${EP}&types=notification`, { signal: abort.signal });
    assert.equal(events.status, 200);
    const reader = events.body!.getReader();
    try {
      const obs = await fetch(`${base}/clients/${EP}/3303/0/5700/observe`, { method: 'POST' });
      assert.equal(obs.status, 200, await obs.clone().text());
      client.set('/3303/0/5700', { type: 'float', value: 27.5 });
      const decoder = new TextDecoder();
      let text = '';
      const found = async (): Promise<string> => {
        for (;;) {
          const frame = /event: notification\ndata: (.*)\n/.exec(text);
          if (frame && frame[1]!.includes('27.5')) return frame[1]!;
          if (frame) text = text.slice(frame.index + frame[0].length);
          const { value, done } = await reader.read();
          if (done) throw new Error('event stream ended');
          text += decoder.decode(value, { stream: true });
        }
      };
      const data = JSON.parse(await withTimeout(found(), 3_000, 'SSE notification')) as {
        endpoint: string;
        content: { id: number; value: unknown };
      };
      assert.equal(data.endpoint, EP);
      assert.equal(data.content.id, 5700);
      assert.equal(data.content.value, 27.5);
    } finally {
      abort.abort();
      await reader.cancel().catch(() => undefined);
    }
  });
});
