// Transport TS 1.1.1 section 5.2: SecurityStore in memory (the default of the server and the
// bootstrap server): a Map of endpoint → credentials and a Map of PSK identity → endpoint, so both
// lookups and every write are O(1). It holds exactly what the operator configures (API, REST or
// credentials file), never anything a remote peer sends, so it needs no bound of its own.
import { copySecurityInfo, validateSecurityInfo, type SecurityInfo } from '../../lwm2m/SecurityInfo.js';
import {
  SecurityConflictError,
  type SecurityChange,
  type SecurityChangeListener,
  type SecurityDeleteResult,
  type SecurityPutResult,
  type SecurityStore,
} from '../SecurityStore.js';

/** A SecurityStore in two Maps; `initial` credentials are stored as by put() (and throw as put rejects). */
export class MemorySecurityStore implements SecurityStore {
  private readonly byEndpoint = new Map<string, SecurityInfo>();
  private readonly endpointOfIdentity = new Map<string, string>();
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
    if (removed.kind === 'psk') this.endpointOfIdentity.delete(removed.identity);
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
    const owner = info.kind === 'psk' ? this.endpointOfIdentity.get(info.identity) : undefined;
    if (owner !== undefined && owner !== endpoint) throw new SecurityConflictError(endpoint, owner);
    const previous = this.byEndpoint.get(endpoint);
    if (previous?.kind === 'psk') this.endpointOfIdentity.delete(previous.identity);
    const current = copySecurityInfo(info);
    this.byEndpoint.set(endpoint, current);
    if (current.kind === 'psk') this.endpointOfIdentity.set(current.identity, endpoint);
    // Listeners get their own copy: nothing they do reaches the stored bytes.
    const seen = copySecurityInfo(current);
    return previous ? { endpoint, previous, current: seen } : { endpoint, current: seen };
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
