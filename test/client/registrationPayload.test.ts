// The Register a client puts on the wire (Core TS 1.1.1 6.2.1, Transport TS 6.4.1), against a raw
// UDP server that, like Eclipse Wakaama's, refuses a root link whose `ct` is a quoted list with
// 4.00: by default one unquoted `ct`; the full list only when asked; a 1.0 client no `ct` and no
// `ver`.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Lwm2mClient, type Lwm2mClientOptions } from '../../src/client/Lwm2mClient.js';
import { decodeMessage } from '../../src/coap/messageCodec.js';
import { RawCoapPeer, type RawDatagram } from '../support/RawCoapPeer.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

interface SeenRegister {
  query: string[];
  payload: string;
  code: number;
}

/**
 * Answers as a Wakaama-like server would until `done()`: a Register with 2.01 and Location-Path
 * "rd"/"1", or 4.00 to a quoted ct list (what Wakaama's parser does); a De-register with 2.02.
 * Resolves `first` with the first Register seen.
 */
function serve(server: RawCoapPeer): { first: Promise<SeenRegister>; done: () => void } {
  let stop = false;
  let found: (s: SeenRegister) => void = () => undefined;
  const first = new Promise<SeenRegister>((r) => (found = r));
  void (async () => {
    while (!stop) {
      let d: RawDatagram;
      try {
        d = await server.next(100);
      } catch {
        continue;
      }
      const req = decodeMessage(d.bytes);
      const payload = text(req.payload);
      const refused = /;ct="/.test(payload);
      const code = req.code === 0x04 ? 0x42 : refused ? 0x80 : 0x41;
      const head = [0x60 | req.token.length, code, req.messageId >> 8, req.messageId & 0xff];
      const location = code === 0x41 ? [0x82, 0x72, 0x64, 0x01, 0x31] : [];
      await server.send(Uint8Array.from([...head, ...req.token, ...location]), d);
      if (req.code === 0x02) {
        const query = req.options.filter((o) => o.number === 15).map((o) => text(o.value));
        found({ query, payload, code });
      }
    }
  })();
  return { first, done: () => void (stop = true) };
}

describe('Register payload on the wire', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function start(over: Partial<Lwm2mClientOptions>) {
    const server = await RawCoapPeer.open();
    const client = new Lwm2mClient({
      endpoint: 'wk-1',
      bind: { address: '127.0.0.1', port: 0 },
      servers: [{ uri: `coap://127.0.0.1:${server.address.port}`, ssid: 1, lifetime: 300 }],
      ...over,
    });
    const serving = serve(server);
    closers.push(() => server.close());
    closers.push(async () => serving.done());
    closers.push(() => client.stop());
    const registered = new Promise<boolean>((resolve) => {
      client.on('registered', () => resolve(true));
      client.on('registrationAttemptFailed', () => resolve(false));
    });
    await client.start();
    const seen = await serving.first;
    return { seen, registered: await registered };
  }

  test('announces one unquoted ct, the preferred multi-value format, and registers', async () => {
    const { seen, registered } = await start({});
    assert.equal(seen.payload, '</>;rt="oma.lwm2m";ct=112,</1>;ver=1.1,</1/0>,</3>;ver=1.1,</3/0>');
    assert.equal(seen.code, 0x41);
    assert.equal(registered, true);
  });

  test('announces the preferredFormat option when it is a multi-value format', async () => {
    const { seen } = await start({ preferredFormat: 11542 });
    assert.match(seen.payload, /^<\/>;rt="oma\.lwm2m";ct=11542,/);
  });

  test("announceContentFormats 'all' sends the quoted list (RFC 7252 7.2.1)", async () => {
    const { seen, registered } = await start({ announceContentFormats: 'all' });
    assert.match(seen.payload, /^<\/>;rt="oma\.lwm2m";ct="60 11542 11543 110 112",/);
    assert.equal(registered, false, 'the Wakaama-like server refused it');
  });

  test('a 1.0 client sends no root ct and announces 1.0 objects (no ver)', async () => {
    const { seen, registered } = await start({ lwm2mVersion: '1.0' });
    assert.ok(seen.query.includes('lwm2m=1.0'));
    assert.equal(seen.payload, '</1/0>,</3/0>');
    assert.equal(registered, true);
  });
});
