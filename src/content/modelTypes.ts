// LwM2M Core TS 1.1.1 section 7.4 (model-directed decoding): the value type a path has in the model.
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { ValueType } from '../lwm2m/Lwm2mValue.js';
import type { ModelLookup, ResourceModel } from '../model/ObjectModel.js';

/** The resource definition for a resource or resource-instance path, if the model knows it. */
export function resourceModelAt(
  models: ModelLookup,
  objectId: number,
  resourceId: number,
): ResourceModel | undefined {
  return models.getObject(objectId)?.resources.get(resourceId);
}

/** The value type the model gives a resource, or `fallback` when the object or resource is unknown (or executable). */
export function valueTypeFor(
  models: ModelLookup,
  objectId: number,
  resourceId: number,
  fallback: ValueType,
): ValueType {
  const t = resourceModelAt(models, objectId, resourceId)?.type;
  return t === undefined || t === 'none' ? fallback : t;
}

/** The value type for a path of length 3 or 4, or `fallback`. */
export function valueTypeAtPath(models: ModelLookup, path: Lwm2mPath, fallback: ValueType): ValueType {
  const { objectId, resourceId } = path;
  return objectId === undefined || resourceId === undefined
    ? fallback
    : valueTypeFor(models, objectId, resourceId, fallback);
}
