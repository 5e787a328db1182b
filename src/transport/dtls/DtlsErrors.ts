// The errors DtlsTransport.send rejects with, each with a stable code.
import type { FinalSendFailure } from '../DatagramTransport.js';

/** Base of the DTLS transport's errors. */
export class DtlsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DtlsError';
  }
}

/** Server role: no established connection with that peer (a server never starts a handshake). */
export class DtlsNoConnectionError extends DtlsError {
  constructor(peerKey: string) {
    super('DTLS_NO_CONNECTION', `no DTLS connection with ${peerKey}`);
  }
}

/**
 * Client role: the handshake the send waited for failed or timed out. `refused` (a fatal alert
 * ended it, RFC 5246 7.2) makes it a final send failure: sending again meets the same refusal.
 */
export class DtlsHandshakeError extends DtlsError implements FinalSendFailure {
  constructor(
    reason: string,
    readonly refused = false,
  ) {
    super('DTLS_HANDSHAKE_FAILED', `DTLS handshake failed: ${reason}`);
  }

  get finalSendFailure(): boolean {
    return this.refused;
  }
}

/** The peer's identity is not the one the connection at its address authenticated (leshan#187). */
export class DtlsIdentityMismatchError extends DtlsError {
  constructor(peerKey: string) {
    super('DTLS_IDENTITY_MISMATCH', `the DTLS connection with ${peerKey} authenticated another identity`);
  }
}

/** A bound was reached: too many handshakes, or too many datagrams waiting for one. */
export class DtlsCapacityError extends DtlsError {
  constructor(what: string) {
    super('DTLS_CAPACITY', `DTLS ${what} limit reached`);
  }
}

/** The transport was closed. */
export class DtlsClosedError extends DtlsError {
  constructor() {
    super('DTLS_CLOSED', 'DTLS transport closed');
  }
}
