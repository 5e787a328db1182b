// Connection IDs a server hands out (RFC 9146 section 3; research/dtls.md 7): random bytes of a
// configured length from the injected random source (a predictable CID lets an attacker aim
// records at a connection, tinydtls CVE-2021-34430), never one already in use, so that a CID
// names exactly one connection in the ConnectionTable.

/** Issues unique random CIDs of one length. */
export class CidIssuer {
  constructor(
    /** CID length in bytes (1..255). */
    readonly length: number,
    private readonly random: (n: number) => Uint8Array,
    /** True when a CID (hex) is held by a connection or a handshake in progress. */
    private readonly taken: (cidHex: string) => boolean,
  ) {
    if (!Number.isInteger(length) || length < 1 || length > 255)
      throw new RangeError(`connectionIdLength must be 0 (off) or 1..255, got ${length}`);
  }

  /** A fresh CID, or undefined when a few draws all collided (a CID space too small: no CID then). */
  issue(): Uint8Array | undefined {
    for (let i = 0; i < 8; i++) {
      const cid = Uint8Array.from(this.random(this.length));
      if (!this.taken(cidHex(cid))) return cid;
    }
    return undefined;
  }
}

/** The hex form of a CID, the key of the ConnectionTable's CID index. */
export function cidHex(cid: Uint8Array): string {
  return Buffer.from(cid.buffer, cid.byteOffset, cid.byteLength).toString('hex');
}
