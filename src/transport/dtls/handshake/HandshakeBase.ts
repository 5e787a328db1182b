// What the server and client handshakes share (RFC 6347 section 4.2): records in, one at a time
// and in order even across an asynchronous credentials lookup; handshake fragments through the
// Reassembler; the epoch rules; flights; alerts out. Subclasses are the two state machines.
//
// Rules enforced here for both roles (research/dtls.md 6.3, the CVE list):
// - a handshake message must come in the epoch its place in the handshake implies: Finished in
//   epoch 1 only (contiki-ng#998), every other one in epoch 0; otherwise unexpected_message;
// - records of an epoch not readable yet, replays and records that do not authenticate are
//   dropped silently (4.1.2.7); so is anything once the handshake failed;
// - a repeat of the peer's previous flight (its last message arriving again) makes us resend
//   our last flight (4.2.4), once per repeat, and never restarts anything (californium#931);
// - nothing throws out: every failure becomes a fatal alert (when one is due) and `onFailed`.

import { DecodeError } from '../../DecodeError.js';
import type { PeerIdentity } from '../../Peer.js';
import type { DtlsClock } from '../DtlsClock.js';
import { ContentType, type DtlsRecord } from '../record/RecordCodec.js';
import { EpochKeys, type DtlsRole } from '../record/EpochKeys.js';
import type { OpenedRecord } from '../record/RecordProtection.js';
import { AlertDescription, AlertLevel, decodeAlert, encodeAlert, endsConnection } from './alerts.js';
import { Flight, type FlightItem, type FlightOptions } from './Flight.js';
import { TranscriptHash } from './KeySchedule.js';
import {
  decodeHandshakeFragments,
  encodeHandshakeMessage,
  HandshakeType,
  type HandshakeFragment,
} from './messages/HandshakeHeader.js';
import { Reassembler, type HandshakeMessage, type ReassemblerOptions } from './Reassembler.js';

/** What a handshake needs from its transport. */
export interface HandshakeContext {
  readonly clock: DtlsClock;
  /** Sends one datagram to the peer. */
  send(datagram: Uint8Array): void;
  /** Cryptographically strong random bytes. */
  random(n: number): Uint8Array;
  readonly flight?: FlightOptions;
  readonly reassembler?: ReassemblerOptions;
}

/** How a handshake reports its end. */
export interface HandshakeEvents {
  /** The handshake completed; the peer authenticated as `identity`. */
  onComplete(identity: PeerIdentity): void;
  /**
   * The handshake failed (alert sent or received, timeout, bad input); nothing to keep. `fatal`:
   * it ended with a fatal alert, sent or received (RFC 5246 7.2: the connection is over, and a
   * new attempt with the same credentials meets the same refusal); false on a timeout.
   */
  onFailed(reason: string, fatal: boolean): void;
}

