// Store interfaces and their in-memory implementations (DESIGN.md: store/ layer).
export * from './RegistrationStore.js';
export * from './RegistrationPage.js';
export * from './ObservationStore.js';
export {
  MemoryRegistrationStore,
  type MemoryRegistrationStoreOptions,
} from './memory/MemoryRegistrationStore.js';
export { MemoryObservationStore } from './memory/MemoryObservationStore.js';
export * from './BootstrapConfigStore.js';
export { MemoryBootstrapConfigStore } from './memory/MemoryBootstrapConfigStore.js';
export * from './SecurityStore.js';
export { MemorySecurityStore } from './memory/MemorySecurityStore.js';
export { dtlsCredentialsOf, isKnownRawPublicKey } from './dtlsCredentials.js';
export * from './QueuedRequestStore.js';
export { MemoryQueuedRequestStore } from './memory/MemoryQueuedRequestStore.js';
export * from './BootstrapSessionStore.js';
export { MemoryBootstrapSessionStore } from './memory/MemoryBootstrapSessionStore.js';
// SQLite stores (issue 14); better-sqlite3 is loaded on the first SqliteDatabase.open only.
export { SqliteDatabase, type SqliteDatabaseOptions } from './sqlite/SqliteDatabase.js';
export {
  DEFAULT_GROUP_COMMIT,
  type GroupCommitOptions,
  type GroupCommitStats,
} from './sqlite/GroupCommit.js';
export { MIGRATIONS, type Migration } from './sqlite/migrations.js';
export { SqliteRegistrationStore } from './sqlite/SqliteRegistrationStore.js';
export { SqliteObservationStore } from './sqlite/SqliteObservationStore.js';
export { SqliteBootstrapConfigStore } from './sqlite/SqliteBootstrapConfigStore.js';
export { SqliteSecurityStore } from './sqlite/SqliteSecurityStore.js';
export { SqliteQueuedRequestStore } from './sqlite/SqliteQueuedRequestStore.js';
export { SqliteBootstrapSessionStore } from './sqlite/SqliteBootstrapSessionStore.js';
export {
  SqliteClosedError,
  SqliteOpenError,
  SqliteSchemaVersionError,
  SqliteWriteError,
  type SqliteOpenFailure,
} from './sqlite/sqliteErrors.js';
export { NATIVE_BINDING_ENV } from './sqlite/betterSqlite3.js';
export { openSqliteStores, type SqliteStores } from './sqlite/openSqliteStores.js';
