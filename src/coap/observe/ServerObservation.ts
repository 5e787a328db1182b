// RFC 7641 sections 4.1-4.5 (server side): one entry in a resource's list of observers, keyed by
// the client endpoint and the token, and the notifications sent on it.
import type { Peer } from '../../transport/Peer.js';
import type { CoapMessage } from '../CoapMessage.js';
import type { ConListener, ConTransmission } from '../ConTransmission.js';
import type { CoapError } from '../errors.js';
import type { OutgoingResponse } from '../Router.js';

/** Why an observation ended on the serving side. */
export type ServerObservationEndReason =
  /** The client sent GET with Observe=1 (RFC 7641 3.6). */
  | 'deregistered'
  /** The client answered a notification with RST (3.6, 4.5). */
  | 'reset'
  /** A CON notification went unacknowledged (4.5). */
  | 'timeout'
  /** A new registration with the same token replaced it (4.1). */
  | 'replaced'
  /** The application ended it (`end()`), or the registration was answered with an error. */
  | 'ended'
  /** The endpoint closed. */
  | 'closed';

/** Options of one notification. */
export interface NotifyOptions {
  /** Send as CON (RFC 7641 4.5). A CON goes out anyway when the last was 24 h ago or more. */
  readonly confirmable?: boolean;
}

/** What a ServerObservation needs from the registry that owns it. */
export interface ObservationOwner {
  sendNotification(
    obs: ServerObservation,
    response: OutgoingResponse,
    options: NotifyOptions | undefined,
  ): void;
  endObservation(obs: ServerObservation, reason: ServerObservationEndReason, final?: OutgoingResponse): void;
}

/** An accepted observe registration: notify it until it ends. */
export class ServerObservation implements ConListener {
  /** Outstanding CON notification, if any (RFC 7641 4.5.2). */
  con: ConTransmission | undefined;
  /** Message ID of the latest NON notification, -1 if none (to match an RST against). */
  nonMessageId = -1;
  /** Next Observe sequence number (24 bits). */
  sequence: number;
  /** When the last CON notification went out (or the registration was accepted). */
  lastConAt = 0;
  /** True once the registration response went out with an Observe option. */
  active = false;
  /** Set once the observation ended. */
  endReason: ServerObservationEndReason | undefined;
  /**
   * When set, a CON notification that times out is reported here and the observation stays
   * (an application that keeps observations across outages, e.g. an LwM2M Client); unset, the
   * timeout ends it (RFC 7641 4.5).
   */
  onNotificationTimeout: (() => void) | undefined;
  /** Resolves with the reason when the observation ends. */
  readonly ended: Promise<ServerObservationEndReason>;
  private resolveEnded!: (r: ServerObservationEndReason) => void;

  constructor(
    private readonly owner: ObservationOwner,
    /** `peerKey#tokenHex`. */
    readonly key: string,
    readonly peer: Peer,
    readonly token: Uint8Array,
    /** Uri-Path of the observed resource. */
    readonly path: readonly string[],
    /** The registration request. */
    readonly request: CoapMessage,
    initialSequence: number,
  ) {
    this.sequence = initialSequence & 0xffffff;
    this.ended = new Promise((r) => (this.resolveEnded = r));
  }

  /** Whether notifications can still be sent. */
  get isActive(): boolean {
    return this.active && this.endReason === undefined;
  }

  /** Sends a notification with the current state of the resource (RFC 7641 4.2). */
  notify(response: OutgoingResponse, options?: NotifyOptions): void {
    if (this.isActive) this.owner.sendNotification(this, response, options);
  }

  /** Ends the observation; `final` (no Observe option, e.g. 4.04) tells the client (RFC 7641 3.2). */
  end(final?: OutgoingResponse): void {
    this.owner.endObservation(this, 'ended', final);
  }

  /** Marks the observation ended (called by the registry). */
  markEnded(reason: ServerObservationEndReason): void {
    if (this.endReason !== undefined) return;
    this.endReason = reason;
    this.resolveEnded(reason);
  }

  /** ACK of a CON notification. */
  onAck(_ack: CoapMessage, t: ConTransmission): void {
    if (this.con === t) this.con = undefined;
  }

  /** RST or timeout of a CON notification: the client is gone (RFC 7641 4.5). */
  onFail(error: CoapError, t: ConTransmission): void {
    if (this.con === t) this.con = undefined;
    const reason =
      error.code === 'COAP_RESET' ? 'reset' : error.code === 'COAP_CLOSED' ? 'closed' : 'timeout';
    if (reason === 'timeout' && this.onNotificationTimeout) return this.onNotificationTimeout();
    this.owner.endObservation(this, reason);
  }
}
