// Issue 16 item 3: a bounded log of the CoAP messages to and from the clients an operator watches
// (RFC 7252 section 3 for what each entry shows). Only watched endpoints are recorded, each in a
// ring of its last `entriesPerEndpoint` messages; at most `maxWatched` endpoints at once; a watch
// ends `watchTtlMs` after it was last renewed. When nothing is watched, `active` is false and the
// transport tap (tapTransport.ts) does not call in at all.
import type { Clock, WallClock } from '../coap/Clock.js';
import { OldestFirst } from '../transport/OldestFirst.js';
import { summarizeCoapMessage, type CoapMessageSummary } from './coapMessageSummary.js';

/** Bounds of the message log. */
export interface CoapMessageLogLimits {
  /** Messages kept per watched endpoint (the oldest go first). Default 200. */
  readonly entriesPerEndpoint: number;
  /** Endpoints watched at once; one more watch is refused. Default 20. */
  readonly maxWatched: number;
  /** A watch ends this long after its last renewal, ms. Default 300 000 (5 minutes). */
  readonly watchTtlMs: number;
}

/** Defaults of CoapMessageLogLimits. */
export const DEFAULT_MESSAGE_LOG_LIMITS: CoapMessageLogLimits = Object.freeze({
  entriesPerEndpoint: 200,
  maxWatched: 20,
  watchTtlMs: 300_000,
});

/** One logged message. */
export interface CoapMessageEntry extends CoapMessageSummary {
  /** Order of recording, from 1 (per log). */
  readonly seq: number;
  /** Wall-clock time, ms. */
  readonly at: number;
  /** 'in': from the client; 'out': to the client. */
  readonly direction: 'in' | 'out';
  /** For a response: ms since the request it answers (same token, other direction) was logged. */
  readonly rttMs?: number;
}

/** A watch as the API shows it. */
export interface MessageWatch {
  readonly endpoint: string;
  /** Time left before the watch ends unless renewed, ms. */
  readonly expiresInMs: number;
}

/** Counters of the log (for metrics and the API). */
export interface CoapMessageLogStats {
  readonly watched: number;
  /** Messages recorded since start. */
  readonly recorded: number;
  /** Watches refused because maxWatched were running. */
  readonly refusedWatches: number;
  /** Watches ended because they were not renewed. */
  readonly expiredWatches: number;
}

interface Watch {
  readonly endpoint: string;
  peerKey: string;
  expiresAt: number;
  readonly ring: (CoapMessageEntry | undefined)[];
  next: number;
  /** `${direction}|${token}` of requests not answered yet → monotonic time. */
  readonly pending: Map<string, number>;
  readonly oldestPending: OldestFirst<string, number>;
}

/** The log; `record` is called by the transport tap for every datagram while `active`. */
export class CoapMessageLog {
  /** True while at least one endpoint is watched (read by the tap on every datagram). */
  active = false;
  private readonly limits: CoapMessageLogLimits;
  private readonly byEndpoint = new Map<string, Watch>();
  private readonly byPeer = new Map<string, Watch>();
  private readonly entryListeners = new Set<(endpoint: string, entry: CoapMessageEntry) => void>();
  private readonly activeListeners = new Set<(active: boolean) => void>();
  private nextExpiry = Infinity;
  private seq = 0;
  private refused = 0;
  private expired = 0;

  constructor(
    limits: Partial<CoapMessageLogLimits> = {},
    private readonly clock: Pick<Clock, 'now'>,
    private readonly wallClock: WallClock,
  ) {
    this.limits = { ...DEFAULT_MESSAGE_LOG_LIMITS, ...limits };
  }

  /** The bounds in force. */
  get settings(): CoapMessageLogLimits {
    return this.limits;
  }

  /** Counters. */
  stats(): CoapMessageLogStats {
    this.sweep();
    return {
      watched: this.byEndpoint.size,
      recorded: this.seq,
      refusedWatches: this.refused,
      expiredWatches: this.expired,
    };
  }

  /**
   * Starts or renews the watch of `endpoint`, whose client sends from `peerKey`. Undefined when
   * maxWatched other endpoints are watched (refused and counted).
   */
  watch(endpoint: string, peerKey: string): MessageWatch | undefined {
    this.sweep();
    const now = this.clock.now();
    let w = this.byEndpoint.get(endpoint);
    if (!w) {
      if (this.byEndpoint.size >= this.limits.maxWatched) {
        this.refused++;
        return undefined;
      }
      const pending = new Map<string, number>();
      w = {
        endpoint,
        peerKey,
        expiresAt: 0,
        ring: [],
        next: 0,
        pending,
        oldestPending: new OldestFirst(pending),
      };
      this.byEndpoint.set(endpoint, w);
    }
    this.moved(endpoint, peerKey);
    w.expiresAt = now + this.limits.watchTtlMs;
    this.nextExpiry = Math.min(this.nextExpiry, w.expiresAt);
    this.setActive();
    return { endpoint, expiresInMs: this.limits.watchTtlMs };
  }

