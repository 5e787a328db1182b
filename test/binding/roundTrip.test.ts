// Every downlink operation survives the trip server → CoAP → client:
// fromCoapRequest(toCoapRequest(x)) equals x, for every request kind and every format that can
// carry it, with and without an alternate root path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromCoapRequest } from '../../src/binding/fromCoapRequest.js';
import { toCoapRequest } from '../../src/binding/toCoapRequest.js';
import { NO_INSTANCE_ID, type PathNode } from '../../src/lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { instance, multipleResource, resource, resourceInstance } from '../../src/lwm2m/nodes.js';
import * as r from '../../src/lwm2m/requests.js';
import type { BootstrapDownlinkRequest, DownlinkRequest } from '../../src/lwm2m/requests.js';
import {
  booleanValue,
  floatValue,
  integerValue,
  objlnkValue,
  opaqueValue,
  stringValue,
  timeValue,
} from '../../src/lwm2m/values.js';
import { incoming, models } from './coapFixtures.js';

type AnyRequest = DownlinkRequest | BootstrapDownlinkRequest;
const TOKEN = new Uint8Array([0xca, 0xfe, 0x01]);
const TREE = [11542, 11543, 110, 112, 11544];
const SINGLE = [0, 60, ...TREE];
const COMPOSITE = [110, 112, 11544];

function roundTrip(x: AnyRequest, opts: { rootPath?: string; bootstrap?: boolean } = {}): AnyRequest {
  const coap = toCoapRequest(x, { models, lwm2mVersion: '1.2', rootPath: opts.rootPath });
  const token = 'token' in x ? x.token : undefined;
  return fromCoapRequest(incoming(coap, token), {
    models,
    bootstrap: opts.bootstrap ?? false,
    rootPath: opts.rootPath,
  });
}

function check(x: AnyRequest, opts: { rootPath?: string; bootstrap?: boolean } = {}): void {
  assert.deepStrictEqual(roundTrip(x, opts), x, `${x.kind} ${JSON.stringify(opts)}`);
}

const deviceInstance = instance(0, [
  resource(0, stringValue('ACME')),
  multipleResource(6, [resourceInstance(0, integerValue(1)), resourceInstance(5, integerValue(5))]),
  resource(9, integerValue(87)),
  resource(13, timeValue(1_700_000_000)),
]);
const serverInstance = instance(0, [
  resource(0, integerValue(101)),
  resource(1, integerValue(300)),
  resource(6, booleanValue(true)),
  resource(7, stringValue('U')),
]);

