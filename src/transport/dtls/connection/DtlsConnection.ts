// One established DTLS association (RFC 6347 4.1): the peer as delivered to CoAP (address, port,
// authenticated identity, a key fixed when the connection was made, so it stays the same once
// Connection ID lets the address change), the epoch-1 record state, and for a while the
// handshake that made it, so a repeat of the peer's last flight still gets our final flight
// again (4.2.4) until the peer proves it has it (its first application record) or time runs out.

import type { DtlsTimer } from '../DtlsClock.js';
import type { HandshakeBase } from '../handshake/HandshakeBase.js';
import type { EpochKeys } from '../record/EpochKeys.js';
import type { Peer } from '../../Peer.js';
import type { TableEntry } from './ConnectionTable.js';

/** An established connection. */
export class DtlsConnection implements TableEntry {
  readonly key: string;
  lastActivity: number;
  /** The handshake kept for final-flight resends, if any. */
  private handshake: HandshakeBase | undefined;
  private retainTimer: DtlsTimer | undefined;
  /** Server side: ClientHello.random of the handshake that made it (a repeat of it is dropped). */
  helloRandom: Uint8Array | undefined;

  constructor(
    /** The peer handed to the application, identity included. */
    readonly peer: Peer,
    /** Where records go on the inner transport. */
    readonly innerPeer: Peer,
    readonly keys: EpochKeys,
    now: number,
  ) {
    this.key = peer.key;
    this.lastActivity = now;
  }

  /** Keeps `handshake` for resends until `release` (or the timer set by the caller). */
  retain(handshake: HandshakeBase, timer: DtlsTimer): void {
    this.handshake = handshake;
    this.retainTimer = timer;
  }

  /** The retained handshake, if still kept. */
  get retained(): HandshakeBase | undefined {
    return this.handshake;
  }

  /** Forgets the handshake (and its final flight). */
  release(): void {
    this.retainTimer?.cancel();
    this.retainTimer = undefined;
    this.handshake?.dispose();
    this.handshake = undefined;
  }
}
