// RFC 7252 section 4 (messaging): message IDs, CON retransmission with exponential back-off
// (4.2, 4.8), ACK/RST matching, duplicate detection (4.5), piggybacked and separate responses
// (5.2.1, 5.2.2), rejecting with RST (4.2, 4.3), NSTART per peer (4.7) and CoAP ping (4.3).
//
// Separate responses: an incoming CON request not answered synchronously is put on a pending
// list; if it is still unanswered `separateAckDelayMs` (default ACK_TIMEOUT / 2 = 1 s) after it
// arrived, an empty ACK goes out and the eventual response is sent as its own CON. One timer
// serves the whole list (it is in arrival order). Retransmit timeouts of all outstanding CONs
// share one DeadlineQueue (one Clock timer), which the exchange layer uses for its deadlines too.
import { ValueTable } from './ValueTable.js';
import type { Peer } from '../transport/Peer.js';
import {
  DATAGRAM_QUEUED,
  isFinalSendFailure,
  type DatagramTransport,
} from '../transport/DatagramTransport.js';
import type { Clock, RandomSource } from './Clock.js';
import { DelayedAcks } from './DelayedAcks.js';
import { MessageType, type CoapMessage } from './CoapMessage.js';
import { decodeMessage, encodeMessage, peekHeader } from './messageCodec.js';
import { DedupCache, DedupState, tokenFingerprint } from './DedupCache.js';
import { PeerIndex, type PeerIndexLimits } from './PeerIndex.js';
import { DeadlineQueue } from './DeadlineQueue.js';
import type { TransmissionParams } from './transmissionParams.js';
import {
  CoapClosedError,
  CoapQueueFullError,
  CoapResetError,
  CoapSendError,
  CoapTimeoutError,
  type CoapError,
} from './errors.js';
import { ConTransmission, type ConListener } from './ConTransmission.js';

export { ConTransmission, type ConListener } from './ConTransmission.js';

/** What the message layer hands upwards (the exchange layer / endpoint). */
export interface MessageLayerUpper {
  /** A new (not duplicate) CON or NON request; answer it with `MessageLayer.respond`. */
  onRequest(msg: CoapMessage, peer: Peer): void;
  /** A response outside an ACK (separate response, notification). False: nobody wants it → RST. */
  onResponse(msg: CoapMessage, peer: Peer): boolean;
  /** A Reset that matched no outstanding CON (e.g. one rejecting a NON notification, RFC 7641 3.6). */
  onUnmatchedReset(peer: Peer, messageId: number): void;
}

/** Settings of a MessageLayer. */
export interface MessageLayerOptions {
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly params: TransmissionParams;
  /** Delay before an unanswered CON request gets an empty ACK. Default ackTimeoutMs / 2. */
  readonly separateAckDelayMs?: number;
  /** CON requests waiting for an NSTART slot, per peer. Default 1024. */
  readonly maxQueuedPerPeer?: number;
  /** Byte cap of the duplicate-detection cache. Default 64 MiB. */
  readonly dedupMaxBytes?: number;
  /** Bounds of the per-peer index (PeerIndex): maxPeers, recentMs, onEvicted. */
  readonly peerLimits?: Partial<PeerIndexLimits>;
}

const ignoreSendError = (): void => undefined;

/** CoAP message layer over one unreliable datagram transport. */
export class MessageLayer {
  /** Duplicate detection store (exposed for metrics and tests). */
  readonly dedup: DedupCache;
  /** Retransmit timeouts here, exchange deadlines in the exchange layer: one timer for all. */
  readonly deadlines: DeadlineQueue;
  /** By numeric (peer, MID) key; a ValueTable, not a Map (see ValueTable.ts: no promotion of finished CONs). */
  private readonly outstanding = new ValueTable<ConTransmission>();
  /**
   * NSTART (RFC 7252 4.7): requests outstanding per peer, by the peer's PeerIndex index, and the
   * requests waiting for a slot. By index, not by the peer's key text: two Map operations on that
   * text per request were about 12% of a server-initiated Read's CPU (issue 17). A transmission
   * keeps the index it counted against (`flow`), so it frees that slot even if its peer's index
   * changes meanwhile (only when the PeerIndex is flooded past its bound).
   */
  private active = new Int32Array(1024);
  private readonly queues = new Map<number, ConTransmission[]>();
  private readonly pendingAcks: DelayedAcks;
  /** Numeric (peer, MID) keys: see PeerIndex. */
  private readonly peers: PeerIndex;
  private syncKey: number | undefined;
  private nextMid: number;
  private closed = false;
  private readonly maxQueuedPerPeer: number;
  private readonly counts = { retransmissions: 0, duplicates: 0, queueFull: 0 };

