// LwM2M Core TS 1.1.1 section 6.2: registrations kept in SQLite. Memory stays the read path: a
// MemoryRegistrationStore loaded from the file at open answers every read; each write changes it,
// then its SQL goes into the next group-commit batch, and the write's promise settles only once the
// batch is durable, so a Register, Update or De-register is acknowledged only once on disk. Records
// carry wall-clock times (the server's wallClock) and are stored as they are. A failed batch rejects the write
// (SqliteWriteError, 5.03) and puts the registrations it touched back in memory as the file has them.
import type { Registration } from '../../lwm2m/Registration.js';
import { MemoryRegistrationStore } from '../memory/MemoryRegistrationStore.js';
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

interface RegistrationRow {
  id: string;
  endpoint: string;
  record: string;
}

/** A RegistrationStore in memory, persisted to a SqliteDatabase with its observations. */
export class SqliteRegistrationStore implements RegistrationStore {
  readonly observations: SqliteObservationStore;
  private readonly memory: MemoryRegistrationStore;
  private readonly sequence: WriteSequence;
  private readonly insert: SqliteStatement;
  private readonly updateRow: SqliteStatement;
  private readonly deleteRow: SqliteStatement;
  private readonly selectRow: SqliteStatement;

  private constructor(db: SqliteDatabase) {
    this.sequence = new WriteSequence(db);
    this.observations = new SqliteObservationStore(this.sequence);
    this.memory = new MemoryRegistrationStore({ observations: this.observations.memory });
    const c = db.connection;
    this.insert = c.prepare('INSERT INTO registrations (id, endpoint, record) VALUES (?, ?, ?)');
    this.updateRow = c.prepare('UPDATE registrations SET record = ? WHERE id = ?');
    this.deleteRow = c.prepare('DELETE FROM registrations WHERE id = ?');
    this.selectRow = c.prepare('SELECT id, endpoint, record FROM registrations WHERE id = ?');
  }

  /** Loads every registration and observation of `db`; throws SqliteOpenError when a row cannot be read. */
  static async open(db: SqliteDatabase): Promise<SqliteRegistrationStore> {
    const store = new SqliteRegistrationStore(db);
    const interner = new RegistrationObjectsInterner();
    // The memory store indexes each record synchronously inside add(); one await per row would
    // cost a turn of the microtask queue each (a third of the load time at 100k rows).
    const added: Promise<unknown>[] = [];
    for (const row of db.connection.prepare('SELECT id, endpoint, record FROM registrations').iterate())
      added.push(store.memory.add(store.decode(row as RegistrationRow, interner)));
    await Promise.all(added);
    return store;
  }

  add(reg: Registration): Promise<RegistrationAddResult> {
    return this.sequence.run(async () => {
      const record = encodeRegistration(reg);
      const result = await this.memory.add(reg);
      const previousId = result.previous?.id;
      return {
        value: result,
        op: () => {
          if (previousId !== undefined) this.deleteWithObservations(previousId);
          this.insert.run(reg.id, reg.endpoint, record);
        },
        onFailed: () => this.resync(previousId === undefined ? [reg.id] : [reg.id, previousId]),
      };
    });
  }

  update(id: string, updater: RegistrationUpdater): Promise<RegistrationUpdateResult | undefined> {
    return this.sequence.run(async () => {
      const result = await this.memory.update(id, updater);
      if (!result) return { value: undefined };
      const record = encodeRegistration(result.current);
      return { value: result, op: () => this.updateRow.run(record, id), onFailed: () => this.resync([id]) };
    });
  }

  remove(id: string): Promise<RegistrationRemoveResult> {
    return this.sequence.run(async () => {
      const result = await this.memory.remove(id);
      if (!result.removed) return { value: result };
      return { value: result, op: () => this.deleteWithObservations(id), onFailed: () => this.resync([id]) };
    });
  }

  removeExpired(now: number, graceMs?: number, limit?: number): Promise<RegistrationRemoveResult[]> {
    return this.sequence.run(async () => {
      const results = await this.memory.removeExpired(now, graceMs, limit);
      const ids = results.flatMap((r) => (r.removed ? [r.removed.id] : []));
      if (ids.length === 0) return { value: results };
      return {
        value: results,
        op: () => ids.forEach((id) => this.deleteWithObservations(id)),
        onFailed: () => this.resync(ids),
      };
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

  nextExpiry(): Promise<number | undefined> {
    return this.memory.nextExpiry();
  }

  private deleteWithObservations(id: string): void {
    this.observations.deleteOfRegistration(id);
    this.deleteRow.run(id);
  }

  /** Puts these registrations and their observations in memory back as the file has them. */
  private resync(ids: readonly string[]): void {
    const interner = new RegistrationObjectsInterner();
    for (const id of ids) {
      void this.memory.remove(id);
      const row = this.selectRow.get(id) as RegistrationRow | undefined;
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
