// LwM2M Transport TS 1.1.1 section 6.5: the queued requests of sleeping clients in memory (issue 14),
// with a bounded history of finished ones (per endpoint and in all, oldest dropped first).
import {
  DEFAULT_QUEUED_REQUEST_HISTORY,
  FINAL_QUEUED_STATUSES,
  type QueuedRequestChange,
  type QueuedRequestHistoryLimits,
  type QueuedRequestRecord,
  type QueuedRequestStore,
  type QueuedRequestStoreStats,
  type QueuedRequestUpdateResult,
} from '../QueuedRequestStore.js';
import { OldestFirst } from '../../transport/OldestFirst.js';

const isFinal = (r: QueuedRequestRecord): boolean => FINAL_QUEUED_STATUSES.has(r.status);

/** A QueuedRequestStore in memory; the read path of the SQLite one too. */
export class MemoryQueuedRequestStore implements QueuedRequestStore {
  private readonly limits: QueuedRequestHistoryLimits;
  private readonly byId = new Map<string, QueuedRequestRecord>();
  /** Endpoint → its entries by id, in creation order. */
  private readonly byEp = new Map<string, Map<string, QueuedRequestRecord>>();
  /** Endpoint → ids of its finished entries, in the order they finished. */
  private readonly finishedByEp = new Map<string, Set<string>>();
  /** Ids of every finished entry, in the order they finished. */
  private readonly finished = new Set<string>();
  private readonly oldestFinished = new OldestFirst(this.finished);
  private dropped = 0;

  /** `initial`: entries to start with (e.g. read back from a file), in any order. */
  constructor(
    limits: Partial<QueuedRequestHistoryLimits> = {},
    initial: readonly QueuedRequestRecord[] = [],
  ) {
    this.limits = { ...DEFAULT_QUEUED_REQUEST_HISTORY, ...limits };
    for (const r of [...initial].sort((a, b) => a.createdAt - b.createdAt)) this.put(r);
    const done = initial.filter(isFinal).sort((a, b) => a.updatedAt - b.updatedAt);
    for (const r of done) this.markFinished(r);
  }

  add(record: QueuedRequestRecord): Promise<void> {
    if (this.byId.has(record.id)) return Promise.reject(new Error(`queued request ${record.id} exists`));
    this.put(record);
    if (isFinal(record)) this.markFinished(record);
    return Promise.resolve();
  }

  update(id: string, change: QueuedRequestChange): Promise<QueuedRequestUpdateResult> {
    return Promise.resolve(this.updateNow(id, change));
  }

  /** update, synchronously (for the SQLite store, which writes what it returns). */
  updateNow(id: string, change: QueuedRequestChange): QueuedRequestUpdateResult {
    const current = this.byId.get(id);
    if (!current || isFinal(current)) return { dropped: [] };
    const { result: _old, ...rest } = current;
    const record: QueuedRequestRecord = {
      ...rest,
      status: change.status,
      updatedAt: change.updatedAt,
      ...(change.result === undefined ? {} : { result: change.result }),
    };
    this.put(record);
    if (!isFinal(record)) return { record, dropped: [] };
    this.markFinished(record);
    return { record, dropped: this.trim(record.endpoint) };
  }

  get(id: string): Promise<QueuedRequestRecord | undefined> {
    return Promise.resolve(this.byId.get(id));
  }

  byEndpoint(endpoint: string, limit = Infinity): Promise<QueuedRequestRecord[]> {
    const all = [...(this.byEp.get(endpoint)?.values() ?? [])].reverse();
    return Promise.resolve(limit < all.length ? all.slice(0, Math.max(0, limit)) : all);
  }

  pending(): Promise<QueuedRequestRecord[]> {
    const out = [...this.byId.values()].filter((r) => !isFinal(r));
    return Promise.resolve(out.sort((a, b) => a.createdAt - b.createdAt));
  }

  stats(): QueuedRequestStoreStats {
    return {
      pending: this.byId.size - this.finished.size,
      history: this.finished.size,
      droppedFromHistory: this.dropped,
    };
  }

  private put(r: QueuedRequestRecord): void {
    this.byId.set(r.id, r);
    let m = this.byEp.get(r.endpoint);
    if (!m) this.byEp.set(r.endpoint, (m = new Map()));
    m.set(r.id, r);
  }

  private markFinished(r: QueuedRequestRecord): void {
    this.finished.add(r.id);
    let s = this.finishedByEp.get(r.endpoint);
    if (!s) this.finishedByEp.set(r.endpoint, (s = new Set()));
    s.add(r.id);
  }

  /** Drops the oldest finished entries over the bounds: first of `endpoint`, then of all. */
  private trim(endpoint: string): QueuedRequestRecord[] {
    const out: QueuedRequestRecord[] = [];
    const mine = this.finishedByEp.get(endpoint);
    while (mine && mine.size > this.limits.maxHistoryPerClient) out.push(this.drop(first(mine)));
    while (this.finished.size > this.limits.maxHistory) out.push(this.drop(this.oldestFinished.evict()!));
    return out;
  }

  private drop(id: string): QueuedRequestRecord {
    const r = this.byId.get(id)!;
    this.byId.delete(id);
    this.finished.delete(id);
    const m = this.byEp.get(r.endpoint)!;
    m.delete(id);
    if (m.size === 0) this.byEp.delete(r.endpoint);
    const s = this.finishedByEp.get(r.endpoint)!;
    s.delete(id);
    if (s.size === 0) this.finishedByEp.delete(r.endpoint);
    this.dropped++;
    return r;
  }
}

const first = (s: Set<string>): string => s.values().next().value as string;
