// Issue 14 item 2: `lwm2m bootstrap` and `lwm2m server --bootstrap-port` keep the history of
// ended bootstrap sessions in their data file, so GET /api/bootstrap/sessions still shows a
// session, steps included, after a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BootstrapServer } from '../../src/bootstrap/BootstrapServer.js';
import type { BootstrapSessionRecord } from '../../src/bootstrap/BootstrapSession.js';
import { parseBootstrapArgs, runBootstrap } from '../../src/cli/bootstrapCommand.js';
import { runServer } from '../../src/cli/serverCommand.js';
import { bootstrapRequest } from '../../src/binding/uplinkRequests.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { Router } from '../../src/coap/Router.js';
import { makePeer } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { captureLog, silentLog } from '../support/captureLog.js';
import { closeAfter } from '../support/closeAfter.js';
import { localServer } from './localServer.js';

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lwm2m-bs-history-'));
  closeAfter({ close: () => rmSync(dir, { recursive: true, force: true }) });
  return dir;
}

/** Bootstraps `endpoint` against `server` from a device on 127.0.0.1 that answers every request with success. */
async function bootstrapOnce(server: BootstrapServer, endpoint: string): Promise<BootstrapSessionRecord> {
  const router = new Router().setDefault((r) => ({ code: r.method === 4 ? Code.DELETED : Code.CHANGED }));
  const device = new CoapEndpoint(await UdpTransport.bind({ address: '127.0.0.1', port: 0 }), { router });
  try {
    const ended = new Promise<BootstrapSessionRecord>((resolve) => {
      server.once('sessionFinished', resolve);
      server.once('sessionFailed', resolve);
    });
    const res = await device.request(makePeer('127.0.0.1', server.address().port), {
      ...bootstrapRequest(endpoint),
      timeoutMs: 5_000,
    });
    assert.equal(res.code, Code.CHANGED);
    return await ended;
  } finally {
    await device.close();
  }
}

interface SessionJson {
  id: string;
  endpoint: string;
  state: string;
  steps: { name: string; code: string }[];
}

const summary = (sessions: SessionJson[]) =>
  sessions.map((s) => [s.id, s.endpoint, s.state, s.steps.map((st) => `${st.name} ${st.code}`)]);

test('lwm2m bootstrap: GET /api/bootstrap/sessions shows a session of the previous run, steps included', async () => {
  const dataDir = tempDataDir();
  const o = parseBootstrapArgs([
    ...['--server-uri', 'coap://127.0.0.1:5683', '--coap-port', '0', '--coap-address', '127.0.0.1'],
    ...['--no-coaps', '--http-port', '0', '--http-address', '127.0.0.1', '--data-dir', dataDir],
  ]);
  let running = await runBootstrap(o, silentLog());
  try {
    const record = await bootstrapOnce(running.server, 'cli-kept');
    assert.equal(record.state, 'finished');
    const get = () => running.http!.inject({ method: 'GET', url: '/api/bootstrap/sessions' });
    const before = (await get()).json() as SessionJson[];
    await running.stop();
    const log = captureLog('info');
    running = await runBootstrap(o, log.log);
    const loaded = log.entries().find((e) => e.msg === 'data kept in SQLite');
    assert.equal(loaded?.bootstrapSessions, 1, 'the start-up log counts the kept sessions');
    const after = (await get()).json() as SessionJson[];
    assert.deepEqual(after, before);
    assert.deepEqual(summary(after), [
      [
        'bs-1',
        'cli-kept',
        'finished',
        ['delete /0 2.02', 'delete /1 2.02', 'write /0/1 2.04', 'write /1/0 2.04', 'finish 2.04'],
      ],
    ]);
  } finally {
    await running.stop();
  }
});

test('lwm2m server --bootstrap-port keeps its bootstrap sessions in server.db across a restart', async () => {
  const dataDir = tempDataDir();
  const options = localServer({ store: 'sqlite', dataDir, bootstrapPort: 0, coaps: false });
  let running = await runServer(options, { log: silentLog() });
  try {
    await bootstrapOnce(running.bootstrap!.server, 'srv-kept');
    await running.stop();
    running = await runServer(options, { log: silentLog() });
    const res = await running.http.inject({ method: 'GET', url: '/api/bootstrap/sessions' });
    assert.deepEqual(
      summary(res.json() as SessionJson[]).map(([id, ep, state]) => [id, ep, state]),
      [['bs-1', 'srv-kept', 'finished']],
    );
    const next = await bootstrapOnce(running.bootstrap!.server, 'srv-kept');
    assert.equal(next.id, 'bs-2', 'ids go on after the kept sessions');
  } finally {
    await running.stop();
  }
});
