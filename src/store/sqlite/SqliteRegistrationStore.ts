// LwM2M Core TS 1.1.1 section 6.2: registrations kept in SQLite. Memory stays the read path: a
// MemoryRegistrationStore loaded from the file at open answers every read; each write changes it,
// then its SQL goes into the next group-commit batch, and the write's promise settles only once the
// batch is durable, so a Register, Update or De-register is acknowledged only once on disk. Records
// carry wall-clock times (the server's wallClock) and are stored as they are. A failed batch rejects the write
// (SqliteWriteError, 5.03) and puts the registrations it touched back in memory as the file has them.
// Rows are appended (schema version 4, migrations.ts): the file has no index, memory finds each
// registration's row (`rows`, kept as the file has it: a rolled-back batch undoes its changes).
// A batch's new rows go in together at its end (RowAppender: one INSERT per 32 rows).
import type { Registration } from '../../lwm2m/Registration.js';
import { MemoryRegistrationStore } from '../memory/MemoryRegistrationStore.js';
import { ShardedMap } from '../memory/ShardedMap.js';
import type {
  RegistrationAddResult,
  RegistrationRemoveResult,
  RegistrationStore,
  RegistrationUpdater,
  RegistrationUpdateResult,
} from '../RegistrationStore.js';
import type { RegistrationPage, RegistrationPageQuery } from '../RegistrationPage.js';
import type { SqliteStatement } from './betterSqlite3.js';
import { decodeRegistration, encodeRegistration, RegistrationObjectsInterner } from './registrationRows.js';
import type { SqliteDatabase } from './SqliteDatabase.js';
import { SqliteObservationStore } from './SqliteObservationStore.js';
import { SqliteOpenError } from './sqliteErrors.js';
import { WriteSequence } from './WriteSequence.js';
import type { WriteOp } from './GroupCommit.js';
import { RowAppender } from './RowAppender.js';

interface RegistrationRow {
  row: number;
  id: string;
  endpoint: string;
  record: string;
}

/** A RegistrationStore in memory, persisted to a SqliteDatabase with its observations. */
export class SqliteRegistrationStore implements RegistrationStore {
  readonly observations: SqliteObservationStore;
  private readonly memory: MemoryRegistrationStore;
  private readonly sequence: WriteSequence;
  private readonly appender: RowAppender;
  private readonly updateRecord: SqliteStatement;
  private readonly deleteRow: SqliteStatement;
  private readonly selectRow: SqliteStatement;
  /** The row of each registration in the file, as the file has it. */
  private readonly rows = new ShardedMap<number>();
  /** What the batch under way changed in `rows`: each id's row before it (undefined: none). */
  private readonly undo = new Map<string, number | undefined>();

  private constructor(db: SqliteDatabase, nextRow: number) {
    this.sequence = new WriteSequence(db);
    this.observations = new SqliteObservationStore(this.sequence);
    this.memory = new MemoryRegistrationStore({ observations: this.observations.memory });
    const c = db.connection;
    this.appender = new RowAppender(c, 'registrations', ['id', 'endpoint', 'record'], nextRow);
    this.updateRecord = c.prepare('UPDATE registrations SET record = ? WHERE row = ?');
    this.deleteRow = c.prepare('DELETE FROM registrations WHERE row = ?');
    this.selectRow = c.prepare('SELECT row, id, endpoint, record FROM registrations WHERE row = ?');
    db.beforeCommit(() => this.appender.flush());
    db.onBatchEnd((committed) => {
      if (!committed) {
        this.appender.discard();
        for (const [id, row] of this.undo) {
          if (row === undefined) this.rows.delete(id);
          else this.rows.set(id, row);
        }
      }
      this.undo.clear();
    });
  }

  /** Loads every registration and observation of `db`; throws SqliteOpenError when a row cannot be read. */
  static async open(db: SqliteDatabase): Promise<SqliteRegistrationStore> {
    const { last } = db.connection.prepare('SELECT MAX(row) AS last FROM registrations').get() as {
      last: number | null;
    };
    const store = new SqliteRegistrationStore(db, (last ?? 0) + 1);
    const interner = new RegistrationObjectsInterner();
    // Later rows win: a row whose id or endpoint a later row has too is stale (none are written so).
    const loaded = new Map<string, Registration>();
    const byEndpoint = new Map<string, { row: number; id: string }>();
    const stale: number[] = [];
    const all = db.connection.prepare('SELECT row, id, endpoint, record FROM registrations ORDER BY row');
    for (const raw of all.iterate()) {
      const row = raw as RegistrationRow;
      const sameEndpoint = byEndpoint.get(row.endpoint);
      if (sameEndpoint) {
        stale.push(sameEndpoint.row);
        store.rows.delete(sameEndpoint.id);
        loaded.delete(sameEndpoint.id);
      }
      const sameId = store.rows.get(row.id);
      if (sameId !== undefined) stale.push(sameId);
      store.rows.set(row.id, row.row);
      byEndpoint.set(row.endpoint, { row: row.row, id: row.id });
      loaded.set(row.id, store.decode(row, interner));
    }
    // The memory store indexes each record synchronously inside add(); one await per row would
    // cost a turn of the microtask queue each (a third of the load time at 100k rows).
    await Promise.all([...loaded.values()].map((reg) => store.memory.add(reg)));
    if (stale.length > 0) await db.write(() => stale.forEach((row) => store.deleteRow.run(row)));
    return store;
  }

