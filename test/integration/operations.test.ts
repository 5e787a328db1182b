// Issue 4/5 end to end: every Device Management operation (LwM2M Core TS 1.1.1 section 5.4, and
// 1.0.2 / 1.2) from our Lwm2mServer to our Lwm2mClient over UDP, in every content format the
// client's version defines for the node's shape (Core TS 7.4; formatSelection.validFormats): Read,
// Write (replace and partial update), Execute, Create, Delete, Write-Attributes and Discover.
// Composite operations and error paths: compositeAndErrors.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validFormats, type NodeShape } from '../../src/content/formatSelection.js';
import { NO_INSTANCE_ID, type Lwm2mNode } from '../../src/lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { findNode, instance, multipleResource, resource, resourceInstance } from '../../src/lwm2m/nodes.js';
import { ResponseCode } from '../../src/lwm2m/responses.js';
import {
  booleanValue,
  floatValue,
  integerValue,
  objlnkValue,
  opaqueValue,
  stringValue,
  timeValue,
} from '../../src/lwm2m/values.js';
import { assertNoOpenHandles, startPair, VERSIONS, type Pair } from './support/e2e.js';
import { assertSameNode, hex } from './support/nodeAssert.js';
import { TEST_OBJECT_ID as T } from './support/testObject.js';

after(assertNoOpenHandles);

/** Targets of Read: path and node shape. */
const READ_TARGETS: { path: string; shape: NodeShape }[] = [
  { path: `/${T}`, shape: { level: 'object' } },
  { path: `/${T}/0`, shape: { level: 'instance' } },
  { path: `/${T}/0/0`, shape: { level: 'resource', valueType: 'string' } },
  { path: `/${T}/0/1`, shape: { level: 'resource', valueType: 'integer' } },
  { path: `/${T}/0/2`, shape: { level: 'resource', valueType: 'float' } },
  { path: `/${T}/0/3`, shape: { level: 'resource', valueType: 'boolean' } },
  { path: `/${T}/0/4`, shape: { level: 'resource', valueType: 'opaque' } },
  { path: `/${T}/0/5`, shape: { level: 'resource', valueType: 'time' } },
  { path: `/${T}/0/6`, shape: { level: 'resource', valueType: 'objlnk' } },
  { path: `/${T}/0/8`, shape: { level: 'resource', multiple: true, valueType: 'float' } },
  { path: `/${T}/0/8/3`, shape: { level: 'resourceInstance', valueType: 'float' } },
  { path: '/3/0', shape: { level: 'instance' } },
];

