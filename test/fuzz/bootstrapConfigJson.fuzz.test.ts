// Fuzzes the bootstrap config reader with structural JSON mutations: it either accepts a config
// or throws InvalidBootstrapConfigError, and every config it accepts plans and encodes (TLV and
// SenML JSON) without error, so validation catches what a session would trip over later.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planBootstrap } from '../../src/bootstrap/planBootstrap.js';
import { requireNodeCodec } from '../../src/content/contentCodecs.js';
import { InvalidBootstrapConfigError, parseBootstrapConfig } from '../../src/lwm2m/bootstrapConfigJson.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import { FUZZ_SEED, Mutator } from './mutator.js';
import { mutateJsonTree } from './jsonTreeMutator.js';

const models = createCoreRegistry();
const seed = {
  delete: ['/0', '/1', '/'],
  security: {
    0: { uri: 'coap://bs:5783', bootstrapServer: true, securityMode: 'nosec' },
    1: {
      uri: 'coaps://dm:5684',
      securityMode: 'psk',
      publicKeyOrIdentity: { text: 'id' },
      secretKey: '0011',
      shortServerId: 1,
    },
  },
  servers: {
    0: { shortServerId: 1, lifetime: 300, binding: 'UQ', defaultMinPeriod: 1, notificationStoring: true },
  },
  acl: { 0: { objectId: 3, objectInstanceId: 0, acl: { 1: 15, 2: 1 }, owner: 1 } },
  objects: { '/3/0/14': '+01:00', '/2/1/2': { 3: 1 }, '/0/2/3': 'ab', '/1/1/1': 60, '/5/0/1': 'coap://fw' },
  contentFormat: 110,
  discover: false,
  readServers: true,
};

type J = unknown;
const KEYS = [
  'uri',
  'securityMode',
  'secretKey',
  'shortServerId',
  'lifetime',
  'binding',
  'acl',
  '0',
  '1',
  '/3/0/13',
  'x',
];

function randomValue(m: Mutator): J {
  switch (m.int(9)) {
    case 0:
      return null;
    case 1:
      return m.int(2) === 0;
    case 2:
      return m.pick([0, -1, 1, 65534, 65535, 2 ** 31, 1.5, 1e300, 11542, 112]);
    case 3:
      return m.pick(['', 'psk', 'nosec', 'U', 'zz', '0a', '/0', '/0/1/2', 'coap://x', 'x'.repeat(300)]);
    case 4:
      return [randomValue(m)];
    case 5:
      return { text: 'abc' };
    case 6:
      return { [m.pick(KEYS)]: randomValue(m) };
    default:
      return {};
  }
}

const EDITS = { keys: KEYS, randomValue, maxDepth: 5 };
const mutate = (v: J, m: Mutator): J => mutateJsonTree(v, m, EDITS);

test('the config reader throws only InvalidBootstrapConfigError, and what it accepts plans and encodes', () => {
  const m = new Mutator(FUZZ_SEED);
  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < 20_000; i++) {
    let input: J = seed;
    for (let e = 1 + m.int(3); e > 0; e--) input = mutate(input, m);
    let config;
    try {
      config = parseBootstrapConfig(input, models);
    } catch (e) {
      if (!(e instanceof InvalidBootstrapConfigError))
        assert.fail(`FUZZ_SEED=${FUZZ_SEED} iteration ${i}: ${JSON.stringify(input)} threw ${String(e)}`);
      rejected++;
      continue;
    }
    accepted++;
    try {
      for (const { request } of planBootstrap(config, { models })) {
        if (request.kind !== 'bootstrapWrite') continue;
        for (const format of [11542, 110])
          requireNodeCodec(format).encode(request.path, request.node, models);
      }
    } catch (e) {
      assert.fail(
        `FUZZ_SEED=${FUZZ_SEED} iteration ${i}: accepted ${JSON.stringify(input)} but ${String(e)}`,
      );
    }
  }
  assert.ok(
    accepted > 1000 && rejected > 1000,
    `both outcomes occur (accepted ${accepted}, rejected ${rejected})`,
  );
});
