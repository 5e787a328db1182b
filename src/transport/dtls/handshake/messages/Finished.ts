// Finished (RFC 5246 7.4.9): verify_data, 12 bytes for every suite this stack knows (none
// defines another verify_data_length).

import { DecodeError } from '../../../DecodeError.js';
import { VERIFY_DATA_LENGTH } from '../KeySchedule.js';

/** A decoded Finished message. */
export interface Finished {
  readonly verifyData: Uint8Array;
}

/** Decodes a Finished body; DecodeError unless it is 12 bytes. */
export function decodeFinished(body: Uint8Array, base = 0): Finished {
  if (body.length !== VERIFY_DATA_LENGTH)
    throw new DecodeError(`Finished of ${body.length} bytes, expected ${VERIFY_DATA_LENGTH}`, base);
  return { verifyData: body };
}

/** Encodes a Finished body. */
export function encodeFinished(m: Finished): Uint8Array {
  if (m.verifyData.length !== VERIFY_DATA_LENGTH) throw new RangeError('verify_data must be 12 bytes');
  return Uint8Array.from(m.verifyData);
}
