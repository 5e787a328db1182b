// synchronous=FULL for the SQLite stores without an fsync on the event loop (issue 14). In WAL
// mode, FULL means one fsync of the log (the -wal file) at the end of each commit, and ordered
// syncs at checkpoints. Here SQLite writes the commit's frames with its own syncs off, and the
// group commit then calls sync(), which fsyncs the log on libuv's thread pool; only then are the
// batch's writes acknowledged. Checkpoints stay SQLite's, run with synchronous=FULL: automatic
// checkpoints are off (they would run with the syncs off) and checkpointIfDue() runs one, between
// two transactions, once the log has grown past a bound. release() sets FULL back for the
// checkpoint SQLite runs when the connection closes.
//
// The log file is reused, not truncated: a checkpoint restarts it (RESTART), so the next commits
// overwrite blocks the file already has (journal_size_limit trims it back to the bound). An fsync
// of a file that grew must also commit the file system's journal (new size, new blocks): here
// about twice the CPU and several times the wait of one that only overwrote. The first commit
// after a restart writes a new log header (new salts),
// which must be on disk before any frame overwrites an old one, or a power loss amid reordered
// writes could replay an old frame over newer pages (SQLite syncs that header itself unless
// synchronous=OFF; sqlite.org ticket ff5be73dee). So synchronous stays FULL from the checkpoint
// until the log's header has changed: SQLite syncs the new header before its frames.
import {
  fsync as fsyncCallback,
  fdatasync as fdatasyncCallback,
  fstatSync,
  readSync,
  open as openCallback,
  close as closeCallback,
  closeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { SqliteConnection } from './betterSqlite3.js';

const fsync = promisify(fsyncCallback);
const fdatasync = promisify(fdatasyncCallback);
const openFile = promisify(openCallback);
const closeFile = promisify(closeCallback);

/** Default size of the log that triggers a checkpoint: 4 MiB (about a thousand 4 kB pages, SQLite's own default). */
export const DEFAULT_CHECKPOINT_BYTES = 4 * 1024 * 1024;

/** The salts of a log's header (bytes 16-23), which SQLite changes when it restarts the log. */
const SALT_OFFSET = 16;
const SALT_BYTES = 8;

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
  /** After a restart, until the next commit has written a new header: the old header's salts. */
  private oldSalts: Buffer | undefined;

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
    // The first commit after a restart trims the reused log back to the bound.
    connection.pragma(`journal_size_limit = ${Math.ceil(checkpointBytes)}`);
    return new DurableLog(connection, `${file}-wal`, checkpointBytes);
  }

  /**
   * Syncs the log (and, the first time, its directory, as SQLite does for a new log); rejects
   * when the disk refused. fdatasync, as SQLite's unix VFS syncs when built with HAVE_FDATASYNC:
   * the frames and the file's size reach the disk, not its modification time, which would cost
   * a file-system journal commit per sync.
   */
  async sync(): Promise<void> {
    // Syncs may overlap (GroupCommit maxSyncs): the first opens the log, the others wait for it.
    if (this.fd === undefined) {
      this.opening ??= this.openLog().finally(() => (this.opening = undefined));
      await this.opening;
    }
    if (this.fd === undefined) return; // no log: SQLite wrote no frame since the file was opened
    await fdatasync(this.fd);
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

  /**
   * Checkpoints (synchronous=FULL) and restarts the log once it holds more than its bound. Call
   * between transactions. A log restarted and not written since never needs one (its file keeps
   * its old size until the next commit trims it).
   */
  checkpointIfDue(): void {
    if (this.fd === undefined || this.oldSalts !== undefined) return;
    if (fstatSync(this.fd).size > this.checkpointBytes) this.checkpoint(true);
  }

  /**
   * Copies the log into the database file with SQLite's FULL syncs (log synced first, database
   * synced before the log is reused), then truncates the log, or with `restart` keeps its file
   * for the next commits to overwrite.
   */
  checkpoint(restart = false): void {
    this.connection.pragma('synchronous = FULL');
    try {
      this.connection.pragma(restart ? 'wal_checkpoint(RESTART)' : 'wal_checkpoint(TRUNCATE)');
      this.checkpoints++;
      // FULL until the next commit has synced a new header (committed() turns it off).
      if (restart && this.fd !== undefined) this.oldSalts = this.salts();
    } catch {
      // E.g. SQLITE_FULL while the database file grows: the frames stay in the log, still durable.
      this.failedCheckpoints++;
    } finally {
      if (this.oldSalts === undefined) this.connection.pragma('synchronous = OFF');
    }
  }

  /** After each transaction: once the log has its new header after a restart, the store syncs it again (synchronous=OFF). */
  committed(): void {
    if (this.oldSalts === undefined || this.salts().equals(this.oldSalts)) return;
    this.oldSalts = undefined;
    this.connection.pragma('synchronous = OFF');
  }

  private salts(): Buffer {
    const salts = Buffer.alloc(SALT_BYTES);
    if (this.fd !== undefined) readSync(this.fd, salts, 0, SALT_BYTES, SALT_OFFSET);
    return salts;
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
    this.oldSalts = undefined;
  }
}
