// Plain CoAP and CoAP over DTLS on one datagram socket (LwM2M Transport TS 1.1.1 5.2: coap://
// accounts are NoSec, coaps:// ones go over DTLS). Incoming datagrams are told apart by their
// first byte (RFC 7983 section 7: 20..63 is a DTLS record; a CoAP version 1 header starts with
// 64..127, RFC 7252 3), so a client keeps one local port for every server, secured or not.
//
// The two sides never mix: a peer delivered by the DTLS side, or made by `securedPeer`, has a key
// of its own (`coaps|` + the DTLS key), so CoAP deduplication, exchanges and observations never
// match a plain datagram from the same address with a secured one; a send to such a peer goes
// through DTLS only (it fails when no handshake can be made), never in plain text.
//
// A client whose `psk` or `certificate` is a function is asked again before each send to a
// connected server: when the credentials changed (a Bootstrap-Server rewrote them), the old
// connection is closed and the datagram goes over a new handshake with the new ones, never over a
// session of the old identity or key (credentialsFingerprint.ts).
import type { DatagramHandler, DatagramTransport } from './DatagramTransport.js';
import { credentialsFingerprint } from './credentialsFingerprint.js';
import { DtlsTransport, type DtlsClientPsk, type DtlsTransportOptions } from './dtls/DtlsTransport.js';
import type { DtlsClientCertificate } from './dtls/DtlsTransportOptions.js';
import { makePeer, type Peer, type PeerIdentity } from './Peer.js';

/** Prefix of the keys of secured peers. */
const SECURED_PREFIX = 'coaps|';
/** First bytes of DTLS records (RFC 7983 section 7: content types 20..63). */
const DTLS_FIRST = 20;
const DTLS_LAST = 63;

/** A peer reached over DTLS at `address`:`port` (its key differs from the plain peer's). */
export function securedPeer(address: string, port: number, identity?: PeerIdentity): Peer {
  const plain = makePeer(address, port, identity);
  return { ...plain, key: SECURED_PREFIX + plain.key };
}

/**
 * True when `peer` is one that only this transport's DTLS side may carry (its key says so). A
 * peer that carries an identity under a plain key came from an inner transport that is already
 * secured (a DtlsTransport given as the client's `transport`): it goes back through that one.
 */
export function isSecuredPeer(peer: Peer): boolean {
  return peer.key.startsWith(SECURED_PREFIX);
}

/** Plain datagrams and DTLS records over one inner transport (normally a UdpTransport). */
export class PlainAndDtlsTransport implements DatagramTransport {
  readonly reliable = false;
  /** The DTLS side (its stats, connections). */
  readonly dtls: DtlsTransport;
  private handler: DatagramHandler = () => undefined;
  private dtlsHandler: DatagramHandler = () => undefined;
  /** Client role with per-peer credentials: the credentials for a peer now (PSK first, as DtlsTransport). */
  private readonly credentialsOf:
    ((peer: Peer) => DtlsClientPsk | DtlsClientCertificate | undefined) | undefined;
  /** What each connection (by address key) was made with (credentialsFingerprint). */
  private readonly used = new Map<string, string>();

  constructor(
    private readonly inner: DatagramTransport,
    dtlsOptions: DtlsTransportOptions,
  ) {
    // the DTLS side's view of the socket: sends go out as they are, reads come demultiplexed
    const dtlsSide: DatagramTransport = {
      reliable: false,
      maxDatagramSize: inner.maxDatagramSize,
      send: (peer, bytes) => inner.send(peer, bytes),
      onDatagram: (h) => {
        this.dtlsHandler = h;
      },
      address: () => inner.address(),
      close: () => Promise.resolve(), // the socket is closed by this class, once
    };
    let options = dtlsOptions;
    if (
      dtlsOptions.role === 'client' &&
      (typeof dtlsOptions.psk === 'function' || typeof dtlsOptions.certificate === 'function')
    ) {
      const { psk, certificate } = dtlsOptions;
      const pskFor = (peer: Peer) => (typeof psk === 'function' ? psk(peer) : psk);
      const certificateFor = (peer: Peer) =>
        typeof certificate === 'function' ? certificate(peer) : certificate;
      this.credentialsOf = (peer) => pskFor(peer) ?? certificateFor(peer);
      const remember = <T extends DtlsClientPsk | DtlsClientCertificate>(peer: Peer, c: T | undefined) => {
        if (c) this.used.set(makePeer(peer.address, peer.port).key, credentialsFingerprint(c));
        return c;
      };
      options = {
        ...dtlsOptions,
        psk: (peer) => remember(peer, pskFor(peer)),
        certificate: (peer) => remember(peer, certificateFor(peer)),
      };
    }
    this.dtls = new DtlsTransport(dtlsSide, options);
    this.dtls.onDatagram((bytes, peer) => this.handler(bytes, { ...peer, key: SECURED_PREFIX + peer.key }));
    inner.onDatagram((bytes, from) => {
      const first = bytes[0];
      if (first !== undefined && first >= DTLS_FIRST && first <= DTLS_LAST) this.dtlsHandler(bytes, from);
      else this.handler(bytes, from);
    });
  }

  /** The smaller of the two sides: a CoAP message fits either way (block sizes follow it). */
  get maxDatagramSize(): number {
    return Math.min(this.inner.maxDatagramSize, this.dtls.maxDatagramSize);
  }

  async send(peer: Peer, bytes: Uint8Array): Promise<void> {
    if (!isSecuredPeer(peer)) return this.inner.send(peer, bytes);
    const key = peer.key.startsWith(SECURED_PREFIX) ? peer.key.slice(SECURED_PREFIX.length) : peer.key;
    const dtlsPeer = { ...peer, key };
    if (this.credentialsOf) await this.dropIfCredentialsChanged(dtlsPeer);
    return this.dtls.send(dtlsPeer, bytes);
  }

  /** Closes the connection with `peer` when the credentials for it are no longer those it used. */
  private async dropIfCredentialsChanged(peer: Peer): Promise<void> {
    const addressKey = makePeer(peer.address, peer.port).key;
    const used = this.used.get(addressKey);
    if (used === undefined) return;
    const now = this.credentialsOf!(peer);
    if (now && credentialsFingerprint(now) === used) return;
    this.used.delete(addressKey);
    await this.dtls.disconnect(peer);
  }

  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  address(): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return this.inner.address();
  }

  /** Closes DTLS connections (close_notify), then the socket. */
  async close(): Promise<void> {
    await this.dtls.close();
    await this.inner.close();
  }
}
