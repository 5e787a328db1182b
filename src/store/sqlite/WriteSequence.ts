// Orders the writes of the SQLite stores that share one file: each step changes memory and queues
// its SQL before the next step starts, so the file sees writes in the order memory did, even when
// a step awaits (the memory stores are async). Steps wait only for each other's memory part, never
// for a commit; the caller then waits for its own batch to be durable.
import type { SqliteDatabase } from './SqliteDatabase.js';
import type { WriteOp } from './GroupCommit.js';

/** What one step did in memory, and the SQL that makes it durable (none when nothing changed). */
export interface StepResult<T> {
  readonly value: T;
  readonly op?: WriteOp;
  /** Runs when the batch holding `op` failed (e.g. to put memory back as the file has it). */
  readonly onFailed?: () => void;
}

/** One queue of steps per data file, shared by its stores. */
export class WriteSequence {
  private tail: Promise<unknown> = Promise.resolve();
  /** Steps whose memory part has not ended yet (with none, a step starts at once). */
  private running = 0;
  private readonly ended = (): void => void this.running--;

  constructor(readonly db: SqliteDatabase) {}

  /** Runs `step` after the steps before it, then waits until its SQL is durable; returns its value. */
  async run<T>(step: () => Promise<StepResult<T>> | StepResult<T>): Promise<T> {
    // Most writes find no step under way (a Register's memory part ends within its turn): they
    // start now instead of after one more turn of the microtask queue.
    const queued = this.running === 0 ? this.start(step) : this.tail.then(() => this.start(step));
    this.running++;
    this.tail = queued.then(this.ended, this.ended);
    const { value, durable } = await queued;
    if (durable) await durable;
    return value;
  }

  private async start<T>(
    step: () => Promise<StepResult<T>> | StepResult<T>,
  ): Promise<{ value: T; durable: Promise<void> | undefined }> {
    const r = await step();
    return { value: r.value, durable: r.op ? this.db.write(r.op, r.onFailed) : undefined };
  }
}
