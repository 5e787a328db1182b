// RFC 7959 sections 2.3-2.5: local failures of a block-wise transfer as a requester.

import { CoapError } from '../errors.js';
import type { CoapMessage } from '../CoapMessage.js';

/** Why a block-wise request could not complete. */
export type BlockwiseFailure =
  /** The response body exceeds the sender's maxBodyBytes. */
  | 'too-large'
  /** The server answered a block with an unexpected block number, size or code. */
  | 'protocol'
  /** The representation changed (ETag) more often than the sender retries. */
  | 'changed';

/** A block-wise transfer failed locally; `response` is the last response received, if any. */
export class BlockwiseError extends CoapError {
  constructor(
    message: string,
    /** What went wrong, for programs. */
    readonly failure: BlockwiseFailure,
    /** The response that ended the transfer, when there was one. */
    readonly response?: CoapMessage,
  ) {
    super(message, failure === 'too-large' ? 'COAP_BLOCKWISE_TOO_LARGE' : 'COAP_BLOCKWISE_FAILED');
  }
}
