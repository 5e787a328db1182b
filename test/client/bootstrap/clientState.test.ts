// Core TS 1.1.1 6.1 and 6.1.1: the bootstrapped state kept in a file (atomic writes, corrupt files
// reported) so a restarted client registers without bootstrapping again, and factory bootstrap
// from a client config file.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registeredResponse } from '../../../src/binding/toUplinkResponse.js';
import { toCoapRequest } from '../../../src/binding/toCoapRequest.js';
import { FileClientStateStore } from '../../../src/client/bootstrap/FileClientStateStore.js';
import { loadClientConfigFile, parseClientConfig } from '../../../src/client/bootstrap/factoryBootstrap.js';
import { Lwm2mClient } from '../../../src/client/Lwm2mClient.js';
import { CoapEndpoint } from '../../../src/coap/CoapEndpoint.js';
import type { IncomingRequest } from '../../../src/coap/Router.js';
import { securityInstanceNode, serverInstanceNode } from '../../../src/lwm2m/bootstrapNodes.js';
import { Lwm2mPath } from '../../../src/lwm2m/Lwm2mPath.js';
import { bootstrapFinish, bootstrapWrite } from '../../../src/lwm2m/requests.js';
import { createCoreRegistry } from '../../../src/model/core/coreModels.js';
import { makePeer } from '../../../src/transport/Peer.js';
import { ManualClock } from '../../support/ManualClock.js';
import { MemoryNetwork } from '../../support/MemoryTransport.js';

const models = createCoreRegistry();
const CLIENT = makePeer('10.0.0.1', 5683);
const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'lwm2m-client-state-'));
  dirs.push(d);
  return d;
}

/** A scripted Bootstrap-Server (10.0.0.5:5783) and LwM2M Server (10.0.0.2:5683) on one network. */
function peers(net: MemoryNetwork) {
  const bs = new CoapEndpoint(net.bind('10.0.0.5', 5783));
  const bsQueries: string[][] = [];
  let onBs = (): void => {};
  bs.router.use('bs', (req) => (bsQueries.push(req.query), onBs(), { code: 0x44 }));
  const lwm2m = new CoapEndpoint(net.bind('10.0.0.2'));
  const registers: IncomingRequest[] = [];
  lwm2m.router.use('rd', (req) => {
    if (req.method === 0x02 && req.path.length === 1) registers.push(req);
    return req.method === 0x02 && req.path.length === 1 ? registeredResponse('r1') : { code: 0x42 };
  });
  closers.push(async () => {
    await bs.close();
    await lwm2m.close();
  });
  const bsAsked = (): Promise<void> => new Promise((r) => (onBs = r));
  return { bs, bsQueries, registers, bsAsked };
}

const once = (client: Lwm2mClient, event: 'registered' | 'bootstrapped'): Promise<void> =>
  new Promise((r) => client.on(event, () => r()));

describe('FileClientStateStore', () => {
  test('load() is undefined before the first save, then returns what was saved', async () => {
    const store = new FileClientStateStore(join(await tempDir(), 'sub', 'state.json'));
    assert.equal(await store.load(), undefined);
    const state = {
      version: 1 as const,
      objects: { 0: [{ bn: '/0/0/', n: '0', vs: 'coap://x' }] },
      instances: {},
    };
    await store.save(state);
    assert.deepEqual(await store.load(), state);
  });

  test('save() replaces the file by rename and leaves no temporary file', async () => {
    const dir = await tempDir();
    const store = new FileClientStateStore(join(dir, 'state.json'));
    await store.save({ version: 1, objects: {}, instances: {} });
    await store.save({ version: 1, objects: { 1: [] }, instances: {} });
    assert.deepEqual(await readdir(dir), ['state.json']);
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')).objects, { 1: [] });
  });

  test('a corrupt file is reported as DecodeError; clear() removes the file', async () => {
    const path = join(await tempDir(), 'state.json');
    await writeFile(path, '{"version": 2}');
    const store = new FileClientStateStore(path);
    await assert.rejects(store.load(), (e: Error) => e.name === 'DecodeError');
    await store.clear();
    assert.equal(await store.load(), undefined);
  });
});

