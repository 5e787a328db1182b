// Core TS 1.1.1 5.2.7.2-5.2.7.5 on an object tree: Bootstrap-Write creates and overwrites (read-only
// resources and the Security object included), Bootstrap-Delete '/' keeps the Bootstrap-Server
// account and the Device instance, Bootstrap-Discover lists ssid/uri, and the state snapshot
// restores what bootstrap wrote.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyBootstrapRequest,
  bootstrapDiscoverLinks,
} from '../../../src/client/bootstrap/applyBootstrapRequest.js';
import {
  restoreClientState,
  snapshotClientState,
} from '../../../src/client/bootstrap/clientStateSnapshot.js';
import { ObjectTree } from '../../../src/client/ObjectTree.js';
import { deviceInstance } from '../../../src/client/objects/deviceInstance.js';
import { securityInstance } from '../../../src/client/objects/securityInstance.js';
import { serverInstance } from '../../../src/client/objects/serverInstance.js';
import { securityInstanceNode, serverInstanceNode } from '../../../src/lwm2m/bootstrapNodes.js';
import { formatDiscoverResponse } from '../../../src/lwm2m/linkFormat.js';
import { Lwm2mPath } from '../../../src/lwm2m/Lwm2mPath.js';
import { object, resource } from '../../../src/lwm2m/nodes.js';
import { bootstrapDelete, bootstrapRead, bootstrapWrite } from '../../../src/lwm2m/requests.js';
import { stringValue } from '../../../src/lwm2m/values.js';
import { TEMPERATURE_1_1 } from '../../../src/model/core/temperature.js';
import { declareInstance } from '../../../src/client/declareInstance.js';

function tree(): ObjectTree {
  const t = new ObjectTree();
  t.add(securityInstance({ id: 0, uri: 'coap://bs.example:5783', bootstrap: true }));
  t.add(securityInstance({ id: 1, uri: 'coap://old.example', ssid: 9 }));
  t.add(serverInstance({ id: 0, ssid: 9 }));
  t.add(deviceInstance({ manufacturer: 'ACME' }));
  t.add(declareInstance(TEMPERATURE_1_1, 0, { 5700: 21 }));
  return t;
}

const newSecurity = securityInstanceNode(2, {
  uri: 'coap://new.example:5683',
  bootstrapServer: false,
  securityMode: 'nosec',
  shortServerId: 101,
});
const read = (t: ObjectTree, p: string): unknown => {
  const n = t.read(Lwm2mPath.parse(p));
  return n.kind === 'resource' ? n.value.value : n;
};
const codeOf = (f: () => unknown): number | undefined => {
  try {
    f();
  } catch (e) {
    return (e as { coapCode?: number }).coapCode;
  }
  return undefined;
};

describe('Bootstrap-Write', () => {
  test('creates an absent Security instance with every resource written', () => {
    const t = tree();
    applyBootstrapRequest(t, bootstrapWrite('/0/2', newSecurity), '1.1');
    assert.equal(read(t, '/0/2/0'), 'coap://new.example:5683');
    assert.equal(read(t, '/0/2/10'), 101);
  });

  test('writes an object node with several instances', () => {
    const t = tree();
    const servers = object(1, [serverInstanceNode(3, { shortServerId: 101, lifetime: 60, binding: 'U' })]);
    applyBootstrapRequest(t, bootstrapWrite('/1', servers), '1.1');
    assert.deepEqual(t.instanceIds(1), [0, 3]);
    assert.equal(read(t, '/1/3/1'), 60);
  });

  test('overwrites a read-only resource of an existing instance (Device manufacturer)', () => {
    const t = tree();
    applyBootstrapRequest(t, bootstrapWrite('/3/0/0', resource(0, stringValue('Bootstrapped Inc'))), '1.1');
    assert.equal(read(t, '/3/0/0'), 'Bootstrapped Inc');
  });

  test('answers 4.04 for an object the client does not support', () => {
    assert.equal(
      codeOf(() =>
        applyBootstrapRequest(tree(), bootstrapWrite('/6/0/0', resource(0, stringValue('x'))), '1.1'),
      ),
      0x84,
    );
  });
});

