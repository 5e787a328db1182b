import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatLinkFormat,
  LinkFormatError,
  linkParam,
  parseLinkFormat,
  type Link,
} from '../../src/coap/linkFormat.js';
import { DecodeError } from '../../src/transport/DecodeError.js';

test('parses an LwM2M 1.1 registration payload', () => {
  const links = parseLinkFormat('</>;rt="oma.lwm2m";ct=11543,</1/0>,</3/0>;ver=1.1,</3303>;ver=1.1');
  assert.deepEqual(links, [
    {
      target: '/',
      params: [
        { name: 'rt', value: 'oma.lwm2m', quoted: true },
        { name: 'ct', value: '11543' },
      ],
    },
    { target: '/1/0', params: [] },
    { target: '/3/0', params: [{ name: 'ver', value: '1.1' }] },
    { target: '/3303', params: [{ name: 'ver', value: '1.1' }] },
  ]);
  assert.deepEqual(linkParam(links[0]!, 'rt'), { name: 'rt', value: 'oma.lwm2m', quoted: true });
  assert.equal(linkParam(links[0]!, 'RT'), undefined);
  assert.equal(linkParam(links[1]!, 'ver'), undefined);
});

test('parses LwM2M 1.0 payloads with an alternate path and a quoted list of formats', () => {
  const links = parseLinkFormat('</lwm2m>;rt="oma.lwm2m";ct="60 110",</lwm2m/1/101>,</lwm2m/3/0>');
  assert.equal(links.length, 3);
  assert.deepEqual(linkParam(links[0]!, 'ct'), { name: 'ct', value: '60 110', quoted: true });
  assert.equal(links[2]!.target, '/lwm2m/3/0');
});

test('parses a Discover response with attributes and value-less parameters', () => {
  const text = '</3/0>;pmin=10;pmax=60,</3/0/1>,</3/0/7>;dim=2;gt=50;lt=42.2,</3/0/11>;obs';
  const links = parseLinkFormat(text);
  assert.deepEqual(links[2]!.params, [
    { name: 'dim', value: '2' },
    { name: 'gt', value: '50' },
    { name: 'lt', value: '42.2' },
  ]);
  assert.deepEqual(links[3]!.params, [{ name: 'obs' }]);
  assert.equal(formatLinkFormat(links), text);
});

test('round-trips the RFC 6690 section 5 style examples textually', () => {
  for (const text of [
    '</sensors/temp>;if="sensor",</sensors/light>;if="sensor"',
    '</sensors>;ct=40;title="Sensor Index",</sensors/temp>;rt="temperature-c";if="sensor"',
    '<http://www.example.com/sensors/t123>;anchor="/sensors/temp";rel="describedby"',
    "</t>;title*=UTF-8'en'%E2%82%AC;sz=1280",
    "</a%20b?x=1&y=[2]>;x=<a>;y=!#$%&'()*+-./:<=>?@[]^_`{|}~",
    '<>',
  ]) {
    assert.equal(formatLinkFormat(parseLinkFormat(text)), text);
  }
});

test('unescapes quoted strings and accepts what a ptoken cannot hold', () => {
  const [link] = parseLinkFormat('</a>;title="say \\"hi\\" \\\\ ok, ;fine";e="";t="tab\there ü"');
  assert.deepEqual(link!.params, [
    { name: 'title', value: 'say "hi" \\ ok, ;fine', quoted: true },
    { name: 'e', value: '', quoted: true },
    { name: 't', value: 'tab\there ü', quoted: true },
  ]);
});

test('an empty payload is an empty list', () => {
  assert.deepEqual(parseLinkFormat(''), []);
  assert.equal(formatLinkFormat([]), '');
});

