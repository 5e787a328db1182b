// What a DTLS 1.2 session is once its handshake is over (RFC 5246 section 7.4.1.2 and appendix
// F.1.4): the state an abbreviated handshake (RFC 5246 section 7.3) resumes from. Only sessions
// made with the extended master secret are kept, by either role: RFC 7627 section 5.3 makes a
// server refuse to resume a session without it when the new ClientHello has it (and abort when
// the session had it and the hello drops it), and a client should not offer one without it.
// The Connection ID is not part of it: each hello, a resuming one included, negotiates
// connection_id afresh (RFC 9146 section 3; this is how a DTLS 1.2 peer gets a new CID).

/** One resumable session. Holds the master secret: never logged nor handed out. */
export interface DtlsSession {
  /** session_id the server issued (1 to 32 bytes). */
  readonly id: Uint8Array;
  readonly master: Uint8Array;
  /** Code point of the suite negotiated; a resumption must use the same. */
  readonly suiteId: number;
  /** Always true here (see above); kept so the rule reads where it is checked. */
  readonly extendedMasterSecret: boolean;
  /** The PSK identity the full handshake authenticated; a resumed connection carries it. */
  readonly identity: string;
  /**
   * Server side: SHA-256 of the PSK the session was made with, so a resumption is refused once
   * the credentials of the identity are removed or changed (the key itself is not kept).
   */
  readonly pskDigest?: Uint8Array;
}

/** Length of the session ids a server issues (RFC 5246 7.4.1.2 allows up to 32). */
export const SESSION_ID_LENGTH = 32;

/** Hex form of a session id, the cache key. */
export const sessionIdHex = (id: Uint8Array): string => Buffer.from(id).toString('hex');
