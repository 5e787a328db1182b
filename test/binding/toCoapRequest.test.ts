// Golden checks of each downlink operation against the Transport TS 1.1.1 section 6 tables:
// method, Uri-Path, Uri-Query, Content-Format, Accept, Observe and body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCoapRequest, type DownlinkContext } from '../../src/binding/toCoapRequest.js';
import { Code, OptionNumber } from '../../src/coap/CoapMessage.js';
import { buildRequest, type CoapRequestOptions } from '../../src/coap/CoapRequest.js';
import { getUintOption } from '../../src/coap/options.js';
import { senmlCborCodec } from '../../src/content/senml/senmlCborCodec.js';
import { tlvNodeCodec } from '../../src/content/tlv/TlvNodeCodec.js';
import { UnsupportedContentFormatError } from '../../src/lwm2m/errors.js';
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { instance, object, resource } from '../../src/lwm2m/nodes.js';
import * as r from '../../src/lwm2m/requests.js';
import { floatValue, integerValue, stringValue } from '../../src/lwm2m/values.js';
import { models, text } from './coapFixtures.js';

const v11: DownlinkContext = { models, lwm2mVersion: '1.1' };
const v10: DownlinkContext = { models, lwm2mVersion: '1.0' };
const v12: DownlinkContext = { models, lwm2mVersion: '1.2' };

/** The wire shape of a request: method code, path, query and the three options LwM2M uses. */
function wire(opts: CoapRequestOptions) {
  const msg = buildRequest(opts);
  return {
    method: msg.code,
    path: typeof opts.path === 'string' ? opts.path : `/${(opts.path ?? []).join('/')}`,
    query: opts.query ?? [],
    contentFormat: getUintOption(msg, OptionNumber.CONTENT_FORMAT),
    accept: getUintOption(msg, OptionNumber.ACCEPT),
    observe: getUintOption(msg, OptionNumber.OBSERVE),
    payload: text(msg.payload),
  };
}

test('Read of a single resource is GET with Accept text/plain', () => {
  assert.deepEqual(wire(toCoapRequest(r.read('/3/0/9'), v11)), {
    method: Code.GET,
    path: '/3/0/9',
    query: [],
    contentFormat: undefined,
    accept: 0,
    observe: undefined,
    payload: '',
  });
});

test('Read of an instance asks for SenML CBOR from 1.1 clients and TLV from 1.0 clients', () => {
  assert.equal(wire(toCoapRequest(r.read('/3/0'), v11)).accept, 112);
  assert.equal(wire(toCoapRequest(r.read('/3/0'), v10)).accept, 11542);
  assert.equal(wire(toCoapRequest(r.read('/3/0/6'), v11)).accept, 112, 'multiple resource');
});

test('Read keeps the format the request names and honours the announced formats', () => {
  assert.equal(wire(toCoapRequest(r.read('/3/0', { format: 110 }), v11)).accept, 110);
  const tlvOnly = { ...v11, announcedFormats: [11542] };
  assert.equal(wire(toCoapRequest(r.read('/3/0'), tlvOnly)).accept, 11542);
});

test('Read of an unknown resource asks for a tree format, which carries single and multiple resources', () => {
  assert.equal(wire(toCoapRequest(r.read('/4242/0/1'), v11)).accept, 112);
});

test('requests go below the client alternate root path', () => {
  const opts = toCoapRequest(r.read('/3/0/9'), { ...v11, rootPath: '/lwm2m' });
  assert.equal(opts.path, '/lwm2m/3/0/9');
  const del = toCoapRequest(r.del('/3303/1'), { ...v11, rootPath: '/a/b/' });
  assert.equal(del.path, '/a/b/3303/1');
});

test('Discover is GET with Accept application/link-format (40), depth as Uri-Query', () => {
  const w = wire(toCoapRequest(r.discover('/3/0'), v11));
  assert.equal(w.method, Code.GET);
  assert.equal(w.accept, 40);
  assert.deepEqual(w.query, []);
  assert.deepEqual(wire(toCoapRequest(r.discover('/3', { depth: 1 }), v11)).query, ['depth=1']);
});

