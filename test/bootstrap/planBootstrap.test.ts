// Table tests of the pure bootstrap planner (STYLE.md 14): config + steps done → next requests.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import type { BootstrapConfig } from '../../src/lwm2m/BootstrapConfig.js';
import { parseDiscoverResponse } from '../../src/lwm2m/linkFormat.js';
import type { ObjectInstanceNode } from '../../src/lwm2m/Lwm2mNode.js';
import { bootstrapDiscover } from '../../src/lwm2m/requests.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import {
  bootstrapFormat,
  planBootstrap,
  type BootstrapStep,
  type CompletedStep,
} from '../../src/bootstrap/planBootstrap.js';

const models = createCoreRegistry();
const ok = { code: 0x44, ok: true };

const base: BootstrapConfig = {
  security: {
    1: {
      uri: 'coaps://dm.example.com:5684',
      bootstrapServer: false,
      securityMode: 'psk',
      publicKeyOrIdentity: new TextEncoder().encode('dev1'),
      secretKey: Uint8Array.from([1, 2, 3, 4]),
      shortServerId: 101,
    },
  },
  servers: { 0: { shortServerId: 101, lifetime: 300, binding: 'U' } },
};

const discovered = (text: string): CompletedStep => ({
  step: { name: 'discover /', request: bootstrapDiscover('/') },
  response: { code: 0x45, ok: true, links: parseDiscoverResponse(text) },
});
const names = (steps: readonly BootstrapStep[]): string[] => steps.map((s) => s.name);
const done = (steps: readonly BootstrapStep[]): CompletedStep[] =>
  steps.map((step) => ({ step, response: ok }));

