// The JSON form of bootstrap configs (the --config file and the REST API): strict reading with
// errors that name the field, hex byte strings, and a lossless round trip.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bootstrapConfigToJson,
  InvalidBootstrapConfigError,
  parseBootstrapConfig,
  parseBootstrapConfigFile,
} from '../../src/lwm2m/bootstrapConfigJson.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';

const models = createCoreRegistry();
const valid = {
  delete: ['/0', '/1/'],
  security: {
    1: {
      uri: 'coaps://dm:5684',
      securityMode: 'psk',
      publicKeyOrIdentity: { text: 'dev1' },
      secretKey: '000102AbCdEf',
      shortServerId: 101,
    },
  },
  servers: { 0: { shortServerId: 101, lifetime: 300, binding: 'UQ', notificationStoring: false } },
  acl: { 0: { objectId: 3, objectInstanceId: 0, acl: { 101: 15 }, owner: 101 } },
  objects: { '/3/0/14': '+01:00' },
  contentFormat: 112,
  discover: true,
  readServers: false,
};

describe('parseBootstrapConfig', () => {
  test('reads every field; byte strings from hex or text; paths normalized', () => {
    const c = parseBootstrapConfig(valid, models);
    assert.deepEqual(c.delete, ['/0', '/1']);
    assert.deepEqual(c.security[1], {
      uri: 'coaps://dm:5684',
      bootstrapServer: false,
      securityMode: 'psk',
      publicKeyOrIdentity: new TextEncoder().encode('dev1'),
      secretKey: Uint8Array.from([0, 1, 2, 0xab, 0xcd, 0xef]),
      shortServerId: 101,
    });
    assert.deepEqual(c.servers[0], {
      shortServerId: 101,
      lifetime: 300,
      binding: 'UQ',
      notificationStoring: false,
    });
    assert.deepEqual(c.acl?.[0], { objectId: 3, objectInstanceId: 0, acl: { 101: 15 }, owner: 101 });
    assert.equal(c.contentFormat, 112);
    assert.equal(c.discover, true);
  });

  test('round-trips through its JSON form (bytes as hex)', () => {
    const c = parseBootstrapConfig(valid, models);
    const json = bootstrapConfigToJson(c);
    assert.equal((json.security as Record<string, Record<string, unknown>>)['1']!.secretKey, '000102abcdef');
    assert.deepEqual(parseBootstrapConfig(JSON.parse(JSON.stringify(json)), models), c);
  });

  const bad: { name: string; json: unknown; field: string }[] = [
    { name: 'not an object', json: [], field: '' },
    { name: 'an unknown top-level field', json: { ...valid, servers2: {} }, field: 'servers2' },
    {
      name: 'a secret key that is not hex',
      json: patchSecurity({ secretKey: 'xyz' }),
      field: 'security.1.secretKey',
    },
    {
      name: 'an odd-length hex key',
      json: patchSecurity({ secretKey: 'abc' }),
      field: 'security.1.secretKey',
    },
    {
      name: 'an unknown security mode',
      json: patchSecurity({ securityMode: 'psk2' }),
      field: 'security.1.securityMode',
    },
    {
      name: 'PSK without a key',
      json: patchSecurity({ secretKey: undefined }),
      field: 'security.1.secretKey',
    },
    {
      name: 'a server account without ssid',
      json: patchSecurity({ shortServerId: undefined }),
      field: 'security.1.shortServerId',
    },
    { name: 'an empty URI', json: patchSecurity({ uri: '' }), field: 'security.1.uri' },
    {
      name: 'an instance id that is not a number',
      json: { ...valid, security: { a: {} } },
      field: 'security.a',
    },
    {
      name: 'a ssid of 65535',
      json: { ...valid, servers: { 0: { shortServerId: 65535, lifetime: 1, binding: 'U' } } },
      field: 'servers.0.shortServerId',
    },
    {
      name: 'a bad binding',
      json: { ...valid, servers: { 0: { shortServerId: 1, lifetime: 1, binding: 'udp' } } },
      field: 'servers.0.binding',
    },
    {
      name: 'a negative lifetime',
      json: { ...valid, servers: { 0: { shortServerId: 1, lifetime: -1, binding: 'U' } } },
      field: 'servers.0.lifetime',
    },
    { name: 'a delete path below an instance', json: { ...valid, delete: ['/0/1/2'] }, field: 'delete.0' },
    { name: 'a delete path that is not a path', json: { ...valid, delete: ['zero'] }, field: 'delete.0' },
    {
      name: 'ACL rights above 31',
      json: { ...valid, acl: { 0: { objectId: 3, objectInstanceId: 0, acl: { 1: 32 }, owner: 1 } } },
      field: 'acl.0.acl.1',
    },
    {
      name: 'an object value of the wrong type',
      json: { ...valid, objects: { '/3/0/13': 'soon' } },
      field: 'objects',
    },
    {
      name: 'a content format out of range',
      json: { ...valid, contentFormat: 70000 },
      field: 'contentFormat',
    },
  ];
  for (const c of bad)
    test(`rejects ${c.name}, naming the field`, () => {
      assert.throws(
        () => parseBootstrapConfig(c.json, models),
        (e: unknown) =>
          e instanceof InvalidBootstrapConfigError && e.field === c.field && e.coapCode === 0x80,
      );
    });
});

describe('parseBootstrapConfigFile', () => {
  test('reads configs by endpoint name with "*" as the default', () => {
    const file = parseBootstrapConfigFile(
      { '*': valid, 'urn:dev:1': { ...valid, contentFormat: 11542 } },
      models,
    );
    assert.deepEqual([...file.keys()], ['*', 'urn:dev:1']);
    assert.equal(file.get('urn:dev:1')?.contentFormat, 11542);
  });

  test('refuses an empty config, which would delete the accounts and write nothing', () => {
    assert.throws(
      () => parseBootstrapConfigFile({ '*': valid, 'urn:dev:2': {} }, models),
      /^InvalidBootstrapConfigError: urn:dev:2: writes nothing but deletes \/0, \/1 \(the default delete list\)/,
    );
    assert.throws(() => parseBootstrapConfig({ delete: ['/1/0'] }), /writes nothing but deletes \/1\/0:/);
    assert.equal(parseBootstrapConfig({ delete: [] }).delete?.length, 0);
  });

  test('names the endpoint in errors', () => {
    assert.throws(
      () => parseBootstrapConfigFile({ 'urn:dev:1': { ...valid, discover: 'yes' } }),
      /^InvalidBootstrapConfigError: urn:dev:1\.discover: must be true or false$/,
    );
  });
});

function patchSecurity(patch: Record<string, unknown>): unknown {
  return { ...valid, security: { 1: { ...valid.security[1], ...patch } } };
}
