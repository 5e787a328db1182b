// LwM2M Core TS 1.1.1 section 5.2.7: bootstrap configurations kept in SQLite. Memory (a
// MemoryBootstrapConfigStore loaded at open) answers reads; a put or delete settles once durable.
import type { BootstrapConfig } from '../../lwm2m/BootstrapConfig.js';
import type {
  BootstrapConfigDeleteResult,
  BootstrapConfigEntry,
  BootstrapConfigPutResult,
  BootstrapConfigStore,
} from '../BootstrapConfigStore.js';
import { MemoryBootstrapConfigStore } from '../memory/MemoryBootstrapConfigStore.js';
import type { SqliteStatement } from './betterSqlite3.js';
import { decodeBootstrapConfig, encodeBootstrapConfig } from './bootstrapConfigRows.js';
import type { SqliteDatabase } from './SqliteDatabase.js';
import { SqliteOpenError } from './sqliteErrors.js';
import { WriteSequence } from './WriteSequence.js';

interface ConfigRow {
  endpoint: string;
  config: string;
}

/** A BootstrapConfigStore in memory, persisted to the bootstrap_configs table of a SqliteDatabase. */
export class SqliteBootstrapConfigStore implements BootstrapConfigStore {
  private readonly memory: MemoryBootstrapConfigStore;
  private readonly sequence: WriteSequence;
  private readonly upsert: SqliteStatement;
  private readonly deleteRow: SqliteStatement;
  private readonly selectRow: SqliteStatement;

  /** Loads every stored config; throws SqliteOpenError when a row cannot be read. */
  constructor(db: SqliteDatabase) {
    this.sequence = new WriteSequence(db);
    const c = db.connection;
    this.upsert = c.prepare(
      'INSERT INTO bootstrap_configs (endpoint, config) VALUES (?, ?) ON CONFLICT (endpoint) DO UPDATE SET config = excluded.config',
    );
    this.deleteRow = c.prepare('DELETE FROM bootstrap_configs WHERE endpoint = ?');
    this.selectRow = c.prepare('SELECT endpoint, config FROM bootstrap_configs WHERE endpoint = ?');
    const rows = c.prepare('SELECT endpoint, config FROM bootstrap_configs').all() as ConfigRow[];
    try {
      this.memory = new MemoryBootstrapConfigStore(
        rows.map((r) => [r.endpoint, decodeBootstrapConfig(r.config)]),
      );
    } catch (e) {
      throw new SqliteOpenError(db.file, 'corrupt', undefined, `bootstrap config: ${(e as Error).message}`, {
        cause: e,
      });
    }
  }

  get(endpoint: string): Promise<BootstrapConfig | undefined> {
    return this.memory.get(endpoint);
  }

  getExact(endpoint: string): Promise<BootstrapConfig | undefined> {
    return this.memory.getExact(endpoint);
  }

  put(endpoint: string, config: BootstrapConfig): Promise<BootstrapConfigPutResult> {
    return this.sequence.run(async () => {
      const result = await this.memory.put(endpoint, config);
      const text = encodeBootstrapConfig(config);
      return {
        value: result,
        op: () => this.upsert.run(endpoint, text),
        onFailed: () => this.resync(endpoint),
      };
    });
  }

  delete(endpoint: string): Promise<BootstrapConfigDeleteResult> {
    return this.sequence.run(async () => {
      const result = await this.memory.delete(endpoint);
      if (!result.removed) return { value: result };
      return { value: result, op: () => this.deleteRow.run(endpoint), onFailed: () => this.resync(endpoint) };
    });
  }

  list(): Promise<BootstrapConfigEntry[]> {
    return this.memory.list();
  }

  /** Puts the config of `endpoint` in memory back as the file has it. */
  private resync(endpoint: string): void {
    const row = this.selectRow.get(endpoint) as ConfigRow | undefined;
    if (row) void this.memory.put(endpoint, decodeBootstrapConfig(row.config)).catch(() => undefined);
    else void this.memory.delete(endpoint);
  }
}
