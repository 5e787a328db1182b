// LwM2M Transport TS 1.1.1 section 5.2 (DTLS with pre-shared keys, raw public keys, certificates):
// the store of the credentials a server or bootstrap server accepts, one SecurityInfo per endpoint,
// found by endpoint name (to authorize an uplink), by PSK identity (to answer a DTLS handshake) and
// by raw public key (to admit an RFC 7250 handshake).
// Interface only; writes return what changed (STYLE.md 10) and the contract suite
// test/store/securityStoreContract.ts proves every implementation (memory now, SQLite and Redis later).
import type { SecurityInfo } from '../lwm2m/SecurityInfo.js';

/** What SecurityStore.put changed. */
export interface SecurityPutResult {
  /** The credentials of the same endpoint this put replaced, if any. */
  readonly previous?: SecurityInfo;
}

/** What SecurityStore.delete changed. */
export interface SecurityDeleteResult {
  /** The removed credentials, or undefined when the endpoint had none. */
  readonly removed?: SecurityInfo;
}

/**
 * One write of the store, as its listeners see it: `previous` is what the endpoint had,
 * `current` what it has now (absent after a delete). A put of equal credentials is reported too.
 */
export interface SecurityChange {
  readonly endpoint: string;
  readonly previous?: SecurityInfo;
  readonly current?: SecurityInfo;
}

/** Called after each write, once it is visible to reads (e.g. to drop the connections of removed credentials). */
export type SecurityChangeListener = (change: SecurityChange) => void;

/** Thrown by put when the PSK identity or raw public key already belongs to another endpoint; nothing is written. */
export class SecurityConflictError extends Error {
  readonly code = 'STORE_SECURITY_CONFLICT';
  constructor(
    /** The endpoint whose put was refused. */
    readonly endpoint: string,
    /** The endpoint that holds the identity or key. */
    readonly owner: string,
    /** The field in conflict, as the JSON form names it. */
    readonly field: 'psk.identity' | 'rpk.publicKey' = 'psk.identity',
  ) {
    const what = field === 'psk.identity' ? 'PSK identity' : 'raw public key';
    super(`the ${what} of ${JSON.stringify(endpoint)} already belongs to ${JSON.stringify(owner)}`);
    this.name = 'SecurityConflictError';
  }
}

/**
 * Credentials by endpoint name, with unique indexes of PSK identities and raw public keys. Every method is async so
 * SQLite and Redis implementations fit; each write is atomic. Stored credentials are copies: a
 * caller changing its key bytes later does not change the store, nor does changing what a get
 * returned.
 */
export interface SecurityStore {
  /** The credentials of `endpoint`. */
  getByEndpoint(endpoint: string): Promise<SecurityInfo | undefined>;
  /** The PSK credentials whose identity is `identity` (compared octet for octet). */
  getByPskIdentity(identity: string): Promise<SecurityInfo | undefined>;
  /** The RPK credentials whose public key is `spki` (a DER SubjectPublicKeyInfo, compared octet for octet). */
  getByPublicKey(spki: Uint8Array): Promise<SecurityInfo | undefined>;
  /**
   * Stores `info` for `info.endpoint`, replacing what that endpoint had. Rejects with
   * InvalidSecurityInfoError when `info` is not valid and with SecurityConflictError when its PSK
   * identity or raw public key belongs to another endpoint; then nothing is written and no listener is called.
   */
  put(info: SecurityInfo): Promise<SecurityPutResult>;
  /** Removes the credentials of `endpoint`; listeners hear of it only when there were some. */
  delete(endpoint: string): Promise<SecurityDeleteResult>;
  /** Every stored credential, once each, in no particular order; tolerates writes while iterating. */
  all(): AsyncIterable<SecurityInfo>;
  /** Number of endpoints with credentials. */
  size(): Promise<number>;
  /**
   * Calls `listener` after every write of this store, in the order listeners were added; returns
   * the function that removes it. Listeners must not throw: if one does, the others still run, the
   * write stays done, and the write's promise rejects with that error.
   */
  onChange(listener: SecurityChangeListener): () => void;
}