for (const version of VERSIONS) {
  describe(`operations between our server and our LwM2M ${version} client`, () => {
    let pair: Pair;
    const executed: (string | undefined)[] = [];
    const ep = (): string => pair.ep;
    before(async () => {
      pair = await startPair({ version, onReset: (args) => void executed.push(args) });
    });
    after(async () => pair.close());

    for (const { path, shape } of READ_TARGETS) {
      for (const format of validFormats(version, shape)) {
        test(`reads ${path} as ${format}`, async () => {
          const res = await pair.server.read(ep(), path, { format });
          assert.equal(res.code, ResponseCode.CONTENT, `${hex(res.code)} ${res.diagnostic ?? ''}`);
          assert.equal(res.format, format);
          const expected = pair.client.tree.read(Lwm2mPath.parse(path));
          assertSameNode(res.content, expected, `read ${path} as ${format}`);
        });
      }
    }

    const WRITES: { path: string; shape: NodeShape; node: Lwm2mNode }[] = [
      {
        path: `/${T}/0/0`,
        shape: { level: 'resource', valueType: 'string' },
        node: resource(0, stringValue('héllo wörld')),
      },
      {
        path: `/${T}/0/1`,
        shape: { level: 'resource', valueType: 'integer' },
        node: resource(1, integerValue(-123456)),
      },
      {
        path: `/${T}/0/2`,
        shape: { level: 'resource', valueType: 'float' },
        node: resource(2, floatValue(-0.125)),
      },
      {
        path: `/${T}/0/3`,
        shape: { level: 'resource', valueType: 'boolean' },
        node: resource(3, booleanValue(false)),
      },
      {
        path: `/${T}/0/4`,
        shape: { level: 'resource', valueType: 'opaque' },
        node: resource(4, opaqueValue(new Uint8Array([0, 9, 8]))),
      },
      {
        path: `/${T}/0/5`,
        shape: { level: 'resource', valueType: 'time' },
        node: resource(5, timeValue(1_600_000_000)),
      },
      {
        path: `/${T}/0/6`,
        shape: { level: 'resource', valueType: 'objlnk' },
        node: resource(6, objlnkValue(3303, 0)),
      },
      {
        path: `/${T}/0/7`,
        shape: { level: 'resource', multiple: true, valueType: 'string' },
        node: multipleResource(7, [
          resourceInstance(2, stringValue('x')),
          resourceInstance(4, stringValue('y')),
        ]),
      },
    ];

    for (const { path, shape, node } of WRITES) {
      for (const format of validFormats(version, shape)) {
        test(`writes ${path} (replace) as ${format} and reads it back`, async () => {
          const res = await pair.server.write(ep(), path, node, { format });
          assert.equal(res.code, ResponseCode.CHANGED, `${hex(res.code)} ${res.diagnostic ?? ''}`);
          const back = await pair.server.read(ep(), path);
          assertSameNode(back.content, node, `read back ${path}`);
        });
      }
    }

    const riShape: NodeShape = { level: 'resourceInstance', valueType: 'string' };
    for (const format of validFormats(version, riShape)) {
      test(`writes resource instance /${T}/0/7/9 as ${format} (partial update of the multiple resource)`, async () => {
        await pair.server.write(
          ep(),
          `/${T}/0/7`,
          multipleResource(7, [resourceInstance(0, stringValue('keep'))]),
        );
        const res = await pair.server.write(ep(), `/${T}/0/7/9`, stringValue(`ri-${format}`), { format });
        assert.equal(res.code, ResponseCode.CHANGED, `${hex(res.code)} ${res.diagnostic ?? ''}`);
        const back = await pair.server.read(ep(), `/${T}/0/7`);
        assertSameNode(
          back.content,
          multipleResource(7, [
            resourceInstance(0, stringValue('keep')),
            resourceInstance(9, stringValue(`ri-${format}`)),
          ]),
          'multiple resource after the instance write',
        );
      });
    }

    for (const format of validFormats(version, { level: 'instance' })) {
      test(`writes instance /${T}/0 as ${format}: replace, then partial update`, async () => {
        const full = instance(0, [
          resource(0, stringValue(`name-${format}`)),
          resource(1, integerValue(format)),
          resource(2, floatValue(1.5)),
          resource(3, booleanValue(true)),
          multipleResource(7, [resourceInstance(1, stringValue('t1'))]),
        ]);
        const replaced = await pair.server.write(ep(), `/${T}/0`, full, { format });
        assert.equal(
          replaced.code,
          ResponseCode.CHANGED,
          `${hex(replaced.code)} ${replaced.diagnostic ?? ''}`,
        );
        let back = await pair.server.read(ep(), `/${T}/0`);
        for (const r of full.resources)
          assertSameNode(
            findNode(back.content as never, Lwm2mPath.of(0, r.id)) ?? undefined,
            r,
            `resource ${r.id}`,
          );
        const partial = instance(0, [
          resource(1, integerValue(-1)),
          multipleResource(7, [resourceInstance(5, stringValue('t5'))]),
        ]);
        const updated = await pair.server.write(ep(), `/${T}/0`, partial, { format, mode: 'update' });
        assert.equal(updated.code, ResponseCode.CHANGED, `${hex(updated.code)} ${updated.diagnostic ?? ''}`);
        back = await pair.server.read(ep(), `/${T}/0`);
        const got = (id: number): Lwm2mNode | undefined =>
          back.content?.kind === 'instance' ? back.content.resources.find((r) => r.id === id) : undefined;
        assertSameNode(got(1), resource(1, integerValue(-1)), 'updated resource');
        assertSameNode(got(0), resource(0, stringValue(`name-${format}`)), 'untouched resource');
        assertSameNode(
          got(7),
          multipleResource(7, [
            resourceInstance(1, stringValue('t1')),
            resourceInstance(5, stringValue('t5')),
          ]),
          'multiple resource merged by the partial update',
        );
      });
    }

    test('execute passes its arguments to the client-side handler', async () => {
      const res = await pair.server.execute(ep(), `/${T}/0/9`, "0='zero',3");
      assert.equal(res.code, ResponseCode.CHANGED, `${hex(res.code)} ${res.diagnostic ?? ''}`);
      assert.deepEqual(executed.splice(0), ["0='zero',3"]);
      const bare = await pair.server.execute(ep(), `/${T}/0/9`);
      assert.equal(bare.code, ResponseCode.CHANGED);
      assert.deepEqual(executed.splice(0), [undefined]);
    });

    test('execute of Device Reboot fires the client reboot event', async () => {
      let rebooted = 0;
      pair.client.on('reboot', () => rebooted++);
      const res = await pair.server.execute(ep(), '/3/0/4');
      assert.equal(res.code, ResponseCode.CHANGED);
      await new Promise((r) => setImmediate(r));
      assert.equal(rebooted, 1);
    });

    for (const format of validFormats(version, { level: 'instance' })) {
      test(`creates /${T}/{id} with an id as ${format}, reads it, then deletes it`, async () => {
        const given = 40 + (format % 50);
        const withId = instance(given, [resource(0, stringValue('created')), resource(1, integerValue(5))]);
        const c1 = await pair.server.create(ep(), `/${T}`, withId, { format });
        assert.equal(c1.code, ResponseCode.CREATED, `${hex(c1.code)} ${c1.diagnostic ?? ''}`);
        const read = await pair.server.read(ep(), `/${T}/${given}`);
        assertSameNode(read.content, withId, 'created instance');
        const d = await pair.server.delete(ep(), `/${T}/${given}`);
        assert.equal(d.code, ResponseCode.DELETED, `${hex(d.code)} ${d.diagnostic ?? ''}`);
        const gone = await pair.server.read(ep(), `/${T}/${given}`);
        assert.equal(gone.code, ResponseCode.NOT_FOUND);
      });

      // Only TLV can leave the instance id out (Core TS 1.1.1 6.3.6, 7.4.3: resources at top level);
      // SenML, LwM2M JSON and LwM2M CBOR name the instance in every record, so the server sends
      // such a Create as TLV whatever format is asked (src/content/idlessCreate.ts).
      test(`creates /${T} without an id asking for ${format} (sent as TLV): the client picks one, answers with Location-Path`, async () => {
        const c2 = await pair.server.create(
          ep(),
          `/${T}`,
          instance(NO_INSTANCE_ID, [resource(0, stringValue('chosen'))]),
          { format },
        );
        assert.equal(c2.code, ResponseCode.CREATED, `${hex(c2.code)} ${c2.diagnostic ?? ''}`);
        assert.ok(c2.location, 'the client answers the chosen id with Location-Path');
        assert.equal(c2.location.objectId, T);
        const id = c2.location.instanceId!;
        assert.notEqual(id, 0, 'the chosen id is a free one');
        const read2 = await pair.server.read(ep(), `/${T}/${id}/0`);
        assertSameNode(read2.content, resource(0, stringValue('chosen')), 'instance at the Location');
        const d = await pair.server.delete(ep(), `/${T}/${id}`);
        assert.equal(d.code, ResponseCode.DELETED, `${hex(d.code)} ${d.diagnostic ?? ''}`);
      });
    }

    test('discover at object, instance and resource level shows attributes written before', async () => {
      const wa = await pair.server.writeAttributes(ep(), `/${T}/0/1`, { pmin: 5, pmax: 60 });
      assert.equal(wa.code, ResponseCode.CHANGED, `${hex(wa.code)} ${wa.diagnostic ?? ''}`);
      const wi = await pair.server.writeAttributes(ep(), `/${T}/0`, { pmax: 120 });
      assert.equal(wi.code, ResponseCode.CHANGED, `${hex(wi.code)} ${wi.diagnostic ?? ''}`);
      const obj = await pair.server.discover(ep(), `/${T}`);
      assert.equal(obj.code, ResponseCode.CONTENT, `${hex(obj.code)} ${obj.diagnostic ?? ''}`);
      const paths = obj.links!.map((l) => l.path.toString());
      assert.ok(paths.includes(`/${T}`) && paths.includes(`/${T}/0`), paths.join(' '));
      const inst = await pair.server.discover(ep(), `/${T}/0`);
      const byPath = new Map(inst.links!.map((l) => [l.path.toString(), l.attributes]));
      assert.equal(byPath.get(`/${T}/0`)?.pmax, 120);
      assert.equal(byPath.get(`/${T}/0/1`)?.pmin, 5);
      assert.equal(byPath.get(`/${T}/0/1`)?.pmax, 60);
      const tags = pair.client.tree.read(Lwm2mPath.parse(`/${T}/0/7`));
      assert.ok(tags.kind === 'multipleResource');
      assert.equal(byPath.get(`/${T}/0/7`)?.dim, tags.instances.length, 'dim of a multiple resource');
      const res = await pair.server.discover(ep(), `/${T}/0/1`);
      assert.equal(res.code, ResponseCode.CONTENT);
      assert.deepEqual(
        res.links!.map((l) => [l.path.toString(), l.attributes.pmin, l.attributes.pmax]),
        [[`/${T}/0/1`, 5, 60]],
      );
    });
  });
}
