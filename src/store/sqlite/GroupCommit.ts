// Group commit for the SQLite stores (issue 14): writes queue in memory and run in one transaction
// per batch, so one fsync covers many writes. A batch is committed on the next turn of the event
// loop (or after `delayMs`), or at once when `maxBatch` writes are queued, so the queue never holds
// more than `maxBatch` writes. Each write's promise settles only once its batch is durable: after
// the transaction, and after `sync` (the fsync of the log, run off the event loop) when one is
// given. Up to `maxSyncs` syncs run at once (a disk flushes concurrent fsyncs of one file
// together, so a write waits about one fsync, not the rest of another's too); beyond that, new
// writes wait for one to end and then go as one batch, so batches grow with the load. The event
// loop keeps serving meanwhile. A failed transaction rejects its
// writes with SqliteWriteError; a failed sync rejects its writes and every later one (the state of
// the file on disk is then unknown); a failure never throws out of a timer.
import { SqliteClosedError, SqliteWriteError, sqliteCodeOf } from './sqliteErrors.js';

/** One queued write: runs its statements inside the batch's transaction. */
export type WriteOp = () => void;

/** Bounds and timing of a GroupCommit. */
export interface GroupCommitOptions {
  /** Most writes in one batch (and in the queue). Default 512. */
  readonly maxBatch: number;
  /** Wait before flushing a batch, ms; 0 flushes on the next turn of the event loop. Default 0. */
  readonly delayMs: number;
  /** Most syncs under way at once (with a sync step). Default 2. */
  readonly maxSyncs: number;
}

/** Default GroupCommitOptions. */
export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = Object.freeze({
  maxBatch: 512,
  delayMs: 0,
  maxSyncs: 2,
});

/** Counters of a GroupCommit. */
export interface GroupCommitStats {
  /** Batches committed (transactions). */
  readonly batches: number;
  /** Writes committed and durable. */
  readonly writes: number;
  /** Batches that failed (each of their writes rejected). */
  readonly failedBatches: number;
  /** Writes queued now. */
  readonly queued: number;
}

interface Pending {
  readonly op: WriteOp;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
  readonly onFailed: (() => void) | undefined;
}

/** Makes what the committed transactions wrote durable (e.g. an fsync of the log); rejects when it could not. */
export type DurableSync = () => Promise<void>;

function fail(batch: readonly Pending[], error: SqliteWriteError): void {
  for (const p of batch) {
    p.reject(error);
    try {
      p.onFailed?.();
    } catch {
      // The write is already rejected; a failing resync must not crash the process.
    }
  }
}

/** Queues writes and commits them in batches through `commit` (one transaction per call). */
export class GroupCommit {
  private queue: Pending[] = [];
  /** Committed, waiting for the next sync. */
  private unsynced: Pending[] = [];
  private readonly syncing = new Set<Promise<void>>();
  private broken: SqliteWriteError | undefined;
  /** The pending flush (an Immediate, or a Timeout with delayMs). */
  private scheduled: NodeJS.Immediate | NodeJS.Timeout | undefined;
  private closed = false;
  private batches = 0;
  private writes = 0;
  private failedBatches = 0;
  private readonly options: GroupCommitOptions;

  constructor(
    /** Runs every op of a batch in one transaction; throws when the transaction failed. */
    private readonly commit: (ops: readonly WriteOp[]) => void,
    options: Partial<GroupCommitOptions> = {},
    /** Makes committed batches durable; none when a commit is durable when it returns. */
    private readonly sync?: DurableSync,
  ) {
    this.options = { ...DEFAULT_GROUP_COMMIT, ...options };
    if (!(this.options.maxBatch >= 1)) throw new RangeError('maxBatch must be at least 1');
    if (!(this.options.maxSyncs >= 1)) throw new RangeError('maxSyncs must be at least 1');
  }

  /**
   * Queues `op`; resolves once the batch holding it is durable. When the batch fails, the
   * promise rejects and then `onFailed` runs (e.g. to bring memory back in line with the file).
   */
  enqueue(op: WriteOp, onFailed?: () => void): Promise<void> {
    if (this.closed) return Promise.reject(new SqliteClosedError());
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ op, resolve, reject, onFailed });
      if (this.queue.length >= this.options.maxBatch) this.commitBatch();
      else this.schedule();
    });
  }

  /** Commits every queued write now (synchronously); they resolve once the sync that follows is done. */
  flush(): void {
    this.cancelScheduled();
    while (this.queue.length > 0) this.commitBatch();
    this.startSync();
  }

  /** Commits what is queued, waits until it is durable, and refuses later writes. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelScheduled();
    await Promise.all(this.syncing);
    this.flush();
    await Promise.all(this.syncing);
  }

  /** Counters since creation. */
  stats(): GroupCommitStats {
    return {
      batches: this.batches,
      writes: this.writes,
      failedBatches: this.failedBatches,
      queued: this.queue.length,
    };
  }

  /** Runs the next `maxBatch` queued writes in one transaction. */
  private commitBatch(): void {
    const batch = this.queue.splice(0, this.options.maxBatch);
    if (this.broken) return fail(batch, this.broken);
    try {
      this.commit(batch.map((p) => p.op));
    } catch (e) {
      this.failedBatches++;
      fail(batch, new SqliteWriteError(sqliteCodeOf(e), batch.length, (e as Error).message, { cause: e }));
      return;
    }
    this.batches++;
    if (this.sync) {
      for (const p of batch) this.unsynced.push(p);
      return;
    }
    this.writes += batch.length;
    for (const p of batch) p.resolve();
  }

  /** Syncs what is committed, unless maxSyncs are under way (one after them will). */
  private startSync(): void {
    if (this.syncing.size >= this.options.maxSyncs || this.unsynced.length === 0 || !this.sync) return;
    const batch = this.unsynced;
    this.unsynced = [];
    const syncing = this.sync().then(
      () => {
        this.writes += batch.length;
        for (const p of batch) p.resolve();
      },
      (e: unknown) => {
        this.failedBatches++;
        this.broken = new SqliteWriteError(sqliteCodeOf(e), batch.length, (e as Error).message, { cause: e });
        fail(batch, this.broken);
        const rest = [...this.unsynced, ...this.queue];
        this.unsynced = [];
        this.queue = [];
        fail(rest, this.broken);
      },
    );
    this.syncing.add(syncing);
    void syncing.then(() => {
      this.syncing.delete(syncing);
      // What queued while no sync could start goes now, as one batch.
      if (!this.closed && (this.queue.length > 0 || this.unsynced.length > 0)) this.flush();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled =
      this.options.delayMs > 0
        ? setTimeout(this.runScheduled, this.options.delayMs)
        : setImmediate(this.runScheduled);
  }

  /** Made once: a flush is scheduled per batch. */
  private readonly runScheduled = (): void => {
    this.scheduled = undefined;
    // With maxSyncs under way the queue waits (the end of one flushes it).
    if (this.syncing.size < this.options.maxSyncs) this.flush();
  };

  private cancelScheduled(): void {
    if (this.scheduled === undefined) return;
    if (this.options.delayMs > 0) clearTimeout(this.scheduled as NodeJS.Timeout);
    else clearImmediate(this.scheduled as NodeJS.Immediate);
    this.scheduled = undefined;
  }
}
