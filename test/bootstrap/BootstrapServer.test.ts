// A whole bootstrap session (Core TS 1.1.1 5.2.7, Transport TS 6.2) against a scripted device on
// a memory network: the request sequence, byte-exact Security payloads, failing and hanging
// steps, malformed Bootstrap-Requests and the session history.
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BootstrapSessionRecord } from '../../src/bootstrap/BootstrapSession.js';
import { senmlJsonCodec } from '../../src/content/senml/senmlJsonCodec.js';
import type { BootstrapConfig } from '../../src/lwm2m/BootstrapConfig.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { tlvNodeCodec } from '../../src/content/tlv/TlvNodeCodec.js';
import { serverInstanceNode } from '../../src/lwm2m/bootstrapNodes.js';
import { object } from '../../src/lwm2m/nodes.js';
import { flush } from '../support/MemoryTransport.js';
import { describeRequest, startBootstrap, succeed } from './bootstrapFixture.js';

const KEY = Uint8Array.from({ length: 16 }, (_, i) => i);
const pskConfig: BootstrapConfig = {
  security: {
    1: {
      uri: 'coaps://a:5684',
      bootstrapServer: false,
      securityMode: 'psk',
      publicKeyOrIdentity: new TextEncoder().encode('dev1'),
      secretKey: KEY,
      shortServerId: 101,
    },
  },
  servers: { 0: { shortServerId: 101, lifetime: 300, binding: 'U' } },
};
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

let fixture: Awaited<ReturnType<typeof startBootstrap>> | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await flush(1);
  assert.ok(cond(), 'condition not reached');
}