  constructor(
    private readonly transport: DatagramTransport,
    private readonly upper: MessageLayerUpper,
    private readonly opts: MessageLayerOptions,
  ) {
    this.dedup = new DedupCache(opts.clock, { maxBytes: opts.dedupMaxBytes });
    this.deadlines = new DeadlineQueue(opts.clock);
    this.peers = new PeerIndex(
      opts.clock,
      opts.params.exchangeLifetimeMs + opts.params.maxTransmitWaitMs,
      opts.peerLimits,
    );
    this.nextMid = Math.floor(opts.random() * 0x10000) & 0xffff;
    const delay = opts.separateAckDelayMs ?? opts.params.ackTimeoutMs / 2;
    this.pendingAcks = new DelayedAcks(opts.clock, delay, (key, peer, mid) => {
      this.send(peer, emptyMessage(0x60, mid));
      this.dedup.setState(key, DedupState.EMPTY_ACK);
    });
    this.maxQueuedPerPeer = opts.maxQueuedPerPeer ?? 1024;
  }

  /** Totals since start: CON retransmissions sent, duplicates received, CONs refused by a full per-peer queue. */
  get counters(): Readonly<{ retransmissions: number; duplicates: number; queueFull: number }> {
    return this.counts;
  }

  /** Peers the layer keeps per-message state for (bounded by PeerIndexLimits.maxPeers). */
  get peerCount(): number {
    return this.peers.size;
  }

  /** The bound on peerCount. */
  get maxPeers(): number {
    return this.peers.maxPeers;
  }

  /** Number of CON messages awaiting an ACK. */
  get outstandingCount(): number {
    return this.outstanding.size;
  }

  /**
   * Sends `msg` as CON (assigning its MID) and retransmits until ACK, RST or MAX_RETRANSMIT.
   * `isRequest` CONs obey NSTART per peer and may wait in a bounded queue first. The listener
   * learns the outcome; a full queue fails it synchronously with CoapQueueFullError.
   */
  sendCon(
    peer: Peer,
    msg: CoapMessage,
    listener: ConListener,
    isRequest = true,
    now = this.opts.clock.now(),
  ): ConTransmission {
    msg.type = MessageType.CON;
    const t = new ConTransmission(this, peer, msg, listener, isRequest);
    // Encoded once, here, so an unencodable message throws before any state changes; the MID
    // is patched into bytes 2-3 when it goes out (RFC 7252 3: fixed header position).
    t.bytes = encodeMessage(msg);
    if (this.closed) {
      listener.onFail(new CoapClosedError(), t);
      return t;
    }
    // One clock read (`now`) for the NSTART flow, the MID key and the retransmission deadline.
    if (isRequest) {
      const f = (t.flow = this.peers.indexFor(peer, now));
      if (f >= this.active.length) this.widenActive(f);
      if (this.active[f]! >= this.opts.params.nstart) {
        let q = this.queues.get(f);
        if (!q) this.queues.set(f, (q = []));
        if (q.length >= this.maxQueuedPerPeer) {
          this.counts.queueFull++;
          t.done = true;
          listener.onFail(new CoapQueueFullError(this.maxQueuedPerPeer), t);
        } else q.push(t);
        return t;
      }
      this.active[f]!++;
      this.transmit(t, now, f); // the flow is the peer's index, just noted in use at `now`
      return t;
    }
    this.transmit(t, now);
    return t;
  }

