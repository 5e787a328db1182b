// One handshake flight (RFC 6347 section 4.2.4): its messages packed into records and datagrams
// under the path MTU, with the messages that do not fit fragmented (4.2.3), and retransmitted on
// a timer with exponential back-off until the peer's next flight stops it.
//
// Timer values (4.2.4.1): 1 s initial, doubled at each expiry, capped at 60 s; after
// `maxRetransmissions` the flight gives up and the handshake fails (a bound RFC 7925 section 11
// leaves to the implementation; default 6, about a minute in all). A flight that ends a handshake
// (the server's last, 4.2.4's "final flight") runs no timer: it is only sent again when the peer
// retransmits its own last flight. Every (re)transmission seals fresh records: new sequence
// numbers, same message_seq (4.2.2).

import { ContentType, RECORD_HEADER_LENGTH } from '../record/RecordCodec.js';
import type { EpochKeys } from '../record/EpochKeys.js';
import { pooledBytes } from '../record/pooledBytes.js';
import type { DtlsClock, DtlsTimer } from '../DtlsClock.js';
import { encodeHandshakeFragment, HANDSHAKE_HEADER_LENGTH } from './messages/HandshakeHeader.js';

/** One item of a flight: a handshake message, or a ChangeCipherSpec. */
export type FlightItem =
  | {
      readonly kind: 'handshake';
      readonly epoch: number;
      readonly msgType: number;
      readonly messageSeq: number;
      readonly body: Uint8Array;
    }
  | { readonly kind: 'changeCipherSpec'; readonly epoch: number };

/** Retransmission and packing settings. */
export interface FlightOptions {
  /** Largest datagram sent, bytes (default 1152). */
  readonly mtu?: number;
  /** First retransmission timeout, ms (default 1000, RFC 6347 4.2.4.1). */
  readonly initialTimeoutMs?: number;
  /** Longest retransmission timeout, ms (default 60 000). */
  readonly maxTimeoutMs?: number;
  /** Retransmissions before giving up (default 6). */
  readonly maxRetransmissions?: number;
}

/** Defaults of FlightOptions. */
export const DEFAULT_FLIGHT_OPTIONS: Required<FlightOptions> = {
  mtu: 1152,
  initialTimeoutMs: 1000,
  maxTimeoutMs: 60_000,
  maxRetransmissions: 6,
};

/** Smallest MTU the packer accepts: a record header, a handshake header, overhead and one byte. */
const MIN_MTU = 64;

/**
 * Seals `items` into datagrams of at most `mtu` bytes: whole records are packed together while
 * they fit, and a handshake message too large for an empty datagram is split into fragments.
 */
export function packFlight(items: readonly FlightItem[], keys: EpochKeys, mtu: number): Uint8Array[] {
  if (mtu < MIN_MTU) throw new RangeError(`mtu ${mtu} below ${MIN_MTU}`);
  const datagrams: Uint8Array[] = [];
  let current: Uint8Array[] = [];
  let used = 0;
  const push = (record: Uint8Array): void => {
    if (used + record.length > mtu && current.length > 0) {
      datagrams.push(concat(current, used));
      current = [];
      used = 0;
    }
    current.push(record);
    used += record.length;
  };
  for (const item of items) {
    const overhead = RECORD_HEADER_LENGTH + (item.epoch === 0 ? 0 : keys.protectionOverhead);
    if (item.kind === 'changeCipherSpec') {
      push(keys.seal(item.epoch, ContentType.changeCipherSpec, Uint8Array.of(1)));
      continue;
    }
    const room = mtu - overhead - HANDSHAKE_HEADER_LENGTH;
    const { msgType, messageSeq, body } = item;
    // a message that fits a fresh datagram is never split; one that does not fill what is left
    // of the current one starts a new datagram
    const chunk = body.length <= room ? Math.max(body.length, 1) : room;
    for (let offset = 0; offset === 0 || offset < body.length; offset += chunk) {
      const part = body.subarray(offset, Math.min(body.length, offset + chunk));
      const fragment = encodeHandshakeFragment({
        msgType,
        length: body.length,
        messageSeq,
        fragmentOffset: offset,
        body: part,
      });
      push(keys.seal(item.epoch, ContentType.handshake, fragment));
    }
  }
  if (current.length > 0) datagrams.push(concat(current, used));
  return datagrams;
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = pooledBytes(length); // every byte is written below
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A flight in progress: sends, retransmits on the clock, stops. */
export class Flight {
  private readonly options: Required<FlightOptions>;
  private timer: DtlsTimer | undefined;
  private timeoutMs: number;
  private retransmissions = 0;
  private stopped = false;

  constructor(
    private readonly items: readonly FlightItem[],
    private readonly keys: EpochKeys,
    private readonly send: (datagram: Uint8Array) => void,
    private readonly clock: DtlsClock,
    options: FlightOptions,
    /** Called once when the last retransmission went unanswered; undefined: a final flight, no timer. */
    private readonly onGiveUp: (() => void) | undefined,
  ) {
    this.options = { ...DEFAULT_FLIGHT_OPTIONS, ...options };
    this.timeoutMs = this.options.initialTimeoutMs;
  }

  /** Transmissions so far after the first. */
  get retransmissionCount(): number {
    return this.retransmissions;
  }

  /** Sends the flight and arms the retransmission timer. */
  start(): void {
    this.transmit();
    this.arm();
  }

  /** Sends the flight again now (the peer retransmitted its previous flight). */
  resend(): void {
    if (!this.stopped) this.transmit();
  }

  /** Stops retransmitting (the peer's next flight arrived, or the handshake ended). */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private transmit(): void {
    for (const d of packFlight(this.items, this.keys, this.options.mtu)) this.send(d);
  }

  private arm(): void {
    if (!this.onGiveUp || this.stopped) return;
    this.timer = this.clock.setTimer(this.timeoutMs, () => this.expire());
  }

  private expire(): void {
    this.timer = undefined;
    if (this.stopped) return;
    if (this.retransmissions >= this.options.maxRetransmissions) {
      this.stop();
      this.onGiveUp?.();
      return;
    }
    this.retransmissions++;
    this.timeoutMs = Math.min(this.timeoutMs * 2, this.options.maxTimeoutMs);
    this.transmit();
    this.arm();
  }
}
