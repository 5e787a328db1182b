// The data file of the SQLite stores (issue 14): one better-sqlite3 connection in WAL mode with
// synchronous=FULL, an exclusive lock (one process per file), a busy timeout, the versioned schema
// (migrations.ts) and the group commit every store writes through (GroupCommit.ts).
//
// Why synchronous=FULL: in WAL mode, NORMAL syncs the log only at checkpoints, so a commit survives
// a process crash but may be rolled back by a power loss or an OS crash; FULL syncs the log at
// every commit. A Register is acknowledged only once its batch has committed (Core TS 1.1.1 6.2.1:
// the client then believes it is registered), so the commit must survive those too. Group commit
// pays one fsync per batch, not per write, which keeps FULL affordable.
//
// FULL without blocking the event loop (DurableLog.ts): SQLite would fsync the log inside the
// commit, on the event loop, for milliseconds per batch. Instead the batches run with SQLite's own
// syncs off and automatic checkpoints off, and the store fsyncs the log itself on libuv's thread
// pool before it acknowledges any write of the batch: the same fsync FULL does, at the same point
// (after the commit's frames are written, before the write counts as done). Checkpoints, where the
// ordering of syncs matters (log synced before it is copied, database synced before the log is
// reused), run with SQLite's synchronous=FULL, as does the final checkpoint at close.
import { chmodSync, existsSync } from 'node:fs';
import { openConnection, type SqliteConnection } from './betterSqlite3.js';
import { DurableLog, type DurableLogStats } from './DurableLog.js';
import { GroupCommit, type GroupCommitOptions, type GroupCommitStats, type WriteOp } from './GroupCommit.js';
import { migrate, MIGRATIONS, type Migration } from './migrations.js';
import {
  SqliteOpenError,
  SqliteSchemaVersionError,
  sqliteCodeOf,
  type SqliteOpenFailure,
} from './sqliteErrors.js';

/** Options of SqliteDatabase.open. */
export interface SqliteDatabaseOptions {
  /** 'FULL' (default: acknowledged writes survive a power loss) or 'NORMAL' (only a process crash). */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** How long to wait for a lock held by another connection, ms. Default 5000. */
  readonly busyTimeoutMs?: number;
  /** Group commit bounds and timing (GroupCommit.ts). Defaults: 512 writes, next turn. */
  readonly groupCommit?: Partial<GroupCommitOptions>;
  /** Path of a better_sqlite3.node for the running Node; default $LWM2M_SQLITE_BINDING, else the package's. */
  readonly nativeBinding?: string;
  /** With synchronous FULL: checkpoint once the log holds this many bytes. Default 4 MiB. */
  readonly checkpointBytes?: number;
  /** Run PRAGMA quick_check at open (reads the whole file once). Default true. */
  readonly checkIntegrity?: boolean;
  /** The schema steps (tests give synthetic ones). Default MIGRATIONS. */
  readonly migrations?: readonly Migration[];
}

const REASONS: Readonly<Record<string, SqliteOpenFailure>> = {
  SQLITE_NOTADB: 'not-a-database',
  SQLITE_CORRUPT: 'corrupt',
  SQLITE_BUSY: 'locked',
  SQLITE_LOCKED: 'locked',
};

/** Maps a driver error at open to a SqliteOpenError naming what is wrong with the file. */
function openFailure(file: string, e: unknown): SqliteOpenError {
  const code = sqliteCodeOf(e);
  const message = (e as Error).message ?? String(e);
  // Errors that are not SQLite's come from loading the driver (ERR_DLOPEN_FAILED for an addon
  // built for another Node ABI, MODULE_NOT_FOUND for a missing build).
  if (code !== undefined && !code.startsWith('SQLITE_'))
    return new SqliteOpenError(
      file,
      'native-binding',
      code,
      `${message} (build better-sqlite3 for this Node, or name a build in LWM2M_SQLITE_BINDING)`,
      { cause: e },
    );
  const reason =
    (code === undefined ? undefined : (REASONS[code] ?? REASONS[code.replace(/_[A-Z]+$/, '')])) ??
    'unreadable';
  return new SqliteOpenError(file, reason, code, message, { cause: e });
}

/** One open data file and its group commit. */
export class SqliteDatabase {
  private readonly commits: GroupCommit;
  private readonly log: DurableLog | undefined;
  private readonly batchListeners: ((committed: boolean) => void)[] = [];
  private readonly commitHooks: (() => void)[] = [];
  private closed = false;

