// RFC 7959 sections 2.3-2.6, 2.9 and 3: the requester's side of block-wise transfers as pure
// sequences of exchanges: Block1 uploads, Block2 downloads, and completing a notification.

import { Code, OptionNumber, codeClass, formatCode, type CoapMessage } from '../CoapMessage.js';
import { getOption, setOption } from '../options.js';
import { MAX_BLOCK_NUM, blockSize, formatBlock, type BlockValue } from './blockOption.js';
import {
  asNewRequest,
  getBlock1 as readBlock1,
  getBlock2 as readBlock2,
  getSize2 as readSize2,
  setBlock,
  withoutOptions,
} from './blockMessages.js';
import { BlockwiseError } from './BlockwiseError.js';
import { concat } from './ReassemblyBuffer.js';
import { DecodeError } from '../../transport/DecodeError.js';

/** One request/response exchange with the peer. */
export type Exchange = (request: CoapMessage) => Promise<CoapMessage>;

/** How the requester splits and reassembles bodies. */
export interface BlockwiseRequesterOptions {
  /** SZX of Block1 blocks; bodies larger than one block are sent block-wise. Defaults to 6 (1024 bytes). */
  readonly block1Szx: number;
  /** SZX asked for on the first request (early negotiation, section 2.4); unset sends no Block2. */
  readonly preferredBlock2Szx?: number;
  /** Largest response body reassembled from Block2 blocks. Defaults to 16 MiB. */
  readonly maxBodyBytes: number;
  /** Restarts of a Block2 download when the ETag changes (section 2.4). Defaults to 2. */
  readonly maxRestarts: number;
}

/** The requester defaults: 1024-byte Block1 blocks, no early Block2, a 16 MiB body, 2 restarts. */
export const DEFAULT_REQUESTER_OPTIONS: BlockwiseRequesterOptions = {
  block1Szx: 6,
  maxBodyBytes: 16 * 1024 * 1024,
  maxRestarts: 2,
};

/** Restarts of a Block1 upload with a smaller size after 4.13 (section 2.9.3). */
const MAX_BLOCK1_RESTARTS = 3;

/**
 * Sends `request` through `exchange`, block-wise where needed, and returns the final response
 * with the whole Block2 body reassembled (Block2 removed, other options of the first block kept).
 */
export async function requestBlockwise(
  exchange: Exchange,
  request: CoapMessage,
  options: BlockwiseRequesterOptions = DEFAULT_REQUESTER_OPTIONS,
): Promise<CoapMessage> {
  const hasOwnBlocks = getOption(request, OptionNumber.BLOCK1) ?? getOption(request, OptionNumber.BLOCK2);
  if (hasOwnBlocks !== undefined) return exchange(request); // the caller drives the blocks itself
  let response: CoapMessage;
  if (request.payload.length > blockSize(options.block1Szx)) {
    response = await uploadBlock1(exchange, request, options.block1Szx, options);
  } else {
    response = await exchange(withEarlyBlock2(request, options));
    const suggested = response.code === Code.REQUEST_ENTITY_TOO_LARGE ? getBlock1(response) : undefined;
    if (suggested && request.payload.length > 0) {
      // Section 2.9.3: the server asks for this body block-wise, in blocks of the suggested size.
      response = await uploadBlock1(exchange, request, Math.min(suggested.szx, options.block1Szx), options);
    }
  }
  return completeBlock2(exchange, request, response, options);
}

/** Adds Block2 0/0/preferred to a request (section 2.4 early negotiation) when configured. */
function withEarlyBlock2(request: CoapMessage, options: BlockwiseRequesterOptions): CoapMessage {
  if (options.preferredBlock2Szx === undefined) return request;
  return setBlock(asNewRequest(request), OptionNumber.BLOCK2, {
    num: 0,
    more: false,
    szx: options.preferredBlock2Szx,
  });
}

/** Section 2.5: sends the body as Block1 blocks; returns the response to the last block (or a 4.xx). */
async function uploadBlock1(
  exchange: Exchange,
  request: CoapMessage,
  startSzx: number,
  options: BlockwiseRequesterOptions,
): Promise<CoapMessage> {
  const body = request.payload;
  let szx = startSzx;
  let offset = 0;
  for (let restarts = 0; ;) {
    const size = blockSize(szx);
    const num = offset / size;
    if (num > MAX_BLOCK_NUM)
      throw new BlockwiseError(`body needs more than 2^20 blocks of ${size}`, 'too-large');
    const more = offset + size < body.length;
    const msg = setBlock(asNewRequest(request), OptionNumber.BLOCK1, { num, more, szx });
    msg.payload = body.subarray(offset, offset + size);
    if (num === 0) setOption(msg, OptionNumber.SIZE1, body.length); // section 4: lets the server refuse early
    const final = !more ? withEarlyBlock2(msg, options) : msg;
    const response = await exchange(final);
    const echoed = getBlock1(response);
    if (response.code === Code.REQUEST_ENTITY_TOO_LARGE) {
      // Section 2.9.3: a Block1 option in a 4.13 names a size the server accepts; start again with it.
      if (echoed && echoed.szx < szx && restarts++ < MAX_BLOCK1_RESTARTS) {
        szx = echoed.szx;
        offset = 0;
        continue;
      }
      return response;
    }
    if (!more || response.code !== Code.CONTINUE) return response; // a final answer, early or not
    if (echoed && echoed.num !== num) {
      throw new BlockwiseError(
        `2.31 acknowledged block ${formatBlock(echoed)}, sent ${num}`,
        'protocol',
        response,
      );
    }
    offset += size;
    // Section 2.3: the server's Block1 in a 2.31 gives its preferred size; heed it if smaller.
    if (echoed && echoed.szx < szx) szx = echoed.szx;
  }
}

