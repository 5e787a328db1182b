import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fallbackFormat,
  formatCarries,
  parseLwm2mVersion,
  preferredFormat,
  validFormats,
} from '../../src/content/formatSelection.js';
import { UnsupportedContentFormatError } from '../../src/lwm2m/errors.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';

const p = (s: string) => Lwm2mPath.parse(s);

test('parses LwM2M versions, defaulting to 1.0', () => {
  assert.equal(parseLwm2mVersion('1.1.1'), '1.1');
  assert.equal(parseLwm2mVersion('1.2'), '1.2');
  assert.equal(parseLwm2mVersion(undefined), '1.0');
});

test('lists the valid formats per version and node shape', () => {
  assert.deepEqual(validFormats('1.0', { level: 'resource', valueType: 'integer' }), [0, 11542, 11543]);
  assert.deepEqual(validFormats('1.0', { level: 'resource', valueType: 'opaque' }), [42, 11542, 11543]);
  assert.deepEqual(
    validFormats('1.1', { level: 'resource', valueType: 'opaque' }),
    [0, 42, 60, 11542, 11543, 110, 112],
  );
  assert.deepEqual(validFormats('1.1', { level: 'instance' }), [11542, 11543, 110, 112]);
  assert.deepEqual(
    validFormats('1.2', { level: 'resource', multiple: true }),
    [11542, 11543, 110, 112, 11544],
  );
  assert.ok(formatCarries(1542, { level: 'object' }));
  assert.ok(!formatCarries(40, { level: 'resource' }));
  assert.ok(!formatCarries(60, { level: 'resource', multiple: true }));
});

test('prefers text or opaque for single values, TLV for 1.0 trees, SenML CBOR for 1.1+ trees', () => {
  assert.equal(preferredFormat({ lwm2mVersion: '1.0', path: p('/3/0/9'), operation: 'read' }), 0);
  assert.equal(
    preferredFormat({ lwm2mVersion: '1.1', path: p('/5/0/0'), operation: 'write', valueType: 'opaque' }),
    42,
  );
  assert.equal(preferredFormat({ lwm2mVersion: '1.0', path: p('/3/0'), operation: 'read' }), 11542);
  assert.equal(
    preferredFormat({ lwm2mVersion: '1.0', path: p('/3/0/7'), operation: 'read', multiple: true }),
    11542,
  );
  assert.equal(preferredFormat({ lwm2mVersion: '1.1', path: p('/3'), operation: 'observe' }), 112);
  assert.equal(preferredFormat({ lwm2mVersion: '1.1', path: p('/1'), operation: 'create' }), 112);
});

test('follows the formats a client announced', () => {
  const q = { lwm2mVersion: '1.1' as const, path: p('/3/0'), operation: 'read' as const };
  assert.equal(preferredFormat({ ...q, announcedFormats: [1542, 110] }), 11542);
  assert.equal(preferredFormat({ ...q, announcedFormats: [110] }), 110);
  assert.equal(preferredFormat({ ...q, lwm2mVersion: '1.2', announcedFormats: [11544, 110] }), 11544);
});

test('reads ct as a preference: when no announced format fits, the version default is used', () => {
  const q = { lwm2mVersion: '1.1' as const, path: p('/3/0'), operation: 'read' as const };
  assert.equal(preferredFormat({ ...q, announcedFormats: [60] }), 112);
  assert.equal(preferredFormat({ ...q, lwm2mVersion: '1.0', announcedFormats: [60] }), 11542);
  assert.equal(
    preferredFormat({ lwm2mVersion: '1.1', operation: 'composite', announcedFormats: [11542] }),
    112,
  );
  assert.equal(
    preferredFormat({ ...q, path: p('/3/0/7/1'), announcedFormats: [112] }),
    0,
    'text stays first',
  );
});

test('falls back after a 4.06 to an announced format that carries the target, else TLV', () => {
  const ri = { lwm2mVersion: '1.1' as const, path: p('/3/0/7/1'), operation: 'read' as const };
  assert.equal(fallbackFormat({ ...ri, announcedFormats: [112] }, 0), 112);
  assert.equal(fallbackFormat({ ...ri, announcedFormats: [110, 112] }, 0), 110, "the client's order");
  assert.equal(fallbackFormat(ri, 0), 11542);
  assert.equal(fallbackFormat({ ...ri, lwm2mVersion: '1.0' }, 0), 11542);
  assert.equal(fallbackFormat({ ...ri, announcedFormats: [60] }, 0), 60, 'plain CBOR carries one value');
  const tree = { lwm2mVersion: '1.1' as const, path: p('/3/0'), operation: 'observe' as const };
  assert.equal(fallbackFormat(tree, 112), 11542);
  assert.equal(fallbackFormat(tree, 11542), 112);
  assert.equal(fallbackFormat({ ...tree, lwm2mVersion: '1.0' }, 11542), undefined, 'nothing else in 1.0');
  assert.equal(fallbackFormat({ ...tree, announcedFormats: [60] }, 112), 11542, 'CBOR cannot carry a tree');
  assert.equal(fallbackFormat({ ...ri, operation: 'write' }, 0), undefined, 'only Read and Observe');
});

test('composite requests need SenML or LwM2M CBOR and do not exist in 1.0', () => {
  assert.equal(preferredFormat({ lwm2mVersion: '1.1', operation: 'composite' }), 112);
  assert.equal(
    preferredFormat({ lwm2mVersion: '1.1', operation: 'send', announcedFormats: [110, 11542] }),
    110,
  );
  assert.equal(
    preferredFormat({ lwm2mVersion: '1.2', operation: 'composite', announcedFormats: [11544] }),
    11544,
  );
  assert.throws(
    () => preferredFormat({ lwm2mVersion: '1.0', operation: 'composite' }),
    UnsupportedContentFormatError,
  );
  assert.throws(
    () => preferredFormat({ lwm2mVersion: '1.1', operation: 'read' }),
    UnsupportedContentFormatError,
  );
});
