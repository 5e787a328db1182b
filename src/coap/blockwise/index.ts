// Public API of block-wise transfers (RFC 7959).
export {
  MAX_BLOCK_NUM,
  MAX_SZX,
  blockOffset,
  blockSize,
  decodeBlock,
  encodeBlock,
  formatBlock,
  szxForSize,
  type BlockValue,
} from './blockOption.js';
export { getBlock1, getBlock2, getSize1, getSize2, requestKey, setBlock } from './blockMessages.js';
export { DEFAULT_BLOCKWISE_LIMITS, resolveBlockwiseLimits, type BlockwiseLimits } from './BlockwiseLimits.js';
export { BlockwiseError, type BlockwiseFailure } from './BlockwiseError.js';
export { ReassemblyBuffer, type Block1Outcome } from './ReassemblyBuffer.js';
export { BlockwiseResponder, szxForDatagram, type BlockwiseResponderOptions } from './BlockwiseResponder.js';
export {
  DEFAULT_REQUESTER_OPTIONS,
  completeBlock2,
  requestBlockwise,
  type BlockwiseRequesterOptions,
  type Exchange as BlockExchange,
} from './blockwiseRequester.js';
export { BlockwiseSender, type BlockwiseSenderOptions } from './BlockwiseSender.js';
