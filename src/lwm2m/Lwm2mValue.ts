// LwM2M Core TS 1.1.1 Appendix C: resource data types, as typed values every codec speaks.
import type { ResourceType } from '../model/ObjectModel.js';

/** An Objlnk value: a reference to an object instance (65535:65535 is the null link). */
export interface ObjectLink {
  readonly objectId: number;
  readonly instanceId: number;
}

/**
 * A typed resource value. Integers are `number` when they are safe integers and `bigint`
 * otherwise (64-bit values never lose precision); decoders follow that rule, encoders accept both.
 * Time is a Date holding whole seconds.
 */
export type Lwm2mValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'integer'; readonly value: number | bigint }
  | { readonly type: 'unsignedInteger'; readonly value: number | bigint }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'opaque'; readonly value: Uint8Array }
  | { readonly type: 'time'; readonly value: Date }
  | { readonly type: 'objlnk'; readonly value: ObjectLink }
  | { readonly type: 'corelnk'; readonly value: string };

/** The data type of a value: every ResourceType except 'none'. */
export type ValueType = Exclude<ResourceType, 'none'>;
