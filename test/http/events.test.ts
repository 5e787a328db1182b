// GET /api/events as Server-Sent Events over a real socket: frames for each event type, filters,
// keep-alive comments, listener removal on disconnect, dropping a reader that does not read.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createHttpApi } from '../../src/http/createHttpApi.js';
import type { EventStreamOptions } from '../../src/http/events.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { resource } from '../../src/lwm2m/nodes.js';
import { floatValue, stringValue } from '../../src/lwm2m/values.js';
import { FakeServer } from './FakeServer.js';

interface Frame {
  id?: string;
  event?: string;
  data?: unknown;
}

let app: FastifyInstance | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await app?.close();
  app = undefined;
});

async function start(events: EventStreamOptions = {}): Promise<{ fake: FakeServer; base: string }> {
  const fake = new FakeServer();
  fake.addClient('dev1');
  fake.addClient('dev2');
  app = createHttpApi(fake, { events });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { fake, base: `http://127.0.0.1:${port}` };
}

/** Reads the stream until `done(text)` holds; fails after `ms`. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  state: { text: string },
  done: (text: string) => boolean,
  ms = 3000,
): Promise<void> {
  const decoder = new TextDecoder();
  const deadline = Date.now() + ms;
  while (!done(state.text)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out; received: ${state.text.slice(-500)}`);
    let timer: NodeJS.Timeout | undefined;
    const chunk = await Promise.race([
      reader.read(),
      new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(
            () => reject(new Error(`timed out; received: ${state.text.slice(-500)}`)),
            left,
          )),
      ),
    ]).finally(() => clearTimeout(timer));
    if (chunk.done) throw new Error(`stream ended; received: ${state.text}`);
    state.text += decoder.decode(chunk.value, { stream: true });
  }
}

function frames(text: string): Frame[] {
  return text
    .split('\n\n')
    .filter((block) => /^(id|event|data):/m.test(block))
    .map((block) => {
      const f: Frame = {};
      for (const line of block.split('\n')) {
        const i = line.indexOf(': ');
        const [name, value] = [line.slice(0, i), line.slice(i + 2)];
        if (name === 'id') f.id = value;
        if (name === 'event') f.event = value;
        if (name === 'data') f.data = JSON.parse(value);
      }
      return f;
    });
}

async function waitFor(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function open(
  url: string,
): Promise<{ reader: ReadableStreamDefaultReader<Uint8Array>; abort: AbortController; res: Response }> {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  assert.ok(res.body);
  return { reader: res.body.getReader(), abort, res };
}

describe('GET /api/events', () => {
  it('streams registration, notification and send events as SSE frames', async () => {
    const { fake, base } = await start();
    const { reader, abort, res } = await open(`${base}/api/events`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const state = { text: '' };
    await readUntil(reader, state, (t) => t.includes(': connected'));
    assert.equal(fake.listenerCount, 1);

    const reg = fake.registrations.get('dev1')!;
    for (const type of ['registered', 'updated', 'sleeping', 'awake', 'deregistered', 'expired'] as const)
      fake.emit({ type, endpoint: 'dev1', registration: reg });
    fake.emit({
      type: 'notification',
      endpoint: 'dev1',
      observationId: 'obs-7',
      kind: 'single',
      paths: [Lwm2mPath.parse('/3303/0/5700')],
      notification: { content: resource(5700, floatValue(22.5)), format: 60, sequence: 4 },
    });
    fake.emit({
      type: 'send',
      endpoint: 'dev1',
      format: 110,
      data: [
        {
          timestamp: 1_700_000_000,
          nodes: [{ path: Lwm2mPath.parse('/3/0/0'), node: resource(0, stringValue('ACME')) }],
        },
      ],
    });
    await readUntil(reader, state, (t) => frames(t).length === 8);
    const got = frames(state.text);
    assert.deepEqual(
      got.map((f) => f.event),
      ['registered', 'updated', 'sleeping', 'awake', 'deregistered', 'expired', 'notification', 'send'],
    );
    assert.deepEqual(
      got.map((f) => f.id),
      ['1', '2', '3', '4', '5', '6', '7', '8'],
    );
    const registered = got[0]!.data as {
      endpoint: string;
      registration: { endpoint: string; lifetime: number };
    };
    assert.equal(registered.endpoint, 'dev1');
    assert.equal(registered.registration.lifetime, 60);
    assert.deepEqual(got[6]!.data, {
      endpoint: 'dev1',
      observationId: 'obs-7',
      kind: 'single',
      paths: ['/3303/0/5700'],
      format: 'cbor',
      sequence: 4,
      content: { kind: 'resource', id: 5700, type: 'float', value: 22.5 },
    });
    assert.deepEqual(got[7]!.data, {
      endpoint: 'dev1',
      format: 'senml-json',
      data: [
        {
          timestamp: 1_700_000_000,
          nodes: [{ path: '/3/0/0', node: { kind: 'resource', id: 0, type: 'string', value: 'ACME' } }],
        },
      ],
    });

    abort.abort();
    await waitFor(() => fake.listenerCount === 0, 'the listener to be removed on disconnect');
  });

  it('filters by ?endpoint= and ?types=', async () => {
    const { fake, base } = await start();
    const { reader, abort } = await open(`${base}/api/events?endpoint=dev2&types=updated,awake`);
    const state = { text: '' };
    await readUntil(reader, state, (t) => t.includes(': connected'));
    const dev1 = fake.registrations.get('dev1')!;
    const dev2 = fake.registrations.get('dev2')!;
    fake.emit({ type: 'updated', endpoint: 'dev1', registration: dev1 });
    fake.emit({ type: 'registered', endpoint: 'dev2', registration: dev2 });
    fake.emit({ type: 'awake', endpoint: 'dev2', registration: dev2 });
    fake.emit({ type: 'updated', endpoint: 'dev2', registration: dev2 });
    await readUntil(reader, state, (t) => frames(t).length >= 2);
    assert.deepEqual(
      frames(state.text).map((f) => [f.event, (f.data as { endpoint: string }).endpoint]),
      [
        ['awake', 'dev2'],
        ['updated', 'dev2'],
      ],
    );
    abort.abort();
  });

  it('sends keep-alive comments while idle, which are no events and take no id', async () => {
    const { fake, base } = await start({ keepAliveMs: 30, retryMs: 1_500 });
    const { reader, abort } = await open(`${base}/api/events`);
    const state = { text: '' };
    await readUntil(reader, state, (t) => t.split(': keep-alive\n\n').length > 2);
    // Nothing but the preamble and whole comment frames (SSE: a line starting with ':' is ignored).
    assert.match(state.text, /^retry: 1500\n: connected\n\n(: keep-alive\n\n)+$/);
    assert.deepEqual(frames(state.text), []);
    fake.emit({ type: 'updated', endpoint: 'dev1', registration: fake.registrations.get('dev1')! });
    await readUntil(reader, state, (t) => frames(t).length === 1);
    const [first] = frames(state.text);
    assert.deepEqual([first?.id, first?.event], ['1', 'updated']);
    abort.abort();
    await waitFor(() => fake.listenerCount === 0, 'the listener to be removed on disconnect');
  });

  it('drops a reader that stops reading once its buffer passes the bound', async () => {
    const { fake, base } = await start({ maxBufferedBytes: 64 * 1024 });
    const { port } = new URL(base);
    const socket = connect(Number(port), '127.0.0.1');
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET /api/events HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await waitFor(() => fake.listenerCount === 1, 'the stream to subscribe');
    socket.pause(); // never reads again: the kernel buffers fill, then the server's
    const reg = fake.registrations.get('dev1')!;
    const big = { ...reg, additionalAttributes: { blob: 'x'.repeat(32 * 1024) } };
    let emitted = 0;
    for (; emitted < 1000 && fake.listenerCount > 0; emitted++) {
      fake.emit({ type: 'updated', endpoint: 'dev1', registration: big });
      if (emitted % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => fake.listenerCount === 0, 'the slow reader to be dropped');
    assert.equal(fake.listenerCount, 0);
    assert.ok(emitted < 1000, 'dropped while events were still coming, not after the last one');
    // Reading again, the client gets what was already on its way, then the end of the connection:
    // fewer events than were emitted, since the server discarded the rest instead of holding it.
    let received = '';
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined); // a reset is one way the server may end it
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.resume();
    await closed;
    const delivered = received.split('\nevent: updated\n').length - 1;
    assert.ok(delivered < emitted, `${delivered} of ${emitted} events reached the reader`);
    assert.equal(app!.eventStreams?.dropped, 1, 'the drop is counted');
  });

  it('serves 200 streams from one subscription, serializing each event once', async () => {
    const { fake, base } = await start();
    const { port } = new URL(base);
    const received = new Array<string>(200).fill('');
    await Promise.all(
      received.map(async (_, i) => {
        const socket = connect(Number(port), '127.0.0.1');
        sockets.push(socket);
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (received[i] += chunk));
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        socket.write('GET /api/events HTTP/1.1\r\nHost: localhost\r\n\r\n');
      }),
    );
    await waitFor(() => app!.eventStreams?.subscribers === 200, '200 streams');
    assert.equal(fake.listenerCount, 1);
    const reg = fake.registrations.get('dev1')!;
    for (let i = 0; i < 20; i++) fake.emit({ type: 'updated', endpoint: 'dev1', registration: reg });
    assert.equal(app!.eventStreams?.serialized, 20);
    await waitFor(
      () => received.every((text) => text.includes('id: 20\nevent: updated\n')),
      'every stream to get all 20 events',
    );
  });

  it('ends open streams when the app closes', async () => {
    const { base } = await start();
    const { reader } = await open(`${base}/api/events`);
    const state = { text: '' };
    await readUntil(reader, state, (t) => t.includes(': connected'));
    const closing = app!.close();
    app = undefined;
    await Promise.race([
      closing,
      new Promise((_, reject) => setTimeout(() => reject(new Error('close hung')), 3000)),
    ]);
    const end = await reader.read();
    assert.equal(end.done, true);
  });
});
