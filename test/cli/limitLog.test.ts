// `lwm2m server` reports a bound that bites (issue 12: every limit is logged and counted): one
// `limit reached` warning naming the limit, and lwm2m_limits_hit_total / lwm2m_limit_usage on /metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runServer } from '../../src/cli/serverCommand.js';
import { captureLog } from '../support/captureLog.js';
import { RawCoapPeer } from '../support/RawCoapPeer.js';
import { waitUntil } from '../support/waitUntil.js';
import { burstUntilCounted } from '../support/udpBurst.js';
import { NATIVE_UDP_MISSING } from '../support/nativeUdp.js';
import { skipOrFail } from '../support/peers.js';
import { localServer } from './localServer.js';

const hex = (s: string): string => Buffer.from(s).toString('hex');

test('a Register over --max-registrations is refused, logged once as "limit reached" and counted', async () => {
  const captured = captureLog('info');
  const running = await runServer(localServer({ maxRegistrations: 1 }), { log: captured.log });
  const raw = await RawCoapPeer.open();
  try {
    const to = { address: '127.0.0.1', port: running.server.address().port };
    // CON POST /rd?ep=a&lt=60, Content-Format 40 (11 28), payload </1/0>; then the same for ep=b.
    const register = (mid: string, token: string, ep: string): string =>
      `41 02 ${mid} ${token} b2 7264 11 28 34 ${hex(`ep=${ep}`)} 05 ${hex('lt=60')} ff ${hex('</1/0>')}`;
    await raw.send(register('2001', 'a1', 'a'), to);
    const head = async (): Promise<string> =>
      Buffer.from((await raw.next()).bytes.subarray(0, 5)).toString('hex');
    assert.equal(await head(), '61412001a1', 'ACK 2.01 Created');
    await raw.send(register('2002', 'a2', 'b'), to);
    assert.equal(await head(), '61a32002a2', 'ACK 5.03 Service Unavailable');
    const limitEntries = () => captured.entries().filter((e) => e.msg === 'limit reached');
    await waitUntil(() => limitEntries().length > 0, 'the limit log entry');
    const [entry] = limitEntries();
    assert.equal(entry?.['level'], 'warn');
    assert.equal(entry?.['limit'], 'registrations');
    assert.equal(entry?.['max'], 1);
    for (let i = 0; i < 5; i++) {
      await raw.send(register(`20${10 + i}`, 'a3', 'cdefg'[i]!), to);
      assert.equal((await head()).slice(0, 4), '61a3', '5.03 again');
    }
    assert.equal(
      captured.entries().filter((e) => e.msg === 'registration rejected').length,
      0,
      'refusals by a bound are reported by the rate-limited limit event, not one line each',
    );
    assert.equal(limitEntries().length, 1, 'one limit entry per second at most');
    const http = running.http.server.address();
    assert.ok(http && typeof http === 'object');
    const metrics = await (await fetch(`http://127.0.0.1:${http.port}/metrics`)).text();
    assert.match(metrics, /^lwm2m_limits_hit_total\{limit="registrations"\} 6$/m);
    assert.match(metrics, /^lwm2m_limit_usage\{limit="registrations"\} 1$/m);
    assert.match(metrics, /^lwm2m_limit_max\{limit="registrations"\} 1$/m);
  } finally {
    await raw.close();
    await running.stop();
  }
});

test("datagrams the kernel drops at the bootstrap server's full receive buffer are logged as its limit and counted apart from the server's", async (t) => {
  if (NATIVE_UDP_MISSING) return skipOrFail(t, NATIVE_UDP_MISSING);
  const captured = captureLog('info');
  // the smallest buffer Linux allows, on both CoAP ports (the server's and its bootstrap server's)
  const running = await runServer(localServer({ bootstrapPort: 0, udpReceiveBuffer: 1 }), {
    log: captured.log,
  });
  try {
    const bootstrap = running.bootstrap!.server;
    // datagrams that are no CoAP are read and ignored; what overflowed is counted
    await burstUntilCounted(
      bootstrap.address().port,
      300,
      1_000,
      () => bootstrap.limits().udpReceiveBuffer.hits,
    );
    const drops = bootstrap.limits().udpReceiveBuffer.hits;
    assert.ok(drops > 0, "the burst overflowed the bootstrap server's buffer");
    const entries = captured.entries().filter((e) => e.msg === 'limit reached');
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.['level'], 'warn');
    assert.equal(entries[0]?.['role'], 'bootstrap');
    assert.equal(entries[0]?.['limit'], 'udpReceiveBuffer');
    const refused = Number(entries[0]?.['refused']);
    assert.ok(
      refused > 0 && refused <= drops,
      `${refused} of ${drops} in the first event (the rest within its second)`,
    );
    assert.equal(bootstrap.receiveBuffers()[0]!.drops, drops);
    const http = running.http.server.address();
    assert.ok(http && typeof http === 'object');
    const metrics = await (await fetch(`http://127.0.0.1:${http.port}/metrics`)).text();
    assert.match(
      metrics,
      new RegExp(`^lwm2m_limits_hit_total\\{limit="bootstrap_udp_receive_buffer"\\} ${drops}$`, 'm'),
    );
    assert.match(
      metrics,
      /^lwm2m_limits_hit_total\{limit="udp_receive_buffer"\} 0$/m,
      "the server's own socket dropped nothing",
    );
    const max = bootstrap.receiveBuffers()[0]!.bytes;
    assert.match(
      metrics,
      new RegExp(`^lwm2m_limit_max\\{limit="bootstrap_udp_receive_buffer"\\} ${max}$`, 'm'),
    );
  } finally {
    await running.stop();
  }
});