describe('planBootstrap', () => {
  const cases: { name: string; config: BootstrapConfig; done?: CompletedStep[]; expect: string[] }[] = [
    {
      name: 'deletes /0 and /1, writes security then servers, then finishes',
      config: base,
      expect: ['delete /0', 'delete /1', 'write /0/1', 'write /1/0', 'finish'],
    },
    {
      name: 'deletes the paths the config names, in order',
      config: { ...base, delete: ['/', '/2/0'] },
      expect: ['delete /', 'delete /2/0', 'write /0/1', 'write /1/0', 'finish'],
    },
    {
      name: 'deletes nothing for an empty delete list',
      config: { ...base, delete: [] },
      expect: ['write /0/1', 'write /1/0', 'finish'],
    },
    {
      name: 'writes instances in id order and ACL after servers',
      config: {
        ...base,
        delete: [],
        security: { 3: base.security[1]!, 0: { ...base.security[1]!, shortServerId: 7 } },
        acl: { 1: { objectId: 3, objectInstanceId: 0, acl: { 101: 1 }, owner: 101 } },
      },
      expect: ['write /0/0', 'write /0/3', 'write /1/0', 'write /2/1', 'finish'],
    },
    {
      name: 'groups other object values by instance',
      config: {
        ...base,
        delete: [],
        objects: { '/3/0/15': 'Europe/Paris', '/3/0/14': '+01:00', '/1/1/1': 60 },
      },
      expect: ['write /0/1', 'write /1/0', 'write /1/1', 'write /3/0', 'finish'],
    },
    {
      name: 'begins with a Bootstrap-Discover of / when asked',
      config: { ...base, discover: true },
      expect: ['discover /'],
    },
    {
      name: 'after the discover, leaves out objects the client lacks',
      config: {
        ...base,
        discover: true,
        delete: [],
        acl: { 0: { objectId: 3, objectInstanceId: 0, acl: {}, owner: 101 } },
      },
      done: [discovered('</>;lwm2m=1.1,</0/0>;uri="coap://bs:5783",</1>,</3/0>')],
      expect: ['write /0/1', 'write /1/0', 'finish'],
    },
    {
      name: 'reads the Server object before finishing when asked',
      config: { ...base, delete: [], readServers: true },
      expect: ['write /0/1', 'write /1/0', 'read /1', 'finish'],
    },
    {
      name: 'skips the Bootstrap-Read for a client that discovered itself as 1.0',
      config: { ...base, delete: [], readServers: true, discover: true },
      done: [discovered('</>;lwm2m=1.0,</0/0>,</1>,</3/0>')],
      expect: ['write /0/1', 'write /1/0', 'finish'],
    },
    {
      name: 'plans nothing more after Bootstrap-Finish',
      config: base,
      done: done(planBootstrap(base, { models })),
      expect: [],
    },
  ];
  for (const c of cases)
    test(c.name, () => assert.deepEqual(names(planBootstrap(c.config, { models }, c.done)), c.expect));

  test('builds the Security instance with mode, identity, key and empty server key', () => {
    const write = planBootstrap(base, { models })[2]!.request;
    assert.equal(write.kind, 'bootstrapWrite');
    const node = (write as { node: ObjectInstanceNode }).node;
    const values = Object.fromEntries(node.resources.map((r) => [r.id, r.kind === 'resource' ? r.value : r]));
    assert.deepEqual(values[0], { type: 'string', value: 'coaps://dm.example.com:5684' });
    assert.deepEqual(values[1], { type: 'boolean', value: false });
    assert.deepEqual(values[2], { type: 'integer', value: 0 });
    assert.deepEqual(values[3], { type: 'opaque', value: new TextEncoder().encode('dev1') });
    assert.deepEqual(values[4], { type: 'opaque', value: new Uint8Array(0) });
    assert.deepEqual(values[5], { type: 'opaque', value: Uint8Array.from([1, 2, 3, 4]) });
    assert.deepEqual(values[10], { type: 'integer', value: 101 });
  });

  test('builds the Server instance with notification storing on by default', () => {
    const node = (planBootstrap(base, { models })[3]!.request as { node: ObjectInstanceNode }).node;
    assert.deepEqual(
      node.resources.map((r) => [r.id, r.kind === 'resource' ? r.value.value : null]),
      [
        [0, 101],
        [1, 300],
        [6, true],
        [7, 'U'],
      ],
    );
  });

  test('types other object values by the model (opaque from hex, multiple from a map)', () => {
    const config: BootstrapConfig = {
      ...base,
      delete: [],
      objects: { '/0/5/3': 'c0ffee', '/2/4/2': { 7: 1, 3: 15 }, '/2/4/0': 3, '/2/4/1': 0, '/2/4/3': 7 },
    };
    const steps = planBootstrap(config, { models });
    const sec = (steps.find((s) => s.name === 'write /0/5')!.request as { node: ObjectInstanceNode }).node;
    assert.deepEqual(sec.resources[0], {
      kind: 'resource',
      id: 3,
      value: { type: 'opaque', value: Uint8Array.from([0xc0, 0xff, 0xee]) },
    });
    const acl = (steps.find((s) => s.name === 'write /2/4')!.request as { node: ObjectInstanceNode }).node;
    const multi = acl.resources.find((r) => r.id === 2)!;
    assert.equal(multi.kind, 'multipleResource');
    assert.deepEqual(
      multi.kind === 'multipleResource' ? multi.instances.map((i) => [i.id, i.value.value]) : [],
      [
        [3, 15],
        [7, 1],
      ],
    );
  });

  test('rejects object values the models do not know or that do not fit', () => {
    assert.throws(
      () => planBootstrap({ ...base, objects: { '/3/0/9999': 1 } }, { models }),
      /no such writable resource/,
    );
    assert.throws(() => planBootstrap({ ...base, objects: { '/3/0/13': 'soon' } }, { models }), /\/3\/0\/13/);
    assert.throws(() => planBootstrap({ ...base, objects: { '/3/0': 1 } }, { models }), /resource path/);
  });

  test('refuses a config that deletes the accounts and writes nothing (from a store that did not check)', () => {
    assert.throws(
      () => planBootstrap({ security: {}, servers: {} }, { models }),
      /InvalidBootstrapConfigError: writes nothing but deletes \/0, \/1/,
    );
  });

  test('writes in the config format, else the client pct, else TLV', () => {
    const formatOf = (steps: BootstrapStep[]): number | undefined =>
      (steps.find((s) => s.request.kind === 'bootstrapWrite')!.request as { format?: number }).format;
    assert.equal(formatOf(planBootstrap(base, { models })), ContentFormat.TLV);
    assert.equal(formatOf(planBootstrap(base, { models, preferredFormat: 110 })), ContentFormat.SENML_JSON);
    assert.equal(
      formatOf(planBootstrap({ ...base, contentFormat: 11544 }, { models, preferredFormat: 110 })),
      ContentFormat.LWM2M_CBOR,
    );
    assert.equal(bootstrapFormat(base, 112), 112);
  });
});
