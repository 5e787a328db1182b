// `lwm2m client` never fails silently (issue 11 item 2): a Register or Bootstrap-Request that is
// refused (code and diagnostic payload) shows up as a log line at once, with when the next attempt
// is due. The server is a raw UDP peer answering with hand-built bytes.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { QUIET_DEVICE } from './quietDevice.js';
import { startSimulatedDevice, type SimulatedDeviceOptions } from '../../src/cli/simulatedDevice.js';
import { decodeMessage } from '../../src/coap/messageCodec.js';
import { RawCoapPeer } from '../support/RawCoapPeer.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** Answers the next request with an ACK carrying `code` and a diagnostic payload. */
async function refuseNext(peer: RawCoapPeer, code: number, diagnostic: string): Promise<string[]> {
  const d = await peer.next(5_000);
  const req = decodeMessage(d.bytes);
  const head = [0x60 | req.token.length, code, req.messageId >> 8, req.messageId & 0xff];
  const body = [...new TextEncoder().encode(diagnostic)];
  await peer.send(Uint8Array.from([...head, ...req.token, 0xff, ...body]), d);
  return req.options.filter((o) => o.number === 11).map((o) => new TextDecoder().decode(o.value));
}

async function run(target: Partial<SimulatedDeviceOptions>, code: number, diagnostic: string) {
  const peer = await RawCoapPeer.open();
  const lines: string[] = [];
  const uri = `coap://127.0.0.1:${peer.address.port}`;
  const device = await startSimulatedDevice(
    {
      endpoint: 'noisy-1',
      ...QUIET_DEVICE,
      seed: 1,
      ...(target.bootstrap !== undefined ? { bootstrap: uri } : { server: uri }),
    },
    (l) => lines.push(l),
  );
  closers.push(() => peer.close());
  closers.push(() => device.stop(200));
  const path = await refuseNext(peer, code, diagnostic);
  for (let i = 0; i < 100 && !lines.some((l) => l.includes('attempt failed')); i++)
    await new Promise((r) => setImmediate(r));
  return { lines, path };
}

test('a refused Register is logged at once with code, diagnostic and the next attempt', async () => {
  const { lines, path } = await run({}, 0x83, 'unknown device');
  assert.deepEqual(path, ['rd']);
  assert.ok(
    lines.includes(
      'registration attempt failed (ssid 1): Register answered 4.03: unknown device; next attempt in 60 s',
    ),
    lines.join('\n'),
  );
});

test('a refused Bootstrap-Request is logged at once with code, diagnostic and the next attempt', async () => {
  const { lines, path } = await run({ bootstrap: 'x' }, 0xa3, 'try later');
  assert.deepEqual(path, ['bs']);
  assert.ok(
    lines.includes(
      'bootstrap attempt failed: Bootstrap-Request answered 5.03: try later; next attempt in 60 s',
    ),
    lines.join('\n'),
  );
});