test('Write replace is PUT with Content-Format and the encoded value', () => {
  const req = r.write('/3/0/14', resource(14, stringValue('+02')), { format: 0 });
  assert.deepEqual(wire(toCoapRequest(req, v11)), {
    method: Code.PUT,
    path: '/3/0/14',
    query: [],
    contentFormat: 0,
    accept: undefined,
    observe: undefined,
    payload: '+02',
  });
});

test('Write partial update is POST; a 1.0 instance write goes as TLV', () => {
  const node = instance(0, [resource(14, stringValue('+01')), resource(15, stringValue('Europe/Paris'))]);
  const opts = toCoapRequest(r.write('/3/0', node, { mode: 'update' }), v10);
  assert.equal(buildRequest(opts).code, Code.POST);
  assert.equal(opts.contentFormat, 11542);
  const back = tlvNodeCodec.decode(opts.payload as Uint8Array, Lwm2mPath.parse('/3/0'), models);
  assert.deepEqual(back, node);
});

test('Write-Attributes is PUT with the attributes as Uri-Query and no payload', () => {
  const w = wire(toCoapRequest(r.writeAttributes('/3/0/9', { pmin: 10, pmax: 60 }), v11));
  assert.deepEqual(w, {
    method: Code.PUT,
    path: '/3/0/9',
    query: ['pmin=10', 'pmax=60'],
    contentFormat: undefined,
    accept: undefined,
    observe: undefined,
    payload: '',
  });
  assert.deepEqual(wire(toCoapRequest(r.writeAttributes('/3/0/9', { gt: null }), v11)).query, ['gt']);
});

test('Execute is POST with the arguments as text/plain payload, none without arguments', () => {
  const bare = wire(toCoapRequest(r.execute('/3/0/4'), v11));
  assert.equal(bare.method, Code.POST);
  assert.equal(bare.contentFormat, undefined);
  assert.equal(bare.payload, '');
  const withArgs = wire(toCoapRequest(r.execute('/3/0/4', "0='a',1"), v11));
  assert.equal(withArgs.contentFormat, 0);
  assert.equal(withArgs.payload, "0='a',1");
});

test('Create is POST on the object path with the new instances as payload', () => {
  const inst = instance(1, [resource(5700, floatValue(21.5))]);
  const opts = toCoapRequest(r.create('/3303', [inst], { format: 11542 }), v11);
  assert.equal(buildRequest(opts).code, Code.POST);
  assert.equal(opts.path, '/3303');
  const back = tlvNodeCodec.decode(opts.payload as Uint8Array, Lwm2mPath.parse('/3303'), models);
  assert.deepEqual(back, object(3303, [inst]));
});

test('Create without an instance id goes as bare-resource TLV whatever format was asked', () => {
  const idless = instance(65535, [resource(5700, floatValue(21.5))]);
  for (const format of [undefined, 110, 112, 11543, 11544]) {
    const opts = toCoapRequest(r.create('/3303', [idless], format === undefined ? {} : { format }), v12);
    const w = wire(opts);
    assert.equal(w.contentFormat, 11542, `asked ${String(format)}`);
    assert.equal(Buffer.from(opts.payload as Uint8Array).toString('hex'), 'e81644084035800000000000');
  }
  const withId = wire(
    toCoapRequest(r.create('/3303', [instance(1, [resource(5700, floatValue(1))])], { format: 110 }), v12),
  );
  assert.equal(withId.contentFormat, 110, 'a Create with an id keeps its format');
  // `ct` is the client's preference, not the complete list: TLV still goes to a client that announced one format.
  for (const announcedFormats of [[112], [110, 112]]) {
    const oneCt: DownlinkContext = { ...v12, announcedFormats };
    assert.equal(wire(toCoapRequest(r.create('/3303', [idless]), oneCt)).contentFormat, 11542);
  }
});

test('Delete is DELETE with no payload', () => {
  const w = wire(toCoapRequest(r.del('/3303/1'), v11));
  assert.equal(w.method, Code.DELETE);
  assert.equal(w.payload, '');
});

