// LwM2M Core TS 1.1.1 section 6.4 / RFC 7641: observations kept in SQLite. Memory stays the read
// path (a MemoryObservationStore loaded from the file at open); each write changes memory, then is
// made durable through the group commit before its promise settles. A failed batch puts memory back
// as the file has it for the registrations concerned.
import { MemoryObservationStore } from '../memory/MemoryObservationStore.js';
import type { ObservationAddResult, ObservationRecord, ObservationStore } from '../ObservationStore.js';
import type { SqliteStatement } from './betterSqlite3.js';
import { decodeObservation, encodeObservation } from './observationRows.js';
import { SqliteOpenError } from './sqliteErrors.js';
import type { WriteSequence } from './WriteSequence.js';

interface ObservationRow {
  registration_id: string;
  token: Uint8Array;
  record: string;
}

/** An ObservationStore in memory, persisted to the observations table of a SqliteDatabase. */
export class SqliteObservationStore implements ObservationStore {
  /** The in-memory index every read is answered from. */
  readonly memory = new MemoryObservationStore();
  private readonly upsert: SqliteStatement;
  private readonly deleteOne: SqliteStatement;
  private readonly deleteAll: SqliteStatement;
  private readonly selectOf: SqliteStatement;

  /** Loads every stored observation; throws SqliteOpenError when a row cannot be read. */
  constructor(private readonly sequence: WriteSequence) {
    const db = sequence.db.connection;
    this.upsert = db.prepare(
      'INSERT OR REPLACE INTO observations (registration_id, token, record) VALUES (?, ?, ?)',
    );
    this.deleteOne = db.prepare('DELETE FROM observations WHERE registration_id = ? AND token = ?');
    this.deleteAll = db.prepare('DELETE FROM observations WHERE registration_id = ?');
    this.selectOf = db.prepare(
      'SELECT registration_id, token, record FROM observations WHERE registration_id = ?',
    );
    for (const row of db.prepare('SELECT registration_id, token, record FROM observations').iterate())
      void this.memory.add(this.decode(row as ObservationRow));
  }

  add(obs: ObservationRecord): Promise<ObservationAddResult> {
    return this.sequence.run(async () => {
      const result = await this.memory.add(obs);
      const record = encodeObservation(obs);
      return {
        value: result,
        op: () => {
          for (const r of result.replaced) this.deleteOne.run(r.registrationId, r.token);
          this.upsert.run(obs.registrationId, obs.token, record);
        },
        onFailed: () => this.resync([obs.registrationId]),
      };
    });
  }

  get(registrationId: string, token: Uint8Array): Promise<ObservationRecord | undefined> {
    return this.memory.get(registrationId, token);
  }

  byToken(token: Uint8Array): Promise<ObservationRecord[]> {
    return this.memory.byToken(token);
  }

  byRegistration(registrationId: string): Promise<ObservationRecord[]> {
    return this.memory.byRegistration(registrationId);
  }

  remove(registrationId: string, token: Uint8Array): Promise<ObservationRecord | undefined> {
    return this.sequence.run(async () => {
      const removed = await this.memory.remove(registrationId, token);
      if (!removed) return { value: undefined };
      return {
        value: removed,
        op: () => this.deleteOne.run(registrationId, token),
        onFailed: () => this.resync([registrationId]),
      };
    });
  }

  removeByRegistration(registrationId: string): Promise<ObservationRecord[]> {
    return this.sequence.run(async () => {
      const removed = await this.memory.removeByRegistration(registrationId);
      if (removed.length === 0) return { value: removed };
      return {
        value: removed,
        op: () => this.deleteAll.run(registrationId),
        onFailed: () => this.resync([registrationId]),
      };
    });
  }

  size(): Promise<number> {
    return this.memory.size();
  }

  /** The SQL that drops every observation of a registration (for the registration store's batches). */
  deleteOfRegistration(registrationId: string): void {
    this.deleteAll.run(registrationId);
  }

  /** Puts the observations of these registrations in memory back as the file has them. */
  resync(registrationIds: Iterable<string>): void {
    for (const id of new Set(registrationIds)) {
      void this.memory.removeByRegistration(id);
      for (const row of this.selectOf.all(id)) void this.memory.add(this.decode(row as ObservationRow));
    }
  }

  private decode(row: ObservationRow): ObservationRecord {
    try {
      return decodeObservation(row.registration_id, row.token, row.record);
    } catch (e) {
      throw new SqliteOpenError(
        this.sequence.db.file,
        'corrupt',
        undefined,
        `observation of registration ${row.registration_id}: ${(e as Error).message}`,
        { cause: e },
      );
    }
  }
}
