// OMA LwM2M Core TS 1.1.1 Appendix D (Object and Resource definition files, schema
// LWM2M-v1_1.xsd): turns DDF XML text into object models. Pure: callers read the files.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ObjectModel, ResourceModel } from './ObjectModel.js';
import {
  parseDdfId,
  parseDdfVersion,
  parseMandatory,
  parseMultiple,
  parseOperations,
  parseResourceType,
} from './ddfValues.js';
import { DdfContext } from './DdfContext.js';
import {
  DDF_PARSER_OPTIONS,
  attribute,
  childElements,
  childNames,
  isElement,
  startOffset,
  type XmlElement,
} from './xmlElements.js';

const parser = new XMLParser(DDF_PARSER_OPTIONS);

/**
 * Parses a DDF file into its object models (a file may define several objects).
 * Throws DdfError, and only DdfError, for anything that is not a valid DDF.
 */
export function parseDdf(xml: string, source = 'ddf'): ObjectModel[] {
  const ctx = new DdfContext(typeof xml === 'string' ? xml : '', source);
  if (typeof xml !== 'string') ctx.fail('input is not a string', '');
  const root = parseDocument(ctx);
  const objects = childElements(root, 'Object');
  if (objects.length === 0) ctx.fail('no <Object> element', 'LWM2M', root);
  const models: ObjectModel[] = [];
  const seen = new Set<string>();
  for (const el of objects) {
    ctx.objectId = undefined;
    const model = parseObject(ctx, el);
    const key = `${model.id}@${model.version}`;
    if (seen.has(key)) {
      ctx.fail(`object ${model.id} version ${model.version} defined twice`, 'LWM2M/Object', el);
    }
    seen.add(key);
    models.push(model);
  }
  return models;
}

function parseDocument(ctx: DdfContext): XmlElement {
  let verdict: ReturnType<typeof XMLValidator.validate>;
  let doc: unknown;
  try {
    verdict = XMLValidator.validate(ctx.xml);
  } catch (e) {
    ctx.fail(`not well-formed XML: ${e instanceof Error ? e.message : String(e)}`, '');
  }
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    ctx.fail(`not well-formed XML: ${msg}`, '', undefined, ctx.offsetOf(line, col));
  }
  try {
    doc = parser.parse(ctx.xml);
  } catch (e) {
    ctx.fail(`not well-formed XML: ${e instanceof Error ? e.message : String(e)}`, '');
  }
  const roots = isElement(doc) ? childNames(doc).filter((k) => !k.startsWith('?') && !k.startsWith('!')) : [];
  if (roots.length !== 1 || roots[0] !== 'LWM2M' || !isElement(doc)) {
    const first = isElement(doc) && roots[0] !== undefined ? childElements(doc, roots[0])[0] : undefined;
    ctx.fail(
      `root element must be <LWM2M>, found ${roots.map((r) => `<${r}>`).join(', ') || 'none'}`,
      '',
      first,
    );
  }
  const root = childElements(doc, 'LWM2M');
  if (root.length !== 1 || !isElement(root[0])) ctx.fail('no <Object> element', 'LWM2M', root[0]);
  return root[0];
}

function parseObject(ctx: DdfContext, el: unknown): ObjectModel {
  const path = 'LWM2M/Object';
  if (!isElement(el)) return ctx.fail('<Object> is empty', path);
  const id = ctx.value(el, 'ObjectID', path, parseDdfId, 'an id in 0..65534');
  ctx.objectId = id;
  const name = ctx.value(el, 'Name', path, nonEmpty, 'a non-empty name');
  const version = ctx.text(el, 'ObjectVersion', path, false);
  const lwm2mVersion = ctx.text(el, 'LWM2MVersion', path, false);
  const descriptions = ['Description1', 'Description2'].map((d) => ctx.text(el, d, path, false) ?? '');
  const resourcesEl = childElements(el, 'Resources');
  if (resourcesEl.length !== 1) ctx.fail(`expected one <Resources>, found ${resourcesEl.length}`, path, el);
  if (typeof resourcesEl[0] === 'string' && resourcesEl[0].trim() !== '') {
    ctx.fail('<Resources> must hold <Item> elements, not text', `${path}/Resources`, el);
  }
  const items = isElement(resourcesEl[0]) ? childElements(resourcesEl[0], 'Item') : [];
  const resources = new Map<number, ResourceModel>();
  for (const item of items) {
    const resource = parseResource(ctx, item, startOffset(resourcesEl[0]) ?? startOffset(el) ?? 0);
    if (resources.has(resource.id)) {
      ctx.fail(`duplicate resource ID ${resource.id}`, `${path}/Resources/Item[ID=${resource.id}]`, item);
    }
    resources.set(resource.id, resource);
  }
  return {
    id,
    name,
    description: descriptions.filter((d) => d !== '').join('\n\n'),
    version: version?.trim() ? checkVersion(ctx, version, `${path}/ObjectVersion`, el) : '1.0',
    lwm2mVersion: lwm2mVersion?.trim() ? checkVersion(ctx, lwm2mVersion, `${path}/LWM2MVersion`, el) : '1.0',
    urn: (ctx.text(el, 'ObjectURN', path, false) ?? '').trim(),
    multiple: ctx.value(el, 'MultipleInstances', path, parseMultiple, 'Single or Multiple'),
    mandatory: ctx.value(el, 'Mandatory', path, parseMandatory, 'Mandatory or Optional'),
    resources,
  };
}

function parseResource(ctx: DdfContext, item: unknown, fallbackOffset: number): ResourceModel {
  let path = 'LWM2M/Object/Resources/Item';
  if (!isElement(item)) return ctx.fail('<Item> has no content', path, undefined, fallbackOffset);
  const idText = attribute(item, 'ID');
  if (idText === undefined) ctx.fail('missing ID attribute', path, item);
  const id = parseDdfId(idText);
  if (id === undefined) ctx.fail(`invalid ID "${idText}", expected an id in 0..65534`, path, item);
  path = `${path}[ID=${id}]`;
  const name = ctx.value(item, 'Name', path, nonEmpty, 'a non-empty name');
  const operations = ctx.value(item, 'Operations', path, parseOperations, 'R, W, RW, E or empty');
  const type = ctx.value(item, 'Type', path, parseResourceType, 'a DDF data type or empty');
  // Appendix D: only executable resources have no data type; a value that is read or written needs one.
  if (type === 'none' && operations !== 'E' && operations !== '') {
    ctx.fail(
      `empty <Type> on a resource with operations ${operations}; only executable resources may omit it`,
      `${path}/Type`,
      item,
    );
  }
  return {
    id,
    name,
    operations,
    multiple: ctx.value(item, 'MultipleInstances', path, parseMultiple, 'Single or Multiple'),
    mandatory: ctx.value(item, 'Mandatory', path, parseMandatory, 'Mandatory or Optional'),
    type,
    rangeEnumeration: (ctx.text(item, 'RangeEnumeration', path, false) ?? '').trim(),
    units: (ctx.text(item, 'Units', path, false) ?? '').trim(),
    description: ctx.text(item, 'Description', path, false) ?? '',
  };
}

/** A name with its whitespace runs collapsed ("LWM2M  Server URI" → "LWM2M Server URI"), or undefined if empty. */
function nonEmpty(text: string): string | undefined {
  const name = text.trim().replace(/\s+/g, ' ');
  return name === '' ? undefined : name;
}

function checkVersion(ctx: DdfContext, text: string, path: string, el: XmlElement): string {
  return (
    parseDdfVersion(text) ?? ctx.fail(`invalid version "${text.trim()}", expected major.minor`, path, el)
  );
}