test('rejects malformed link format with the offset of the fault', () => {
  const cases: [string, 'truncated' | 'invalid', number][] = [
    ['</a>,', 'truncated', 5],
    ['</a>;', 'truncated', 5],
    ['</a', 'truncated', 3],
    ['</a%2', 'truncated', 5],
    ['/a>', 'invalid', 0],
    [' </a>', 'invalid', 0],
    ['</a> ,</b>', 'invalid', 4],
    ['</a>, </b>', 'invalid', 5],
    ['</a>\n', 'invalid', 4],
    ['</a>,,</b>', 'invalid', 5],
    ['</a b>', 'invalid', 3],
    ['</a"b>', 'invalid', 3],
    ['</%zz>', 'invalid', 2],
    ['</é>', 'invalid', 2],
    ['</a>;ct=', 'truncated', 8],
    ['</a>;ct=,</b>', 'invalid', 8],
    ['</a>;ct= 1', 'invalid', 8],
    ['</a>;=1', 'invalid', 5],
    ['</a>;c t', 'invalid', 6],
    ['</a>;c*t=1', 'invalid', 7],
    ['</a>;rt="x', 'truncated', 10],
    ['</a>;rt="x\\"', 'truncated', 12],
    ['</a>;rt="x\\', 'truncated', 11],
    ['</a>;rt="x"y', 'invalid', 11],
    ['</a>;rt="\u0001"', 'invalid', 9],
    ['</a>;rt="a\nb"', 'invalid', 10],
    ['</a>;rt="\\\u0001"', 'invalid', 10],
    ['</a>;rt="\\é"', 'invalid', 10],
    ['</a>;title*', 'truncated', 11],
    ['</a>;title*;x', 'invalid', 11],
    ['</a>;title*="x"', 'invalid', 12],
    ['</a>;ct=1;', 'truncated', 10],
    ['</a>;ct=1"', 'invalid', 9],
  ];
  for (const [text, kind, offset] of cases) {
    assert.throws(
      () => parseLinkFormat(text),
      (e: unknown) => e instanceof DecodeError && e.kind === kind && e.offset === offset,
      JSON.stringify(text),
    );
  }
});

test('enforces the link count and length limits', () => {
  const three = '</1>,</2>,</3>';
  assert.equal(parseLinkFormat(three, { maxLinks: 3 }).length, 3);
  assert.throws(
    () => parseLinkFormat(three, { maxLinks: 2 }),
    (e: unknown) => e instanceof DecodeError && e.kind === 'limit' && e.offset === 10,
  );
  assert.throws(
    () => parseLinkFormat(three, { maxLength: 13 }),
    (e: unknown) => e instanceof DecodeError && e.kind === 'limit',
  );
  assert.equal(parseLinkFormat(three, { maxLength: 14 }).length, 3);
  const many = Array.from({ length: 1025 }, (_, i) => `</${i}>`).join(',');
  assert.throws(
    () => parseLinkFormat(many),
    (e: unknown) => e instanceof DecodeError && e.kind === 'limit',
  );
  assert.throws(
    () => parseLinkFormat('<>'.padEnd(65_536, ';')),
    (e: unknown) => e instanceof DecodeError && e.kind === 'limit' && e.offset === 65_535,
  );
});

test('quotes values that are not ptokens or are marked quoted, escaping quote and backslash', () => {
  const links: Link[] = [
    {
      target: '/a',
      params: [
        { name: 'ver', value: '1.1' },
        { name: 'rt', value: 'oma.lwm2m', quoted: true },
        { name: 'ct', value: '60 110' },
        { name: 't', value: 'a"b\\c' },
        { name: 'e', value: '' },
        { name: 's', value: 'x;y,z' },
        { name: 'obs' },
      ],
    },
    { target: '/b', params: [] },
  ];
  const text = formatLinkFormat(links);
  assert.equal(text, '</a>;ver=1.1;rt="oma.lwm2m";ct="60 110";t="a\\"b\\\\c";e="";s="x;y,z";obs,</b>');
  assert.deepEqual(
    parseLinkFormat(text).map((l) => l.params.map((p) => p.value)),
    links.map((l) => l.params.map((p) => p.value)),
  );
});

test('refuses to format what the parser would reject', () => {
  const bad: Link[] = [
    { target: '/a b', params: [] },
    { target: '/a>', params: [] },
    { target: '/%zz', params: [] },
    { target: '/a', params: [{ name: '', value: '1' }] },
    { target: '/a', params: [{ name: 'a b' }] },
    { target: '/a', params: [{ name: 'x', value: 'line\nbreak' }] },
    { target: '/a', params: [{ name: 'title*' }] },
    { target: '/a', params: [{ name: 'title*', value: 'a b' }] },
  ];
  for (const l of bad) assert.throws(() => formatLinkFormat([l]), LinkFormatError, JSON.stringify(l));
});
