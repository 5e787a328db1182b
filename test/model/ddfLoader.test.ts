import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDdf } from '../../src/model/ddfLoader.js';
import { DdfError } from '../../src/model/DdfError.js';
import { DecodeError } from '../../src/transport/DecodeError.js';

const ITEM = `<Item ID="1"><Name>Lifetime</Name><Operations>RW</Operations><MultipleInstances>Single</MultipleInstances>
<Mandatory>Mandatory</Mandatory><Type>Integer</Type><RangeEnumeration>1..9</RangeEnumeration><Units>s</Units>
<Description>How long</Description></Item>`;

/** A one-object DDF whose header lines can be replaced and whose items are given. */
function ddf(items = ITEM, header: Partial<Record<string, string | null>> = {}): string {
  const fields: Record<string, string | null> = {
    Name: 'Thing',
    Description1: 'First part',
    ObjectID: '42',
    ObjectURN: 'urn:oma:lwm2m:x:42:1.1',
    LWM2MVersion: '1.1',
    ObjectVersion: '1.1',
    MultipleInstances: 'Multiple',
    Mandatory: 'Optional',
    ...header,
  };
  const lines = Object.entries(fields)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `<${k}>${v}</${k}>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<LWM2M>\n<Object ObjectType="MODefinition">\n${lines.join('\n')}\n<Resources>\n${items}\n</Resources>\n<Description2>Second part</Description2>\n</Object>\n</LWM2M>\n`;
}

/** An item with the given columns (defaults: a readable single mandatory string). */
function item(id: string, cols: Partial<Record<string, string>> = {}): string {
  const c = {
    Name: `R${id}`,
    Operations: 'R',
    MultipleInstances: 'Single',
    Mandatory: 'Mandatory',
    Type: 'String',
    ...cols,
  };
  return `<Item ID="${id}">${Object.entries(c)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('')}</Item>`;
}

/** Asserts parseDdf rejects `xml` with a DdfError matching `expected`. */
function rejects(
  xml: string,
  expected: { reason: RegExp; element?: string; objectId?: number; line?: number },
): DdfError {
  let caught: unknown;
  try {
    parseDdf(xml, 'case.xml');
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof DdfError, `expected a DdfError, got ${String(caught)}`);
  assert.ok(caught instanceof DecodeError, 'a DdfError is a DecodeError');
  assert.equal(caught.source, 'case.xml');
  assert.match(caught.reason, expected.reason);
  if (expected.element !== undefined) assert.equal(caught.element, expected.element);
  if ('objectId' in expected) assert.equal(caught.objectId, expected.objectId);
  if (expected.line !== undefined) assert.equal(caught.line, expected.line);
  assert.match(caught.message, /^case\.xml:\d+/);
  return caught;
}

test('reads every object and resource field of a DDF', () => {
  const [m, ...rest] = parseDdf(ddf(), 'x.xml');
  assert.equal(rest.length, 0);
  assert.ok(m);
  assert.equal(m.id, 42);
  assert.equal(m.name, 'Thing');
  assert.equal(m.version, '1.1');
  assert.equal(m.lwm2mVersion, '1.1');
  assert.equal(m.urn, 'urn:oma:lwm2m:x:42:1.1');
  assert.equal(m.multiple, true);
  assert.equal(m.mandatory, false);
  assert.equal(m.description, 'First part\n\nSecond part');
  assert.deepEqual(m.resources.get(1), {
    id: 1,
    name: 'Lifetime',
    operations: 'RW',
    multiple: false,
    mandatory: true,
    type: 'integer',
    rangeEnumeration: '1..9',
    units: 's',
    description: 'How long',
  });
});

test('defaults missing versions to 1.0 and missing texts to empty strings', () => {
  const header = { ObjectVersion: null, LWM2MVersion: null, ObjectURN: null, Description1: null };
  const [m] = parseDdf(ddf(item('0'), header));
  assert.equal(m?.version, '1.0');
  assert.equal(m?.lwm2mVersion, '1.0');
  assert.equal(m?.urn, '');
  assert.equal(m?.description, 'Second part');
  const res = m?.resources.get(0);
  assert.deepEqual([res?.rangeEnumeration, res?.units, res?.description], ['', '', '']);
});

