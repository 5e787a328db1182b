// Every SQLite store on one data file, for a role to take in its constructor (issue 14: the
// server and the bootstrap server keep their data in one file of the data directory).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqliteBootstrapConfigStore } from './SqliteBootstrapConfigStore.js';
import { SqliteDatabase, type SqliteDatabaseOptions } from './SqliteDatabase.js';
import { SqliteRegistrationStore } from './SqliteRegistrationStore.js';
import { SqliteSecurityStore } from './SqliteSecurityStore.js';
import { SqliteQueuedRequestStore } from './SqliteQueuedRequestStore.js';
import type { QueuedRequestHistoryLimits } from '../QueuedRequestStore.js';
import { SqliteBootstrapSessionStore } from './SqliteBootstrapSessionStore.js';
import type { BootstrapSessionHistoryLimits } from '../BootstrapSessionStore.js';
import { SqliteCompositeSetStore } from './SqliteCompositeSetStore.js';

/** The stores of one data file. */
export interface SqliteStores {
  readonly database: SqliteDatabase;
  /** Registrations, with their observations as `registrations.observations`. */
  readonly registrations: SqliteRegistrationStore;
  readonly bootstrapConfigs: SqliteBootstrapConfigStore;
  readonly security: SqliteSecurityStore;
  /** Requests held for sleeping clients, with status and history. */
  readonly queuedRequests: SqliteQueuedRequestStore;
  /** Ended bootstrap sessions (bounded history). */
  readonly bootstrapSessions: SqliteBootstrapSessionStore;
  /** Named path lists of the composite operations (web UI and REST API). */
  readonly compositeSets: SqliteCompositeSetStore;
  /** Commits what is queued and closes the file. */
  close(): Promise<void>;
}

/**
 * Opens `file` (creating its directory, mode 0700, when missing) and loads every store from it.
 * Throws as SqliteDatabase.open does, and SqliteOpenError when a stored row cannot be read; the
 * file is then closed again.
 */
export async function openSqliteStores(
  file: string,
  options: SqliteDatabaseOptions & {
    readonly queuedRequestHistory?: Partial<QueuedRequestHistoryLimits>;
    readonly bootstrapSessionHistory?: Partial<BootstrapSessionHistoryLimits>;
  } = {},
): Promise<SqliteStores> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const database = SqliteDatabase.open(file, options);
  try {
    const registrations = await SqliteRegistrationStore.open(database);
    const bootstrapConfigs = new SqliteBootstrapConfigStore(database);
    const security = new SqliteSecurityStore(database);
    const queuedRequests = new SqliteQueuedRequestStore(database, options.queuedRequestHistory);
    const bootstrapSessions = new SqliteBootstrapSessionStore(database, options.bootstrapSessionHistory);
    const compositeSets = new SqliteCompositeSetStore(database);
    return {
      database,
      registrations,
      bootstrapConfigs,
      security,
      queuedRequests,
      bootstrapSessions,
      compositeSets,
      close: () => database.close(),
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}
