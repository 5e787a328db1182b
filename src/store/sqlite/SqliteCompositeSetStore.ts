// Composite sets (CompositeSetStore.ts) kept in the composite_sets table of the data file (schema
// version 5). Memory (a MemoryCompositeSetStore loaded at open) answers reads; a put or delete
// settles once durable, through the file's WriteSequence like the other stores.
import {
  copyCompositeSet,
  type CompositeSet,
  type CompositeSetDeleteResult,
  type CompositeSetPutResult,
  type CompositeSetStore,
} from '../CompositeSetStore.js';
import { MemoryCompositeSetStore } from '../memory/MemoryCompositeSetStore.js';
import type { SqliteStatement } from './betterSqlite3.js';
import type { SqliteDatabase } from './SqliteDatabase.js';
import { SqliteOpenError } from './sqliteErrors.js';
import { WriteSequence } from './WriteSequence.js';

interface SetRow {
  name: string;
  record: string;
}

/** A set from its stored JSON; throws on a row that is not one. */
function decodeSet(name: string, text: string): CompositeSet {
  const v = JSON.parse(text) as Partial<CompositeSet> | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    !Array.isArray(v.paths) ||
    v.paths.some((p) => typeof p !== 'string')
  )
    throw new TypeError(`composite set ${name}: not a set`);
  return copyCompositeSet({
    name,
    paths: v.paths,
    ...(typeof v.description === 'string' ? { description: v.description } : {}),
    ...(typeof v.format === 'string' ? { format: v.format } : {}),
  });
}

const encodeSet = (set: CompositeSet): string => {
  const { name: _name, ...rest } = copyCompositeSet(set);
  return JSON.stringify(rest);
};

/** A CompositeSetStore in memory, persisted to the composite_sets table of a SqliteDatabase. */
export class SqliteCompositeSetStore implements CompositeSetStore {
  private readonly memory: MemoryCompositeSetStore;
  private readonly sequence: WriteSequence;
  private readonly upsert: SqliteStatement;
  private readonly deleteRow: SqliteStatement;
  private readonly selectRow: SqliteStatement;

  /** Loads every stored set; throws SqliteOpenError when a row cannot be read. */
  constructor(db: SqliteDatabase) {
    this.sequence = new WriteSequence(db);
    const c = db.connection;
    this.upsert = c.prepare(
      'INSERT INTO composite_sets (name, record) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET record = excluded.record',
    );
    this.deleteRow = c.prepare('DELETE FROM composite_sets WHERE name = ?');
    this.selectRow = c.prepare('SELECT name, record FROM composite_sets WHERE name = ?');
    const rows = c.prepare('SELECT name, record FROM composite_sets').all() as SetRow[];
    try {
      this.memory = new MemoryCompositeSetStore(rows.map((r) => decodeSet(r.name, r.record)));
    } catch (e) {
      throw new SqliteOpenError(db.file, 'corrupt', undefined, (e as Error).message, { cause: e });
    }
  }

  get(name: string): Promise<CompositeSet | undefined> {
    return this.memory.get(name);
  }

  put(set: CompositeSet): Promise<CompositeSetPutResult> {
    return this.sequence.run(async () => {
      const result = await this.memory.put(set);
      const text = encodeSet(set);
      return {
        value: result,
        op: () => this.upsert.run(set.name, text),
        onFailed: () => this.resync(set.name),
      };
    });
  }

  delete(name: string): Promise<CompositeSetDeleteResult> {
    return this.sequence.run(async () => {
      const result = await this.memory.delete(name);
      if (!result.removed) return { value: result };
      return { value: result, op: () => this.deleteRow.run(name), onFailed: () => this.resync(name) };
    });
  }

  list(): Promise<CompositeSet[]> {
    return this.memory.list();
  }

  size(): Promise<number> {
    return this.memory.size();
  }

  /** Puts the set `name` in memory back as the file has it. */
  private resync(name: string): void {
    const row = this.selectRow.get(name) as SetRow | undefined;
    if (row) void this.memory.put(decodeSet(row.name, row.record));
    else void this.memory.delete(name);
  }
}
