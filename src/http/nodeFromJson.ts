// LwM2M Core TS 1.1.1 section 6.1 (data model) and Appendix C (data types): the JSON bodies of
// PUT / POST / composite write turned into typed nodes. A value's type comes from `type` in the body,
// else from the client's object model, else from the JSON value (string, boolean, integer or float).
// Inputs follow nodeJson.ts, and also accept: time as seconds; opaque as an array of bytes; objlnk as
// { objectId, instanceId }. Every problem throws BadRequestError (HTTP 400) naming the path.
import { BadRequestError } from '../lwm2m/errors.js';
import type {
  Lwm2mNode,
  MultipleResourceNode,
  ObjectInstanceNode,
  ResourceInstanceNode,
  ResourceNode,
} from '../lwm2m/Lwm2mNode.js';
import { NO_INSTANCE_ID } from '../lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import { MAX_ID } from '../lwm2m/Lwm2mPath.js';
import type { Lwm2mValue, ValueType } from '../lwm2m/Lwm2mValue.js';
import { instance, multipleResource, resource, resourceInstance } from '../lwm2m/nodes.js';
import { floatValue, isValueType, timeValue, valueFromJs } from '../lwm2m/values.js';
import type { ModelLookup, ResourceModel } from '../model/ObjectModel.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function bad(where: string, why: string): never {
  throw new BadRequestError(`${where}: ${why}`);
}

/** Reads `id` of a JSON node: absent gives `expected`; present must be a valid id equal to it when given. */
function idOf(body: Json, where: string, expected?: number): number {
  const id = body['id'];
  if (id === undefined) return expected ?? bad(where, 'missing "id"');
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_ID)
    return bad(where, `"id" must be an integer 0..${MAX_ID}`);
  if (expected !== undefined && id !== expected) return bad(where, `"id" ${id} does not match the path`);
  return id;
}

function checkKind(body: Json, where: string, allowed: readonly string[]): void {
  const kind = body['kind'];
  if (kind !== undefined && !allowed.includes(kind as string))
    bad(where, `"kind" must be ${allowed.join(' or ')} here, got ${JSON.stringify(kind)}`);
}

/** The value type to build: body `type`, else the model's, else inferred from the JSON value. */
function typeFor(where: string, declared: unknown, model: ResourceModel | undefined, js: unknown): ValueType {
  if (model?.type === 'none')
    return bad(where, `resource ${model.id} (${model.name}) is executable and holds no value`);
  if (declared !== undefined) {
    if (typeof declared !== 'string' || !isValueType(declared))
      return bad(where, `unknown "type" ${JSON.stringify(declared)}`);
    if (model && model.type !== declared)
      return bad(where, `resource ${model.id} (${model.name}) is ${model.type}, body says ${declared}`);
    return declared;
  }
  if (model) return model.type as ValueType;
  if (typeof js === 'string') return 'string';
  if (typeof js === 'boolean') return 'boolean';
  if (typeof js === 'number') return Number.isInteger(js) ? 'integer' : 'float';
  return bad(where, 'the model does not know this resource: give "type"');
}

/** A typed value from its JSON form; `where` names the path in error messages. */
export function valueFromJson(type: ValueType, js: unknown, where: string): Lwm2mValue {
  if (js === undefined || js === null) return bad(where, 'missing "value"');
  if (typeof js === 'object' && type !== 'objlnk' && !(type === 'opaque' && Array.isArray(js)))
    return bad(where, `a ${type} value cannot be a JSON ${Array.isArray(js) ? 'array' : 'object'}`);
  try {
    if (type === 'time' && typeof js === 'string' && ISO_TIME.test(js)) {
      const ms = Date.parse(js);
      if (Number.isNaN(ms)) return bad(where, `invalid time ${JSON.stringify(js)}`);
      return timeValue(new Date(ms));
    }
    if (type === 'string' && typeof js !== 'string')
      return bad(where, `a string value must be a JSON string`);
    if (typeof js === 'number' && Number.isInteger(js) && !Number.isSafeInteger(js) && type !== 'float')
      return bad(where, `${js} is beyond 2^53 and not exact as a JSON number: send it as a decimal string`);
    if (type === 'float' && typeof js === 'string' && NON_FINITE.has(js)) return floatValue(Number(js));
    return valueFromJs(type, js);
  } catch (e) {
    if (e instanceof BadRequestError) throw e;
    return bad(where, e instanceof Error ? e.message : `invalid ${type} value`);
  }
}

function resourceModel(models: ModelLookup, objectId: number, resourceId: number): ResourceModel | undefined {
  return models.getObject(objectId)?.resources.get(resourceId);
}

