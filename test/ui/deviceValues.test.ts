// The pure parts of the device page (issue 16 item 3): typed input text to the REST API's JSON
// values (Core TS 1.1.1 Appendix C, with the model's range), and the bounded rings of recent values
// that feed the sparklines, and the instances a Discover answer refreshes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { numericRange, parseValue } from '../../src/ui/app/device/valueText.js';
import {
  MAX_PATHS,
  RECENT_PER_PATH,
  clearRecent,
  nodePath,
  pushValue,
  recentAt,
  recordNode,
  resourceInstancesAt,
  resourcesSeenAt,
} from '../../src/ui/app/device/recentValues.js';
import {
  applyDiscover,
  clearTreeState,
  discoveredAt,
  instancesOf,
  setInstances,
} from '../../src/ui/app/device/treeState.js';

describe('parseValue', () => {
  const cases: [string, string, string, ReturnType<typeof parseValue>][] = [
    ['integer', '42', '', { ok: true, value: 42 }],
    ['integer', '-7', '-10..10', { ok: true, value: -7 }],
    ['integer', '101', '0..100', { ok: false, error: 'must be within 0..100' }],
    ['integer', '1.5', '', { ok: false, error: 'must be a whole number' }],
    ['integer', '9007199254740993', '', { ok: true, value: '9007199254740993' }],
    ['unsignedInteger', '-1', '', { ok: false, error: 'must be 0 or more' }],
    ['float', '21.5', '-40..85', { ok: true, value: 21.5 }],
    ['float', '90', '-40..85', { ok: false, error: 'must be within -40..85' }],
    ['float', 'abc', '', { ok: false, error: 'must be a number' }],
    ['boolean', 'true', '', { ok: true, value: true }],
    ['boolean', '0', '', { ok: true, value: false }],
    ['boolean', '', '', { ok: false, error: 'must be true or false' }],
    ['opaque', '01ab ff', '', { ok: true, value: 'Aav/' }],
    ['opaque', '0g', '', { ok: false, error: 'must be hex bytes, e.g. 01ab' }],
    ['objlnk', '3:0', '', { ok: true, value: '3:0' }],
    ['objlnk', '3/0', '', { ok: false, error: 'must be objectId:instanceId, e.g. 3:0' }],
    ['time', '1700000000', '', { ok: true, value: 1700000000 }],
    ['time', '2026-01-02T03:04:05Z', '', { ok: true, value: '2026-01-02T03:04:05.000Z' }],
    ['string', ' keep spaces ', '', { ok: true, value: ' keep spaces ' }],
  ];
  for (const [type, text, range, expected] of cases)
    it(`${type} "${text}"${range ? ` in ${range}` : ''}`, () =>
      assert.deepEqual(parseValue(type, text, range), expected));

  it('takes base64 opaque as typed, and only valid base64', () => {
    assert.deepEqual(parseValue('opaque', 'Aav/', '', 'base64'), { ok: true, value: 'Aav/' });
    assert.equal(parseValue('opaque', 'Aav', '', 'base64').ok, false);
  });

  it('reads numeric ranges only', () => {
    assert.deepEqual(numericRange('0..100'), { min: 0, max: 100 });
    assert.deepEqual(numericRange('-40.5..85'), { min: -40.5, max: 85 });
    assert.equal(numericRange('1-3'), undefined);
    assert.equal(numericRange(''), undefined);
  });
});

describe('recent values', () => {
  it(`keeps the last ${RECENT_PER_PATH} values of a path`, () => {
    clearRecent();
    for (let i = 0; i < RECENT_PER_PATH + 10; i++) pushValue('/3303/0/5700', i, 'notification', i);
    const kept = recentAt('/3303/0/5700').value;
    assert.equal(kept.length, RECENT_PER_PATH);
    assert.equal(kept[0]!.value, 10);
    assert.equal(kept.at(-1)!.value, RECENT_PER_PATH + 9);
  });

  it(`keeps at most ${MAX_PATHS} paths, dropping the oldest`, () => {
    clearRecent();
    for (let i = 0; i <= MAX_PATHS; i++) pushValue(`/1/0/${i}`, i, 'read');
    assert.equal(recentAt(`/1/0/${MAX_PATHS}`).value.length, 1);
    assert.equal(recentAt('/1/0/0').value.length, 0, 'the first path was dropped');
  });

  it('records every resource and resource instance of a read node at its path', () => {
    clearRecent();
    const node = {
      kind: 'instance' as const,
      id: 0,
      resources: [
        { kind: 'resource' as const, id: 0, type: 'string', value: 'ACME' },
        {
          kind: 'multipleResource' as const,
          id: 11,
          instances: [
            { kind: 'resourceInstance' as const, id: 0, value: 0 },
            { kind: 'resourceInstance' as const, id: 3, value: 5 },
          ],
        },
      ],
    };
    assert.equal(nodePath('/3/0', node), '/3/0');
    assert.equal(nodePath('/3', node), '/3/0');
    recordNode('/3/0', node, 'read');
    assert.equal(recentAt('/3/0/0').value[0]!.value, 'ACME');
    assert.deepEqual(resourceInstancesAt('/3/0/11').value, [0, 3]);
    assert.equal(recentAt('/3/0/11/3').value[0]!.value, 5);
    assert.deepEqual(
      resourcesSeenAt('/3/0').value.map((r) => r.id),
      [0, 11],
    );
    recordNode('/3/0', { kind: 'instance', id: 0, resources: [node.resources[0]!] }, 'notification');
    assert.deepEqual(
      resourcesSeenAt('/3/0').value.map((r) => r.id),
      [0, 11],
      'a partial answer hides no resource',
    );
  });
});

describe('Discover refreshes the tree', () => {
  it("an object's Discover answer sets its instances; deeper answers are only shown", () => {
    clearTreeState();
    setInstances(3303, [0]);
    const links = ['/3303', '/3303/0', '/3303/0/5700', '/3303/2', '/3303/2/5700'].map((path) => ({
      path,
      attributes: path === '/3303/0/5700' ? { pmin: 10 } : {},
    }));
    applyDiscover('/3303', links);
    assert.deepEqual(instancesOf(3303).value, [0, 2]);
    assert.equal(discoveredAt('/3303').value, links);
    applyDiscover('/3303/0', [{ path: '/3303/0/5700', attributes: {} }]);
    assert.deepEqual(instancesOf(3303).value, [0, 2], 'an instance Discover leaves the instances');
  });
});
