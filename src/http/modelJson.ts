// LwM2M Core TS 1.1.1 section 5 and Appendix D (object and resource definitions) as the JSON of the
// REST API's model routes (modelRoutes.ts): a summary per object version for lists, the whole
// definition for one object, and the JSON schemas that document both.
import type { ObjectModel, ResourceModel } from '../model/ObjectModel.js';
import type { Schema } from './schemas.js';

/** One resource definition as JSON. */
export interface ResourceModelJson {
  readonly id: number;
  readonly name: string;
  /** "R", "W", "RW", "E" or "" (none). */
  readonly operations: string;
  readonly multiple: boolean;
  readonly mandatory: boolean;
  readonly type: string;
  /** RangeEnumeration as written in the DDF ("0..100", "1-3"), '' when none. */
  readonly range: string;
  readonly units: string;
  readonly description: string;
}

/** An object version in a list. */
export interface ModelSummaryJson {
  readonly id: number;
  readonly name: string;
  readonly version: string;
  readonly multiple: boolean;
  readonly mandatory: boolean;
  readonly resourceCount: number;
}

/** The whole definition of an object version. */
export interface ModelJson extends ModelSummaryJson {
  readonly description: string;
  readonly lwm2mVersion: string;
  readonly urn: string;
  readonly resources: readonly ResourceModelJson[];
}

/** `model` as a list entry. */
export function modelSummaryToJson(model: ObjectModel): ModelSummaryJson {
  return {
    id: model.id,
    name: model.name,
    version: model.version,
    multiple: model.multiple,
    mandatory: model.mandatory,
    resourceCount: model.resources.size,
  };
}

function resourceToJson(r: ResourceModel): ResourceModelJson {
  return {
    id: r.id,
    name: r.name,
    operations: r.operations,
    multiple: r.multiple,
    mandatory: r.mandatory,
    type: r.type,
    range: r.rangeEnumeration,
    units: r.units,
    description: r.description,
  };
}

/** `model` with every resource, by ascending resource id. */
export function modelToJson(model: ObjectModel): ModelJson {
  return {
    ...modelSummaryToJson(model),
    description: model.description,
    lwm2mVersion: model.lwm2mVersion,
    urn: model.urn,
    resources: [...model.resources.values()].sort((a, b) => a.id - b.id).map(resourceToJson),
  };
}

const summaryProperties: Record<string, Schema> = {
  id: { type: 'integer', minimum: 0, maximum: 65534 },
  name: { type: 'string' },
  version: { type: 'string', examples: ['1.1'] },
  multiple: { type: 'boolean', description: 'The object may have several instances.' },
  mandatory: { type: 'boolean' },
  resourceCount: { type: 'integer' },
};

/** JSON schema of ModelSummaryJson. */
export const modelSummarySchema: Schema = {
  $id: 'ModelSummary',
  type: 'object',
  required: Object.keys(summaryProperties),
  properties: summaryProperties,
};

/** JSON schema of ModelJson. */
export const modelSchema: Schema = {
  $id: 'ObjectModel',
  type: 'object',
  required: [...Object.keys(summaryProperties), 'resources'],
  properties: {
    ...summaryProperties,
    description: { type: 'string' },
    lwm2mVersion: { type: 'string' },
    urn: { type: 'string', examples: ['urn:oma:lwm2m:oma:3:1.1'] },
    resources: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'operations', 'multiple', 'mandatory', 'type'],
        properties: {
          id: { type: 'integer' },
          name: { type: 'string' },
          operations: { type: 'string', enum: ['R', 'W', 'RW', 'E', ''] },
          multiple: { type: 'boolean' },
          mandatory: { type: 'boolean' },
          type: {
            type: 'string',
            enum: [
              'string',
              'integer',
              'unsignedInteger',
              'float',
              'boolean',
              'opaque',
              'time',
              'objlnk',
              'corelnk',
              'none',
            ],
          },
          range: { type: 'string', description: 'RangeEnumeration of the DDF, e.g. "0..100"; "" when none.' },
          units: { type: 'string' },
          description: { type: 'string' },
        },
      },
    },
  },
};