  // The ops and onFailed callbacks below are made by functions that return them: a closure
  // written as `op: () => ...` or `const op = () => ...` gets a name, which under tsx (esbuild's
  // keepNames, as `npm start` and the benchmarks run) costs an Object.defineProperty per write.

  add(reg: Registration): Promise<RegistrationAddResult> {
    return this.sequence.run(async () => {
      const record = encodeRegistration(reg);
      const result = await this.memory.add(reg);
      const previousId = result.previous?.id;
      const ids = previousId === undefined ? [reg.id] : [reg.id, previousId];
      return { value: result, op: this.addRow(reg, record, previousId), onFailed: this.resyncOf(ids) };
    });
  }

  update(id: string, updater: RegistrationUpdater): Promise<RegistrationUpdateResult | undefined> {
    return this.sequence.run(async () => {
      const result = await this.memory.update(id, updater);
      if (!result) return { value: undefined };
      const record = encodeRegistration(result.current);
      return {
        value: result,
        op: this.updateRow(id, result.current.endpoint, record),
        onFailed: this.resyncOf([id]),
      };
    });
  }

  remove(id: string): Promise<RegistrationRemoveResult> {
    return this.sequence.run(async () => {
      const result = await this.memory.remove(id);
      if (!result.removed) return { value: result };
      return { value: result, op: this.deleteRows([id]), onFailed: this.resyncOf([id]) };
    });
  }

  removeExpired(now: number, graceMs?: number, limit?: number): Promise<RegistrationRemoveResult[]> {
    return this.sequence.run(async () => {
      const results = await this.memory.removeExpired(now, graceMs, limit);
      const ids = results.flatMap((r) => (r.removed ? [r.removed.id] : []));
      if (ids.length === 0) return { value: results };
      return { value: results, op: this.deleteRows(ids), onFailed: this.resyncOf(ids) };
    });
  }

  getById(id: string): Promise<Registration | undefined> {
    return this.memory.getById(id);
  }

  getByEndpoint(endpoint: string): Promise<Registration | undefined> {
    return this.memory.getByEndpoint(endpoint);
  }

  getByPeer(peerKey: string): Promise<Registration | undefined> {
    return this.memory.getByPeer(peerKey);
  }

  all(): AsyncIterable<Registration> {
    return this.memory.all();
  }

  page(query: RegistrationPageQuery): Promise<RegistrationPage> {
    return this.memory.page(query);
  }

  size(): Promise<number> {
    return this.memory.size();
  }

  hasPeerNow(peerKey: string): boolean {
    return this.memory.hasPeerNow(peerKey);
  }

  sizeNow(): number {
    return this.memory.sizeNow();
  }

  getByEndpointNow(endpoint: string): Registration | undefined {
    return this.memory.getByEndpointNow(endpoint);
  }

  nextExpiry(): Promise<number | undefined> {
    return this.memory.nextExpiry();
  }

  /** The SQL of an add: the registration's row appended (and the replaced registration's rows deleted). */
  private addRow(reg: Registration, record: string, previousId: string | undefined): WriteOp {
    return () => {
      if (previousId !== undefined) this.deleteWithObservations(previousId);
      const existing = this.rows.get(reg.id);
      if (existing !== undefined) this.deleteRowAt(existing);
      this.setRow(reg.id, this.appender.append(reg.id, reg.endpoint, record));
    };
  }

  /** The SQL of an update: the row rewritten in place (appended when the file has none). */
  private updateRow(id: string, endpoint: string, record: string): WriteOp {
    return () => {
      const row = this.rows.get(id);
      if (row === undefined) return this.setRow(id, this.appender.append(id, endpoint, record));
      this.appender.flush(); // the row may still be pending
      this.updateRecord.run(record, row);
    };
  }

  private deleteRows(ids: readonly string[]): WriteOp {
    return () => {
      for (const id of ids) this.deleteWithObservations(id);
    };
  }

  private resyncOf(ids: readonly string[]): () => void {
    return () => this.resync(ids);
  }

  private deleteWithObservations(id: string): void {
    this.observations.deleteOfRegistration(id);
    const row = this.rows.get(id);
    if (row === undefined) return;
    this.deleteRowAt(row);
    this.setRow(id, undefined);
  }

  /** Deletes `row`, once what is pending is in the file (it may be among them). */
  private deleteRowAt(row: number): void {
    this.appender.flush();
    this.deleteRow.run(row);
  }

  /** Notes that `id` is now at `row` in the file (undefined: deleted), undone if the batch rolls back. */
  private setRow(id: string, row: number | undefined): void {
    if (!this.undo.has(id)) this.undo.set(id, this.rows.get(id));
    if (row === undefined) this.rows.delete(id);
    else this.rows.set(id, row);
  }

  /** Puts these registrations and their observations in memory back as the file has them. */
  private resync(ids: readonly string[]): void {
    const interner = new RegistrationObjectsInterner();
    for (const id of ids) {
      void this.memory.remove(id);
      const at = this.rows.get(id);
      const row = at === undefined ? undefined : (this.selectRow.get(at) as RegistrationRow | undefined);
      if (row) void this.memory.add(this.decode(row, interner));
    }
    this.observations.resync(ids);
  }

  private decode(row: RegistrationRow, interner: RegistrationObjectsInterner): Registration {
    try {
      return decodeRegistration(row.id, row.endpoint, row.record, interner);
    } catch (e) {
      throw new SqliteOpenError(
        this.sequence.db.file,
        'corrupt',
        undefined,
        `registration ${row.id}: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }
}