  /** Sends `msg` once as NON, assigning its MID; returns the MID. */
  sendNon(peer: Peer, msg: CoapMessage): number {
    msg.type = MessageType.NON;
    msg.messageId = this.allocateMid(peer);
    this.send(peer, encodeMessage(msg));
    return msg.messageId;
  }

  /** Stops retransmitting (or unqueues) `t` without notifying its listener. */
  cancel(t: ConTransmission): void {
    if (t.done) return;
    t.done = true;
    if (t.messageId < 0) {
      const q = this.queues.get(t.flow);
      const i = q ? q.indexOf(t) : -1;
      if (q && i >= 0) q.splice(i, 1);
      if (q && q.length === 0) this.queues.delete(t.flow);
      return;
    }
    this.deadlines.cancel(t);
    this.outstanding.delete(t.key);
    if (t.isRequest) this.release(t.flow);
  }

  /**
   * Answers `request` with `response` (whose token the caller set): piggybacked in the ACK when
   * the request is a CON not yet acknowledged, else as a separate CON (after an empty ACK), or as
   * NON for a NON request (RFC 7252 5.2). Returns the separate CON transmission, if any.
   */
  respond(
    peer: Peer,
    request: CoapMessage,
    response: CoapMessage,
    listener?: ConListener,
  ): ConTransmission | undefined {
    if (this.closed) return undefined;
    if (request.type === MessageType.CON) {
      const key = this.peers.midKey(peer, request.messageId);
      const sync = key === this.syncKey;
      if (sync || this.pendingAcks.has(key)) {
        response.type = MessageType.ACK;
        response.messageId = request.messageId;
        const bytes = encodeMessage(response); // may throw: nothing consumed yet
        if (sync) this.syncKey = undefined;
        else this.pendingAcks.delete(key);
        this.dedup.setReply(key, bytes);
        this.send(peer, bytes);
        return undefined;
      }
      return this.sendCon(peer, response, listener ?? NO_LISTENER, false);
    }
    this.sendNon(peer, response);
    return undefined;
  }

  /** Sends a Reset for `messageId` (RFC 7252 4.2, 4.3). */
  sendReset(peer: Peer, messageId: number): void {
    this.send(peer, emptyMessage(0x70, messageId));
  }

  /** Handles one incoming datagram. */
  receive(bytes: Uint8Array, peer: Peer): void {
    if (this.closed) return;
    let msg: CoapMessage;
    try {
      msg = decodeMessage(bytes);
    } catch {
      // Format error: a CON is rejected with RST (4.2); anything else is silently ignored (4.3).
      const h = peekHeader(bytes);
      if (h && h.type === MessageType.CON) this.sendReset(peer, h.messageId);
      return;
    }
    const cls = msg.code >> 5;
    if (msg.type === MessageType.ACK) {
      // A request or a reserved class in an ACK is a format error: ignore it (4.2, 12.1).
      if ((cls === 0 && msg.code !== 0) || cls === 1 || cls >= 6) return;
      const t = this.outstandingOf(peer, msg.messageId);
      if (t) this.finish(t, msg, undefined);
      return;
    }
    if (msg.type === MessageType.RST) {
      if (msg.code !== 0) return; // a non-empty RST is a format error: ignore
      const t = this.outstandingOf(peer, msg.messageId);
      if (t) this.finish(t, undefined, new CoapResetError());
      else this.upper.onUnmatchedReset(peer, msg.messageId);
      return;
    }
    const con = msg.type === MessageType.CON;
    // Empty CON is a CoAP ping (4.3), reserved classes 1, 6, 7 are format errors (3): RST a CON.
    if (msg.code === 0 || cls === 1 || cls >= 6) {
      if (con) this.sendReset(peer, msg.messageId);
      return;
    }
    const now = this.opts.clock.now(); // read once for the peer's index and the dedup entry
    const key = this.peers.midKey(peer, msg.messageId, now);
    const p = this.opts.params;
    const seen = this.dedup.check(
      key,
      con ? p.exchangeLifetimeMs : p.nonLifetimeMs,
      tokenFingerprint(msg.token),
      now,
    );
    if (seen !== DedupState.NEW) {
      this.counts.duplicates++;
      if (con) this.replayDuplicate(peer, key, msg.messageId, seen);
      return;
    }
    if (cls === 0) {
      if (!con) {
        this.dedup.setState(key, DedupState.IGNORE);
        this.upper.onRequest(msg, peer);
        return;
      }
      this.syncKey = key;
      this.upper.onRequest(msg, peer);
      if (this.syncKey === key) {
        this.syncKey = undefined;
        this.pendingAcks.add(key, peer, msg.messageId);
      }
      return;
    }
    const wanted = this.upper.onResponse(msg, peer);
    if (con) {
      this.send(peer, emptyMessage(wanted ? 0x60 : 0x70, msg.messageId));
      this.dedup.setState(key, wanted ? DedupState.EMPTY_ACK : DedupState.RESET);
    } else if (!wanted) {
      this.sendReset(peer, msg.messageId);
    } else this.dedup.setState(key, DedupState.IGNORE);
  }

