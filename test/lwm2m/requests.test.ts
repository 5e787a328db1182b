import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as req from '../../src/lwm2m/requests.js';
import { InvalidRequestError } from '../../src/lwm2m/requestErrors.js';
import { instance, resource } from '../../src/lwm2m/nodes.js';
import { stringValue } from '../../src/lwm2m/values.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';

test('builds requests with parsed paths and options', () => {
  const r = req.read('/3/0/1', { format: 11542 });
  assert.equal(r.kind, 'read');
  assert.equal(r.path.toString(), '/3/0/1');
  assert.equal(r.format, 11542);
  assert.equal(req.write('/3/0/14', resource(14, stringValue('+02'))).mode, 'replace');
  assert.equal(req.execute('/3/0/4', '').arguments, undefined);
  assert.equal(req.execute('/3/0/4', "0='x'").arguments, "0='x'");
  assert.equal(req.bootstrapDelete().path.toString(), '/');
});

test('rejects requests whose path does not fit the operation', () => {
  const bad: Array<() => unknown> = [
    () => req.read('/'),
    () => req.discover('/3/0/1/2'),
    () => req.execute('/3/0'),
    () => req.create('/3/0', [instance(0, [])]),
    () => req.create('/3', []),
    () => req.del('/3'),
    () => req.readComposite([]),
    () => req.bootstrapRead('/0/0'),
    () => req.bootstrapDelete('/0/0/1'),
    () => req.write('/3', resource(1, stringValue('x'))),
  ];
  for (const f of bad) assert.throws(f, InvalidRequestError);
});

test('rejects a node whose kind does not match its path', () => {
  assert.throws(() => req.write('/3/0', resource(1, stringValue('x'))));
  assert.throws(() => req.write('/3/0/1', resource(2, stringValue('x'))));
  assert.throws(() =>
    req.writeComposite([{ path: Lwm2mPath.parse('/3/0'), node: resource(0, stringValue('x')) }]),
  );
});
