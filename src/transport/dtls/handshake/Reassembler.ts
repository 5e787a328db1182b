// Handshake message reassembly for one handshake (RFC 6347 sections 4.2.2 and 4.2.3): fragments
// in, whole messages out in message_seq order. Fragments may arrive out of order, overlap, or
// repeat; messages of the next few sequence numbers are buffered until their turn.
//
// Everything a peer can make us keep is bounded: a message longer than `maxMessageLength`
// (default 8 KiB, Scandium's bound) is refused, at most `maxPendingMessages` (default 8) sequence
// numbers ahead are buffered, and a message is kept as at most `maxRanges` disjoint received
// ranges (default 32), so a peer sending every other byte cannot make the range list grow.
// A fragment of an already delivered message reports 'old': the peer retransmitted its flight,
// which is the caller's cue to resend its own last flight (RFC 6347 4.2.4), never to restart.

import { pooledBytes } from '../record/pooledBytes.js';
import type { HandshakeFragment } from './messages/HandshakeHeader.js';

/** A reassembled handshake message. */
export interface HandshakeMessage {
  readonly msgType: number;
  readonly messageSeq: number;
  readonly body: Uint8Array;
}

/** What happened to a fragment. */
export type FragmentOutcome =
  /** Stored (or it completed its message). */
  | 'accepted'
  /** Its bytes were all received already. */
  | 'duplicate'
  /** Its message was already delivered: a retransmission by the peer. */
  | 'old'
  /** Too far ahead of the next expected message; dropped. */
  | 'future'
  /** Disagrees with earlier fragments of its message (type or length); dropped. */
  | 'invalid'
  /** Over a configured bound; dropped. */
  | 'limit';

/** Bounds of a Reassembler. */
export interface ReassemblerOptions {
  /** Longest message body accepted, bytes (default 8192). */
  readonly maxMessageLength?: number;
  /** How many sequence numbers from the next expected one are buffered (default 8). */
  readonly maxPendingMessages?: number;
  /** Most disjoint byte ranges kept per incomplete message (default 32). */
  readonly maxRanges?: number;
}

/** Default bounds. */
export const DEFAULT_REASSEMBLER_OPTIONS: Required<ReassemblerOptions> = {
  maxMessageLength: 8192,
  maxPendingMessages: 8,
  maxRanges: 32,
};

interface Pending {
  readonly msgType: number;
  readonly body: Uint8Array;
  /** Sorted, disjoint, non-adjacent [start, end) ranges received. */
  ranges: [number, number][];
}

const isComplete = (p: Pending): boolean =>
  p.body.length === 0 ||
  (p.ranges.length === 1 && p.ranges[0]![0] === 0 && p.ranges[0]![1] === p.body.length);

/** Puts the fragments of one handshake's incoming messages together, in order. */
export class Reassembler {
  private readonly options: Required<ReassemblerOptions>;
  private readonly pending = new Map<number, Pending>();
  private next: number;

  /** `firstSeq` is the message_seq expected first (e.g. 1 after a HelloVerifyRequest exchange). */
  constructor(options: ReassemblerOptions = {}, firstSeq = 0) {
    this.options = { ...DEFAULT_REASSEMBLER_OPTIONS, ...options };
    this.next = firstSeq;
  }

  /** The message_seq of the next message `take` will deliver. */
  get nextSeq(): number {
    return this.next;
  }

  /** Bytes held for messages not yet delivered. */
  get bufferedBytes(): number {
    let n = 0;
    for (const p of this.pending.values()) n += p.body.length;
    return n;
  }

  /** Adds one fragment. */
  add(f: HandshakeFragment): FragmentOutcome {
    if (f.messageSeq < this.next) return 'old';
    if (f.messageSeq >= this.next + this.options.maxPendingMessages) return 'future';
    if (f.length > this.options.maxMessageLength) return 'limit';
    if (f.fragmentOffset + f.body.length > f.length) return 'invalid';
    let p = this.pending.get(f.messageSeq);
    if (!p && f.fragmentOffset === 0 && f.body.length === f.length) {
      // the usual case, a whole message in one fragment: one copy, no range bookkeeping
      const body = pooledBytes(f.length);
      body.set(f.body);
      this.pending.set(f.messageSeq, { msgType: f.msgType, body, ranges: [[0, f.length]] });
      return 'accepted';
    }
    if (!p) {
      p = { msgType: f.msgType, body: new Uint8Array(f.length), ranges: [] };
      this.pending.set(f.messageSeq, p);
    } else if (p.msgType !== f.msgType || p.body.length !== f.length) {
      return 'invalid';
    }
    const start = f.fragmentOffset;
    const end = start + f.body.length;
    if (end === start) return isComplete(p) && f.length > 0 ? 'duplicate' : 'accepted';
    const merged = mergeRange(p.ranges, start, end);
    if (merged === undefined) return 'duplicate';
    if (merged.length > this.options.maxRanges) return 'limit';
    p.body.set(f.body, start);
    p.ranges = merged;
    return 'accepted';
  }

  /** The next message in order once all of it arrived; undefined until then. */
  take(): HandshakeMessage | undefined {
    const p = this.pending.get(this.next);
    if (!p || !isComplete(p)) return undefined;
    this.pending.delete(this.next);
    return { msgType: p.msgType, messageSeq: this.next++, body: p.body };
  }
}

/**
 * `ranges` with [start, end) added (merging overlapping and adjacent ranges), or undefined when
 * the range was already covered entirely.
 */
function mergeRange(
  ranges: readonly [number, number][],
  start: number,
  end: number,
): [number, number][] | undefined {
  if (ranges.some(([s, e]) => s <= start && end <= e)) return undefined;
  const out: [number, number][] = [];
  let s = start;
  let e = end;
  for (const r of ranges) {
    if (r[1] < s || r[0] > e) out.push(r);
    else {
      s = Math.min(s, r[0]);
      e = Math.max(e, r[1]);
    }
  }
  out.push([s, e]);
  out.sort((a, b) => a[0] - b[0]);
  return out;
}
