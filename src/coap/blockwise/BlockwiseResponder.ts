// RFC 7959 sections 2.3-2.9 and 3 (server side): the handler stage that reassembles Block1
// uploads, serves large responses as Block2 blocks from a bounded cache, answers Size2 queries and
// sends only the first block of a notification (section 2.6).

import { Code, OptionNumber, codeClass, type CoapMessage, type CoapOption } from '../CoapMessage.js';
import type { Clock } from '../Clock.js';
import { encodeUint } from '../options.js';
import type { HandlerStage, IncomingRequest, OutgoingResponse, RequestHandler } from '../Router.js';
import { DecodeError } from '../../transport/DecodeError.js';
import type { Peer } from '../../transport/Peer.js';
import { MAX_SZX, blockSize, encodeBlock, type BlockValue } from './blockOption.js';
import { getBlock1, getBlock2, getSize1, getSize2, requestKey, withoutOptions } from './blockMessages.js';
import type { BlockwiseLimits } from './BlockwiseLimits.js';
import { PeerScopedStore } from './PeerScopedStore.js';
import {
  ReassemblyBuffer,
  type Block1Context,
  type Block1Outcome,
  type ReassemblyLimit,
} from './ReassemblyBuffer.js';

/** Settings of a BlockwiseResponder. */
export interface BlockwiseResponderOptions {
  /** Time source for transfer and cache expiry. */
  readonly clock: Clock;
  /** Largest SZX this endpoint sends or accepts in one block; see `szxForDatagram`. Defaults to 6. */
  readonly maxSzx?: number;
  /** Bounds on reassembly and the Block2 cache; defaults in DEFAULT_BLOCKWISE_LIMITS. */
  readonly limits?: Partial<BlockwiseLimits>;
  /**
   * Who offers a Block1 block: its source, whether it holds a registration, a lower body limit for
   * the resource. Default: the peer's IP address as source, unprivileged, no lower limit.
   */
  readonly block1Context?: (req: IncomingRequest) => Block1Context;
  /** Called each time a reassembly limit refuses a block or drops a transfer. */
  readonly onLimit?: (limit: ReassemblyLimit, source: string) => void;
}

/** The largest SZX whose block, plus up to 128 bytes of header and options, fits in a datagram. */
export function szxForDatagram(maxDatagramSize: number): number {
  let szx = MAX_SZX;
  while (szx > 0 && blockSize(szx) + 128 > maxDatagramSize) szx--;
  return szx;
}

interface CachedResponse {
  readonly response: OutgoingResponse;
  readonly payload: Uint8Array;
}

const O = OptionNumber;
const EMPTY = new Uint8Array(0);

/** Block-wise transfers on the serving side, as a stage around request dispatch. */
export class BlockwiseResponder {
  /** Open Block1 reassemblies (bounded by `limits`). */
  readonly reassembly: ReassemblyBuffer;
  private readonly cache: PeerScopedStore<CachedResponse>;
  private readonly maxSzx: number;
  private readonly block1Context: (req: IncomingRequest) => Block1Context;

  constructor(options: BlockwiseResponderOptions) {
    this.maxSzx = Math.max(0, Math.min(MAX_SZX, options.maxSzx ?? MAX_SZX));
    this.reassembly = new ReassemblyBuffer(options.clock, options.limits, this.maxSzx, options.onLimit);
    this.block1Context = options.block1Context ?? ((req) => ({ source: req.peer.address }));
    const l = this.reassembly.limits;
    this.cache = new PeerScopedStore<CachedResponse>(
      {
        maxPerPeer: l.maxCachedPerPeer,
        maxTotalBytes: l.maxCacheBytes,
        lifetimeMs: l.cacheLifetimeMs,
        onFull: 'evict',
      },
      options.clock,
    );
  }

  /** Cached Block2 representations (all peers). */
  get cachedResponses(): number {
    return this.cache.size;
  }

  /** Bytes charged to the Block2 cache (all peers): payloads, keys and per-entry overhead. */
  get cachedBytes(): number {
    return this.cache.totalBytes;
  }

  /** The stage to put around the router's dispatch. */
  readonly stage: HandlerStage = (next) => (req) => {
    if (!hasBlockOptions(req.message)) {
      // Fast path (almost every request): no Block1/Block2/Size option to act on, and a
      // synchronous handler stays synchronous, so its answer can be piggybacked at once.
      const res = next(req);
      return isPromise(res)
        ? res.then((r) => this.firstBlock(req.peer, req.message, r, undefined, undefined))
        : this.firstBlock(req.peer, req.message, res, undefined, undefined);
    }
    return this.blockRequest(next, req);
  };

