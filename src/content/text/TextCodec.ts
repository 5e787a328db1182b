// LwM2M Core TS 1.1.1 section 7.4.1 and Appendix C (text/plain, 0): one value as UTF-8 text —
// decimal integers, decimal floats, booleans "0"/"1", time as integer seconds, objlnk "o:i",
// opaque as base64 (LwM2M 1.1). Unknown resources decode as strings.
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
import { decodeUtf8, encodeUtf8 } from '../utf8.js';
import { UnsupportedContentFormatError } from '../../lwm2m/errors.js';
import type { Lwm2mNode } from '../../lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import { formatValueText, InvalidValueError, parseValueText } from '../../lwm2m/values.js';
import type { ModelLookup } from '../../model/ObjectModel.js';
import { DecodeError } from '../../transport/DecodeError.js';

/** The plain-text codec (content format 0). */
export const textCodec: NodeCodec = {
  format: ContentFormat.TEXT,

  encode(path: Lwm2mPath, node: Lwm2mNode): Uint8Array {
    const value = singleValueOf(path, node, 'text/plain');
    try {
      return encodeUtf8(formatValueText(value));
    } catch (e) {
      if (e instanceof InvalidValueError) throw new UnsupportedContentFormatError(e.message);
      throw e;
    }
  },

  decode(bytes: Uint8Array, path: Lwm2mPath, models: ModelLookup, limits = DEFAULT_DECODE_LIMITS): Lwm2mNode {
    return onlyDecodeErrors('text/plain', () => {
      assertSingleValuePath(path, models, 'text/plain');
      if (bytes.length > limits.maxValueBytes) {
        throw new DecodeError(
          `text value of ${bytes.length} bytes exceeds ${limits.maxValueBytes}`,
          0,
          'limit',
        );
      }
      const text = decodeUtf8(bytes);
      return singleValueNode(path, parseValueText(valueTypeAtPath(models, path, 'string'), text));
    });
  },
};