describe('Bootstrap-Delete', () => {
  test("'/' keeps only the Bootstrap-Server account and the Device instance", () => {
    const t = tree();
    applyBootstrapRequest(t, bootstrapWrite('/0/2', newSecurity), '1.1');
    applyBootstrapRequest(t, bootstrapDelete('/'), '1.1');
    assert.deepEqual(t.instanceIds(0), [0]);
    assert.equal(read(t, '/0/0/1'), true);
    assert.deepEqual(t.instanceIds(1), []);
    assert.deepEqual(t.instanceIds(3), [0]);
    assert.deepEqual(t.instanceIds(TEMPERATURE_1_1.id), []);
  });

  test('/0 deletes every Security instance but the bootstrap account', () => {
    const t = tree();
    applyBootstrapRequest(t, bootstrapDelete('/0'), '1.1');
    assert.deepEqual(t.instanceIds(0), [0]);
    assert.deepEqual(t.instanceIds(1), [0]);
  });

  test('refuses to delete the Bootstrap-Server account by its path (4.00)', () => {
    const t = tree();
    assert.equal(
      codeOf(() => applyBootstrapRequest(t, bootstrapDelete('/0/0'), '1.1')),
      0x80,
    );
    assert.deepEqual(t.instanceIds(0), [0, 1]);
  });

  test('deleting an absent instance succeeds and changes nothing', () => {
    const t = tree();
    assert.deepEqual(applyBootstrapRequest(t, bootstrapDelete('/1/7'), '1.1'), { kind: 'deleted' });
    assert.deepEqual(t.instanceIds(1), [0]);
  });
});

describe('Bootstrap-Discover and Bootstrap-Read', () => {
  test("'/' lists the version, accounts with ssid and uri, and every object", () => {
    const text = formatDiscoverResponse(bootstrapDiscoverLinks(tree(), Lwm2mPath.parse('/'), '1.1'));
    assert.match(text, /^<\/>;lwm2m=1\.1,/);
    assert.match(text, /<\/0\/0>;uri="coap:\/\/bs\.example:5783"/);
    assert.match(text, /<\/0\/1>;ssid=9;uri="coap:\/\/old\.example"/);
    assert.match(text, /<\/1\/0>;ssid=9/);
    assert.match(text, /<\/3\/0>/);
    assert.ok(!text.includes('</0/0>;ssid'), 'the bootstrap account has no ssid');
  });

  test('Bootstrap-Read of /1 answers the Server instances', () => {
    const r = applyBootstrapRequest(tree(), bootstrapRead('/1'), '1.1');
    assert.equal(r.kind, 'node');
    assert.ok(r.kind === 'node' && r.content.kind === 'object' && r.content.instances.length === 1);
  });
});

describe('client state snapshot', () => {
  test('restores the bootstrapped accounts into a fresh tree and keeps the written Device resource', () => {
    const t = tree();
    applyBootstrapRequest(t, bootstrapDelete('/'), '1.1');
    applyBootstrapRequest(t, bootstrapWrite('/0/2', newSecurity), '1.1');
    applyBootstrapRequest(
      t,
      bootstrapWrite('/1/0', serverInstanceNode(0, { shortServerId: 101, lifetime: 77, binding: 'U' })),
      '1.1',
    );
    applyBootstrapRequest(t, bootstrapWrite('/3/0/0', resource(0, stringValue('Bootstrapped Inc'))), '1.1');
    const state = JSON.parse(JSON.stringify(snapshotClientState(t, [Lwm2mPath.parse('/3/0/0')])));
    const fresh = tree();
    restoreClientState(fresh, state);
    assert.deepEqual(fresh.instanceIds(0), [0, 2]);
    assert.equal(read(fresh, '/0/2/0'), 'coap://new.example:5683');
    assert.equal(read(fresh, '/1/0/1'), 77);
    assert.equal(read(fresh, '/1/0/0'), 101);
    assert.equal(read(fresh, '/3/0/0'), 'Bootstrapped Inc');
    assert.ok(fresh.get(3, 0)!.resourceIds().length > 1, 'the other Device resources stay');
  });

  test('a state naming an object the client lacks is rejected with DecodeError', () => {
    assert.throws(
      () => restoreClientState(tree(), { version: 1, objects: { 42: [] }, instances: {} }),
      (e: Error) => e.name === 'DecodeError',
    );
  });
});
