// The schema of the SQLite stores, versioned: each migration brings the file from version n-1 to
// n in one transaction and records itself in the schema_version table, so a data file survives
// upgrades (issue 14) and a file written by a newer version is refused, never half-read.
import type { SqliteConnection } from './betterSqlite3.js';
import { SqliteSchemaVersionError } from './sqliteErrors.js';

/** One step of the schema. */
export interface Migration {
  /** The version this step produces: 1, 2, ... in order, without gaps. */
  readonly version: number;
  /** What it changes, kept in the schema_version table. */
  readonly description: string;
  /** Applies the step (inside a transaction the runner opens). */
  up(db: SqliteConnection): void;
}

/** Version 1: registrations, observations (found by token too), bootstrap configs, credentials. */
const V1: Migration = {
  version: 1,
  description: 'registrations, observations, bootstrap configs, security credentials',
  up(db) {
    db.exec(`
      CREATE TABLE registrations (
        id TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL UNIQUE,
        record TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE observations (
        registration_id TEXT NOT NULL,
        token BLOB NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (registration_id, token)
      ) WITHOUT ROWID;
      CREATE INDEX observations_by_token ON observations (token);
      CREATE TABLE bootstrap_configs (
        endpoint TEXT PRIMARY KEY,
        config TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE security (
        endpoint TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('psk', 'rpk', 'x509')),
        psk_identity TEXT UNIQUE,
        key BLOB
      ) WITHOUT ROWID;
    `);
  },
};

/** Version 2: requests queued for sleeping clients, with their status (Transport TS 1.1.1 section 6.5, issue 14 item 4). */
const V2: Migration = {
  version: 2,
  description: 'queued requests',
  up(db) {
    db.exec(`
      CREATE TABLE queued_requests (
        id TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        record TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX queued_requests_by_endpoint ON queued_requests (endpoint, created_at);
    `);
  },
};

/**
 * Version 3: the history of ended bootstrap sessions (Core TS 1.1.1 section 5.2.7, issue 14 item 2),
 * `seq` keeping the order they were stored in (oldest dropped first).
 */
const V3: Migration = {
  version: 3,
  description: 'bootstrap sessions',
  up(db) {
    db.exec(`
      CREATE TABLE bootstrap_sessions (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        endpoint TEXT NOT NULL,
        state TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER NOT NULL,
        record TEXT NOT NULL
      );
    `);
  },
};

/**
 * Version 4: registrations in a table without indexes, in the order they were written. Keyed by
 * the random registration id (and indexed by endpoint), each Register wrote into random pages of
 * two B-trees: about 13 kB of log per Register at 50k registrations, three times the CPU of an
 * append. Memory answers every lookup and enforces uniqueness; the store keeps each
 * registration's `row` in memory to update and delete it (SqliteRegistrationStore.ts).
 */
const V4: Migration = {
  version: 4,
  description: 'registrations appended, without indexes',
  up(db) {
    db.exec(`
      CREATE TABLE registrations_v4 (
        row INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        record TEXT NOT NULL
      );
      INSERT INTO registrations_v4 (id, endpoint, record) SELECT id, endpoint, record FROM registrations;
      DROP TABLE registrations;
      ALTER TABLE registrations_v4 RENAME TO registrations;
    `);
  },
};

/** Version 5: named lists of paths for the composite operations (issue 16 item 3, CompositeSetStore.ts). */
const V5: Migration = {
  version: 5,
  description: 'composite sets',
  up(db) {
    db.exec(`
      CREATE TABLE composite_sets (
        name TEXT PRIMARY KEY,
        record TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};

/** Every migration this version knows, oldest first. */
export const MIGRATIONS: readonly Migration[] = Object.freeze([V1, V2, V3, V4, V5]);

/** The schema version `db` holds: 0 for a file without the schema_version table. */
export function schemaVersionOf(db: SqliteConnection): number {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    .get();
  if (table === undefined) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Brings `db` to the last version of `migrations`, each step in its own transaction; returns the
 * versions before and after. Throws SqliteSchemaVersionError, touching nothing, when the file is
 * newer than the last migration.
 */
export function migrate(
  db: SqliteConnection,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => number = Date.now,
): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i} has version ${m.version}, expected ${i + 1}`);
  });
  const latest = migrations.length;
  const from = schemaVersionOf(db);
  if (from > latest) throw new SqliteSchemaVersionError(file, from, latest);
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      db.exec(
        'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)',
      );
      m.up(db);
      db.prepare('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.description,
        now(),
      );
    })();
  }
  return { from, to: Math.max(from, latest) };
}