describe('restart after bootstrap', () => {
  test('a restarted client with the same state file registers without bootstrapping again', async () => {
    const path = join(await tempDir(), 'state.json');
    const net = new MemoryNetwork();
    const p = peers(net);
    const options = {
      endpoint: 'restart-node',
      clock: new ManualClock(0),
      bootstrapServer: { uri: 'coap://10.0.0.5:5783' },
      stateStore: new FileClientStateStore(path),
    };
    const first = new Lwm2mClient({ ...options, transport: net.bind('10.0.0.1') });
    const asked = p.bsAsked();
    await first.start();
    await asked;
    const send = (r: Parameters<typeof toCoapRequest>[0]) =>
      p.bs.request(CLIENT, toCoapRequest(r, { models, lwm2mVersion: '1.1' }));
    const sec = {
      uri: 'coap://10.0.0.2:5683',
      bootstrapServer: false,
      securityMode: 'nosec' as const,
      shortServerId: 7,
    };
    await send(bootstrapWrite('/0/1', securityInstanceNode(1, sec)));
    await send(
      bootstrapWrite('/1/0', serverInstanceNode(0, { shortServerId: 7, lifetime: 120, binding: 'U' })),
    );
    const registered = once(first, 'registered');
    assert.equal((await send(bootstrapFinish())).code, 0x44);
    await registered;
    await first.stop();
    assert.equal(p.bsQueries.length, 1);

    const second = new Lwm2mClient({ ...options, transport: net.bind('10.0.0.1') });
    closers.push(() => second.stop());
    const again = once(second, 'registered');
    await second.start();
    await again;
    assert.equal(p.bsQueries.length, 1, 'no second Bootstrap-Request');
    assert.equal(p.registers.length, 2);
    assert.ok(p.registers[1]!.query.includes('lt=120'));
    assert.equal(second.bootstrapState, 'idle');
  });
});

describe('a corrupt state file', () => {
  test('is reported as a warning and the client bootstraps', async () => {
    const path = join(await tempDir(), 'state.json');
    await writeFile(path, 'not json');
    const net = new MemoryNetwork();
    const p = peers(net);
    const client = new Lwm2mClient({
      endpoint: 'corrupt-node',
      clock: new ManualClock(0),
      transport: net.bind('10.0.0.1'),
      bootstrapServer: { uri: 'coap://10.0.0.5:5783' },
      stateStore: new FileClientStateStore(path),
    });
    closers.push(() => client.stop());
    const warnings: Error[] = [];
    client.on('warning', (e) => warnings.push(e));
    const asked = p.bsAsked();
    await client.start();
    await asked;
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /is not JSON/);
    assert.deepEqual(p.bsQueries, [['ep=corrupt-node', 'pct=112']]);
  });
});

describe('factory bootstrap', () => {
  const file = {
    endpoint: 'factory-node',
    security: {
      0: { uri: 'coap://10.0.0.5:5783', bootstrapServer: true, securityMode: 'nosec' },
      1: { uri: 'coap://10.0.0.2:5683', securityMode: 'nosec', shortServerId: 3 },
    },
    servers: { 0: { shortServerId: 3, lifetime: 600, binding: 'U' } },
    objects: { '/3/0/1': 'Model F' },
  };

  test('a client config file gives the endpoint and the accounts; the client registers directly', async () => {
    const path = join(await tempDir(), 'client.json');
    await writeFile(path, JSON.stringify(file));
    const cfg = await loadClientConfigFile(path, models);
    assert.equal(cfg.endpoint, 'factory-node');
    const net = new MemoryNetwork();
    const p = peers(net);
    const client = new Lwm2mClient({
      endpoint: cfg.endpoint!,
      clock: new ManualClock(0),
      transport: net.bind('10.0.0.1'),
      factoryConfig: cfg.config,
    });
    closers.push(() => client.stop());
    const registered = once(client, 'registered');
    await client.start();
    await registered;
    assert.deepEqual(p.registers[0]!.query.slice(0, 2), ['ep=factory-node', 'lt=600']);
    assert.equal(p.bsQueries.length, 0);
    const model = client.tree.read(Lwm2mPath.parse('/3/0/1'));
    assert.equal(model.kind === 'resource' && model.value.value, 'Model F');
  });

  test('rejects a config whose endpoint is not a name, naming the field', () => {
    assert.throws(
      () => parseClientConfig({ ...file, endpoint: '' }),
      (e: Error & { field?: string }) => e.field === 'endpoint',
    );
    assert.throws(
      () => parseClientConfig({ ...file, servers: { 0: { shortServerId: 3, binding: 'U' } } }),
      (e: Error & { field?: string }) => e.field === 'servers.0.lifetime',
    );
  });
});
