// synchronous=FULL for the SQLite stores without an fsync on the event loop (issue 14). In WAL
// mode, FULL means one fsync of the log (the -wal file) at the end of each commit, and ordered
// syncs at checkpoints. Here SQLite writes the commit's frames with its own syncs off, and the
// group commit then calls sync(), which fsyncs the log on libuv's thread pool; only then are the
// batch's writes acknowledged. Checkpoints stay SQLite's, run with synchronous=FULL: automatic
// checkpoints are off (they would run with the syncs off) and checkpointIfDue() runs one, between
// two transactions, once the log has grown past a bound. release() sets FULL back for the
// checkpoint SQLite runs when the connection closes.
import {
  fsync as fsyncCallback,
  fstatSync,
  open as openCallback,
  close as closeCallback,
  closeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { SqliteConnection } from './betterSqlite3.js';

const fsync = promisify(fsyncCallback);
const openFile = promisify(openCallback);
const closeFile = promisify(closeCallback);

/** Default size of the log that triggers a checkpoint: 4 MiB (about a thousand 4 kB pages, SQLite's own default). */
export const DEFAULT_CHECKPOINT_BYTES = 4 * 1024 * 1024;

/** Counters of a DurableLog. */
export interface DurableLogStats {
  /** fsyncs of the log done. */
  readonly syncs: number;
  /** Checkpoints run (each with synchronous=FULL). */
  readonly checkpoints: number;
  /** Checkpoints that failed (retried at the next commit; the log keeps the data meanwhile). */
  readonly failedCheckpoints: number;
}

/** The log of one data file, synced by the store off the event loop. */
export class DurableLog {
  private fd: number | undefined;
  private opening: Promise<void> | undefined;
  private syncs = 0;
  private checkpoints = 0;
  private failedCheckpoints = 0;

  private constructor(
    private readonly connection: SqliteConnection,
    private readonly logFile: string,
    private readonly checkpointBytes: number,
  ) {}

  /** Turns SQLite's own syncs and automatic checkpoints off on `connection`: from now on, sync() is what makes a commit durable. */
  static take(
    connection: SqliteConnection,
    file: string,
    checkpointBytes = DEFAULT_CHECKPOINT_BYTES,
  ): DurableLog {
    if (!(checkpointBytes > 0)) throw new RangeError('checkpointBytes must be positive');
    connection.pragma('wal_autocheckpoint = 0');
    connection.pragma('synchronous = OFF');
    return new DurableLog(connection, `${file}-wal`, checkpointBytes);
  }

  /** fsyncs the log (and, the first time, its directory, as SQLite does for a new log); rejects when the disk refused. */
  async sync(): Promise<void> {
    // Syncs may overlap (GroupCommit maxSyncs): the first opens the log, the others wait for it.
    if (this.fd === undefined) {
      this.opening ??= this.openLog().finally(() => (this.opening = undefined));
      await this.opening;
    }
    if (this.fd === undefined) return; // no log: SQLite wrote no frame since the file was opened
    await fsync(this.fd);
    this.syncs++;
  }

  private async openLog(): Promise<void> {
    let fd: number;
    try {
      fd = await openFile(this.logFile, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    // SQLite syncs the directory of a new log once, so the file itself survives a power loss.
    const dir = await openFile(dirname(this.logFile), 'r');
    try {
      await fsync(dir);
    } finally {
      await closeFile(dir);
    }
    this.fd = fd;
  }

  /** Checkpoints (synchronous=FULL, then the log is truncated) when the log has grown past its bound. Call between transactions. */
  checkpointIfDue(): void {
    if (this.fd === undefined || fstatSync(this.fd).size < this.checkpointBytes) return;
    this.checkpoint();
  }

  /** Copies the log into the database file with SQLite's FULL syncs (log synced first, database synced before the log is reset). */
  checkpoint(): void {
    this.connection.pragma('synchronous = FULL');
    try {
      this.connection.pragma('wal_checkpoint(TRUNCATE)');
      this.checkpoints++;
    } catch {
      // E.g. SQLITE_FULL while the database file grows: the frames stay in the log, still durable.
      this.failedCheckpoints++;
    } finally {
      this.connection.pragma('synchronous = OFF');
    }
  }

  /** Counters since open. */
  stats(): DurableLogStats {
    return { syncs: this.syncs, checkpoints: this.checkpoints, failedCheckpoints: this.failedCheckpoints };
  }

  /** Before the connection closes: FULL again (its final checkpoint syncs), and the log's descriptor closed. */
  release(): void {
    this.connection.pragma('synchronous = FULL');
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
