// Issue 4/5 end to end: the Send operation (LwM2M Core TS 1.1.1 section 6.4.1, POST /dp) from our
// client to our server over UDP, in SenML CBOR, SenML JSON and (1.2) LwM2M CBOR: the server's
// `send` event carries the nodes the client read, at their paths.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ContentFormat } from '../../src/content/ContentFormat.js';
import { COMPOSITE_FORMATS_BY_VERSION } from '../../src/content/formatSelection.js';
import type { PathNode } from '../../src/lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { flattenToLeaves, nodesEqual } from '../../src/lwm2m/nodes.js';
import type { SendEvent } from '../../src/server/Lwm2mServerEvents.js';
import { startPair, withTimeout, type Pair, assertNoOpenHandles } from './support/e2e.js';

after(assertNoOpenHandles);
import { TEST_OBJECT_ID as T } from './support/testObject.js';

const leavesOf = (client: Pair['client'], paths: readonly string[]): PathNode[] =>
  paths.flatMap((p) => flattenToLeaves(Lwm2mPath.parse(p), client.tree.read(Lwm2mPath.parse(p))));

for (const version of ['1.1', '1.2'] as const) {
  describe(`Send from our LwM2M ${version} client to our server`, () => {
    let pair: Pair;
    before(async () => {
      pair = await startPair({ version });
    });
    after(async () => pair.close());

    for (const format of COMPOSITE_FORMATS_BY_VERSION[version]) {
      test(`sends resources, a multiple resource and an instance as ${format}`, async () => {
        const paths = ['/3303/0/5700', `/${T}/0/7`, `/${T}/0/1`, '/3/0/0'];
        const got = withTimeout(
          new Promise<SendEvent>((r) => pair.server.once('send', r)),
          3_000,
          'send event',
        );
        pair.client.set(`/${T}/0/1`, format);
        await pair.client.send(paths, { format });
        const e = await got;
        assert.equal(e.format, format);
        assert.equal(e.registration.endpoint, pair.ep);
        const nodes = e.data.flatMap((g) => g.nodes);
        const sent = new Map(nodes.map((n) => [n.path.toString(), n.node]));
        const want = leavesOf(pair.client, paths);
        assert.ok(want.length >= 5);
        for (const w of want) {
          const g = sent.get(w.path.toString());
          assert.ok(g && nodesEqual(g, w.node), `value at ${w.path}`);
        }
        assert.equal(sent.size, want.length, [...sent.keys()].join(' '));
      });
    }
  });
}

describe('Send in a format with no several-path encoding', () => {
  let pair: Pair;
  before(async () => {
    pair = await startPair({ version: '1.1' });
  });
  after(async () => pair.close());

  test('is refused by the client with 4.15 and nothing reaches the server', async () => {
    const formats: number[] = [];
    pair.server.on('send', (e: SendEvent) => formats.push(e.format));
    await assert.rejects(pair.client.send(['/3/0/0'], { format: ContentFormat.TLV }), {
      code: 'LWM2M_UNSUPPORTED_CONTENT_FORMAT',
      coapCode: 0x8f,
    });
    // A later Send over the same sockets is the barrier: whatever the refused one had put on the
    // wire would have reached the server before it.
    const later = withTimeout(
      new Promise<SendEvent>((r) => pair.server.once('send', r)),
      3_000,
      'the later send event',
    );
    await pair.client.send(['/3/0/0'], { format: ContentFormat.SENML_CBOR });
    await later;
    assert.deepEqual(formats, [ContentFormat.SENML_CBOR]);
  });
});
