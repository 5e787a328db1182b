// LwM2M Transport TS 1.1.1 section 6.5: requests queued for sleeping clients kept in SQLite (issue 14),
// so they survive a restart. Memory (a MemoryQueuedRequestStore loaded at open) answers reads; each
// add or status change, and the history entries it drops, settle once durable.
import { MemoryQueuedRequestStore } from '../memory/MemoryQueuedRequestStore.js';
import type {
  QueuedRequestChange,
  QueuedRequestHistoryLimits,
  QueuedRequestRecord,
  QueuedRequestStore,
  QueuedRequestStoreStats,
  QueuedRequestUpdateResult,
} from '../QueuedRequestStore.js';
import type { SqliteStatement } from './betterSqlite3.js';
import { decodeQueuedRequest, encodeQueuedRequest, type QueuedRequestRow } from './queuedRequestRows.js';
import type { SqliteDatabase } from './SqliteDatabase.js';
import { SqliteOpenError } from './sqliteErrors.js';
import { WriteSequence } from './WriteSequence.js';

/** A QueuedRequestStore in memory, persisted to the queued_requests table of a SqliteDatabase. */
export class SqliteQueuedRequestStore implements QueuedRequestStore {
  private readonly memory: MemoryQueuedRequestStore;
  private readonly sequence: WriteSequence;
  private readonly upsert: SqliteStatement;
  private readonly deleteRow: SqliteStatement;

  /** Loads every stored entry; throws SqliteOpenError when a row cannot be read. */
  constructor(db: SqliteDatabase, limits: Partial<QueuedRequestHistoryLimits> = {}) {
    this.sequence = new WriteSequence(db);
    const c = db.connection;
    this.upsert = c.prepare(
      'INSERT INTO queued_requests (id, endpoint, status, created_at, updated_at, record) VALUES (?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, record = excluded.record',
    );
    this.deleteRow = c.prepare('DELETE FROM queued_requests WHERE id = ?');
    const rows = c
      .prepare('SELECT id, endpoint, status, created_at, updated_at, record FROM queued_requests')
      .all() as QueuedRequestRow[];
    try {
      this.memory = new MemoryQueuedRequestStore(limits, rows.map(decodeQueuedRequest));
    } catch (e) {
      throw new SqliteOpenError(db.file, 'corrupt', undefined, `queued request: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  add(record: QueuedRequestRecord): Promise<void> {
    return this.sequence.run(async () => {
      await this.memory.add(record);
      return { value: undefined, op: () => this.write(record) };
    });
  }

  update(id: string, change: QueuedRequestChange): Promise<QueuedRequestUpdateResult> {
    return this.sequence.run(() => {
      const result = this.memory.updateNow(id, change);
      const { record, dropped } = result;
      if (!record) return { value: result };
      return {
        value: result,
        op: () => {
          this.write(record);
          for (const d of dropped) this.deleteRow.run(d.id);
        },
      };
    });
  }

  get(id: string): Promise<QueuedRequestRecord | undefined> {
    return this.memory.get(id);
  }

  byEndpoint(endpoint: string, limit?: number): Promise<QueuedRequestRecord[]> {
    return this.memory.byEndpoint(endpoint, limit);
  }

  pending(): Promise<QueuedRequestRecord[]> {
    return this.memory.pending();
  }

  stats(): QueuedRequestStoreStats {
    return this.memory.stats();
  }

  private write(r: QueuedRequestRecord): void {
    this.upsert.run(r.id, r.endpoint, r.status, r.createdAt, r.updatedAt, encodeQueuedRequest(r));
  }
}
