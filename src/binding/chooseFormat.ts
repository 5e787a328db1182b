// LwM2M Core TS 1.1.1 section 7.4 (data formats) and Transport TS 1.1.1 section 6.4 (Accept and
// Content-Format of Device Management operations): the content format for one request or
// response, from the target's shape in the model and the peer's LwM2M version.
import { fallbackFormat, preferredFormat, type FormatOperation } from '../content/formatSelection.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { ValueType } from '../lwm2m/Lwm2mValue.js';
import type { ModelLookup } from '../model/ObjectModel.js';

/** What format choice needs to know about the peer. */
export interface FormatContext {
  readonly models: ModelLookup;
  readonly lwm2mVersion: '1.0' | '1.1' | '1.2';
  /** Formats the client announced with `ct` at registration (1.1+). */
  readonly announcedFormats?: readonly number[];
  /**
   * Optional memo of chooseFormat's answers, for a context whose version and announced formats
   * never change (the server keeps one context per registration payload). Optimisation (bench
   * server, issue 4): preferredFormat filters and maps the format lists on each call; the answer
   * depends only on the operation and the target's shape besides this context, which is the key.
   */
  readonly formatMemo?: Map<number, number>;
}

/** Whether the resource at a resource path is multiple, and its value type, from the model. */
export function shapeAt(
  models: ModelLookup,
  path: Lwm2mPath,
): { readonly multiple?: boolean; readonly valueType?: ValueType } {
  if (path.length < 3) return {};
  const res = models.getObject(path.objectId!)?.resources.get(path.resourceId!);
  const valueType = res === undefined || res.type === 'none' ? undefined : res.type;
  // An unknown resource might be multiple: a tree format carries both kinds, so assume multiple.
  const multiple = path.length === 3 ? (res?.multiple ?? true) : undefined;
  return { ...(multiple === undefined ? {} : { multiple }), ...(valueType ? { valueType } : {}) };
}

/** Memo key parts: the operation, and the value type (types past 62 are not memoised). */
const OPERATION_CODES = new Map<FormatOperation, number>(
  (['read', 'observe', 'write', 'create', 'composite', 'send'] as const).map((op, i) => [op, i]),
);
const VALUE_TYPE_CODES = new Map<string, number>();

function valueTypeCode(valueType: ValueType | undefined): number {
  if (valueType === undefined) return 0;
  let code = VALUE_TYPE_CODES.get(valueType);
  if (code === undefined) {
    if (VALUE_TYPE_CODES.size >= 62) return -1;
    code = VALUE_TYPE_CODES.size + 1;
    VALUE_TYPE_CODES.set(valueType, code);
  }
  return code;
}

/** The format a single-path operation on `path` should use (preferredFormat's policy). */
export function chooseFormat(operation: FormatOperation, path: Lwm2mPath, ctx: FormatContext): number {
  const memo = ctx.formatMemo;
  if (memo === undefined) return choose(operation, path, ctx, shapeAt(ctx.models, path));
  // The shape from the model, without building it: a Read on the hot path (issue 17) costs one
  // model lookup and one numeric memo lookup.
  let multiple: boolean | undefined;
  let valueType: ValueType | undefined;
  if (path.length >= 3) {
    const res = ctx.models.getObject(path.objectId!)?.resources.get(path.resourceId!);
    valueType = res === undefined || res.type === 'none' ? undefined : res.type;
    // An unknown resource might be multiple: a tree format carries both kinds, so assume multiple.
    multiple = path.length === 3 ? (res?.multiple ?? true) : undefined;
  }
  // preferredFormat reads only the path's length; an error (nothing fits) is never memoised.
  const typeCode = valueTypeCode(valueType);
  const key =
    typeCode < 0
      ? -1
      : (((OPERATION_CODES.get(operation) ?? 7) * 8 + path.length) * 4 +
          (multiple === undefined ? 0 : multiple ? 2 : 1)) *
          64 +
        typeCode;
  const known = key < 0 ? undefined : memo.get(key);
  if (known !== undefined) return known;
  const shape = {
    ...(multiple === undefined ? {} : { multiple }),
    ...(valueType === undefined ? {} : { valueType }),
  };
  const format = choose(operation, path, ctx, shape);
  if (key >= 0) memo.set(key, format);
  return format;
}

function choose(
  operation: FormatOperation,
  path: Lwm2mPath,
  ctx: FormatContext,
  shape: { readonly multiple?: boolean; readonly valueType?: ValueType },
): number {
  return preferredFormat({
    lwm2mVersion: ctx.lwm2mVersion,
    announcedFormats: ctx.announcedFormats,
    operation,
    path,
    ...shape,
  });
}

/** The format to retry a Read or Observe of `path` in after a 4.06 to `tried` (fallbackFormat's policy). */
export function chooseFallbackFormat(
  operation: 'read' | 'observe',
  path: Lwm2mPath,
  ctx: FormatContext,
  tried: number,
): number | undefined {
  return fallbackFormat(
    {
      lwm2mVersion: ctx.lwm2mVersion,
      announcedFormats: ctx.announcedFormats,
      operation,
      path,
      ...shapeAt(ctx.models, path),
    },
    tried,
  );
}

/** The format of a composite operation (Read/Write/Observe-Composite) or of Send. */
export function chooseCompositeFormat(
  ctx: Omit<FormatContext, 'models'>,
  operation: 'composite' | 'send' = 'composite',
): number {
  return preferredFormat({
    lwm2mVersion: ctx.lwm2mVersion,
    announcedFormats: ctx.announcedFormats,
    operation,
  });
}
