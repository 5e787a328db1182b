// Issue 4/5 end to end, continued: Read-Composite and Write-Composite (LwM2M Core TS 1.1.1 sections
// 5.4.8 / 5.4.9) in every several-path format, the 1.2 additions (partial update of a multiple
// resource, Delete of a resource instance, Core TS 1.2 5.4.3 / 5.4.7) and the error codes of
// Transport TS 1.1.1 section 6 for unknown objects, read-only and non-executable resources, the
// Device instance and content formats the client's version lacks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { COMPOSITE_FORMATS_BY_VERSION, validFormats } from '../../src/content/formatSelection.js';
import type { Lwm2mNode } from '../../src/lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { flattenToLeaves, multipleResource, resource, resourceInstance } from '../../src/lwm2m/nodes.js';
import { ResponseCode } from '../../src/lwm2m/responses.js';
import { integerValue, stringValue } from '../../src/lwm2m/values.js';
import { assertNoOpenHandles, startPair, VERSIONS, type Pair } from './support/e2e.js';
import { assertSameNode, hex } from './support/nodeAssert.js';
import { TEST_OBJECT_ID as T } from './support/testObject.js';

after(assertNoOpenHandles);

for (const version of VERSIONS) {
  describe(`composite operations and error paths between our server and our LwM2M ${version} client`, () => {
    let pair: Pair;
    const ep = (): string => pair.ep;
    before(async () => {
      pair = await startPair({ version });
    });
    after(async () => pair.close());

    if (version !== '1.0') {
      for (const format of COMPOSITE_FORMATS_BY_VERSION[version]) {
        test(`read-composite and write-composite as ${format}`, async () => {
          const w = await pair.server.writeComposite(
            ep(),
            [
              { path: Lwm2mPath.parse(`/${T}/0/1`), node: resource(1, integerValue(format)) },
              { path: Lwm2mPath.parse(`/${T}/0/7/3`), node: resourceInstance(3, stringValue('comp')) },
              { path: Lwm2mPath.parse('/3/0/15'), node: resource(15, stringValue('Europe/Paris')) },
            ],
            { format },
          );
          assert.equal(w.code, ResponseCode.CHANGED, `${hex(w.code)} ${w.diagnostic ?? ''}`);
          const r = await pair.server.readComposite(
            ep(),
            [`/${T}/0/1`, `/${T}/0/7/3`, '/3/0/15', '/3303/0'],
            {
              format,
              requestFormat: format,
            },
          );
          assert.equal(r.code, ResponseCode.CONTENT, `${hex(r.code)} ${r.diagnostic ?? ''}`);
          assert.equal(r.format, format);
          const at = (p: string): Lwm2mNode | undefined =>
            r.content?.find((n) => n.path.toString() === p)?.node;
          assertSameNode(at(`/${T}/0/1`), resource(1, integerValue(format)), 'composite integer');
          assertSameNode(
            at(`/${T}/0/7/3`),
            resourceInstance(3, stringValue('comp')),
            'composite resource instance',
          );
          assertSameNode(
            at('/3/0/15'),
            resource(15, stringValue('Europe/Paris')),
            'composite device timezone',
          );
          // The server returns the leaves (single resources, resource instances) at their paths.
          const leaves = r.content!.filter((n) => n.path.toString().startsWith('/3303/0/'));
          const want = flattenToLeaves(
            Lwm2mPath.parse('/3303/0'),
            pair.client.tree.read(Lwm2mPath.parse('/3303/0')),
          );
          assert.deepEqual(
            leaves.map((n) => n.path.toString()),
            want.map((n) => n.path.toString()),
          );
          want.forEach((w, i) => assertSameNode(leaves[i]!.node, w.node, `composite leaf ${w.path}`));
        });
      }
    }

    test('read of an unknown object is 4.04', async () => {
      const res = await pair.server.read(ep(), '/4242');
      assert.equal(res.code, ResponseCode.NOT_FOUND);
    });

    test('write to a read-only resource is 4.05', async () => {
      const res = await pair.server.write(ep(), '/3/0/0', stringValue('evil'));
      assert.equal(res.code, ResponseCode.METHOD_NOT_ALLOWED, `${hex(res.code)} ${res.diagnostic ?? ''}`);
    });

    test('execute on a non-executable resource is 4.05', async () => {
      const res = await pair.server.execute(ep(), '/3/0/0');
      assert.equal(res.code, ResponseCode.METHOD_NOT_ALLOWED, `${hex(res.code)} ${res.diagnostic ?? ''}`);
    });

    test('delete of the single-instance mandatory Device object instance is 4.05', async () => {
      const res = await pair.server.delete(ep(), '/3/0');
      assert.equal(res.code, ResponseCode.METHOD_NOT_ALLOWED, `${hex(res.code)} ${res.diagnostic ?? ''}`);
      const still = await pair.server.read(ep(), '/3/0/0');
      assert.equal(still.code, ResponseCode.CONTENT);
    });

    if (version === '1.0') {
      test('a read asking for SenML CBOR, which LwM2M 1.0 lacks, is 4.06', async () => {
        const res = await pair.server.read(ep(), `/${T}/0`, { format: ContentFormat.SENML_CBOR });
        assert.equal(res.code, ResponseCode.NOT_ACCEPTABLE, `${hex(res.code)} ${res.diagnostic ?? ''}`);
      });
      test('a write in SenML JSON, which LwM2M 1.0 lacks, is 4.15', async () => {
        const res = await pair.server.write(ep(), `/${T}/0/0`, stringValue('x'), {
          format: ContentFormat.SENML_JSON,
        });
        assert.equal(
          res.code,
          ResponseCode.UNSUPPORTED_CONTENT_FORMAT,
          `${hex(res.code)} ${res.diagnostic ?? ''}`,
        );
      });
    }
    if (version === '1.2') {
      for (const format of validFormats(version, {
        level: 'resource',
        multiple: true,
        valueType: 'string',
      })) {
        test(`1.2: partial update of a multiple resource as ${format} merges its instances`, async () => {
          await pair.server.write(
            ep(),
            `/${T}/0/7`,
            multipleResource(7, [resourceInstance(0, stringValue('a'))]),
          );
          const res = await pair.server.write(
            ep(),
            `/${T}/0/7`,
            multipleResource(7, [resourceInstance(6, stringValue('f'))]),
            { format, mode: 'update' },
          );
          assert.equal(res.code, ResponseCode.CHANGED, `${hex(res.code)} ${res.diagnostic ?? ''}`);
          const back = await pair.server.read(ep(), `/${T}/0/7`);
          assertSameNode(
            back.content,
            multipleResource(7, [
              resourceInstance(0, stringValue('a')),
              resourceInstance(6, stringValue('f')),
            ]),
            'merged multiple resource',
          );
        });
      }

      test('1.2: delete of one resource instance', async () => {
        await pair.server.write(
          ep(),
          `/${T}/0/7`,
          multipleResource(7, [resourceInstance(0, stringValue('a')), resourceInstance(1, stringValue('b'))]),
        );
        const res = await pair.server.delete(ep(), `/${T}/0/7/0`);
        assert.equal(res.code, ResponseCode.DELETED, `${hex(res.code)} ${res.diagnostic ?? ''}`);
        const back = await pair.server.read(ep(), `/${T}/0/7`);
        assertSameNode(
          back.content,
          multipleResource(7, [resourceInstance(1, stringValue('b'))]),
          'what is left',
        );
        const gone = await pair.server.read(ep(), `/${T}/0/7/0`);
        assert.equal(gone.code, ResponseCode.NOT_FOUND);
      });
    }
    if (version === '1.1') {
      test('a read asking for LwM2M CBOR, which LwM2M 1.1 lacks, is 4.06', async () => {
        const res = await pair.server.read(ep(), `/${T}/0`, { format: ContentFormat.LWM2M_CBOR });
        assert.equal(res.code, ResponseCode.NOT_ACCEPTABLE, `${hex(res.code)} ${res.diagnostic ?? ''}`);
      });
      test('a write-composite in LwM2M CBOR, which LwM2M 1.1 lacks, is 4.15 and changes nothing', async () => {
        const before = pair.client.tree.read(Lwm2mPath.parse(`/${T}/0/1`));
        const res = await pair.server.writeComposite(
          ep(),
          [{ path: Lwm2mPath.parse(`/${T}/0/1`), node: resource(1, integerValue(999)) }],
          { format: ContentFormat.LWM2M_CBOR },
        );
        assert.equal(
          res.code,
          ResponseCode.UNSUPPORTED_CONTENT_FORMAT,
          `${hex(res.code)} ${res.diagnostic ?? ''}`,
        );
        assertSameNode(pair.client.tree.read(Lwm2mPath.parse(`/${T}/0/1`)), before, 'unchanged value');
      });
      test('a read-composite asking for LwM2M CBOR, which LwM2M 1.1 lacks, is 4.06', async () => {
        const res = await pair.server.readComposite(ep(), ['/3/0/0'], {
          format: ContentFormat.LWM2M_CBOR,
          requestFormat: ContentFormat.SENML_CBOR,
        });
        assert.equal(res.code, ResponseCode.NOT_ACCEPTABLE, `${hex(res.code)} ${res.diagnostic ?? ''}`);
      });
    }
  });
}
