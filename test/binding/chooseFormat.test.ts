// chooseFormat's optional memo (src/binding/chooseFormat.ts): the same answers as without it, one
// per operation and target shape, and no memoised failure (Core TS 7.4 format choice).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseFormat, type FormatContext } from '../../src/binding/chooseFormat.js';
import type { FormatOperation } from '../../src/content/formatSelection.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';

const models = createCoreRegistry();
const operations: FormatOperation[] = ['read', 'observe', 'write', 'create'];
const paths = ['/3', '/3/0', '/3/0/0', '/3/0/7', '/3/0/7/1', '/3303/0/5700', '/5/0/0'].map((p) =>
  Lwm2mPath.parse(p),
);
const contexts: Omit<FormatContext, 'models'>[] = [
  { lwm2mVersion: '1.0' },
  { lwm2mVersion: '1.1' },
  { lwm2mVersion: '1.1', announcedFormats: [11543] },
  { lwm2mVersion: '1.2', announcedFormats: [112, 11542] },
];

const outcome = (f: () => number): number | string => {
  try {
    return f();
  } catch (e) {
    return (e as Error).name;
  }
};

test('answers with a memo exactly as without one, on first and repeated calls', () => {
  for (const c of contexts) {
    const memo = new Map<number, number>();
    for (let round = 0; round < 2; round++)
      for (const op of operations)
        for (const path of paths) {
          const plain = outcome(() => chooseFormat(op, path, { ...c, models }));
          const memoised = outcome(() => chooseFormat(op, path, { ...c, models, formatMemo: memo }));
          assert.equal(memoised, plain, `${c.lwm2mVersion} ${op} ${path}`);
        }
  }
});

test('keeps one answer per target shape: single and multiple resources differ', () => {
  const memo = new Map<number, number>();
  const ctx: FormatContext = { models, lwm2mVersion: '1.1', formatMemo: memo };
  const single = chooseFormat('read', Lwm2mPath.parse('/3/0/0'), ctx);
  const multiple = chooseFormat('read', Lwm2mPath.parse('/3/0/7'), ctx);
  assert.notEqual(single, multiple);
  assert.equal(memo.size, 2);
  assert.equal(chooseFormat('read', Lwm2mPath.parse('/3/0/0'), ctx), single);
});

test('never memoises a failure', () => {
  const memo = new Map<number, number>();
  const ctx: FormatContext = { models, lwm2mVersion: '1.1', formatMemo: memo };
  assert.throws(() => chooseFormat('read', Lwm2mPath.ROOT, ctx));
  assert.equal(memo.size, 0);
  assert.throws(() => chooseFormat('read', Lwm2mPath.ROOT, ctx));
});