/** A resource instance from `{ id?, type?, value }` or a bare JSON value. */
function resourceInstanceFromJson(
  body: unknown,
  where: string,
  model: ResourceModel | undefined,
  expectedId?: number,
  declaredType?: unknown,
): ResourceInstanceNode {
  if (!isObject(body)) {
    if (expectedId === undefined) return bad(where, 'a resource instance needs "id" and "value"');
    return resourceInstance(
      expectedId,
      valueFromJson(typeFor(where, declaredType, model, body), body, where),
    );
  }
  checkKind(body, where, ['resourceInstance']);
  const id = idOf(body, where, expectedId);
  const at = expectedId === undefined ? `${where}/${id}` : where;
  const type = typeFor(at, body['type'] ?? declaredType, model, body['value']);
  return resourceInstance(id, valueFromJson(type, body['value'], at));
}

/** A resource (single or multiple) of object `objectId` from its JSON form. */
function resourceFromJson(
  body: unknown,
  where: string,
  objectId: number,
  models: ModelLookup,
  expectedId?: number,
): ResourceNode {
  if (!isObject(body)) {
    if (expectedId === undefined) return bad(where, 'a resource must be a JSON object with "id"');
    const model = resourceModel(models, objectId, expectedId);
    if (model?.multiple)
      return bad(where, `resource ${expectedId} (${model.name}) is multiple: give "instances"`);
    return resource(expectedId, valueFromJson(typeFor(where, undefined, model, body), body, where));
  }
  checkKind(body, where, ['resource', 'multipleResource']);
  const id = idOf(body, where, expectedId);
  const at = expectedId === undefined ? `${where}/${id}` : where;
  const model = resourceModel(models, objectId, id);
  const list = body['instances'];
  if (list === undefined) {
    if (model?.multiple) return bad(at, `resource ${id} (${model.name}) is multiple: give "instances"`);
    if (body['kind'] === 'multipleResource') return bad(at, 'a multipleResource needs "instances"');
    return resource(id, valueFromJson(typeFor(at, body['type'], model, body['value']), body['value'], at));
  }
  if (!Array.isArray(list)) return bad(at, '"instances" must be an array');
  if (model && !model.multiple) return bad(at, `resource ${id} (${model.name}) is single: give "value"`);
  const instances = list.map((ri) => resourceInstanceFromJson(ri, at, model, undefined, body['type']));
  assertUniqueIds(instances, at);
  const declared = body['type'];
  const type: ValueType | undefined =
    model && model.type !== 'none'
      ? (model.type as ValueType)
      : isValueType(String(declared))
        ? (declared as ValueType)
        : undefined;
  const node: MultipleResourceNode = multipleResource(id, instances, type);
  return node;
}

function assertUniqueIds(nodes: readonly { id: number }[], where: string): void {
  const seen = new Set<number>();
  for (const n of nodes) {
    if (seen.has(n.id)) bad(where, `id ${n.id} appears twice`);
    seen.add(n.id);
  }
}

/**
 * An object instance of `objectId` from `{ id?, resources: [...] }`. Without `id`, `expectedId`
 * is used; for Create, pass `NO_INSTANCE_ID` to let the client choose the id.
 */
export function instanceFromJson(
  body: unknown,
  objectId: number,
  models: ModelLookup,
  where: string,
  expectedId?: number,
): ObjectInstanceNode {
  if (!isObject(body)) return bad(where, 'an object instance must be a JSON object with "resources"');
  checkKind(body, where, ['instance']);
  const id =
    body['id'] === undefined && expectedId === NO_INSTANCE_ID
      ? NO_INSTANCE_ID
      : idOf(body, where, expectedId === NO_INSTANCE_ID ? undefined : expectedId);
  const list = body['resources'];
  if (!Array.isArray(list)) return bad(where, '"resources" must be an array');
  const at = id === NO_INSTANCE_ID ? where : `/${objectId}/${id}`;
  const resources = list.map((r) => resourceFromJson(r, at, objectId, models));
  assertUniqueIds(resources, at);
  return instance(id, resources);
}

/** The node a write at `path` (instance, resource or resource instance) carries, typed by `models`. */
export function nodeFromJson(path: Lwm2mPath, body: unknown, models: ModelLookup): Lwm2mNode {
  const where = path.toString();
  const [objectId, instanceId, resourceId, riId] = path.toArray();
  if (objectId === undefined || instanceId === undefined)
    return bad(where, 'a body can be written at an object instance, a resource or a resource instance');
  if (resourceId === undefined) return instanceFromJson(body, objectId, models, where, instanceId);
  if (riId === undefined) return resourceFromJson(body, where, objectId, models, resourceId);
  return resourceInstanceFromJson(body, where, resourceModel(models, objectId, resourceId), riId);
}
