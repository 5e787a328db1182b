// Issue 14 items 3 and 6: `lwm2m server` and `lwm2m bootstrap` keep their data in an SQLite file
// of --data-dir (default ./data; --store memory opts out), say where at start-up, load it all back
// on restart, and refuse an unusable data file (corrupt, locked) with a clear error and exit code 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBootstrapArgs, runBootstrap } from '../../src/cli/bootstrapCommand.js';
import { parseServerArgs, runServer } from '../../src/cli/serverCommand.js';
import { Code } from '../../src/coap/CoapMessage.js';
import { CoapEndpoint } from '../../src/coap/CoapEndpoint.js';
import { SqliteOpenError } from '../../src/store/sqlite/sqliteErrors.js';
import { makePeer } from '../../src/transport/Peer.js';
import { UdpTransport } from '../../src/transport/udp/UdpTransport.js';
import { captureLog, silentLog } from '../support/captureLog.js';
import { closeAfter } from '../support/closeAfter.js';
import { localServer } from './localServer.js';

/** A fresh temporary data directory, removed when the test ends. */
function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lwm2m-data-'));
  closeAfter({ close: () => rmSync(dir, { recursive: true, force: true }) });
  return dir;
}

const CONFIG = {
  security: {
    1: { uri: 'coap://10.0.0.1:5683', bootstrapServer: false, securityMode: 'nosec', shortServerId: 1 },
  },
  servers: { 0: { shortServerId: 1, lifetime: 300, binding: 'U' } },
} as const;

test('the commands default to SQLite in ./data; --store, --data-dir and LWM2M_* variables change it', () => {
  const d = parseServerArgs([]);
  assert.equal(d.store, 'sqlite');
  assert.equal(d.dataDir, 'data');
  const o = parseServerArgs(['--store', 'memory', '--data-dir', '/var/lib/lwm2m']);
  assert.equal(o.store, 'memory');
  assert.equal(o.dataDir, '/var/lib/lwm2m');
  const env = parseServerArgs([], { LWM2M_STORE: 'memory', LWM2M_DATA_DIR: '/srv/d' });
  assert.deepEqual([env.store, env.dataDir], ['memory', '/srv/d']);
  assert.throws(() => parseServerArgs(['--store', 'redis']), /must be one of sqlite, memory/);
  const b = parseBootstrapArgs(['--server-uri', 'coap://h:5683']);
  assert.deepEqual([b.store, b.dataDir], ['sqlite', 'data']);
  const be = parseBootstrapArgs(['--server-uri', 'coap://h:5683'], { LWM2M_BOOTSTRAP_STORE: 'memory' });
  assert.equal(be.store, 'memory');
});

test('a restarted server has every registration, and its Bootstrap-Server every config, of the data file', async () => {
  const dataDir = tempDataDir();
  const first = captureLog('info');
  const options = localServer({ store: 'sqlite', dataDir, bootstrapPort: 0, coaps: false });
  let running = await runServer(options, { log: first.log });
  const device = new CoapEndpoint(await UdpTransport.bind({ address: '127.0.0.1', port: 0 }));
  try {
    const res = await device.request(makePeer('127.0.0.1', running.server.address().port), {
      method: 'POST',
      path: '/rd',
      query: ['ep=kept-1', 'lt=600', 'lwm2m=1.1', 'b=U'],
      contentFormat: 40,
      payload: '</1/0>,</3/0>',
      timeoutMs: 5_000,
    });
    assert.equal(res.code, Code.CREATED);
    await running.bootstrap!.server.config.configStore.put('dev-rest', structuredClone(CONFIG));
    const where = first.entries().find((e) => e.msg === 'data kept in SQLite');
    assert.equal(where?.file, join(dataDir, 'server.db'), first.lines.join(''));
    await running.stop();

    const second = captureLog('info');
    running = await runServer(options, { log: second.log });
    const reg = await running.server.getRegistration('kept-1');
    assert.equal(reg?.lifetime, 600);
    assert.ok(await running.bootstrap!.server.config.configStore.getExact('dev-rest'));
    const loaded = second.entries().find((e) => e.msg === 'data kept in SQLite');
    assert.equal(loaded?.registrations, 1);
  } finally {
    await device.close();
    await running.stop();
  }
});

test('with --store memory nothing is written and the start-up log says a restart loses the data', async () => {
  const captured = captureLog('info');
  const running = await runServer(localServer({ store: 'memory', coaps: false }), { log: captured.log });
  await running.stop();
  assert.ok(
    captured.entries().some((e) => e.msg === 'data kept in memory only (--store memory): a restart loses it'),
  );
});

test('lwm2m bootstrap keeps configs in bootstrap.db of its data directory', async () => {
  const dataDir = tempDataDir();
  const args = ['--server-uri', 'coap://127.0.0.1:5683', '--coap-port', '0', '--coap-address', '127.0.0.1'];
  const o = parseBootstrapArgs([...args, '--no-coaps', '--data-dir', dataDir]);
  let running = await runBootstrap(o, silentLog());
  try {
    await running.server.config.configStore.put('dev-b', structuredClone(CONFIG));
    await running.stop();
    running = await runBootstrap(o, silentLog());
    assert.ok(await running.server.config.configStore.getExact('dev-b'));
    assert.ok(await running.server.config.configStore.getExact('*'), 'the quick-start default');
  } finally {
    await running.stop();
  }
});

test('a corrupt data file stops the start with an error naming it, never an empty start', async () => {
  const dataDir = tempDataDir();
  writeFileSync(join(dataDir, 'server.db'), 'this is not an SQLite database, just text '.repeat(200));
  await assert.rejects(
    runServer(localServer({ store: 'sqlite', dataDir, coaps: false }), { log: silentLog() }),
    (e: unknown) => e instanceof SqliteOpenError && e.message.includes(join(dataDir, 'server.db')),
  );
});

/** Runs `lwm2m server` with `args` until it exits by itself; its exit code and standard error. */
async function serverExit(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'server', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  closeAfter({ close: () => void child.kill('SIGKILL') });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { code, stderr };
}

const PROCESS_ARGS = ['--coap-port', '0', '--coap-address', '127.0.0.1', '--http-port', '0', '--no-coaps'];

test(
  'lwm2m server exits with code 2 on a corrupt data file, and on one another server holds',
  { timeout: 60_000 },
  async () => {
    const corruptDir = tempDataDir();
    writeFileSync(join(corruptDir, 'server.db'), Buffer.alloc(8192, 0x5a));
    const corrupt = await serverExit([...PROCESS_ARGS, '--data-dir', corruptDir]);
    assert.equal(corrupt.code, 2, corrupt.stderr);
    assert.match(corrupt.stderr, /cannot open the data file .*server\.db \((not-a-database|corrupt)\)/);

    const lockedDir = tempDataDir();
    const holder = await runServer(localServer({ store: 'sqlite', dataDir: lockedDir, coaps: false }), {
      log: silentLog(),
    });
    try {
      const locked = await serverExit([...PROCESS_ARGS, '--data-dir', lockedDir]);
      assert.equal(locked.code, 2, locked.stderr);
      assert.match(locked.stderr, /cannot open the data file .*server\.db \(locked\)/);
    } finally {
      await holder.stop();
    }
  },
);
