// RFC 7959 section 2.2: the value of the Block1 and Block2 options (NUM, M, SZX) and Size1/Size2.
//
//  0 1 2 3 4 5 6 7      (one-byte form; two- and three-byte forms widen NUM to 12 and 20 bits)
// +-+-+-+-+-+-+-+-+
// |  NUM  |M| SZX |
// +-+-+-+-+-+-+-+-+
import { DecodeError } from '../../transport/DecodeError.js';

/** A decoded Block1 or Block2 option value. */
export interface BlockValue {
  /** Block number, 0 to 2^20 - 1. */
  readonly num: number;
  /** More blocks follow (descriptive usage); ignored by servers in a Block2 request. */
  readonly more: boolean;
  /** Size exponent 0..6: the block size is 2^(szx + 4) bytes, 16 to 1024. */
  readonly szx: number;
}

/** Largest block number the three-byte form carries (RFC 7959 section 2.2). */
export const MAX_BLOCK_NUM = 0xfffff;
/** Largest usable SZX; 7 is reserved (BERT, RFC 8323, applies only to reliable transports). */
export const MAX_SZX = 6;

/** Block size in bytes for an SZX: 16 << szx. */
export const blockSize = (szx: number): number => 16 << szx;

/** Largest SZX whose block size is at most `bytes` (capped at 6); throws RangeError below 16 bytes. */
export function szxForSize(bytes: number): number {
  if (!(bytes >= 16)) throw new RangeError(`a block holds at least 16 bytes, not ${bytes}`);
  let szx = 0;
  while (szx < MAX_SZX && blockSize(szx + 1) <= bytes) szx++;
  return szx;
}

/** Encodes a Block option value as a minimal unsigned integer (0 to 3 bytes; 0 is the empty value). */
export function encodeBlock(block: BlockValue): Uint8Array {
  const { num, more, szx } = block;
  if (!Number.isInteger(num) || num < 0 || num > MAX_BLOCK_NUM) {
    throw new RangeError(`block number ${num} is outside 0..${MAX_BLOCK_NUM}`);
  }
  if (!Number.isInteger(szx) || szx < 0 || szx > MAX_SZX) throw new RangeError(`SZX ${szx} is outside 0..6`);
  const value = num * 16 + (more ? 8 : 0) + szx;
  if (value === 0) return new Uint8Array(0);
  if (value < 0x100) return Uint8Array.of(value);
  if (value < 0x10000) return Uint8Array.of(value >> 8, value & 0xff);
  return Uint8Array.of(value >> 16, (value >> 8) & 0xff, value & 0xff);
}

/** Decodes a Block option value; throws DecodeError for more than 3 bytes or the reserved SZX 7. */
export function decodeBlock(bytes: Uint8Array): BlockValue {
  if (bytes.length > 3)
    throw new DecodeError(`Block option is ${bytes.length} bytes, at most 3`, 3, 'invalid');
  let value = 0;
  for (const b of bytes) value = value * 256 + b;
  const szx = value & 7;
  if (szx === 7) throw new DecodeError('Block option uses the reserved SZX 7', Math.max(0, bytes.length - 1));
  return { num: value >>> 4, more: (value & 8) !== 0, szx };
}

/** Byte offset of a block in the whole body. */
export const blockOffset = (block: BlockValue): number => block.num * blockSize(block.szx);

/** Formats a block as RFC 7959's figures do: `num/M/size`, e.g. `2/1/128`. */
export const formatBlock = (b: BlockValue): string => `${b.num}/${b.more ? 1 : 0}/${blockSize(b.szx)}`;
