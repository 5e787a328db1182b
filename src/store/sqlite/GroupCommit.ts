// Group commit for the SQLite stores (issue 14): writes queue in memory and run in one transaction
// per batch, so one fsync covers many writes. A batch is flushed on the next turn of the event loop
// (or after `delayMs`), or at once when `maxBatch` writes are queued, so the queue never holds more
// than `maxBatch` writes. Each write's promise settles only when its batch has committed (durable
// with synchronous=FULL), or rejects with SqliteWriteError when the batch failed; a failure never
// throws out of a timer.
import { SqliteClosedError, SqliteWriteError, sqliteCodeOf } from './sqliteErrors.js';

/** One queued write: runs its statements inside the batch's transaction. */
export type WriteOp = () => void;

/** Bounds and timing of a GroupCommit. */
export interface GroupCommitOptions {
  /** Most writes in one batch (and in the queue). Default 512. */
  readonly maxBatch: number;
  /** Wait before flushing a batch, ms; 0 flushes on the next turn of the event loop. Default 0. */
  readonly delayMs: number;
}

/** Default GroupCommitOptions. */
export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = Object.freeze({ maxBatch: 512, delayMs: 0 });

/** Counters of a GroupCommit. */
export interface GroupCommitStats {
  /** Batches committed. */
  readonly batches: number;
  /** Writes committed. */
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

/** Queues writes and commits them in batches through `commit` (one transaction per call). */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled: { cancel(): void } | undefined;
  private closed = false;
  private batches = 0;
  private writes = 0;
  private failedBatches = 0;
  private readonly options: GroupCommitOptions;

  constructor(
    /** Runs every op of a batch in one transaction; throws when the transaction failed. */
    private readonly commit: (ops: readonly WriteOp[]) => void,
    options: Partial<GroupCommitOptions> = {},
  ) {
    this.options = { ...DEFAULT_GROUP_COMMIT, ...options };
    if (!(this.options.maxBatch >= 1)) throw new RangeError('maxBatch must be at least 1');
  }

  /**
   * Queues `op`; resolves once the batch holding it has committed. When the batch fails, the
   * promise rejects and then `onFailed` runs (e.g. to bring memory back in line with the file).
   */
  enqueue(op: WriteOp, onFailed?: () => void): Promise<void> {
    if (this.closed) return Promise.reject(new SqliteClosedError());
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ op, resolve, reject, onFailed });
      if (this.queue.length >= this.options.maxBatch) this.flush();
      else this.schedule();
    });
  }

  /** Commits every queued write now (synchronously). */
  flush(): void {
    this.scheduled?.cancel();
    this.scheduled = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      const ops = batch.map((p) => p.op);
      try {
        this.commit(ops);
      } catch (e) {
        this.failedBatches++;
        const error = new SqliteWriteError(sqliteCodeOf(e), batch.length, (e as Error).message, { cause: e });
        for (const p of batch) {
          p.reject(error);
          try {
            p.onFailed?.();
          } catch {
            // The write is already rejected; a failing resync must not crash the process.
          }
        }
        continue;
      }
      this.batches++;
      this.writes += batch.length;
      for (const p of batch) p.resolve();
    }
  }

  /** Flushes what is queued and refuses later writes. */
  close(): void {
    this.flush();
    this.closed = true;
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

  private schedule(): void {
    if (this.scheduled) return;
    if (this.options.delayMs > 0) {
      const t = setTimeout(() => this.flush(), this.options.delayMs);
      this.scheduled = { cancel: () => clearTimeout(t) };
    } else {
      const i = setImmediate(() => this.flush());
      this.scheduled = { cancel: () => clearImmediate(i) };
    }
  }
}
