import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalFormat,
  getMultiNodeCodec,
  getNodeCodec,
  NODE_FORMATS,
  requireMultiNodeCodec,
  requireNodeCodec,
} from '../../src/content/contentCodecs.js';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { UnsupportedContentFormatError } from '../../src/lwm2m/errors.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { nodesEqual, resource } from '../../src/lwm2m/nodes.js';
import { integerValue } from '../../src/lwm2m/values.js';
import { hex, testModels } from './testModels.js';

test('dispatches every LwM2M node format by number, with the legacy aliases', () => {
  assert.deepEqual(NODE_FORMATS, [0, 42, 60, 110, 112, 11542, 11543, 11544]);
  for (const f of NODE_FORMATS) assert.equal(getNodeCodec(f)?.format, f);
  assert.equal(getNodeCodec(ContentFormat.LEGACY_TLV)?.format, ContentFormat.TLV);
  assert.equal(getNodeCodec(ContentFormat.LEGACY_JSON)?.format, ContentFormat.LWM2M_JSON);
  assert.equal(canonicalFormat(1542), 11542);
  assert.equal(canonicalFormat(40), 40);
  const node = getNodeCodec(1542)!.decode(hex('c10964'), Lwm2mPath.parse('/3/0/9'), testModels);
  assert.ok(nodesEqual(node, resource(9, integerValue(100))));
});

test('knows which formats carry several paths and refuses unknown numbers', () => {
  for (const f of [110, 112, 11543, 11544, 1543]) assert.ok(getMultiNodeCodec(f), String(f));
  for (const f of [0, 42, 60, 11542, 40]) assert.equal(getMultiNodeCodec(f), undefined, String(f));
  assert.equal(getNodeCodec(40), undefined);
  assert.throws(() => requireNodeCodec(9999), UnsupportedContentFormatError);
  assert.throws(() => requireMultiNodeCodec(11542), UnsupportedContentFormatError);
});
