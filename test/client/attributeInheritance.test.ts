import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AttributeStore, inheritAttributes } from '../../src/client/attributeInheritance.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';

const p = Lwm2mPath.parse;

describe('attribute inheritance (Core TS 5.1.2)', () => {
  test('a resource inherits object and instance attributes, nearest level winning', () => {
    const store = new AttributeStore();
    store.write(1, p('/3303'), { pmin: 10, pmax: 100 });
    store.write(1, p('/3303/0'), { pmax: 50 });
    store.write(1, p('/3303/0/5700'), { gt: 20 });
    assert.deepEqual(store.effective(1, p('/3303/0/5700')), { pmin: 10, pmax: 50, gt: 20 });
  });
  test('attributes are kept per server', () => {
    const store = new AttributeStore();
    store.write(1, p('/3/0'), { pmin: 5 });
    assert.deepEqual(store.effective(2, p('/3/0/9')), {});
    assert.deepEqual(store.effective(1, p('/3/0/9')), { pmin: 5 });
  });
  test('the Server object defaults fill pmin/pmax only where no level sets them', () => {
    const store = new AttributeStore();
    store.write(1, p('/3/0'), { pmax: 20 });
    assert.deepEqual(store.effective(1, p('/3/0/9'), { pmin: 1, pmax: 300 }), { pmin: 1, pmax: 20 });
  });
  test('writing an attribute without value removes it', () => {
    const store = new AttributeStore();
    store.write(1, p('/3/0/9'), { pmin: 5, gt: 3 });
    store.write(1, p('/3/0/9'), { gt: null });
    assert.deepEqual(store.get(1, p('/3/0/9')), { pmin: 5 });
  });
  test('removeUnder forgets a deleted instance and what is below it', () => {
    const store = new AttributeStore();
    store.write(1, p('/3303/1'), { pmin: 5 });
    store.write(1, p('/3303/1/5700'), { st: 1 });
    store.write(1, p('/3303/10'), { pmin: 7 });
    store.removeUnder(p('/3303/1'));
    assert.equal(store.get(1, p('/3303/1')), undefined);
    assert.equal(store.get(1, p('/3303/1/5700')), undefined);
    assert.deepEqual(store.get(1, p('/3303/10')), { pmin: 7 });
  });
  test('inheritAttributes walks root to leaf', () => {
    const at = new Map([
      ['/1', { pmin: 1 }],
      ['/1/0/2/3', { pmin: 4 }],
    ]);
    assert.deepEqual(
      inheritAttributes(p('/1/0/2/3'), (x) => at.get(x.toString())),
      { pmin: 4 },
    );
  });
});
