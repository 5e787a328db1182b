// LwM2M Core TS 1.1.1 section 5.2.7: the history of ended bootstrap sessions kept in SQLite (issue
// 14 item 2), so a restarted Bootstrap-Server still shows them. Memory (a MemoryBootstrapSessionStore
// loaded at open) answers reads; a put, and the old sessions it drops, settle once durable.
import {
  type BootstrapSessionHistoryLimits,
  type BootstrapSessionPutResult,
  type BootstrapSessionQuery,
  type BootstrapSessionRecord,
  type BootstrapSessionStore,
  type BootstrapSessionStoreStats,
} from '../BootstrapSessionStore.js';
import { MemoryBootstrapSessionStore } from '../memory/MemoryBootstrapSessionStore.js';
import type { SqliteStatement } from './betterSqlite3.js';
import {
  decodeBootstrapSession,
  encodeBootstrapSession,
  type BootstrapSessionRow,
} from './bootstrapSessionRows.js';
import type { SqliteDatabase } from './SqliteDatabase.js';
import { SqliteOpenError } from './sqliteErrors.js';
import { WriteSequence } from './WriteSequence.js';

const SELECT_ALL =
  'SELECT id, endpoint, state, started_at, ended_at, record FROM bootstrap_sessions ORDER BY seq';

/** A BootstrapSessionStore in memory, persisted to the bootstrap_sessions table of a SqliteDatabase. */
export class SqliteBootstrapSessionStore implements BootstrapSessionStore {
  private readonly memory: MemoryBootstrapSessionStore;
  private readonly sequence: WriteSequence;
  private readonly insert: SqliteStatement;
  private readonly deleteRow: SqliteStatement;
  private readonly selectAll: SqliteStatement;

  /**
   * Loads the stored sessions (oldest first; those over `maxSessions` are dropped from the file
   * too); throws SqliteOpenError when a row cannot be read.
   */
  constructor(db: SqliteDatabase, limits: Partial<BootstrapSessionHistoryLimits> = {}) {
    this.sequence = new WriteSequence(db);
    const c = db.connection;
    this.insert = c.prepare(
      'INSERT INTO bootstrap_sessions (id, endpoint, state, started_at, ended_at, record) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.deleteRow = c.prepare('DELETE FROM bootstrap_sessions WHERE id = ?');
    this.selectAll = c.prepare(SELECT_ALL);
    let records: BootstrapSessionRecord[];
    try {
      records = this.readAll();
    } catch (e) {
      throw new SqliteOpenError(db.file, 'corrupt', undefined, `bootstrap session: ${(e as Error).message}`, {
        cause: e,
      });
    }
    this.memory = new MemoryBootstrapSessionStore(limits, records);
    const kept = new Set(records.slice(records.length - this.memory.stats().sessions).map((r) => r.id));
    const over = records.filter((r) => !kept.has(r.id));
    if (over.length > 0)
      void this.sequence
        .run(() => ({ value: undefined, op: () => over.forEach((r) => this.deleteRow.run(r.id)) }))
        .catch(() => undefined); // tried again at the next open
  }

  put(record: BootstrapSessionRecord): Promise<BootstrapSessionPutResult> {
    return this.sequence.run(() => {
      const result = this.memory.putNow(record);
      const text = encodeBootstrapSession(record);
      return {
        value: result,
        op: () => {
          this.deleteRow.run(record.id);
          this.insert.run(
            record.id,
            record.endpoint,
            record.state,
            record.startedAt,
            record.endedAt ?? record.startedAt,
            text,
          );
          for (const d of result.dropped) this.deleteRow.run(d.id);
        },
        onFailed: () => this.memory.reset(this.readAll()),
      };
    });
  }

  get(id: string): Promise<BootstrapSessionRecord | undefined> {
    return this.memory.get(id);
  }

  list(query?: BootstrapSessionQuery): Promise<BootstrapSessionRecord[]> {
    return this.memory.list(query);
  }

  stats(): BootstrapSessionStoreStats {
    return this.memory.stats();
  }

  private readAll(): BootstrapSessionRecord[] {
    return (this.selectAll.all() as BootstrapSessionRow[]).map(decodeBootstrapSession);
  }
}
