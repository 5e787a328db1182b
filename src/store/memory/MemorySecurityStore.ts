// Transport TS 1.1.1 section 5.2: SecurityStore in memory (the default of the server and the
// bootstrap server): a Map of endpoint → credentials, a Map of PSK identity → endpoint and a Map of
// raw public key (its SHA-256, hex: 64 characters whatever the key's size) → endpoint, so every
// lookup and every write is O(1). It holds exactly what the operator configures (API, REST or
// credentials file), never anything a remote peer sends, so it needs no bound of its own; a
// handshake's key is only hashed and looked up, never kept.
import { createHash } from 'node:crypto';
import { copySecurityInfo, validateSecurityInfo, type SecurityInfo } from '../../lwm2m/SecurityInfo.js';
import {
  SecurityConflictError,
  type SecurityChange,
  type SecurityChangeListener,
  type SecurityDeleteResult,
  type SecurityPutResult,
  type SecurityStore,
} from '../SecurityStore.js';

/** The index key of a raw public key: its SHA-256 in hex. */
export const publicKeyIndexKey = (spki: Uint8Array): string =>
  createHash('sha256').update(spki).digest('hex');

/** A SecurityStore in three Maps; `initial` credentials are stored as by put() (and throw as put rejects). */
export class MemorySecurityStore implements SecurityStore {
  private readonly byEndpoint = new Map<string, SecurityInfo>();
  private readonly endpointOfIdentity = new Map<string, string>();
  private readonly endpointOfPublicKey = new Map<string, string>();
  private readonly listeners: SecurityChangeListener[] = [];

  constructor(initial: Iterable<SecurityInfo> = []) {
    for (const info of initial) this.write(info);
  }

  getByEndpoint(endpoint: string): Promise<SecurityInfo | undefined> {
    const info = this.byEndpoint.get(endpoint);
    return Promise.resolve(info && copySecurityInfo(info));
  }

  getByPskIdentity(identity: string): Promise<SecurityInfo | undefined> {
    const endpoint = this.endpointOfIdentity.get(identity);
    return endpoint === undefined ? Promise.resolve(undefined) : this.getByEndpoint(endpoint);
  }

  getByPublicKey(spki: Uint8Array): Promise<SecurityInfo | undefined> {
    const endpoint = this.endpointOfPublicKey.get(publicKeyIndexKey(spki));
    if (endpoint === undefined) return Promise.resolve(undefined);
    const info = this.byEndpoint.get(endpoint);
    // the hash found it; the bytes decide
    if (info?.kind !== 'rpk' || !Buffer.from(info.publicKey).equals(spki)) return Promise.resolve(undefined);
    return Promise.resolve(copySecurityInfo(info));
  }

  put(info: SecurityInfo): Promise<SecurityPutResult> {
    try {
      const change = this.write(info);
      this.notify(change);
      return Promise.resolve(change.previous ? { previous: change.previous } : {});
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  delete(endpoint: string): Promise<SecurityDeleteResult> {
    const removed = this.byEndpoint.get(endpoint);
    if (removed === undefined) return Promise.resolve({});
    this.byEndpoint.delete(endpoint);
    this.unindex(removed);
    try {
      this.notify({ endpoint, previous: removed });
    } catch (e) {
      return Promise.reject(e as Error);
    }
    return Promise.resolve({ removed });
  }

  async *all(): AsyncIterable<SecurityInfo> {
    for (const info of this.byEndpoint.values()) yield copySecurityInfo(info);
  }

  size(): Promise<number> {
    return Promise.resolve(this.byEndpoint.size);
  }

  onChange(listener: SecurityChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /** Validates and stores a copy of `info`, keeping the identity index unique; returns the change. */
  private write(info: SecurityInfo): SecurityChange {
    validateSecurityInfo(info);
    const { endpoint } = info;
    const [index, key, field] =
      info.kind === 'psk'
        ? [this.endpointOfIdentity, info.identity, 'psk.identity' as const]
        : info.kind === 'rpk'
          ? [this.endpointOfPublicKey, publicKeyIndexKey(info.publicKey), 'rpk.publicKey' as const]
          : [undefined, '', undefined];
    const owner = index?.get(key);
    if (owner !== undefined && owner !== endpoint) throw new SecurityConflictError(endpoint, owner, field);
    const previous = this.byEndpoint.get(endpoint);
    if (previous) this.unindex(previous);
    const current = copySecurityInfo(info);
    this.byEndpoint.set(endpoint, current);
    index?.set(key, endpoint);
    // Listeners get their own copy: nothing they do reaches the stored bytes.
    const seen = copySecurityInfo(current);
    return previous ? { endpoint, previous, current: seen } : { endpoint, current: seen };
  }

  /** Removes `info` from the identity and public-key indexes. */
  private unindex(info: SecurityInfo): void {
    if (info.kind === 'psk') this.endpointOfIdentity.delete(info.identity);
    else if (info.kind === 'rpk') this.endpointOfPublicKey.delete(publicKeyIndexKey(info.publicKey));
  }

  /** Calls every listener (a snapshot, so one may unsubscribe itself); rethrows the first error. */
  private notify(change: SecurityChange): void {
    let failure: { error: unknown } | undefined;
    for (const listener of this.listeners.slice()) {
      try {
        listener(change);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}