  /** A request carrying Block1, Block2, Size1 or Size2 (sections 2.2-2.5 and 4). */
  private async blockRequest(next: RequestHandler, req: IncomingRequest): Promise<OutgoingResponse> {
    let b1: BlockValue | undefined;
    let b2: BlockValue | undefined;
    let size1: number | undefined;
    let size2: number | undefined;
    try {
      b1 = getBlock1(req.message);
      b2 = getBlock2(req.message);
      size1 = getSize1(req.message);
      size2 = getSize2(req.message);
    } catch (e) {
      // RFC 7959 2.2: the reserved SZX 7 in a request MUST be answered 4.00 Bad Request; any
      // other malformed value of these critical options is a bad option (RFC 7252 5.4.1).
      if (e instanceof DecodeError)
        return { code: usesReservedSzx(req.message) ? Code.BAD_REQUEST : Code.BAD_OPTION };
      throw e;
    }
    if (b1) return this.onBlock1(next, req, b1, b2, size1, size2);
    if (b2 && b2.num > 0) return this.onLaterBlock2(next, req, b2);
    return this.firstBlock(req.peer, req.message, await next(req), b2, size2);
  }

  /** For ObserverRegistry's `notificationStage`: each notification goes out as its first block. */
  readonly notificationStage = (
    obs: { readonly peer: Peer; readonly request: CoapMessage },
    response: OutgoingResponse,
  ): OutgoingResponse => this.notification(obs.peer, obs.request, response);

  /**
   * For a notification to `peer` of the relation registered by `registration`: caches the whole
   * representation for the follow-up GETs and returns the response cut to its first block
   * (section 2.6). A response that fits in one block is returned unchanged.
   */
  notification(peer: Peer, registration: CoapMessage, response: OutgoingResponse): OutgoingResponse {
    return this.firstBlock(peer, registration, response, undefined, undefined);
  }

  private async onBlock1(
    next: RequestHandler,
    req: IncomingRequest,
    b1: BlockValue,
    b2: BlockValue | undefined,
    size1: number | undefined,
    size2: number | undefined,
  ): Promise<OutgoingResponse> {
    const context = this.block1Context(req);
    const key = requestKey(req.message);
    const outcome = this.reassembly.offer(req.peer.key, key, b1, req.payload, size1, context);
    if (outcome.kind !== 'complete') return answerBlock1(b1, outcome);
    const message = withoutOptions(req.message, O.BLOCK1, O.SIZE1);
    message.payload = outcome.body;
    const response = await next({ ...req, payload: outcome.body, message });
    // Section 2.3: the final response echoes the last block with M=0; Block2 may follow (3.3).
    const out = this.firstBlock(req.peer, req.message, response, b2 && b2.num === 0 ? b2 : undefined, size2);
    return addOptions(out, { number: O.BLOCK1, value: encodeBlock({ ...b1, more: false }) });
  }

  private async onLaterBlock2(
    next: RequestHandler,
    req: IncomingRequest,
    b2: BlockValue,
  ): Promise<OutgoingResponse> {
    const key = cacheKey(req.message);
    let cached = this.cache.get(req.peer.key, key);
    if (!cached) {
      // The representation is gone (expired, evicted): safe methods are simply run again.
      if (req.method !== Code.GET && req.method !== Code.FETCH)
        return { code: Code.REQUEST_ENTITY_INCOMPLETE };
      const message = withoutOptions(req.message, O.BLOCK2);
      const response = await next({ ...req, message });
      // An error now (the resource went away) or a handler doing its own blocks is answered as is.
      if (codeClass(response.code) !== 2 || response.options?.some((o) => o.number === O.BLOCK2))
        return response;
      const payload = response.payload ?? EMPTY;
      cached = { response: withEtag(response, payload), payload };
      if (cached.payload.length > blockSize(0))
        this.cache.set(req.peer.key, key, cached, cacheCost(req.peer.key, key, cached.payload));
    }
    const szx = Math.min(b2.szx, this.maxSzx);
    const num = b2.num << (b2.szx - szx);
    const size = blockSize(szx);
    // RFC 7959 names no code for a block past the end; the Block2 value is unusable: 4.02.
    if (num * size >= cached.payload.length) return { code: Code.BAD_OPTION };
    const more = (num + 1) * size < cached.payload.length;
    return blockOf(cached, { num, more, szx });
  }

  /** Sends `response` whole if it fits one block, else caches it and sends block 0 with Size2. */
  private firstBlock(
    peer: Peer,
    request: CoapMessage,
    response: OutgoingResponse,
    b2: BlockValue | undefined,
    size2: number | undefined,
  ): OutgoingResponse {
    const payload = response.payload ?? EMPTY;
    if (response.options?.some((o) => o.number === O.BLOCK2)) return response; // the handler blocks itself
    const szx = Math.min(b2?.szx ?? this.maxSzx, this.maxSzx);
    const size = blockSize(szx);
    // Section 2.4: Size2=0 in a request asks for the size; a block-wise response always gives it.
    const sized = size2 === 0 || payload.length > size;
    if (payload.length <= size) {
      const extra: CoapOption[] = [];
      if (b2 && codeClass(response.code) === 2)
        extra.push({ number: O.BLOCK2, value: encodeBlock({ num: 0, more: false, szx }) });
      if (sized) extra.push({ number: O.SIZE2, value: encodeUint(payload.length) });
      return extra.length ? addOptions(response, ...extra) : response;
    }
    // The afterSend hook goes with block 0 only: later blocks are served from the cached copy.
    const { afterSend, ...rest } = response;
    const cached: CachedResponse = { response: withEtag(rest, payload), payload };
    const key = cacheKey(request);
    this.cache.set(peer.key, key, cached, cacheCost(peer.key, key, payload));
    const first = blockOf(cached, { num: 0, more: true, szx });
    return afterSend ? { ...first, afterSend } : first;
  }
}