test('maps every DDF type, case-insensitively and ignoring surrounding and repeated spaces', () => {
  const cases: [string, string][] = [
    ['String', 'string'],
    ['integer', 'integer'],
    [' Unsigned   Integer ', 'unsignedInteger'],
    ['FLOAT', 'float'],
    ['Boolean', 'boolean'],
    ['Opaque', 'opaque'],
    ['Time', 'time'],
    ['Objlnk', 'objlnk'],
    ['CoreLnk', 'corelnk'],
  ];
  const items = cases.map(([t], i) => item(String(i), { Type: t })).join('');
  const [m] = parseDdf(ddf(items));
  cases.forEach(([, want], i) => assert.equal(m?.resources.get(i)?.type, want, cases[i]?.[0]));
  const exec = parseDdf(
    ddf(item('9', { Operations: 'E', Type: '' }) + item('8', { Operations: 'E', Type: ' ' })),
  );
  assert.equal(exec[0]?.resources.get(9)?.type, 'none');
  assert.equal(exec[0]?.resources.get(8)?.type, 'none');
  const selfClosing = ddf(
    `<Item ID="7"><Name>x</Name><Operations>E</Operations><MultipleInstances>Single</MultipleInstances><Mandatory>Optional</Mandatory><Type/></Item>`,
  );
  assert.equal(parseDdf(selfClosing)[0]?.resources.get(7)?.type, 'none');
});

test('maps every operations value, instances and mandatory column', () => {
  const items = [
    item('0', { Operations: 'R' }),
    item('1', { Operations: 'w' }),
    item('2', { Operations: ' rw ', MultipleInstances: 'multiple', Mandatory: 'OPTIONAL' }),
    item('3', { Operations: 'E', Type: '' }),
    item('4', { Operations: '' }),
  ].join('');
  const res = parseDdf(ddf(items))[0]?.resources;
  assert.deepEqual(
    [...(res?.values() ?? [])].map((r) => [r.operations, r.multiple, r.mandatory]),
    [
      ['R', false, true],
      ['W', false, true],
      ['RW', true, false],
      ['E', false, true],
      ['', false, true],
    ],
  );
});

test('keeps CDATA descriptions and collapses whitespace in names', () => {
  const x = item('5', { Name: ' Server   URI ', Description: '<![CDATA[a <b> & c\nline two]]>' });
  const res = parseDdf(ddf(x))[0]?.resources.get(5);
  assert.equal(res?.name, 'Server URI');
  assert.equal(res?.description, 'a <b> & c\nline two');
});

test('reads several objects from one file, in order', () => {
  const one = ddf(item('0'));
  const body = one.slice(one.indexOf('<Object'), one.indexOf('</LWM2M>'));
  const second = body.replace('<ObjectID>42</ObjectID>', '<ObjectID>43</ObjectID>');
  const models = parseDdf(`<LWM2M>${body}${second}</LWM2M>`);
  assert.deepEqual(
    models.map((m) => m.id),
    [42, 43],
  );
});

test('rejects text that is not well-formed XML, with its line', () => {
  rejects('hello', { reason: /not well-formed XML/, element: '', line: 1 });
  rejects('', { reason: /not well-formed XML/ });
  rejects('<LWM2M>\n<Object>\n<Name>x</Nme>\n</Object></LWM2M>', { reason: /not well-formed XML/, line: 3 });
  rejects(ddf().slice(0, -12), { reason: /not well-formed XML/ });
});

test('rejects input that is not a string', () => {
  rejects(42 as unknown as string, { reason: /not a string/ });
});

test('rejects a document whose root is not LWM2M or that has no Object', () => {
  rejects('<?xml version="1.0"?>\n<DDFList><Item/></DDFList>', {
    reason: /root element must be <LWM2M>, found <DDFList>/,
    line: 2,
  });
  rejects('<LWM2M></LWM2M>', { reason: /no <Object>/, element: 'LWM2M' });
  rejects('<LWM2M><Other/></LWM2M>', { reason: /no <Object>/ });
});

test('rejects missing or invalid object ids', () => {
  rejects(ddf(ITEM, { ObjectID: null }), {
    reason: /missing required element <ObjectID>/,
    element: 'LWM2M/Object',
    objectId: undefined,
  });
  for (const bad of ['abc', '-1', '65535', '1.5', '']) {
    rejects(ddf(ITEM, { ObjectID: bad }), {
      reason: /invalid value/,
      element: 'LWM2M/Object/ObjectID',
      objectId: undefined,
    });
  }
});