for (const rootPath of [undefined, '/lwm2m']) {
  const opts = { rootPath };
  const where = rootPath ?? 'no root path';

  test(`Read and Observe round-trip with each Accept (${where})`, () => {
    for (const format of SINGLE) {
      check(r.read('/3/0/9', { format }), opts);
      check(r.observe('/3303/0/5700', { format }), opts);
    }
    for (const format of TREE) {
      check(r.read('/3', { format }), opts);
      check(r.observe('/3/0', { format }), opts);
    }
    check(r.read('/3/0/6/1', { format: 0 }), opts);
  });

  test(`Discover round-trips with and without depth (${where})`, () => {
    check(r.discover('/3'), opts);
    check(r.discover('/3/0', { depth: 0 }), opts);
    check(r.discover('/3/0/6', { depth: 3 }), opts);
  });

  test(`Write of a single resource round-trips in every format that carries it (${where})`, () => {
    for (const format of SINGLE) {
      check(r.write('/3/0/14', resource(14, stringValue('+02:00')), { format }), opts);
      check(r.write('/1/0/1', resource(1, integerValue(86400)), { format }), opts);
      check(
        r.write('/3303/0/5750', resource(5750, stringValue('kitchen')), { format, mode: 'replace' }),
        opts,
      );
    }
    check(r.write('/3/0/13', resource(13, timeValue(1_700_000_123)), { format: 0 }), opts);
    check(r.write('/1/0/6', resource(6, booleanValue(false)), { format: 60 }), opts);
  });

  test(`Write of a resource instance and of a multiple resource round-trips (${where})`, () => {
    for (const format of [0, 60, ...TREE])
      check(r.write('/3/0/6/2', resourceInstance(2, integerValue(7)), { format }), opts);
    const multi = multipleResource(6, [
      resourceInstance(0, integerValue(1)),
      resourceInstance(2, integerValue(7)),
    ]);
    for (const format of TREE) {
      check(r.write('/3/0/6', multi, { format }), opts);
    }
  });

  test(`Write replace and partial update of an instance round-trip in every tree format (${where})`, () => {
    for (const format of TREE) {
      check(r.write('/3/0', deviceInstance, { format }), opts);
      check(r.write('/1/0', serverInstance, { format, mode: 'update' }), opts);
    }
  });

  test(`Write-Attributes round-trips numbers, removals and booleans (${where})`, () => {
    check(r.writeAttributes('/3/0/9', { pmin: 10, pmax: 60 }), opts);
    check(r.writeAttributes('/3303/0/5700', { gt: 25.5, lt: -3.25, st: 0.5, epmin: 1, epmax: 30 }), opts);
    check(r.writeAttributes('/3303', { pmin: null, pmax: null }), opts);
    check(r.writeAttributes('/3/0/6/1', { edge: true, con: false, hqmax: 5 }), opts);
  });

  test(`Execute round-trips with and without arguments (${where})`, () => {
    check(r.execute('/3/0/4'), opts);
    check(r.execute('/3/0/4', "0='a',1"), opts);
    check(r.execute('/1/0/8', '0'), opts);
  });

  test(`Create round-trips one or more instances in every tree format (${where})`, () => {
    const t1 = instance(1, [resource(5700, floatValue(21.5)), resource(5701, stringValue('Cel'))]);
    const t2 = instance(2, [resource(5700, floatValue(-4.25))]);
    for (const format of TREE) {
      check(r.create('/3303', [t1], { format }), opts);
      check(r.create('/3303', [t1, t2], { format }), opts);
    }
    // TLV can leave the instance id to the client (Core TS 5.4.6).
    check(
      r.create('/3303', [instance(NO_INSTANCE_ID, [resource(5700, floatValue(1))])], { format: 11542 }),
      opts,
    );
  });

  test(`Delete round-trips for instances and resource instances (${where})`, () => {
    check(r.del('/3303/1'), opts);
    check(r.del('/3/0/6/1'), opts);
  });

  test(`Read-Composite and Observe-Composite round-trip in each composite format (${where})`, () => {
    for (const requestFormat of COMPOSITE) {
      for (const format of COMPOSITE) {
        check(r.readComposite(['/3/0/9', '/1/0', '/3303'], { requestFormat, format }), opts);
        check(r.observeComposite(['/3/0/9', '/3303/0/5700'], { requestFormat, format }), opts);
      }
    }
  });

  test(`Write-Composite round-trips in each composite format (${where})`, () => {
    // In path order: LwM2M CBOR is a tree, so it gives the nodes back sorted.
    const nodes: PathNode[] = [
      { path: Lwm2mPath.parse('/1/0/1'), node: resource(1, integerValue(300)) },
      { path: Lwm2mPath.parse('/3/0/6/3'), node: resourceInstance(3, integerValue(2)) },
      { path: Lwm2mPath.parse('/3/0/14'), node: resource(14, stringValue('+01')) },
    ];
    for (const format of COMPOSITE) check(r.writeComposite(nodes, { format }), opts);
  });

  test(`Cancel Observation and Cancel Observation-Composite keep the token (${where})`, () => {
    check({ kind: 'cancelObservation', path: Lwm2mPath.parse('/3303/0/5700'), token: TOKEN }, opts);
    for (const requestFormat of COMPOSITE) {
      check(
        {
          kind: 'cancelCompositeObservation',
          paths: [Lwm2mPath.parse('/3/0/9'), Lwm2mPath.parse('/3303/0')],
          token: TOKEN,
          requestFormat,
        },
        opts,
      );
    }
  });
}

test('Bootstrap operations round-trip on the bootstrap interface', () => {
  const bs = { bootstrap: true };
  for (const format of TREE) {
    check(r.bootstrapRead('/1', { format }), bs);
    check(r.bootstrapRead('/2/0', { format }), bs);
    check(r.bootstrapWrite('/1/0', serverInstance, { format }), bs);
  }
  const security = instance(0, [
    resource(0, stringValue('coaps://lwm2m.example:5684')),
    resource(1, booleanValue(false)),
    resource(3, opaqueValue(new Uint8Array([1, 2, 3]))),
  ]);
  check(r.bootstrapWrite('/0/0', security, { format: 11542 }), bs);
  check(r.bootstrapWrite('/1/0/1', resource(1, integerValue(60)), { format: 0 }), bs);
  check(r.bootstrapRead('/1/0/1', { format: 0 }), bs);
  check(r.bootstrapDiscover(), bs);
  check(r.bootstrapDiscover('/1'), bs);
  check(r.bootstrapDelete(), bs);
  check(r.bootstrapDelete('/0/1'), bs);
  check(r.bootstrapFinish(), bs);
});

test('object links and opaque values keep their type through every tree format', () => {
  // ExtDevInfo (3/0/22) is a multiple objlnk resource in Device 1.2; 0/x/3 is opaque.
  const multi = multipleResource(22, [resourceInstance(0, objlnkValue(3303, 1))]);
  const key = resource(3, opaqueValue(new Uint8Array([0, 255, 7])));
  for (const format of TREE) {
    check(r.write('/3/0/22', multi, { format }));
    check(r.bootstrapWrite('/0/1/3', key, { format }), { bootstrap: true });
  }
});