  private constructor(
    /** The file's path. */
    readonly file: string,
    /** The connection (synchronous); stores prepare their statements on it. */
    readonly connection: SqliteConnection,
    /** The schema version the file had when opened (0 for a new file) and has now. */
    readonly schema: { readonly from: number; readonly to: number },
    groupCommit: Partial<GroupCommitOptions> | undefined,
    log: DurableLog | undefined,
  ) {
    const inTransaction = connection.transaction((ops: readonly WriteOp[]) => {
      for (const op of ops) op();
      for (const hook of this.commitHooks) hook();
    });
    const commit = (ops: readonly WriteOp[]): void => {
      log?.checkpointIfDue();
      try {
        inTransaction(ops);
      } catch (e) {
        for (const listener of this.batchListeners) listener(false);
        throw e;
      }
      for (const listener of this.batchListeners) listener(true);
      log?.committed();
    };
    this.log = log;
    this.commits = new GroupCommit(commit, groupCommit, log && (() => log.sync()));
  }

  /**
   * Calls `hook` at the end of each batch's transaction, after its writes and before it commits
   * (e.g. to insert rows the writes queued); a hook that throws rolls the batch back.
   */
  beforeCommit(hook: () => void): void {
    this.commitHooks.push(hook);
  }

  /**
   * Calls `listener` after each batch's transaction: true when it committed, false when it was
   * rolled back (before the batch's writes are rejected), e.g. to undo what its ops noted.
   */
  onBatchEnd(listener: (committed: boolean) => void): void {
    this.batchListeners.push(listener);
  }

  /**
   * Opens (or creates, mode 0600) `file`, migrates its schema and takes its lock. Throws
   * SqliteOpenError when it is not a usable SQLite file or another process holds it, and
   * SqliteSchemaVersionError when a newer version wrote it.
   */
  static open(file: string, options: SqliteDatabaseOptions = {}): SqliteDatabase {
    const created = file !== ':memory:' && !existsSync(file);
    let connection: SqliteConnection;
    try {
      connection = openConnection(file, {
        timeout: options.busyTimeoutMs ?? 5000,
        ...(options.nativeBinding === undefined ? {} : { nativeBinding: options.nativeBinding }),
      });
    } catch (e) {
      throw openFailure(file, e);
    }
    try {
      if (created) chmodSync(file, 0o600);
      // EXCLUSIVE before the first access: WAL then needs no shared memory, and the lock taken by
      // the first write below keeps a second process (a second server on the same directory) out.
      connection.pragma('locking_mode = EXCLUSIVE');
      connection.pragma('journal_mode = WAL');
      connection.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      connection.exec('BEGIN IMMEDIATE; COMMIT');
      if (options.checkIntegrity ?? true) {
        const result = connection.pragma('quick_check', { simple: true });
        if (result !== 'ok')
          throw Object.assign(new Error(`integrity check: ${String(result)}`), { code: 'SQLITE_CORRUPT' });
      }
      const schema = migrate(connection, file, options.migrations ?? MIGRATIONS);
      const log =
        (options.synchronous ?? 'FULL') === 'FULL' && file !== ':memory:'
          ? DurableLog.take(connection, file, options.checkpointBytes)
          : undefined;
      return new SqliteDatabase(file, connection, schema, options.groupCommit, log);
    } catch (e) {
      connection.close();
      if (e instanceof SqliteSchemaVersionError) throw e;
      throw openFailure(file, e);
    }
  }

  /** Queues a write for the next batch; resolves once it is durable (see GroupCommit.enqueue). */
  write(op: WriteOp, onFailed?: () => void): Promise<void> {
    return this.commits.enqueue(op, onFailed);
  }

  /** Commits every queued write now. */
  flush(): void {
    this.commits.flush();
  }

  /** Group commit counters. */
  stats(): GroupCommitStats {
    return this.commits.stats();
  }

  /** Copies the log into the database file now (durably; the log is then empty). Call between writes, e.g. when idle. */
  checkpoint(): void {
    if (this.log) this.log.checkpoint();
    else this.connection.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Syncs and checkpoints of the log, when the store syncs it (synchronous FULL on a file). */
  logStats(): DurableLogStats | undefined {
    return this.log?.stats();
  }

  /** Commits what is queued, waits until it is durable, then closes the file (the lock is released). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.commits.close();
    } finally {
      try {
        this.log?.release();
      } finally {
        this.connection.close();
      }
    }
  }
}