/**
 * Section 2.4: if `first` (the response to `request`) carries Block2 with M=1, fetches the
 * remaining blocks with the same request options (minus Observe, section 2.6) and returns
 * `first` with the whole body; otherwise returns `first` unchanged.
 */
export async function completeBlock2(
  exchange: Exchange,
  request: CoapMessage,
  first: CoapMessage,
  options: BlockwiseRequesterOptions = DEFAULT_REQUESTER_OPTIONS,
): Promise<CoapMessage> {
  let head = first;
  for (let restarts = 0; ; restarts++) {
    const b2 = getBlock2(head);
    if (!b2 || !b2.more || codeClass(head.code) !== 2)
      return b2 ? withoutOptions(head, OptionNumber.BLOCK2) : head;
    const body = await downloadRest(exchange, request, head, b2, options);
    if (body) {
      const out = withoutOptions(head, OptionNumber.BLOCK2);
      out.payload = body;
      return out;
    }
    if (restarts >= options.maxRestarts) {
      throw new BlockwiseError(
        `representation changed ${restarts + 1} times during a Block2 transfer`,
        'changed',
      );
    }
    // The ETag changed: start over with block 0 of the current representation (section 2.4).
    head = await exchange(followUp(request, { num: 0, more: false, szx: b2.szx }));
  }
}

/** Fetches blocks after `head`; undefined when the ETag changed on the way. */
async function downloadRest(
  exchange: Exchange,
  request: CoapMessage,
  head: CoapMessage,
  b2: BlockValue,
  options: BlockwiseRequesterOptions,
): Promise<Uint8Array | undefined> {
  const max = options.maxBodyBytes;
  const announced = getSize2(head);
  if (announced !== undefined && announced > max) {
    throw new BlockwiseError(`Size2 ${announced} exceeds maxBodyBytes ${max}`, 'too-large', head);
  }
  if (b2.num !== 0 || head.payload.length !== blockSize(b2.szx)) {
    throw new BlockwiseError(
      `first block ${formatBlock(b2)} has ${head.payload.length} bytes`,
      'protocol',
      head,
    );
  }
  const etag = getOption(head, OptionNumber.ETAG);
  const chunks = [head.payload];
  let received = head.payload.length;
  let szx = b2.szx;
  for (let more = true; more;) {
    const num = received / blockSize(szx);
    const res = await exchange(followUp(request, { num, more: false, szx }));
    const rb = codeClass(res.code) === 2 ? getBlock2(res) : undefined;
    if (!rb)
      throw new BlockwiseError(
        `block ${num} answered ${formatCode(res.code)} without Block2`,
        'protocol',
        res,
      );
    if (!sameBytes(getOption(res, OptionNumber.ETAG), etag)) return undefined;
    const size = blockSize(rb.szx);
    if (rb.num * size !== received || rb.szx > szx || (rb.more && res.payload.length !== size)) {
      throw new BlockwiseError(
        `asked block ${num}, got ${formatBlock(rb)} (${res.payload.length} bytes)`,
        'protocol',
        res,
      );
    }
    received += res.payload.length;
    if (received > max) throw new BlockwiseError(`body exceeds maxBodyBytes ${max}`, 'too-large', res);
    chunks.push(res.payload);
    more = rb.more;
    szx = rb.szx;
  }
  return concat(chunks, received);
}

/**
 * The request for one later Block2 block: the original minus Observe, Block1 and Size1. GET and
 * FETCH repeat their payload (it selects the representation); other methods send none (section 3.3).
 */
function followUp(request: CoapMessage, block: BlockValue): CoapMessage {
  const O = OptionNumber;
  const msg = asNewRequest(withoutOptions(request, O.OBSERVE, O.BLOCK1, O.SIZE1, O.SIZE2));
  if (msg.code !== Code.GET && msg.code !== Code.FETCH) msg.payload = new Uint8Array(0);
  return setBlock(msg, O.BLOCK2, block);
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Reads an option of a peer's response; a malformed value ends the transfer as a protocol error. */
function fromResponse<T>(read: (m: CoapMessage) => T, msg: CoapMessage): T {
  try {
    return read(msg);
  } catch (e) {
    if (e instanceof DecodeError)
      throw new BlockwiseError(`malformed block option: ${e.message}`, 'protocol', msg);
    throw e;
  }
}
const getBlock1 = (m: CoapMessage): BlockValue | undefined => fromResponse(readBlock1, m);
const getBlock2 = (m: CoapMessage): BlockValue | undefined => fromResponse(readBlock2, m);
const getSize2 = (m: CoapMessage): number | undefined => fromResponse(readSize2, m);
