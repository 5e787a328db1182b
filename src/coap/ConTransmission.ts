// RFC 7252 section 4.2: the state of one confirmable message until it is acknowledged, reset or
// given up: its bytes for retransmission, the retransmission counter and the current timeout.
import type { Peer } from '../transport/Peer.js';
import type { Deadline } from './DeadlineQueue.js';
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

/**
 * One outstanding (or NSTART-queued) CON message. `messageId` is -1 while queued. Its retransmit
 * timeout is an entry of the endpoint's DeadlineQueue (no Node timer or closure per CON).
 */
export class ConTransmission implements Deadline {
  messageId = -1;
  /** Numeric (peer, messageId) key (PeerIndex) while outstanding. */
  key = -1;
  /** The PeerIndex index whose NSTART slot this request holds or waits for (requests only). */
  flow = -1;
  bytes: Uint8Array = EMPTY;
  retransmits = 0;
  timeoutMs = 0;
  done = false;
  deadlineAt = 0;
  deadlineSeq = 0;
  deadlineSlot = -1;

  constructor(
    private readonly scheduler: RetransmitScheduler,
    readonly peer: Peer,
    public message: CoapMessage,
    readonly listener: ConListener,
    /** Requests count against NSTART; separate responses and notifications do not. */
    readonly isRequest: boolean,
  ) {}

  /** The retransmit timeout expired (called by the DeadlineQueue). */
  onDeadline(): void {
    this.scheduler.onRetransmitTimer(this);
  }
}

const EMPTY = new Uint8Array(0);
