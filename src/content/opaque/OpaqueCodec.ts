// LwM2M Core TS 1.1.1 section 7.4.2 (application/octet-stream, 42): the raw bytes of one opaque
// resource or resource instance value; no other data type may use it.
import type { NodeCodec } from '../ContentCodec.js';
import { ContentFormat } from '../ContentFormat.js';
import { DEFAULT_DECODE_LIMITS } from '../decodeLimits.js';
import { valueTypeAtPath } from '../modelTypes.js';
import {
  assertSingleValuePath,
  onlyDecodeErrors,
  singleValueNode,
  singleValueOf,
} from '../singleValueNode.js';
import { UnsupportedContentFormatError } from '../../lwm2m/errors.js';
import type { Lwm2mNode } from '../../lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import { opaqueValue } from '../../lwm2m/values.js';
import type { ModelLookup } from '../../model/ObjectModel.js';
import { DecodeError } from '../../transport/DecodeError.js';

/** The opaque codec (content format 42). */
export const opaqueCodec: NodeCodec = {
  format: ContentFormat.OPAQUE,

  encode(path: Lwm2mPath, node: Lwm2mNode): Uint8Array {
    const value = singleValueOf(path, node, 'application/octet-stream');
    if (value.type !== 'opaque') {
      throw new UnsupportedContentFormatError(
        `application/octet-stream carries opaque values, not ${value.type}`,
      );
    }
    return value.value;
  },

  /** Decodes at an opaque (or unknown) resource; `limits.maxValueBytes` bounds the size (raise it for firmware images). */
  decode(bytes: Uint8Array, path: Lwm2mPath, models: ModelLookup, limits = DEFAULT_DECODE_LIMITS): Lwm2mNode {
    return onlyDecodeErrors('application/octet-stream', () => {
      assertSingleValuePath(path, models, 'application/octet-stream');
      const type = valueTypeAtPath(models, path, 'opaque');
      if (type !== 'opaque') throw new DecodeError(`${path.toString()} is ${type}, not opaque`, 0);
      if (bytes.length > limits.maxValueBytes) {
        throw new DecodeError(
          `opaque value of ${bytes.length} bytes exceeds ${limits.maxValueBytes}`,
          0,
          'limit',
        );
      }
      return singleValueNode(path, opaqueValue(bytes.slice()));
    });
  },
};
