// The remote end of a datagram transport: an address, a port and, on secured transports, the
// identity the handshake authenticated (DESIGN.md: transport knows bytes and peers only).

/** An identity a secured transport authenticated (DTLS PSK, raw public key, or X.509). */
export type PeerIdentity =
  | { readonly kind: 'psk'; readonly identity: string }
  | { readonly kind: 'rpk'; readonly publicKey: Uint8Array }
  | {
      readonly kind: 'x509';
      readonly subject: string;
      readonly commonName?: string;
      /** The leaf's subjectAltName DNS names and URIs (RFC 5280 4.2.1.6), as text; absent: none read. */
      readonly subjectAltNames?: readonly string[];
    };

/** A remote datagram peer. Two peers are the same peer when their `key`s are equal. */
export interface Peer {
  /** IP address, without brackets for IPv6 (e.g. `127.0.0.1`, `::1`). */
  readonly address: string;
  readonly port: number;
  readonly family: 'IPv4' | 'IPv6';
  /** Stable string key, `address|port`, for maps keyed by peer. */
  readonly key: string;
  /** The identity a secured transport authenticated; absent on plain UDP. */
  readonly identity?: PeerIdentity;
}

/** Builds a `Peer` for an address and port. */
export function makePeer(address: string, port: number, identity?: PeerIdentity): Peer {
  const family = peerFamily(address);
  return identity
    ? { address, port, family, key: `${address}|${port}`, identity }
    : { address, port, family, key: `${address}|${port}` };
}

/** The family of an IP address in a Peer's form (IPv6 without brackets). */
export function peerFamily(address: string): 'IPv4' | 'IPv6' {
  return address.includes(':') ? 'IPv6' : 'IPv4';
}

/**
 * Notes `value` on `peer` under `slot`, a symbol of the layer that keeps per-peer state there (a
 * lookup by the peer's key text costs cache misses at 10k+ peers; issue 17). The property is not
 * enumerable, so peers still compare equal to fresh ones; a frozen peer gets no note.
 */
export function notePeer(peer: Peer, slot: symbol, value: number): void {
  const noted = peer as unknown as Record<symbol, number | undefined>;
  if (noted[slot] !== undefined) noted[slot] = value;
  else if (Object.isExtensible(peer)) Object.defineProperty(peer, slot, { value, writable: true });
}
