// Transport TS 1.1.1 section 5.2: security credentials kept in SQLite. Memory (a
// MemorySecurityStore loaded at open) answers reads, including the DTLS handshake's lookups by PSK
// identity and by raw public key (both indexed there); keys are stored as blobs, and the PSK identity is unique in SQL too, so a file can
// never map one identity to two endpoints. A write settles once durable; listeners hear of it then.
import type { SecurityInfo } from '../../lwm2m/SecurityInfo.js';
import { MemorySecurityStore } from '../memory/MemorySecurityStore.js';
import type {
  SecurityChange,
  SecurityChangeListener,
  SecurityDeleteResult,
  SecurityPutResult,
  SecurityStore,
} from '../SecurityStore.js';
import type { SqliteStatement } from './betterSqlite3.js';
import type { SqliteDatabase } from './SqliteDatabase.js';
import { SqliteOpenError } from './sqliteErrors.js';
import { WriteSequence } from './WriteSequence.js';

interface SecurityRow {
  endpoint: string;
  kind: string;
  psk_identity: string | null;
  key: Uint8Array | null;
}

function decode(row: SecurityRow): SecurityInfo {
  const bytes = row.key === null ? undefined : Uint8Array.from(row.key);
  if (row.kind === 'psk' && row.psk_identity !== null && bytes)
    return { endpoint: row.endpoint, kind: 'psk', identity: row.psk_identity, key: bytes };
  if (row.kind === 'rpk' && bytes) return { endpoint: row.endpoint, kind: 'rpk', publicKey: bytes };
  if (row.kind === 'x509') return { endpoint: row.endpoint, kind: 'x509' };
  throw new Error(`the ${row.kind} credentials of ${JSON.stringify(row.endpoint)} are incomplete`);
}

/** A SecurityStore in memory, persisted to the security table of a SqliteDatabase. */
export class SqliteSecurityStore implements SecurityStore {
  private readonly memory: MemorySecurityStore;
  private readonly sequence: WriteSequence;
  private readonly listeners: SecurityChangeListener[] = [];
  private lastChange: SecurityChange | undefined;
  private readonly upsert: SqliteStatement;
  private readonly deleteRow: SqliteStatement;
  private readonly selectRow: SqliteStatement;

  /** Loads every stored credential; throws SqliteOpenError when a row cannot be read. */
  constructor(db: SqliteDatabase) {
    this.sequence = new WriteSequence(db);
    const c = db.connection;
    // ON CONFLICT on the endpoint only: an identity held by another endpoint fails the batch
    // rather than silently replacing that endpoint's row (what INSERT OR REPLACE would do).
    this.upsert = c.prepare(
      'INSERT INTO security (endpoint, kind, psk_identity, key) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (endpoint) DO UPDATE SET kind = excluded.kind, psk_identity = excluded.psk_identity, key = excluded.key',
    );
    this.deleteRow = c.prepare('DELETE FROM security WHERE endpoint = ?');
    this.selectRow = c.prepare('SELECT endpoint, kind, psk_identity, key FROM security WHERE endpoint = ?');
    try {
      const rows = c.prepare('SELECT endpoint, kind, psk_identity, key FROM security').all() as SecurityRow[];
      this.memory = new MemorySecurityStore(rows.map(decode));
    } catch (e) {
      // The message names the endpoint and the field, never a key.
      throw new SqliteOpenError(db.file, 'corrupt', undefined, `credentials: ${(e as Error).message}`, {
        cause: e,
      });
    }
    this.memory.onChange((change) => {
      this.lastChange = change;
    });
  }

  getByEndpoint(endpoint: string): Promise<SecurityInfo | undefined> {
    return this.memory.getByEndpoint(endpoint);
  }

  getByPskIdentity(identity: string): Promise<SecurityInfo | undefined> {
    return this.memory.getByPskIdentity(identity);
  }

  getByPublicKey(spki: Uint8Array): Promise<SecurityInfo | undefined> {
    return this.memory.getByPublicKey(spki);
  }

  async put(info: SecurityInfo): Promise<SecurityPutResult> {
    const { result, change } = await this.sequence.run(async () => {
      this.lastChange = undefined;
      // The memory store tells its listener synchronously, inside the call.
      const written = this.memory.put(info);
      const change = this.lastChange as SecurityChange | undefined;
      const result = await written;
      const row = [
        info.endpoint,
        info.kind,
        info.kind === 'psk' ? info.identity : null,
        info.kind === 'psk' ? info.key.slice() : info.kind === 'rpk' ? info.publicKey.slice() : null,
      ];
      return {
        value: { result, change },
        op: () => this.upsert.run(...row),
        onFailed: () => this.resync(info.endpoint),
      };
    });
    if (change) this.notify(change);
    return result;
  }

  async delete(endpoint: string): Promise<SecurityDeleteResult> {
    const { result, change } = await this.sequence.run(async () => {
      this.lastChange = undefined;
      const removing = this.memory.delete(endpoint);
      const change = this.lastChange as SecurityChange | undefined;
      const result = await removing;
      if (!result.removed) return { value: { result, change } };
      return {
        value: { result, change },
        op: () => this.deleteRow.run(endpoint),
        onFailed: () => this.resync(endpoint),
      };
    });
    if (change) this.notify(change);
    return result;
  }

  all(): AsyncIterable<SecurityInfo> {
    return this.memory.all();
  }

  size(): Promise<number> {
    return this.memory.size();
  }

  onChange(listener: SecurityChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
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

  /** Puts the credentials of `endpoint` in memory back as the file has them. */
  private resync(endpoint: string): void {
    const row = this.selectRow.get(endpoint) as SecurityRow | undefined;
    void this.memory.delete(endpoint);
    if (row) void this.memory.put(decode(row)).catch(() => undefined);
  }
}