test('rejects missing or invalid resource ids, naming the object', () => {
  const noId = ITEM.replace(' ID="1"', '');
  rejects(ddf(noId), {
    reason: /missing ID attribute/,
    element: 'LWM2M/Object/Resources/Item',
    objectId: 42,
  });
  for (const bad of ['x', '65535', '-2', '']) {
    rejects(ddf(item(bad)), { reason: /invalid ID/, element: 'LWM2M/Object/Resources/Item', objectId: 42 });
  }
});

test('rejects duplicate resource ids, pointing at the second one', () => {
  const e = rejects(ddf(`${item('3')}\n\n${item('3')}`), {
    reason: /duplicate resource ID 3/,
    element: 'LWM2M/Object/Resources/Item[ID=3]',
    objectId: 42,
  });
  assert.equal(e.line, 15);
});

test('rejects unknown type, operations, instances and mandatory values', () => {
  const at = (col: string) => `LWM2M/Object/Resources/Item[ID=0]/${col}`;
  rejects(ddf(item('0', { Type: 'Double' })), {
    reason: /invalid value "Double"/,
    element: at('Type'),
    objectId: 42,
  });
  rejects(ddf(item('0', { Operations: 'RWE' })), {
    reason: /invalid value "RWE"/,
    element: at('Operations'),
  });
  rejects(ddf(item('0', { MultipleInstances: 'Many' })), {
    reason: /Single or Multiple/,
    element: at('MultipleInstances'),
  });
  rejects(ddf(item('0', { Mandatory: 'Yes' })), {
    reason: /Mandatory or Optional/,
    element: at('Mandatory'),
  });
  rejects(ddf(ITEM, { MultipleInstances: 'Both' }), {
    reason: /Single or Multiple/,
    element: 'LWM2M/Object/MultipleInstances',
  });
  rejects(ddf(ITEM, { Mandatory: '' }), {
    reason: /Mandatory or Optional/,
    element: 'LWM2M/Object/Mandatory',
  });
});

test('rejects missing required columns and empty names', () => {
  const noType = item('0').replace('<Type>String</Type>', '');
  rejects(ddf(noType), {
    reason: /missing required element <Type>/,
    element: 'LWM2M/Object/Resources/Item[ID=0]',
  });
  rejects(ddf(item('0', { Name: '  ' })), {
    reason: /non-empty name/,
    element: 'LWM2M/Object/Resources/Item[ID=0]/Name',
  });
  rejects(ddf(ITEM, { Name: null }), { reason: /missing required element <Name>/, objectId: 42 });
  rejects(ddf(ITEM, { MultipleInstances: null }), { reason: /<MultipleInstances>/ });
});

test('rejects malformed object and LwM2M versions', () => {
  rejects(ddf(ITEM, { ObjectVersion: '1' }), {
    reason: /invalid version "1"/,
    element: 'LWM2M/Object/ObjectVersion',
  });
  rejects(ddf(ITEM, { LWM2MVersion: 'v1.1' }), {
    reason: /invalid version/,
    element: 'LWM2M/Object/LWM2MVersion',
  });
});

test('rejects repeated single elements and elements holding elements', () => {
  rejects(ddf(ITEM, { Name: 'A</Name><Name>B' }), {
    reason: /appears 2 times/,
    element: 'LWM2M/Object/Name',
  });
  rejects(ddf(item('0', { Units: '<b>s</b>' })), {
    reason: /must hold text/,
    element: 'LWM2M/Object/Resources/Item[ID=0]/Units',
  });
});

test('rejects a readable resource without a data type (only executable ones may omit it)', () => {
  rejects(ddf(item('5', { Type: '' })), {
    reason: /empty <Type> on a resource with operations R/,
    element: 'LWM2M/Object/Resources/Item[ID=5]/Type',
  });
});

test('rejects an object without Resources and the same object version twice in one file', () => {
  const noResources = ddf().replace(/<Resources>[\s\S]*<\/Resources>/, '');
  rejects(noResources, { reason: /expected one <Resources>, found 0/, objectId: 42 });
  const one = ddf(item('0'));
  const body = one.slice(one.indexOf('<Object'), one.indexOf('</LWM2M>'));
  rejects(`<LWM2M>${body}${body}</LWM2M>`, { reason: /object 42 version 1.1 defined twice/ });
});

test('accepts an object with an empty Resources element, but not one holding text', () => {
  const [m] = parseDdf(ddf(''));
  assert.equal(m?.resources.size, 0);
  rejects(ddf('stray'), { reason: /must hold <Item> elements/, element: 'LWM2M/Object/Resources' });
});