  /** Fails everything outstanding or queued with CoapClosedError and stops all timers. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pendingAcks.clear();
    this.deadlines.clear();
    const all = [...this.outstanding.values(), ...[...this.queues.values()].flat()];
    this.outstanding.clear();
    this.queues.clear();
    this.active.fill(0);
    for (const t of all) {
      this.deadlines.cancel(t);
      if (!t.done) {
        t.done = true;
        t.listener.onFail(new CoapClosedError(), t);
      }
    }
  }

  /** Retransmit timer callback of `t` (called by ConTransmission). */
  onRetransmitTimer(t: ConTransmission): void {
    if (t.done) return;
    if (t.retransmits >= this.opts.params.maxRetransmit) {
      this.finish(t, undefined, new CoapTimeoutError('no ACK after MAX_RETRANSMIT retransmissions'));
      return;
    }
    t.retransmits++;
    this.counts.retransmissions++;
    t.timeoutMs *= 2;
    this.sendOutstanding(t);
    this.deadlines.schedule(t, t.timeoutMs);
  }

  /**
   * Replaces the message `t` carries with `msg` (RFC 7641 4.5.2: a newer notification takes over
   * the retransmission state of an outstanding one): new MID, same counter and timeout, sent now.
   */
  replace(t: ConTransmission, msg: CoapMessage): void {
    if (t.done || t.messageId < 0) return;
    msg.type = MessageType.CON;
    const bytes = encodeMessage(msg); // may throw: the outstanding one stays as it is
    this.outstanding.delete(t.key);
    msg.messageId = this.allocateMid(t.peer);
    t.message = msg;
    t.messageId = msg.messageId;
    t.bytes = bytes;
    setMid(bytes, msg.messageId);
    t.key = this.peers.midKey(t.peer, t.messageId);
    this.outstanding.set(t.key, t);
    this.send(t.peer, t.bytes);
  }

  private transmit(
    t: ConTransmission,
    now = this.opts.clock.now(),
    index = this.peers.indexFor(t.peer, now),
  ): void {
    const base = index * 0x10000; // the peer's midKey of MID 0
    const mid = this.freeMid(base);
    t.messageId = mid;
    t.message.messageId = mid;
    setMid(t.bytes, mid);
    const p = this.opts.params;
    // Initial timeout: random in [ACK_TIMEOUT, ACK_TIMEOUT * ACK_RANDOM_FACTOR] (4.2).
    t.timeoutMs = p.ackTimeoutMs * (1 + this.opts.random() * (p.ackRandomFactor - 1));
    t.key = base + mid;
    this.outstanding.set(t.key, t);
    this.sendOutstanding(t);
    this.deadlines.schedule(t, t.timeoutMs, now);
  }

