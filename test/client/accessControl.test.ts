import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AccessRight,
  aclEntries,
  isAllowed,
  rightsOf,
  type AclEntry,
} from '../../src/client/accessControl.js';
import { accessControlInstance } from '../../src/client/objects/accessControlInstance.js';
import { ObjectTree } from '../../src/client/ObjectTree.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import type { ObjectNode } from '../../src/lwm2m/Lwm2mNode.js';

const entry = (
  objectId: number,
  instanceId: number,
  acl: [number, number][],
  owner: number,
  id = 0,
): AclEntry => ({
  aclInstanceId: id,
  objectId,
  instanceId,
  acl: new Map(acl),
  owner,
});

describe('access control (Core TS 7.3)', () => {
  const entries = [
    entry(3, 0, [[101, AccessRight.READ]], 102, 0),
    entry(3303, 0, [[0, AccessRight.READ | AccessRight.WRITE]], 101, 1),
    entry(3303, 1, [], 101, 2),
    entry(3303, 65535, [[102, AccessRight.CREATE]], 101, 3),
  ];
  test("a server's own ACL entry gives its rights", () => {
    assert.equal(isAllowed(entries, 101, 'read', 3, 0), true);
    assert.equal(isAllowed(entries, 101, 'write', 3, 0), false);
  });
  test('the owner without an ACL entry gets every right but create', () => {
    assert.equal(rightsOf(entries, 102, 3, 0), 15);
    assert.equal(isAllowed(entries, 102, 'execute', 3, 0), true);
  });
  test('the default entry (id 0) applies to servers without their own', () => {
    assert.equal(isAllowed(entries, 999, 'write', 3303, 0), true);
    assert.equal(isAllowed(entries, 999, 'delete', 3303, 0), false);
  });
  test('no ACO instance for the target means no right', () => {
    assert.equal(isAllowed(entries, 101, 'read', 3303, 7), false);
  });
  test('a server neither listed nor owner has no right', () => {
    assert.equal(isAllowed(entries, 102, 'read', 3303, 1), false);
  });
  test('create needs the create bit on instance 65535', () => {
    assert.equal(isAllowed(entries, 102, 'create', 3303), true);
    assert.equal(isAllowed(entries, 101, 'create', 3303), false);
  });
  test('an ACO instance is readable by all and writable by its owner only', () => {
    assert.equal(isAllowed(entries, 999, 'read', 2, 1), true);
    assert.equal(isAllowed(entries, 101, 'write', 2, 1), true);
    assert.equal(isAllowed(entries, 102, 'write', 2, 1), false);
  });
  test('aclEntries reads object 2 instances from the tree', () => {
    const tree = new ObjectTree().add(
      accessControlInstance({ id: 4, objectId: 3, instanceId: 0, acl: { 101: 1, 0: 3 }, owner: 102 }),
    );
    const [e] = aclEntries(tree.read(Lwm2mPath.of(2)) as ObjectNode);
    assert.deepEqual(
      { ...e, acl: [...e!.acl] },
      {
        aclInstanceId: 4,
        objectId: 3,
        instanceId: 0,
        acl: [
          [0, 3],
          [101, 1],
        ],
        owner: 102,
      },
    );
  });
});