test('Read-Composite is FETCH / with the paths as SenML body, Content-Format and Accept', () => {
  const opts = toCoapRequest(r.readComposite(['/3/0/9', '/1/0/1']), v11);
  const w = wire(opts);
  assert.equal(w.method, Code.FETCH);
  assert.equal(w.path, '/');
  assert.equal(w.contentFormat, 112);
  assert.equal(w.accept, 112);
  const paths = senmlCborCodec.decodePaths(opts.payload as Uint8Array).map(String);
  assert.deepEqual(paths, ['/3/0/9', '/1/0/1']);
  const json = wire(toCoapRequest(r.readComposite(['/3/0/9'], { requestFormat: 110, format: 110 }), v11));
  assert.equal(json.contentFormat, 110);
  assert.equal(json.accept, 110);
  assert.match(json.payload, /"\/3\/0\/9"/);
});

test('composite operations need a 1.1 client', () => {
  assert.throws(() => toCoapRequest(r.readComposite(['/3/0/9']), v10), UnsupportedContentFormatError);
});

test('Write-Composite is iPATCH / with the nodes as SenML', () => {
  const nodes = [
    { path: Lwm2mPath.parse('/3/0/14'), node: resource(14, stringValue('+01')) },
    { path: Lwm2mPath.parse('/1/0/1'), node: resource(1, integerValue(300)) },
  ];
  const opts = toCoapRequest(r.writeComposite(nodes), v11);
  assert.equal(buildRequest(opts).code, Code.IPATCH);
  assert.equal(opts.path, '/');
  assert.equal(opts.contentFormat, 112);
  assert.deepEqual(senmlCborCodec.decodeNodes(opts.payload as Uint8Array, models), nodes);
});

test('Observe is GET with Observe=0 and Accept; cancel is GET with Observe=1', () => {
  const obs = wire(toCoapRequest(r.observe('/3303/0/5700'), v11));
  assert.equal(obs.method, Code.GET);
  assert.equal(obs.observe, 0);
  assert.equal(obs.accept, 0);
  const cancel = {
    kind: 'cancelObservation',
    path: Lwm2mPath.parse('/3303/0/5700'),
    token: new Uint8Array([7]),
  } as const;
  const c = wire(toCoapRequest(cancel, v11));
  assert.equal(c.method, Code.GET);
  assert.equal(c.observe, 1);
});

test('Observe-Composite is FETCH with Observe=0; its cancel FETCH with Observe=1', () => {
  const obs = wire(toCoapRequest(r.observeComposite(['/3/0/9', '/3303/0/5700']), v11));
  assert.equal(obs.method, Code.FETCH);
  assert.equal(obs.observe, 0);
  assert.equal(obs.accept, 112);
  const cancel = {
    kind: 'cancelCompositeObservation',
    paths: [Lwm2mPath.parse('/3/0/9')],
    token: new Uint8Array([7]),
  } as const;
  const c = wire(toCoapRequest(cancel, v11));
  assert.equal(c.method, Code.FETCH);
  assert.equal(c.observe, 1);
  assert.equal(c.contentFormat, 112);
});

test('Bootstrap operations: Write PUT, Read GET, Discover GET Accept 40, Delete DELETE, Finish POST /bs', () => {
  const bw = wire(toCoapRequest(r.bootstrapWrite('/1/0/1', resource(1, integerValue(60))), v11));
  assert.deepEqual([bw.method, bw.path, bw.contentFormat, bw.payload], [Code.PUT, '/1/0/1', 0, '60']);
  const br = wire(toCoapRequest(r.bootstrapRead('/1'), v11));
  assert.deepEqual([br.method, br.path, br.accept], [Code.GET, '/1', 112]);
  const bd = wire(toCoapRequest(r.bootstrapDiscover(), v11));
  assert.deepEqual([bd.method, bd.path, bd.accept], [Code.GET, '/', 40]);
  const del = wire(toCoapRequest(r.bootstrapDelete(), v11));
  assert.deepEqual([del.method, del.path], [Code.DELETE, '/']);
  const fin = wire(toCoapRequest(r.bootstrapFinish(), { ...v11, rootPath: '/lwm2m' }));
  assert.deepEqual([fin.method, fin.path, fin.payload], [Code.POST, '/bs', '']);
});

test('a request whose format cannot carry the node is refused with UnsupportedContentFormatError', () => {
  const node = instance(0, [resource(14, stringValue('+01'))]);
  assert.throws(
    () => toCoapRequest(r.write('/3/0', node, { format: 0 }), v11),
    UnsupportedContentFormatError,
  );
});