  /** The CON outstanding to `peer` with message ID `mid`, if any (a lookup: no index is assigned). */
  private outstandingOf(peer: Peer, mid: number): ConTransmission | undefined {
    const index = this.peers.peek(peer);
    return index < 0 ? undefined : this.outstanding.get(index * 0x10000 + mid);
  }

  /**
   * Sends (or resends) `t`. A final send failure (the peer refused the secured session, RFC 5246
   * 7.2) ends `t` at once: retransmitting until MAX_TRANSMIT_WAIT would only be refused again.
   */
  private sendOutstanding(t: ConTransmission): void {
    if (this.closed) return;
    const sent = this.transport.send(t.peer, t.bytes);
    if (sent !== DATAGRAM_QUEUED) this.watchSend(sent, t, t.messageId);
  }

  /** Ends `t` when the send of its transmission `messageId` fails for good (see sendOutstanding). */
  private watchSend(sent: Promise<void>, t: ConTransmission, messageId: number): void {
    sent.catch((e: unknown) => {
      if (!t.done && t.messageId === messageId && isFinalSendFailure(e))
        this.finish(t, undefined, new CoapSendError(e));
    });
  }

  private finish(t: ConTransmission, ack: CoapMessage | undefined, error: CoapError | undefined): void {
    t.done = true;
    this.deadlines.cancel(t);
    this.outstanding.delete(t.key);
    if (t.isRequest) this.release(t.flow);
    if (ack) t.listener.onAck(ack, t);
    else t.listener.onFail(error!, t);
  }

  /** Frees an NSTART slot of the peer index `flow` and starts the next queued request, if any. */
  private release(flow: number): void {
    const q = this.queues.size === 0 ? undefined : this.queues.get(flow);
    const next = q?.shift();
    if (next) {
      if (q!.length === 0) this.queues.delete(flow);
      this.transmit(next);
      return;
    }
    if (this.active[flow]! > 0) this.active[flow]!--;
  }

  /** Grows `active` to hold index `f` (indexes stay below 2 * maxPeers). */
  private widenActive(f: number): void {
    let n = this.active.length * 2;
    while (n <= f) n *= 2;
    const wider = new Int32Array(n);
    wider.set(this.active);
    this.active = wider;
  }

  private allocateMid(peer: Peer): number {
    return this.freeMid(this.peers.midKey(peer, 0));
  }

  /** The next message ID not outstanding with the peer whose keys start at `base` (its midKey of 0). */
  private freeMid(base: number): number {
    for (;;) {
      const mid = this.nextMid;
      this.nextMid = (mid + 1) & 0xffff;
      if (!this.outstanding.has(base + mid)) return mid;
    }
  }

  private replayDuplicate(peer: Peer, key: number, mid: number, seen: DedupState): void {
    if (seen === DedupState.EMPTY_ACK) this.send(peer, emptyMessage(0x60, mid));
    else if (seen === DedupState.RESET) this.sendReset(peer, mid);
    else if (seen === DedupState.REPLY) {
      const bytes = this.dedup.replay(key);
      if (bytes) this.send(peer, bytes);
    }
  }

  private send(peer: Peer, bytes: Uint8Array): void {
    if (this.closed) return;
    const sent = this.transport.send(peer, bytes);
    if (sent !== DATAGRAM_QUEUED) sent.catch(ignoreSendError);
  }
}

const NO_LISTENER: ConListener = { onAck: () => undefined, onFail: () => undefined };

/** Writes a message ID into bytes 2-3 of an encoded message. */
function setMid(bytes: Uint8Array, mid: number): void {
  bytes[2] = mid >>> 8;
  bytes[3] = mid & 0xff;
}

/** The 4 bytes of an empty message: `first` is 0x60 (ACK) or 0x70 (RST), version 1, TKL 0. */
function emptyMessage(first: number, mid: number): Uint8Array {
  const b = new Uint8Array(4);
  b[0] = first;
  b[2] = mid >>> 8;
  b[3] = mid & 0xff;
  return b;
}
