// RFC 7959 sections 2.3, 2.5 and 2.9: server-side reassembly of a Block1 request body, bounded
// per peer in size, count and time (section 7), with the outcome each block calls for.

import type { Clock } from '../Clock.js';
import { blockSize, type BlockValue } from './blockOption.js';
import { resolveBlockwiseLimits, type BlockwiseLimits } from './BlockwiseLimits.js';
import { PeerScopedStore } from './PeerScopedStore.js';

/** What to answer to one Block1 block. */
export type Block1Outcome =
  /** 2.31 Continue, echoing the block number with M=1 and this (possibly smaller) SZX. */
  | { readonly kind: 'continue'; readonly szx: number }
  /** The last block arrived: hand the whole body to the handler. */
  | { readonly kind: 'complete'; readonly body: Uint8Array }
  /** 4.08 Request Entity Incomplete: a block is missing or out of order (section 2.9.2). */
  | { readonly kind: 'incomplete'; readonly reason: string }
  /** 4.13 Request Entity Too Large with Size1 = the largest body accepted (section 2.9.3). */
  | { readonly kind: 'tooLarge'; readonly maxBodyBytes: number }
  /** 4.00 Bad Request: a block that cannot be valid (wrong length, block size grown). */
  | { readonly kind: 'badRequest'; readonly reason: string }
  /** 5.03 Service Unavailable: all peers together hold the reassembly byte budget. */
  | { readonly kind: 'busy' };

interface Transfer {
  readonly chunks: Uint8Array[];
  received: number;
  szx: number;
  lastOffset: number;
  lastLength: number;
}

/** Collects Block1 blocks per (peer, request key) under BlockwiseLimits. */
export class ReassemblyBuffer {
  /** The bounds in force. */
  readonly limits: BlockwiseLimits;
  private readonly transfers: PeerScopedStore<Transfer>;

  constructor(
    clock: Clock,
    limits: Partial<BlockwiseLimits> = {},
    /** SZX this server prefers; larger client blocks are answered with it (section 2.3). */
    private readonly preferredSzx = 6,
  ) {
    this.limits = resolveBlockwiseLimits(limits);
    this.transfers = new PeerScopedStore<Transfer>(
      {
        maxPerPeer: this.limits.maxTransfersPerPeer,
        maxTotalBytes: this.limits.maxTotalBytes,
        lifetimeMs: this.limits.transferLifetimeMs,
        onFull: 'refuse',
      },
      clock,
    );
  }

  /** Open transfers (all peers). */
  get openTransfers(): number {
    return this.transfers.size;
  }

  /** Bytes held by open transfers (all peers). */
  get heldBytes(): number {
    return this.transfers.totalBytes;
  }

  /**
   * Takes one block of the request identified by `requestKey` from `peerKey`. `declaredSize` is
   * the request's Size1 option, if any (section 4: lets the server refuse early).
   */
  offer(
    peerKey: string,
    requestKey: string,
    block: BlockValue,
    payload: Uint8Array,
    declaredSize?: number,
  ): Block1Outcome {
    const size = blockSize(block.szx);
    // Section 2.2: every block but the last carries exactly the block size.
    if (block.more ? payload.length !== size : payload.length > size) {
      this.transfers.delete(peerKey, requestKey);
      return {
        kind: 'badRequest',
        reason: `block ${block.num} carries ${payload.length} bytes for size ${size}`,
      };
    }
    const max = this.limits.maxBodyBytes;
    const offset = block.num * size;
    if (block.num === 0) {
      this.transfers.delete(peerKey, requestKey);
      if ((declaredSize ?? 0) > max || payload.length > max) return { kind: 'tooLarge', maxBodyBytes: max };
      if (!block.more) return { kind: 'complete', body: payload };
      const t: Transfer = {
        chunks: [payload],
        received: size,
        szx: block.szx,
        lastOffset: 0,
        lastLength: size,
      };
      if (!this.transfers.set(peerKey, requestKey, t, size)) return { kind: 'busy' };
      return { kind: 'continue', szx: Math.min(block.szx, this.preferredSzx) };
    }
    const t = this.transfers.get(peerKey, requestKey);
    if (!t) return { kind: 'incomplete', reason: `block ${block.num} without an open transfer` };
    if (offset === t.lastOffset && payload.length === t.lastLength && block.more) {
      // The same block again (our 2.31 was lost): answer as before, append nothing.
      return { kind: 'continue', szx: Math.min(t.szx, this.preferredSzx) };
    }
    if (block.szx > t.szx) {
      this.transfers.delete(peerKey, requestKey);
      return {
        kind: 'badRequest',
        reason: 'block size grew during the transfer (section 2.3 allows only smaller)',
      };
    }
    if (offset !== t.received) {
      this.transfers.delete(peerKey, requestKey);
      return { kind: 'incomplete', reason: `block at offset ${offset}, expected ${t.received}` };
    }
    const total = t.received + payload.length;
    if (total > max || (declaredSize ?? 0) > max) {
      this.transfers.delete(peerKey, requestKey);
      return { kind: 'tooLarge', maxBodyBytes: max };
    }
    if (!this.transfers.resize(peerKey, requestKey, total)) {
      this.transfers.delete(peerKey, requestKey);
      return { kind: 'busy' };
    }
    t.chunks.push(payload);
    Object.assign(t, { received: total, szx: block.szx, lastOffset: offset, lastLength: payload.length });
    if (block.more) return { kind: 'continue', szx: Math.min(block.szx, this.preferredSzx) };
    this.transfers.delete(peerKey, requestKey);
    return { kind: 'complete', body: concat(t.chunks, total) };
  }
}

/** Joins chunks into one array of `total` bytes. */
export function concat(
  chunks: readonly Uint8Array[],
  total = chunks.reduce((n, c) => n + c.length, 0),
): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
