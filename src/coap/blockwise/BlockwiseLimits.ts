// RFC 7959 section 2.5 and section 7 (security): bounds on the state a block-wise responder keeps,
// so a hostile peer cannot exhaust memory with endless or numerous transfers.

/** Bounds on Block1 reassembly and the Block2 response cache (all per endpoint). */
export interface BlockwiseLimits {
  /** Largest request body reassembled from Block1 blocks; larger ones get 4.13 with Size1. */
  readonly maxBodyBytes: number;
  /**
   * Open Block1 transfers one source may hold; a new one drops that source's oldest. The source is
   * the peer's IP address when the endpoint serves (any port counts), else the peer key.
   */
  readonly maxTransfersPerPeer: number;
  /**
   * Bytes held by all peers' Block1 transfers together, counted as real memory (buffers, keys
   * and per-transfer overhead). A new transfer that does not fit first drops the least recently
   * used transfers of peers without a registration; when that is not enough it gets 5.03.
   */
  readonly maxTotalBytes: number;
  /** Part of maxTotalBytes only peers that hold a registration may use. Default a quarter of it. */
  readonly reservedBytes: number;
  /** A Block1 transfer that receives no block for this long is dropped (RFC 7252 EXCHANGE_LIFETIME). */
  readonly transferLifetimeMs: number;
  /** Cached Block2 representations per peer; a new one drops that peer's oldest. */
  readonly maxCachedPerPeer: number;
  /** Bytes held by the Block2 cache across all peers; the least recently used entries go first. */
  readonly maxCacheBytes: number;
  /** How long a Block2 representation stays cached for follow-up blocks. */
  readonly cacheLifetimeMs: number;
}

/**
 * Defaults: a 1 MiB body (an LwM2M firmware image larger than that should use Package URI pull),
 * 8 transfers per source address, 32 MiB in total of which 8 MiB are reserved for registered
 * peers, 247 s (EXCHANGE_LIFETIME of RFC 7252 section 4.8.2);
 * the Block2 cache holds 4 entries per peer, 32 MiB in total, for 60 s.
 */
export const DEFAULT_BLOCKWISE_LIMITS: BlockwiseLimits = {
  maxBodyBytes: 1024 * 1024,
  maxTransfersPerPeer: 8,
  maxTotalBytes: 32 * 1024 * 1024,
  reservedBytes: 8 * 1024 * 1024,
  transferLifetimeMs: 247_000,
  maxCachedPerPeer: 4,
  maxCacheBytes: 32 * 1024 * 1024,
  cacheLifetimeMs: 60_000,
};

/** Fills unset limits with the defaults and rejects non-positive values. */
export function resolveBlockwiseLimits(partial: Partial<BlockwiseLimits> = {}): BlockwiseLimits {
  const total = partial.maxTotalBytes ?? DEFAULT_BLOCKWISE_LIMITS.maxTotalBytes;
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const limits = { ...DEFAULT_BLOCKWISE_LIMITS, reservedBytes: Math.floor(total / 4), ...defined };
  for (const [name, value] of Object.entries(limits)) {
    if (name === 'reservedBytes' && value === 0) continue;
    if (!(typeof value === 'number' && value > 0))
      throw new RangeError(`blockwise limit ${name} must be > 0`);
  }
  return limits;
}
