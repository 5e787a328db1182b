// `lwm2m server` for operators (issue 12 items 11 and 12): the JSON log lines of a rejected and an
// accepted registration, the Prometheus /metrics document (names, types, values, no endpoint
// labels), /healthz and /readyz (503 once draining).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runServer, type RunningServer } from '../../src/cli/serverCommand.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { makePeer } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { captureLog, type CapturedLog } from '../support/captureLog.js';
import { RawCoapPeer } from '../support/RawCoapPeer.js';
import { localServer } from './localServer.js';

/** Samples and types of a text exposition (format 0.0.4). */
function parseMetrics(text: string): { types: Map<string, string>; samples: Map<string, number> } {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    else if (line !== '' && !line.startsWith('#')) {
      const at = line.lastIndexOf(' ');
      samples.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
  }
  return { types, samples };
}

describe('lwm2m server operations', () => {
  let running: RunningServer;
  let captured: CapturedLog;
  let base: string;
  let raw: RawCoapPeer;
  let device: CoapEndpoint;

  before(async () => {
    captured = captureLog('info');
    running = await runServer(localServer({ bootstrapPort: 0 }), { log: captured.log });
    const http = running.http.server.address();
    assert.ok(http && typeof http === 'object');
    base = `http://127.0.0.1:${http.port}`;
    raw = await RawCoapPeer.open();
    device = new CoapEndpoint(await UdpTransport.bind({ address: '127.0.0.1', port: 0 }));
    const to = { address: '127.0.0.1', port: running.server.address().port };
    // CON POST /rd?lt=60 without ep: Uri-Path "rd" (b2 7264), Uri-Query "lt=60" (45 6c743d3630).
    await raw.send('41 02 1234 aa b2 7264 45 6c743d3630', to);
    // ACK 4.00 Bad Request, diagnostic payload "endpoint client name ep is missing".
    await raw.expect(`61 80 1234 aa ff ${Buffer.from('endpoint client name ep is missing').toString('hex')}`);
    const res = await device.request(makePeer('127.0.0.1', to.port), {
      method: 'POST',
      path: '/rd',
      query: ['ep=secret-device-name', 'lt=60', 'lwm2m=1.1', 'b=U'],
      contentFormat: 40,
      payload: '</1/0>,</3/0>',
      timeoutMs: 5_000,
    });
    assert.equal(res.code, Code.CREATED);
    await running.server.read('not-registered', '/3/0/0');
    await running.server.observe('not-registered', '/3/0/0').response;
  });

  after(async () => {
    await device?.close();
    await raw?.close();
    await running?.stop();
  });

  test('a rejected registration is one warn line with operation, source, code and reason', async () => {
    const rejected = captured.entries().filter((e) => e.msg === 'registration rejected');
    assert.equal(rejected.length, 1, captured.lines.join(''));
    const e = rejected[0]!;
    assert.equal(e.level, 'warn');
    assert.equal(e.operation, 'register');
    assert.match(String(e.source), new RegExp(`^127\\.0\\.0\\.1:${raw.address.port}$`));
    assert.equal(e.code, '4.00');
    assert.equal(e.reason, 'endpoint client name ep is missing');
    assert.match(String(e.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  test('a registration is an info line naming endpoint, registration id and source', () => {
    const e = captured.entries().find((x) => x.msg === 'registered');
    assert.equal(e?.level, 'info');
    assert.equal(e?.endpoint, 'secret-device-name');
    assert.equal(typeof e?.regId, 'string');
    assert.match(String(e?.source), /^127\.0\.0\.1:\d+$/);
  });

  test('/metrics serves the documented metrics with their types', async () => {
    const res = await fetch(`${base}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const { types } = parseMetrics(await res.text());
    const expected: Record<string, string> = {
      lwm2m_registrations: 'gauge',
      lwm2m_registration_events_total: 'counter',
      lwm2m_requests_total: 'counter',
      lwm2m_notifications_total: 'counter',
      lwm2m_send_total: 'counter',
      lwm2m_observations: 'gauge',
      lwm2m_queue_pending: 'gauge',
      lwm2m_limits_hit_total: 'counter',
      lwm2m_bootstrap_sessions_total: 'counter',
      coap_retransmissions_total: 'counter',
      coap_duplicates_total: 'counter',
      coap_outstanding_cons: 'gauge',
      coap_dedup_entries: 'gauge',
      coap_blockwise_transfers: 'gauge',
      coap_blockwise_bytes: 'gauge',
      nodejs_eventloop_lag_seconds: 'gauge',
      nodejs_eventloop_lag_p99_seconds: 'gauge',
      process_resident_memory_bytes: 'gauge',
    };
    for (const [name, type] of Object.entries(expected)) assert.equal(types.get(name), type, name);
  });

  test('/metrics counts registrations, rejections and requests, never by endpoint name', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const { samples } = parseMetrics(text);
    assert.equal(samples.get('lwm2m_registrations'), 1);
    assert.equal(samples.get('lwm2m_registration_events_total{event="register"}'), 1);
    assert.equal(samples.get('lwm2m_registration_events_total{event="reject"}'), 1);
    assert.equal(samples.get('lwm2m_requests_total{operation="read",result="deregistered"}'), 1);
    assert.equal(samples.get('lwm2m_requests_total{operation="observe",result="deregistered"}'), 1);
    assert.equal(samples.get('coap_dedup_entries') !== undefined, true);
    for (const limit of [
      'registrations',
      'registration_bytes',
      'registration_rate',
      'observations_per_client',
      'notification_rate',
      'peers',
      'blockwise_bytes',
      'queue_mode_per_client',
      'coap_peer_queue',
      'udp_receive_buffer',
    ])
      assert.equal(samples.get(`lwm2m_limits_hit_total{limit="${limit}"}`), 0, limit);
    assert.equal(samples.get('lwm2m_limit_max{limit="registrations"}'), 100_000);
    assert.equal(samples.get('lwm2m_limit_usage{limit="registrations"}'), 1);
    // the UDP sockets' receive buffers as granted (4 MiB asked for each, README "Limits")
    assert.ok(samples.get('lwm2m_limit_max{limit="udp_receive_buffer"}')! > 0);
    assert.ok(!text.includes('secret-device-name'), 'no label carries an endpoint name');
  });

  test('/healthz answers 200, and /readyz 200 until draining starts, then 503', async () => {
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
    running.drain();
    const draining = await fetch(`${base}/readyz`);
    assert.equal(draining.status, 503);
    assert.deepEqual(await draining.json(), { status: 'draining' });
    assert.equal((await fetch(`${base}/healthz`)).status, 200, 'still alive while draining');
  });
});