describe('BootstrapServer', () => {
  test('runs Delete, Writes and Finish after answering 2.04, and writes PSK keys byte-exactly in TLV', async () => {
    fixture = await startBootstrap({ 'urn:dev:1': pskConfig });
    const ended = fixture.sessionEnd();
    const res = await fixture.requestBootstrap('urn:dev:1');
    assert.equal(res.code, 0x44);
    const record = await ended;
    assert.equal(record.state, 'finished', JSON.stringify(record.failure));
    assert.deepEqual(fixture.received.map(describeRequest), [
      'DELETE /0',
      'DELETE /1',
      'PUT /0/1',
      'PUT /1/0',
      'POST /bs',
    ]);
    const security = fixture.received[2]!;
    assert.equal(security.contentFormat, 11542);
    const uri = hexOf(new TextEncoder().encode('coaps://a:5684'));
    // Resources 0, 1, 2, 3 (identity "dev1"), 4 (empty), 5 (the 16-byte key) and 10 of instance /0/1.
    const expected =
      `c8000e${uri}` + 'c10100' + 'c10200' + 'c40364657631' + 'c004' + `c80510${hexOf(KEY)}` + 'c10a65';
    assert.equal(hexOf(security.payload), expected);
    assert.deepEqual(
      record.steps.map((s) => [s.name, s.code]),
      [
        ['delete /0', 0x42],
        ['delete /1', 0x42],
        ['write /0/1', 0x44],
        ['write /1/0', 0x44],
        ['finish', 0x44],
      ],
    );
    assert.deepEqual(
      fixture.events.map(([n]) => n),
      ['sessionStarted', 'step', 'step', 'step', 'step', 'step', 'sessionFinished'],
    );
    assert.deepEqual(
      (await fixture.server.sessions()).map((s) => [s.endpoint, s.state, s.address, s.port]),
      [['urn:dev:1', 'finished', '10.0.0.2', 56830]],
    );
  });

  test('writes in the client pct (SenML JSON) with the key bytes intact', async () => {
    fixture = await startBootstrap({ 'urn:dev:1': pskConfig });
    const ended = fixture.sessionEnd();
    assert.equal((await fixture.requestBootstrap('urn:dev:1', 110)).code, 0x44);
    assert.equal((await ended).state, 'finished');
    const put = fixture.received.find((r) => describeRequest(r) === 'PUT /0/1')!;
    assert.equal(put.contentFormat, 110);
    const node = senmlJsonCodec.decode(put.payload, Lwm2mPath.parse('/0/1'), createCoreRegistry());
    assert.equal(node.kind, 'instance');
    const key = node.kind === 'instance' ? node.resources.find((r) => r.id === 5) : undefined;
    assert.deepEqual(key?.kind === 'resource' ? key.value : undefined, { type: 'opaque', value: KEY });
  });

  test('a 4.xx answer fails the session naming the step, and nothing more is sent', async () => {
    fixture = await startBootstrap({ 'urn:dev:1': pskConfig });
    fixture.setScript((r) =>
      describeRequest(r) === 'PUT /1/0'
        ? { code: 0x80, payload: new TextEncoder().encode('bad binding') }
        : succeed(r),
    );
    const ended = fixture.sessionEnd();
    await fixture.requestBootstrap('urn:dev:1');
    const record = await ended;
    assert.equal(record.state, 'failed');
    assert.deepEqual(record.failure, {
      step: 'write /1/0',
      reason: 'client answered 4.00: bad binding',
      code: 0x80,
    });
    assert.equal(fixture.received.length, 4, 'no Bootstrap-Finish after the failure');
    assert.equal(fixture.events.at(-1)![0], 'sessionFailed');
  });

  test('a client that never answers fails the session at that step after the step timeout', async () => {
    fixture = await startBootstrap({ 'urn:dev:1': pskConfig }, { stepTimeoutMs: 5_000 });
    fixture.setScript((r) => (describeRequest(r) === 'PUT /0/1' ? new Promise(() => undefined) : succeed(r)));
    let record: BootstrapSessionRecord | undefined;
    void fixture.sessionEnd().then((r) => (record = r));
    await fixture.requestBootstrap('urn:dev:1');
    await until(() => fixture!.received.length === 3);
    fixture.clock.advance(4_999);
    await flush();
    assert.equal(record, undefined, 'still waiting before the deadline');
    fixture.clock.advance(1);
    await until(() => record !== undefined);
    assert.equal(record!.failure?.step, 'write /0/1');
    assert.equal(record!.failure?.failure, 'timeout');
    assert.match(record!.failure!.reason, /^timeout: no response within 5000 ms/);
  });

  test('runs Bootstrap-Discover first and Bootstrap-Read of /1 last when the config asks', async () => {
    const config: BootstrapConfig = {
      ...pskConfig,
      discover: true,
      readServers: true,
      acl: { 0: { objectId: 3, objectInstanceId: 0, acl: { 101: 1 }, owner: 101 } },
    };
    fixture = await startBootstrap({ 'urn:dev:1': config });
    const server1 = tlvNodeCodec.encode(
      Lwm2mPath.parse('/1'),
      object(1, [serverInstanceNode(0, pskConfig.servers[0]!)]),
      createCoreRegistry(),
    );
    fixture.setScript((r) => {
      if (describeRequest(r) === 'GET /')
        return {
          code: 0x45,
          contentFormat: 40,
          payload: new TextEncoder().encode('</>;lwm2m=1.1,</0/0>,</1>,</3/0>'),
        };
      if (describeRequest(r) === 'GET /1') return { code: 0x45, contentFormat: 11542, payload: server1 };
      return succeed(r);
    });
    const ended = fixture.sessionEnd();
    await fixture.requestBootstrap('urn:dev:1', 11542);
    const record = await ended;
    assert.equal(record.state, 'finished', JSON.stringify(record.failure));
    assert.deepEqual(fixture.received.map(describeRequest), [
      'GET /',
      'DELETE /0',
      'DELETE /1',
      'PUT /0/1',
      'PUT /1/0',
      'GET /1',
      'POST /bs',
    ]);
    assert.equal(fixture.received[0]!.accept, 40);
    assert.deepEqual(record.discovered, { lwm2mVersion: '1.1', objectIds: [0, 1, 3] });
  });

  test('an undecodable Bootstrap-Discover answer fails the session at the discover step', async () => {
    fixture = await startBootstrap({ 'urn:dev:1': { ...pskConfig, discover: true } });
    fixture.setScript(() => ({ code: 0x45, contentFormat: 40, payload: new TextEncoder().encode('</0/x>') }));
    const ended = fixture.sessionEnd();
    await fixture.requestBootstrap('urn:dev:1');
    const record = await ended;
    assert.equal(record.failure?.step, 'discover /');
    assert.equal(record.failure?.failure, 'decode');
    assert.equal(fixture.received.length, 1);
  });

  describe('answers a malformed or unusable Bootstrap-Request with 4.00', () => {
    const cases: { name: string; query: string[]; diagnostic: RegExp }[] = [
      { name: 'no ep', query: ['pct=11542'], diagnostic: /needs ep/ },
      { name: 'an empty ep', query: ['ep='], diagnostic: /needs ep/ },
      { name: 'an unknown pct', query: ['ep=urn:dev:1', 'pct=9999'], diagnostic: /pct 9999/ },
      { name: 'a pct that cannot carry an instance', query: ['ep=urn:dev:1', 'pct=0'], diagnostic: /pct 0/ },
      { name: 'a pct that is not a number', query: ['ep=urn:dev:1', 'pct=tlv'], diagnostic: /pct "tlv"/ },
      {
        name: 'an endpoint without config',
        query: ['ep=urn:dev:2'],
        diagnostic: /no bootstrap configuration/,
      },
    ];
    for (const c of cases)
      test(c.name, async () => {
        fixture = await startBootstrap({ 'urn:dev:1': pskConfig });
        const res = await fixture.rawBootstrap(c.query);
        assert.equal(res.code, 0x80);
        assert.match(text(res.payload), c.diagnostic);
        await flush();
        assert.deepEqual(await fixture.server.sessions(), []);
        assert.equal(fixture.received.length, 0);
      });
  });

  test('uses the default config ("*") for an unknown endpoint', async () => {
    fixture = await startBootstrap({ '*': pskConfig });
    const ended = fixture.sessionEnd();
    assert.equal((await fixture.requestBootstrap('urn:anyone')).code, 0x44);
    assert.equal((await ended).endpoint, 'urn:anyone');
  });

  test('a new Bootstrap-Request from the same endpoint supersedes the running session', async () => {
    fixture = await startBootstrap({ 'urn:dev:1': pskConfig });
    let hang = true;
    fixture.setScript((r) =>
      hang && describeRequest(r) === 'PUT /0/1' ? new Promise(() => undefined) : succeed(r),
    );
    const first = fixture.sessionEnd();
    await fixture.requestBootstrap('urn:dev:1');
    await until(() => fixture!.received.length === 3);
    hang = false;
    await fixture.requestBootstrap('urn:dev:1');
    const old = await first;
    assert.equal(old.id, 'bs-1');
    assert.deepEqual(old.failure, {
      step: 'write /0/1',
      reason: 'cancelled: superseded by a new Bootstrap-Request',
      failure: 'cancelled',
    });
    await until(() => fixture!.events.some(([name]) => name === 'sessionFinished'));
    assert.deepEqual(
      (await fixture.server.sessions()).map((s) => [s.id, s.state]),
      [
        ['bs-1', 'failed'],
        ['bs-2', 'finished'],
      ],
    );
  });

  test('keeps a bounded history of ended sessions', async () => {
    fixture = await startBootstrap({ '*': pskConfig }, { maxSessionHistory: 2 });
    for (const ep of ['a', 'b', 'c']) {
      const ended = fixture.sessionEnd();
      await fixture.requestBootstrap(ep);
      await ended;
    }
    assert.deepEqual(
      (await fixture.server.sessions()).map((s) => s.endpoint),
      ['b', 'c'],
    );
  });

  test('stop() fails a running session with "server stopped"', async () => {
    fixture = await startBootstrap({ 'urn:dev:1': pskConfig });
    fixture.setScript((r) => (describeRequest(r) === 'PUT /0/1' ? new Promise(() => undefined) : succeed(r)));
    const ended = fixture.sessionEnd();
    await fixture.requestBootstrap('urn:dev:1');
    await until(() => fixture!.received.length === 3);
    await fixture.server.stop();
    const record = await ended;
    assert.equal(record.failure?.step, 'write /0/1');
    assert.match(record.failure!.reason, /server stopped/);
  });
});
