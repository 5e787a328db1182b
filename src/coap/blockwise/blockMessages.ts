// RFC 7959 sections 2.1-2.5: reading and writing Block1/Block2/Size1/Size2 on messages, and the
// request key that ties the blocks of one block-wise transfer together.

import { OptionNumber, type CoapMessage } from '../CoapMessage.js';
import { getOption, getUintOption, removeOption, setOption } from '../options.js';
import { decodeBlock, encodeBlock, type BlockValue } from './blockOption.js';

/** The Block1 option of a message, or undefined; throws DecodeError for an invalid value. */
export function getBlock1(msg: CoapMessage): BlockValue | undefined {
  const v = getOption(msg, OptionNumber.BLOCK1);
  return v === undefined ? undefined : decodeBlock(v);
}

/** The Block2 option of a message, or undefined; throws DecodeError for an invalid value. */
export function getBlock2(msg: CoapMessage): BlockValue | undefined {
  const v = getOption(msg, OptionNumber.BLOCK2);
  return v === undefined ? undefined : decodeBlock(v);
}

/** Sets (replaces) a Block1 or Block2 option. Returns `msg`. */
export function setBlock(msg: CoapMessage, number: 23 | 27, block: BlockValue): CoapMessage {
  return setOption(msg, number, encodeBlock(block));
}

/** The Size1 option (request body size, or the largest acceptable one in a 4.13), or undefined. */
export const getSize1 = (msg: CoapMessage): number | undefined => getUintOption(msg, OptionNumber.SIZE1);
/** The Size2 option (total representation size), or undefined. */
export const getSize2 = (msg: CoapMessage): number | undefined => getUintOption(msg, OptionNumber.SIZE2);

/** A shallow copy with its own options array (values are shared; they are never mutated). */
export function copyMessage(msg: CoapMessage): CoapMessage {
  return { ...msg, options: [...msg.options] };
}

/** A copy to send as a new exchange: own options array, no token or message ID yet (layers assign them). */
export function asNewRequest(msg: CoapMessage): CoapMessage {
  return { ...msg, options: [...msg.options], token: new Uint8Array(0), messageId: 0 };
}

/** A copy without the given options. */
export function withoutOptions(msg: CoapMessage, ...numbers: number[]): CoapMessage {
  const out = copyMessage(msg);
  for (const n of numbers) removeOption(out, n);
  return out;
}

const O = OptionNumber;
/**
 * Options that differ between the blocks of one transfer or between an Observe registration and
 * the GETs that complete a notification (RFC 7959 sections 2.4, 2.5, 2.6; Echo: RFC 9175).
 */
const NOT_IN_KEY: ReadonlySet<number> = new Set([O.BLOCK1, O.BLOCK2, O.SIZE1, O.SIZE2, O.OBSERVE, O.ECHO]);

/**
 * Identifies the request a block belongs to (RFC 7959 section 2.5): the method and every option
 * except the block-wise ones, Observe and Echo. Request-Tag stays in (RFC 9175 section 3).
 */
export function requestKey(msg: CoapMessage): string {
  let key = String(msg.code);
  for (const o of msg.options) {
    if (!NOT_IN_KEY.has(o.number)) key += `|${o.number}:${Buffer.from(o.value).toString('hex')}`;
  }
  return key;
}
