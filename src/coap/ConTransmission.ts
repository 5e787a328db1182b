// RFC 7252 section 4.2: the state of one confirmable message until it is acknowledged, reset or
// given up: its bytes for retransmission, the retransmission counter and the current timeout.
import type { Peer } from '../transport/Peer.js';
import type { TimerHandle } from './Clock.js';
import type { CoapMessage } from './CoapMessage.js';
import type { CoapError } from './errors.js';

/** Learns how a CON message ended. */
export interface ConListener {
  /** The ACK arrived (it may piggyback a response). */
  onAck(ack: CoapMessage, t: ConTransmission): void;
  /** Reset (CoapResetError), retransmissions exhausted (CoapTimeoutError), queue full or closed. */
  onFail(error: CoapError, t: ConTransmission): void;
}

/** Retransmit-timer target of a ConTransmission. */
export interface RetransmitScheduler {
  onRetransmitTimer(t: ConTransmission): void;
}

/** One outstanding (or NSTART-queued) CON message. `messageId` is -1 while queued. */
export class ConTransmission {
  messageId = -1;
  /** `peerKey:messageId` while outstanding. */
  key = '';
  bytes: Uint8Array = EMPTY;
  retransmits = 0;
  timeoutMs = 0;
  timer: TimerHandle | undefined;
  done = false;
  /** The timer callback, made once per transmission (not per retransmission). */
  readonly fire: () => void;

  constructor(
    scheduler: RetransmitScheduler,
    readonly peer: Peer,
    public message: CoapMessage,
    readonly listener: ConListener,
    /** Requests count against NSTART; separate responses and notifications do not. */
    readonly isRequest: boolean,
  ) {
    this.fire = () => scheduler.onRetransmitTimer(this);
  }
}

const EMPTY = new Uint8Array(0);