/**
 * Heap bytes of one cached Block2 representation besides its payload and keys: the CachedResponse
 * and response objects, their options array and ETag, the store entry and three Map entries.
 */
export const CACHE_ENTRY_OVERHEAD_BYTES = 600;

/**
 * Real memory of a cache entry (issue 12, items 2-3): a peer asking for 16-byte blocks makes even
 * a short diagnostic cacheable, so payload bytes alone would undercount spoofed sources ~10 times.
 */
function cacheCost(peerKey: string, key: string, payload: Uint8Array): number {
  return CACHE_ENTRY_OVERHEAD_BYTES + 2 * (peerKey.length + key.length) + payload.length;
}

/** The response to a Block1 block that did not complete the body. */
function answerBlock1(
  b1: BlockValue,
  outcome: Exclude<Block1Outcome, { kind: 'complete' }>,
): OutgoingResponse {
  switch (outcome.kind) {
    case 'continue':
      // Section 2.3: 2.31 echoes the block number, M=1, and the SZX the server prefers.
      return {
        code: Code.CONTINUE,
        options: [{ number: O.BLOCK1, value: encodeBlock({ ...b1, more: true, szx: outcome.szx }) }],
      };
    case 'incomplete':
      return { code: Code.REQUEST_ENTITY_INCOMPLETE, payload: new TextEncoder().encode(outcome.reason) };
    case 'tooLarge':
      // Section 2.9.3: Size1 tells the client the largest body this server takes.
      return {
        code: Code.REQUEST_ENTITY_TOO_LARGE,
        options: [{ number: O.SIZE1, value: encodeUint(outcome.maxBodyBytes) }],
      };
    case 'badRequest':
      return { code: Code.BAD_REQUEST, payload: new TextEncoder().encode(outcome.reason) };
    case 'busy':
      return { code: Code.SERVICE_UNAVAILABLE };
  }
}

/** One block of a cached response: its options, Block2, and Size2 on block 0. */
function blockOf(cached: CachedResponse, block: BlockValue): OutgoingResponse {
  const size = blockSize(block.szx);
  const extra: CoapOption[] = [{ number: O.BLOCK2, value: encodeBlock(block) }];
  if (block.num === 0) extra.push({ number: O.SIZE2, value: encodeUint(cached.payload.length) });
  const out = addOptions(cached.response, ...extra);
  out.payload = cached.payload.subarray(block.num * size, (block.num + 1) * size);
  return out;
}

/** A copy of `response` with more options (replacing any of the same numbers). */
function addOptions(response: OutgoingResponse, ...extra: CoapOption[]): OutgoingResponse {
  const replaced = new Set(extra.map((o) => o.number));
  const options = (response.options ?? []).filter((o) => !replaced.has(o.number)).concat(extra);
  options.sort((a, b) => a.number - b.number);
  return { ...response, options };
}

/** The Block2 cache key: the request key, plus the payload for FETCH (RFC 8132 section 2). */
function cacheKey(msg: CoapMessage): string {
  const key = requestKey(msg);
  return msg.code === Code.FETCH ? `${key}|p:${Buffer.from(msg.payload).toString('hex')}` : key;
}

/**
 * Adds an ETag derived from the body when the handler gave none, so that a client can tell the
 * blocks of one representation from those of the next (RFC 7959 section 2.4; RFC 7252 5.10.6).
 */
function withEtag(response: OutgoingResponse, payload: Uint8Array): OutgoingResponse {
  if (response.options?.some((o) => o.number === O.ETAG)) return response;
  let h = 0x811c9dc5; // FNV-1a, 32 bits, then the length: 8 bytes in all
  for (const b of payload) h = Math.imul(h ^ b, 0x01000193);
  const tag = new Uint8Array(8);
  new DataView(tag.buffer).setUint32(0, h >>> 0);
  new DataView(tag.buffer).setUint32(4, payload.length);
  return addOptions(response, { number: O.ETAG, value: tag });
}

/** Whether a Block1 or Block2 option of `msg` has the reserved SZX 7 (low three bits of its last byte). */
function usesReservedSzx(msg: CoapMessage): boolean {
  return msg.options.some(
    (o) =>
      (o.number === O.BLOCK1 || o.number === O.BLOCK2) &&
      o.value.length > 0 &&
      o.value.length <= 3 &&
      (o.value[o.value.length - 1]! & 7) === 7,
  );
}

/** Whether a request carries any option this stage acts on (Block1, Block2, Size1, Size2). */
function hasBlockOptions(msg: CoapMessage): boolean {
  for (const o of msg.options) {
    const n = o.number;
    if (
      n === OptionNumber.BLOCK1 ||
      n === OptionNumber.BLOCK2 ||
      n === OptionNumber.SIZE1 ||
      n === OptionNumber.SIZE2
    )
      return true;
  }
  return false;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}