/** Thrown inside a state machine to end the handshake with a fatal alert; never escapes. */
export class HandshakeAbort extends Error {
  constructor(
    readonly description: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** A record as received, one the connection already opened (after completion), or a step of ours. */
type Queued =
  | { readonly record: DtlsRecord }
  | { readonly opened: OpenedRecord; readonly epoch: number }
  | { readonly task: () => Promise<void> | void };

/** Most records queued while a step (a credentials lookup) is pending. */
const MAX_QUEUED_RECORDS = 16;

/** The shared machinery of one DTLS 1.2 handshake. */
export abstract class HandshakeBase {
  /** The association's record state; it becomes the connection's once the handshake completes. */
  readonly keys: EpochKeys;
  protected readonly transcript = new TranscriptHash();
  protected reassembler: Reassembler;
  /** message_seq of our next message. */
  protected nextSendSeq = 0;
  /** message_seq of the last message of the peer's last complete flight (-1: none yet). */
  protected peerFlightEnd = -1;
  protected flight: Flight | undefined;
  private readonly queue: Queued[] = [];
  private busy = false;
  private renegotiationRefused = false;
  /** 'running' until it completes or fails. */
  status: 'running' | 'complete' | 'failed' = 'running';
  /** True once our last flight is a final one (RFC 6347 4.2.4): the connection keeps it for resends. */
  sentFinalFlight = false;

  constructor(
    role: DtlsRole,
    protected readonly ctx: HandshakeContext,
    protected readonly events: HandshakeEvents,
    firstPeerSeq: number,
  ) {
    this.keys = new EpochKeys(role);
    this.reassembler = new Reassembler(ctx.reassembler, firstPeerSeq);
  }

  /** Feeds one record from the peer; processing is serialized and never throws. */
  receive(record: DtlsRecord): void {
    if (this.status === 'failed') return;
    if (this.queue.length >= MAX_QUEUED_RECORDS) return; // dropped: the peer retransmits
    this.queue.push({ record });
    this.drain();
  }

  /** Feeds a record the established connection already opened (a repeat of the peer's flight). */
  receiveOpened(opened: OpenedRecord, epoch: number): void {
    if (this.status === 'failed' || this.queue.length >= MAX_QUEUED_RECORDS) return;
    this.queue.push({ opened, epoch });
    this.drain();
  }

  /**
   * Takes the records queued behind the one that completed the handshake (the peer's first
   * application data can arrive while the last handshake step runs); the connection handles them.
   */
  takeQueuedRecords(): DtlsRecord[] {
    const out: DtlsRecord[] = [];
    for (const q of this.queue.splice(0)) if ('record' in q) out.push(q.record);
    return out;
  }

  /** Stops timers; the handshake then ignores everything (its owner dropped it). */
  dispose(): void {
    this.flight?.stop();
    this.queue.length = 0;
    if (this.status === 'running') this.status = 'failed';
  }

  /** ClientHello.random and the master secret, for the key log (after completion). */
  abstract keyLogSecrets(): { readonly clientRandom: Uint8Array; readonly master: Uint8Array };

  /** Runs `task` in turn with the records (nothing is processed while it awaits); errors fail the handshake. */
  protected enqueue(task: () => Promise<void> | void): void {
    this.queue.push({ task });
    this.drain();
  }

  /** Handles one reassembled message of the peer, in order. */
  protected abstract onMessage(message: HandshakeMessage, wire: Uint8Array): Promise<void> | void;
  /** Handles the peer's ChangeCipherSpec. */
  protected abstract onChangeCipherSpec(): void;
  /** Handles application data received before completion. */
  protected abstract onEarlyApplicationData(): void;

  /** Sends a new flight of `items` (stopping the previous one); `final`: no retransmission timer. */
  protected sendFlight(items: readonly FlightItem[], final = false): void {
    this.flight?.stop();
    this.sentFinalFlight = final;
    this.flight = new Flight(
      items,
      this.keys,
      (d) => this.ctx.send(d),
      this.ctx.clock,
      this.ctx.flight ?? {},
      final ? undefined : () => this.fail(undefined, 'peer did not answer the flight'),
    );
    this.flight.start();
  }

  /** A handshake FlightItem for our next message. */
  protected message(msgType: number, body: Uint8Array, epoch = 0): FlightItem {
    return { kind: 'handshake', epoch, msgType, messageSeq: this.nextSendSeq++, body };
  }

  /** The transcript form of a message we send (4.2.6: unfragmented header). */
  protected static wire(item: FlightItem): Uint8Array {
    if (item.kind !== 'handshake') throw new Error('not a handshake message');
    return encodeHandshakeMessage(item.msgType, item.messageSeq, item.body);
  }

  /** Marks the handshake complete; its last flight stays available for resends. */
  protected complete(identity: PeerIdentity): void {
    this.status = 'complete';
    this.events.onComplete(identity);
  }

  /** Ends the handshake: a fatal alert when `description` is given, then `onFailed`. */
  protected fail(description: number | undefined, reason: string, alertReceived = false): void {
    if (this.status === 'failed') return;
    const wasComplete = this.status === 'complete';
    this.status = 'failed';
    this.flight?.stop();
    this.queue.length = 0;
    if (description !== undefined) this.sendAlert(AlertLevel.fatal, description);
    if (!wasComplete)
      this.events.onFailed(
        reason,
        alertReceived || (description !== undefined && description !== AlertDescription.internalError),
      );
  }

  /** Sends an alert in the current write epoch. */
  protected sendAlert(level: number, description: number): void {
    try {
      this.ctx.send(this.keys.seal(this.keys.writeEpoch, ContentType.alert, encodeAlert(level, description)));
    } catch {
      // sealing cannot fail for a two-byte alert; a closed socket is the transport's business
    }
  }

  /**
   * Processes the queue in order. Steps run synchronously while they can; one that returns a
   * promise (an asynchronous credentials lookup) suspends the queue until it settles. A
   * handshake storm makes this the server's busiest loop: no promise per record or message
   * unless a step is really asynchronous.
   */
  private drain(): void {
    if (this.busy) return;
    this.busy = true;
    this.resume();
  }

  private resume(): void {
    try {
      while (this.queue.length > 0 && this.status !== 'failed') {
        const step = this.handle(this.queue.shift()!);
        if (step) {
          step.then(
            () => this.resume(),
            (e: unknown) => this.stopOn(e),
          );
          return;
        }
      }
    } catch (e) {
      this.stopOn(e);
      return;
    }
    this.busy = false;
  }

  /** Fails the handshake for an error a step threw, and ends this drain. */
  private stopOn(e: unknown): void {
    this.busy = false;
    if (e instanceof HandshakeAbort) this.fail(e.description, e.message);
    else if (e instanceof DecodeError) this.fail(AlertDescription.decodeError, e.message);
    else this.fail(AlertDescription.internalError, e instanceof Error ? e.message : 'internal error');
  }

  private handle(item: Queued): Promise<void> | void {
    if ('task' in item) return item.task();
    const opened = 'record' in item ? this.keys.open(item.record) : item.opened;
    if (!opened) return;
    const epoch = 'record' in item ? item.record.epoch : item.epoch;
    switch (opened.type) {
      case ContentType.changeCipherSpec:
        if (this.status === 'complete') return; // part of a repeated flight
        if (opened.content.length !== 1 || opened.content[0] !== 1)
          throw new HandshakeAbort(AlertDescription.decodeError, 'malformed ChangeCipherSpec');
        if (epoch !== 0)
          throw new HandshakeAbort(AlertDescription.unexpectedMessage, 'ChangeCipherSpec in epoch 1');
        this.onChangeCipherSpec();
        return;
      case ContentType.alert: {
        const alert = decodeAlert(opened.content);
        if (alert && endsConnection(alert))
          this.fail(undefined, `peer sent alert ${alert.description}`, true);
        return;
      }
      case ContentType.handshake:
        return this.handleFragments(decodeHandshakeFragments(opened.content), 0, epoch);
      case ContentType.applicationData:
        if (this.status === 'running') this.onEarlyApplicationData();
        return;
      default:
        return; // unknown content types are ignored (RFC 5246 6: a receiver MAY ignore)
    }
  }

  /** Handles `fragments[from..]` of one record; a promise when a message's step is asynchronous. */
  private handleFragments(
    fragments: readonly HandshakeFragment[],
    from: number,
    epoch: number,
  ): Promise<void> | void {
    for (let i = from; i < fragments.length; i++) {
      const f = fragments[i]!;
      const outcome = this.reassembler.add(f);
      if (outcome === 'old') {
        if (f.messageSeq === this.peerFlightEnd && f.fragmentOffset === 0) this.flight?.resend();
        continue;
      }
      if (this.status === 'complete') {
        // a new message after completion: a renegotiation attempt, refused (RFC 5746 4.2; 5246 7.2.2)
        if (!this.renegotiationRefused) this.sendAlert(AlertLevel.warning, AlertDescription.noRenegotiation);
        this.renegotiationRefused = true;
        continue;
      }
      const expectedEpoch = f.msgType === HandshakeType.finished ? 1 : 0;
      if (epoch !== expectedEpoch)
        throw new HandshakeAbort(
          AlertDescription.unexpectedMessage,
          `handshake message ${f.msgType} in epoch ${epoch}`,
        );
      if (outcome === 'invalid' || outcome === 'limit')
        throw new HandshakeAbort(AlertDescription.decodeError, `handshake fragment ${outcome}`);
      const stop = this.deliverMessages();
      if (stop === true) return;
      if (stop !== false)
        return stop.then((stopped) => (stopped ? undefined : this.handleFragments(fragments, i + 1, epoch)));
    }
  }

  /**
   * Hands every reassembled message to onMessage in order: true when the handshake stopped
   * running after one (the rest of the record is not looked at), a promise of that when a step
   * is asynchronous.
   */
  private deliverMessages(): Promise<boolean> | boolean {
    for (let m = this.reassembler.take(); m; m = this.reassembler.take()) {
      const step = this.onMessage(m, encodeHandshakeMessage(m.msgType, m.messageSeq, m.body));
      if (step) return step.then(() => this.status !== 'running' || this.deliverMessages());
      if (this.status !== 'running') return true;
    }
    return false;
  }
}
