// Fuzzes the stored-request reader (lwm2m/downlinkRequestJson.ts) with mutated JSON trees and
// bytes: it either accepts the input or throws StoredJsonError (any other error fails), and what
// it accepts survives toJson → JSON text → fromJson unchanged (the round-trip oracle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downlinkRequestFromJson, downlinkRequestToJson } from '../../src/lwm2m/downlinkRequestJson.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { StoredJsonError } from '../../src/lwm2m/nodeStoreJson.js';
import * as r from '../../src/lwm2m/requests.js';
import type { DownlinkRequest } from '../../src/lwm2m/requests.js';
import { DecodeError } from '../../src/transport/DecodeError.js';
import { announceSeed, FUZZ_SEED, fuzzDecoder, Mutator } from './mutator.js';
import { mutateJsonTree } from './jsonTreeMutator.js';

const res = (id: number, type: string, value: unknown) => ({ kind: 'resource', id, value: { type, value } });
const SEEDS: DownlinkRequest[] = [
  r.read('/3/0/1', { format: 11542 }),
  r.discover('/3/0', { depth: 2 }),
  r.write('/3/0/15', res(15, 'string', 'Europe/Paris') as never, { mode: 'update', format: 0 }),
  r.write('/1/0', {
    kind: 'instance',
    id: 0,
    resources: [
      res(1, 'integer', 2n ** 62n),
      res(2, 'unsignedInteger', 2n ** 64n - 1n),
      res(3, 'float', -0),
      res(4, 'opaque', Uint8Array.of(1, 2, 255)),
      res(5, 'time', new Date(1_700_000_000_000)),
      res(6, 'objlnk', { objectId: 3, instanceId: 65535 }),
      res(7, 'boolean', true),
      {
        kind: 'multipleResource',
        id: 8,
        valueType: 'float',
        instances: [{ kind: 'resourceInstance', id: 0, value: { type: 'float', value: NaN } }],
      },
    ],
  } as never),
  r.writeAttributes('/3303/0/5700', { pmin: 10, pmax: null, gt: 2.5, lt: -1e-7, edge: true }),
  r.execute('/3/0/4', "0='a',1"),
  r.create('/3303', [{ kind: 'instance', id: 65535, resources: [res(5750, 'corelnk', '</3>') as never] }]),
  r.del('/3303/1'),
  r.readComposite(['/3/0/1', '/1'], { requestFormat: 110, format: 112 }),
  r.writeComposite([{ path: Lwm2mPath.parse('/3/0/14'), node: res(14, 'string', '+02') as never }]),
  r.observe('/3/0/13'),
  r.observeComposite(['/3/0/9'], { format: 110 }),
  { kind: 'cancelObservation', path: Lwm2mPath.parse('/3/0/9'), token: Uint8Array.of(1, 2, 3) },
  {
    kind: 'cancelCompositeObservation',
    paths: [Lwm2mPath.parse('/3/0')],
    token: Uint8Array.of(9),
    requestFormat: 112,
  },
];

type J = unknown;
const KEYS = [
  'kind',
  'path',
  'paths',
  'node',
  'format',
  'k',
  'id',
  'v',
  't',
  'i',
  'r',
  'vt',
  'token',
  'mode',
];

function randomValue(m: Mutator): J {
  switch (m.int(7)) {
    case 0:
      return null;
    case 1:
      return m.pick([0, 1, -1, 1.5, 65535, 65536, 2 ** 60, true, false]);
    case 2:
      return m.pick([
        '',
        '/3/0/1',
        '/',
        'r',
        'ri',
        'mr',
        'o',
        'i',
        'read',
        'write',
        'float',
        '-0',
        'NaN',
        'zz',
        '0f',
      ]);
    case 3:
      return [randomValue(m)];
    case 4:
      return { [m.pick(KEYS)]: randomValue(m) };
    default:
      return m.pick(['18446744073709551616', '-9223372036854775809', '9007199254740993', 'pmin=1', 'gt=abc']);
  }
}

const EDITS = { keys: KEYS, randomValue, maxDepth: 6 };
const mutate = (v: J, m: Mutator): J => mutateJsonTree(v, m, EDITS);

/** The round-trip oracle: what was accepted comes back the same through JSON text. */
function roundTrips(req: DownlinkRequest, where: string): void {
  const again = downlinkRequestFromJson(JSON.parse(JSON.stringify(downlinkRequestToJson(req))));
  assert.deepEqual(again, req, where);
}

test('every kind of downlink request survives toJson → text → fromJson', () => {
  for (const req of SEEDS) roundTrips(req, req.kind);
});

test('the stored-request reader, fed mutated JSON trees, throws only StoredJsonError, and what it accepts round-trips', () => {
  announceSeed('downlinkRequestJson trees');
  const m = new Mutator(FUZZ_SEED);
  const seeds = SEEDS.map((s) => JSON.parse(JSON.stringify(downlinkRequestToJson(s))) as J);
  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < 20_000; i++) {
    let input = m.pick(seeds);
    for (let e = 1 + m.int(3); e > 0; e--) input = mutate(input, m);
    const where = `FUZZ_SEED=${FUZZ_SEED} iteration ${i}: ${JSON.stringify(input)}`;
    let req: DownlinkRequest;
    try {
      req = downlinkRequestFromJson(input);
    } catch (e) {
      if (!(e instanceof StoredJsonError)) assert.fail(`${where} threw ${String(e)}`);
      rejected++;
      continue;
    }
    accepted++;
    roundTrips(req, where);
  }
  assert.ok(
    accepted > 1000 && rejected > 1000,
    `both outcomes occur (accepted ${accepted}, rejected ${rejected})`,
  );
});

test('the stored-request reader, fed mutated JSON bytes, throws only StoredJsonError', () => {
  const enc = new TextEncoder();
  const corpus = SEEDS.map((s) => enc.encode(JSON.stringify(downlinkRequestToJson(s))));
  const { ok, rejected } = fuzzDecoder('downlinkRequestJson', corpus, 20_000, (bytes) => {
    let req: DownlinkRequest;
    try {
      req = downlinkRequestFromJson(JSON.parse(new TextDecoder().decode(bytes)));
    } catch (e) {
      if (e instanceof StoredJsonError || e instanceof SyntaxError) throw new DecodeError(e.message, 0);
      throw e;
    }
    return () => roundTrips(req, 'bytes');
  });
  assert.ok(ok > 100 && rejected > 1000, `both outcomes occur (ok ${ok}, rejected ${rejected})`);
});
