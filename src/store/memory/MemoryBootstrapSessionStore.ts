// LwM2M Core TS 1.1.1 section 5.2.7: the history of ended bootstrap sessions in memory (the
// Bootstrap-Server's default store, and the read path of the SQLite one): one Map by id in the
// order the sessions were put, the oldest dropped first over maxSessions.
import {
  bootstrapSessionLimits,
  type BootstrapSessionHistoryLimits,
  type BootstrapSessionPutResult,
  type BootstrapSessionQuery,
  type BootstrapSessionRecord,
  type BootstrapSessionStore,
  type BootstrapSessionStoreStats,
} from '../BootstrapSessionStore.js';

/** A BootstrapSessionStore in one Map. */
export class MemoryBootstrapSessionStore implements BootstrapSessionStore {
  private readonly limits: BootstrapSessionHistoryLimits;
  /** By id, oldest first (a replaced record moves to the end). */
  private readonly records = new Map<string, BootstrapSessionRecord>();
  private dropped = 0;

  /** `initial`: records to start with, oldest first (e.g. read back from a file); trimmed to maxSessions. */
  constructor(
    limits: Partial<BootstrapSessionHistoryLimits> = {},
    initial: readonly BootstrapSessionRecord[] = [],
  ) {
    this.limits = bootstrapSessionLimits(limits);
    for (const r of initial) this.putNow(r);
  }

  put(record: BootstrapSessionRecord): Promise<BootstrapSessionPutResult> {
    try {
      return Promise.resolve(this.putNow(record));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  /** put, synchronously (for the SQLite store, which writes what it returns). */
  putNow(record: BootstrapSessionRecord): BootstrapSessionPutResult {
    if (record.state === 'running')
      throw new TypeError(`bootstrap session ${record.id} is running: only ended sessions are stored`);
    const replaced = this.records.get(record.id);
    this.records.delete(record.id);
    this.records.set(record.id, record);
    const dropped: BootstrapSessionRecord[] = [];
    for (const [id, r] of this.records) {
      if (this.records.size <= this.limits.maxSessions) break;
      this.records.delete(id);
      dropped.push(r);
    }
    this.dropped += dropped.length;
    return replaced ? { replaced, dropped } : { dropped };
  }

  /** Holds the newest maxSessions of `records` (oldest first) from now on, counting no drop (the SQLite store after a failed write). */
  reset(records: readonly BootstrapSessionRecord[]): void {
    this.records.clear();
    for (const r of records.slice(Math.max(0, records.length - this.limits.maxSessions)))
      this.records.set(r.id, r);
  }

  get(id: string): Promise<BootstrapSessionRecord | undefined> {
    return Promise.resolve(this.records.get(id));
  }

  list(query: BootstrapSessionQuery = {}): Promise<BootstrapSessionRecord[]> {
    const { endpoint, offset = 0, limit = Infinity } = query;
    const out: BootstrapSessionRecord[] = [];
    let skip = Math.max(0, offset);
    for (const r of this.records.values()) {
      if (out.length >= limit) break;
      if (endpoint !== undefined && r.endpoint !== endpoint) continue;
      if (skip > 0) skip--;
      else out.push(r);
    }
    return Promise.resolve(out);
  }

  stats(): BootstrapSessionStoreStats {
    return { sessions: this.records.size, dropped: this.dropped, maxSessions: this.limits.maxSessions };
  }
}
