// One established DTLS association (RFC 6347 4.1): the peer as delivered to CoAP (address, port,
// authenticated identity, a key fixed when the connection was made, so it stays the same once
// Connection ID lets the address change), the epoch-1 record state, and for a while the
// handshake that made it, so a repeat of the peer's last flight still gets our final flight
// again (4.2.4) until the peer proves it has it (its first application record) or time runs out.
//
// With a CID we issued, the key is `dtls-cid:<hex>` rather than the first address, so a NAT that
// later hands that address to another device cannot collide with it; `moveTo` follows the peer
// to a new address (RFC 9146 section 6) and keeps the key.

import type { DtlsTimer } from '../DtlsClock.js';
import type { HandshakeBase } from '../handshake/HandshakeBase.js';
import type { EpochKeys } from '../record/EpochKeys.js';
import { makePeer, type Peer, type PeerIdentity } from '../../Peer.js';
import { cidHex } from './CidIssuer.js';
import type { TableEntry } from './ConnectionTable.js';

/** An established connection. */
export class DtlsConnection implements TableEntry {
  readonly key: string;
  lastActivity: number;
  listedAt = 0;
  /** The handshake kept for final-flight resends, if any. */
  private handshake: HandshakeBase | undefined;
  private retainTimer: DtlsTimer | undefined;
  /** Cache key of the session this connection belongs to, if resumable (session/DtlsSessions.ts). */
  sessionKey: string | undefined;
  /**
   * Server side: the last 8 bytes of the ClientHello.random that made it, as two 32-bit integers
   * (small integers in the object: no string or buffer per connection; 0 and 0: none kept).
   */
  private helloTagHigh = 0;
  private helloTagLow = 0;

  constructor(
    /** The peer handed to the application, identity included (its address follows `moveTo`). */
    public peer: Peer,
    /** Where records go on the inner transport. */
    public innerPeer: Peer,
    readonly keys: EpochKeys,
    now: number,
    /** The CID we issued (hex), when the connection uses one. */
    readonly cidKey?: string,
  ) {
    this.key = peer.key;
    this.lastActivity = Math.floor(now); // whole ms: a small integer, no heap number
  }

  /** A connection just established with `innerPeer`, keyed by `ownCid` (ours) when non-empty. */
  static established(
    innerPeer: Peer,
    identity: PeerIdentity,
    keys: EpochKeys,
    now: number,
    ownCid: Uint8Array,
  ): DtlsConnection {
    // the inner peer's key string is reused: one string per connection fewer
    const { address, port, family, key } = innerPeer;
    const addressed: Peer = { address, port, family, key, identity };
    if (ownCid.length === 0) return new DtlsConnection(addressed, innerPeer, keys, now);
    const cidKey = cidHex(ownCid);
    return new DtlsConnection({ ...addressed, key: `dtls-cid:${cidKey}` }, innerPeer, keys, now, cidKey);
  }

  /** Server side: remembers the ClientHello.random of the handshake that made it. */
  rememberHello(random: Uint8Array): void {
    const tag = Buffer.from(random.buffer, random.byteOffset + random.length - 8, 8);
    this.helloTagHigh = tag.readInt32BE(0);
    this.helloTagLow = tag.readInt32BE(4);
  }

  /**
   * True when `random` (a ClientHello's) is the one that made this connection: a late duplicate.
   * Compares its last 8 bytes, the random part (a different client random matches by chance
   * with probability 2^-64).
   */
  madeByHello(random: Uint8Array): boolean {
    if (random.length < 8 || (this.helloTagHigh === 0 && this.helloTagLow === 0)) return false;
    const tag = Buffer.from(random.buffer, random.byteOffset + random.length - 8, 8);
    return tag.readInt32BE(0) === this.helloTagHigh && tag.readInt32BE(4) === this.helloTagLow;
  }

  /** `address|port` the peer sends from now. */
  get addressKey(): string {
    return this.innerPeer.key;
  }

  /** Follows the peer to the address of `from`; the delivered peer keeps its key and identity. */
  moveTo(from: Peer): void {
    this.innerPeer = makePeer(from.address, from.port);
    this.peer = { ...makePeer(from.address, from.port, this.peer.identity), key: this.key };
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