  /** Ends the watch of `endpoint` and drops its messages; false when it was not watched. */
  unwatch(endpoint: string): boolean {
    const w = this.byEndpoint.get(endpoint);
    if (!w) return false;
    this.byEndpoint.delete(endpoint);
    if (this.byPeer.get(w.peerKey) === w) this.byPeer.delete(w.peerKey);
    this.setActive();
    return true;
  }

  /** The client of a watched `endpoint` now sends from `peerKey` (a new registration or address). */
  moved(endpoint: string, peerKey: string): void {
    const w = this.byEndpoint.get(endpoint);
    if (!w) return;
    if (this.byPeer.get(w.peerKey) === w) this.byPeer.delete(w.peerKey);
    w.peerKey = peerKey;
    this.byPeer.set(peerKey, w);
  }

  /** Whether `endpoint` is watched now. */
  isWatched(endpoint: string): boolean {
    this.sweep();
    return this.byEndpoint.has(endpoint);
  }

  /** The messages of watched `endpoint`, oldest first; undefined when it is not watched. */
  entries(endpoint: string): CoapMessageEntry[] | undefined {
    this.sweep();
    const w = this.byEndpoint.get(endpoint);
    if (!w) return undefined;
    const n = w.ring.length;
    const out: CoapMessageEntry[] = [];
    for (let i = 0; i < n; i++) out.push(w.ring[(w.next + i) % n]!);
    return out;
  }

  /** Forgets the messages of `endpoint` (the watch goes on); false when it is not watched. */
  clear(endpoint: string): boolean {
    const w = this.byEndpoint.get(endpoint);
    if (!w) return false;
    w.ring.length = 0;
    w.next = 0;
    w.pending.clear();
    return true;
  }

  /** Called with each entry recorded; returns the unsubscribe function. */
  onEntry(listener: (endpoint: string, entry: CoapMessageEntry) => void): () => void {
    this.entryListeners.add(listener);
    return () => void this.entryListeners.delete(listener);
  }

  /** Called when `active` changes; returns the unsubscribe function. */
  onActiveChange(listener: (active: boolean) => void): () => void {
    this.activeListeners.add(listener);
    return () => void this.activeListeners.delete(listener);
  }

  /** Records datagram `bytes` to ('out') or from ('in') the peer `peerKey` if its endpoint is watched. */
  record(direction: 'in' | 'out', peerKey: string, bytes: Uint8Array): void {
    if (this.clock.now() >= this.nextExpiry) this.sweep();
    const w = this.byPeer.get(peerKey);
    if (!w) return;
    const summary = summarizeCoapMessage(bytes);
    const now = this.clock.now();
    let rttMs: number | undefined;
    if (summary.kind === 'request') {
      const key = `${direction}|${summary.token}`;
      if (!w.pending.has(key)) {
        if (w.pending.size >= this.limits.entriesPerEndpoint) w.oldestPending.evict();
        w.pending.set(key, now);
      }
    } else if (summary.kind === 'response') {
      const key = `${direction === 'in' ? 'out' : 'in'}|${summary.token}`;
      const sent = w.pending.get(key);
      if (sent !== undefined) {
        rttMs = now - sent;
        w.pending.delete(key);
      }
    }
    const entry: CoapMessageEntry = {
      seq: ++this.seq,
      at: this.wallClock.now(),
      direction,
      ...summary,
      ...(rttMs === undefined ? {} : { rttMs }),
    };
    if (w.ring.length < this.limits.entriesPerEndpoint) w.ring.push(entry);
    else {
      w.ring[w.next] = entry;
      w.next = (w.next + 1) % w.ring.length;
    }
    for (const listener of this.entryListeners) listener(w.endpoint, entry);
  }

  /** Ends the watches whose time is up. */
  private sweep(): void {
    const now = this.clock.now();
    if (now < this.nextExpiry) return;
    this.nextExpiry = Infinity;
    for (const w of [...this.byEndpoint.values()]) {
      if (w.expiresAt <= now) {
        this.expired++;
        this.unwatch(w.endpoint);
      } else this.nextExpiry = Math.min(this.nextExpiry, w.expiresAt);
    }
  }

  private setActive(): void {
    const active = this.byEndpoint.size > 0;
    if (active === this.active) return;
    this.active = active;
    for (const listener of this.activeListeners) listener(active);
  }
}
