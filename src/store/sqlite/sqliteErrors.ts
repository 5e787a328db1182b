// The typed errors of the SQLite stores (DESIGN.md: one small error tree with stable codes). A
// data file that cannot be used is refused at open, never replaced by a silent empty start; a write
// that cannot be made durable renders as 5.03 Service Unavailable (Core TS 1.1.1 6.2: a Register or
// Update is acknowledged only once stored), so the CoAP router answers it without a crash.
import { Lwm2mError } from '../../lwm2m/errors.js';

/** Why a data file was refused at open. */
export type SqliteOpenFailure = 'not-a-database' | 'corrupt' | 'locked' | 'unreadable' | 'native-binding';

/** The data file cannot be opened as a store (not SQLite, corrupt, locked, unreadable, or no driver). */
export class SqliteOpenError extends Error {
  readonly code = 'STORE_SQLITE_OPEN_FAILED';
  constructor(
    /** The file that was refused. */
    readonly file: string,
    /** What is wrong with it. */
    readonly reason: SqliteOpenFailure,
    /** The driver's error code (e.g. SQLITE_NOTADB), when it gave one. */
    readonly sqliteCode: string | undefined,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot open the data file ${file} (${reason}): ${detail}`, options);
    this.name = 'SqliteOpenError';
  }
}

/** The data file was written by a newer version of this software: its schema is unknown here. */
export class SqliteSchemaVersionError extends Error {
  readonly code = 'STORE_SQLITE_SCHEMA_TOO_NEW';
  constructor(
    readonly file: string,
    /** The schema version the file holds. */
    readonly found: number,
    /** The newest schema version this code knows. */
    readonly supported: number,
  ) {
    super(
      `the data file ${file} has schema version ${found}, newer than ${supported} (the newest this ` +
        'version knows): upgrade the software or point it at another data directory',
    );
    this.name = 'SqliteSchemaVersionError';
  }
}

/** A batch of writes could not be made durable (disk full, read-only file, I/O error...); renders as 5.03. */
export class SqliteWriteError extends Lwm2mError {
  constructor(
    /** The driver's error code, e.g. SQLITE_FULL or SQLITE_READONLY. */
    readonly sqliteCode: string | undefined,
    /** How many writes the failed batch held (each of them is rejected with this error). */
    readonly batchSize: number,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`a batch of ${batchSize} store writes failed: ${detail}`, 'STORE_SQLITE_WRITE_FAILED', 0xa3);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The store was closed: no write is accepted any more. */
export class SqliteClosedError extends Lwm2mError {
  constructor() {
    super('the SQLite store is closed', 'STORE_SQLITE_CLOSED', 0xa3);
  }
}

/** The SQLite error code of `e` (better-sqlite3 sets `code`), if any. */
export function sqliteCodeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
