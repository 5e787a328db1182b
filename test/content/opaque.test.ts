import { test } from 'node:test';
import assert from 'node:assert/strict';
import { opaqueCodec } from '../../src/content/opaque/OpaqueCodec.js';
import { UnsupportedContentFormatError } from '../../src/lwm2m/errors.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { nodesEqual, resource, resourceInstance } from '../../src/lwm2m/nodes.js';
import { integerValue, opaqueValue } from '../../src/lwm2m/values.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { noModels, testModels } from './testModels.js';

const p = (s: string) => Lwm2mPath.parse(s);

test('carries the raw bytes of an opaque resource or resource instance', () => {
  const bytes = Uint8Array.of(0, 1, 255);
  assert.deepEqual(opaqueCodec.encode(p('/5/0/0'), resource(0, opaqueValue(bytes)), testModels), bytes);
  assert.ok(nodesEqual(opaqueCodec.decode(bytes, p('/5/0/0'), testModels), resource(0, opaqueValue(bytes))));
  assert.ok(
    nodesEqual(
      opaqueCodec.decode(bytes, p('/9999/0/15/3'), testModels),
      resourceInstance(3, opaqueValue(bytes)),
    ),
  );
  assert.ok(nodesEqual(opaqueCodec.decode(bytes, p('/3/0/9'), noModels), resource(9, opaqueValue(bytes))));
});

test('refuses non-opaque values and non-opaque resources', () => {
  assert.throws(
    () => opaqueCodec.encode(p('/3/0/9'), resource(9, integerValue(1)), testModels),
    UnsupportedContentFormatError,
  );
  assert.throws(() => opaqueCodec.decode(Uint8Array.of(1), p('/3/0/9'), testModels), DecodeError);
  assert.throws(() => opaqueCodec.decode(Uint8Array.of(1), p('/5/0'), testModels), DecodeError);
  assert.throws(
    () =>
      opaqueCodec.decode(new Uint8Array(9), p('/5/0/0'), testModels, {
        maxDepth: 8,
        maxRecords: 1,
        maxValueBytes: 8,
      }),
    (e: unknown) => e instanceof DecodeError && e.kind === 'limit',
  );
});
