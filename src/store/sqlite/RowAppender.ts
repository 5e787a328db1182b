// Rows appended to one table during a group-commit batch, inserted together: one multi-row
// INSERT per MAX_ROWS rows instead of one statement each (a Register appends one row; a batch
// holds tens of them). The appender numbers the rows itself (INTEGER PRIMARY KEY, counting on
// from the largest at open), so a row is known before it reaches the file. Its owner flushes
// before any other statement on the table and at the end of the batch's transaction
// (SqliteDatabase.beforeCommit), and discards what is pending when the batch rolls back.
import type { SqliteConnection, SqliteStatement } from './betterSqlite3.js';

/** Most rows in one INSERT (a batch of 512 writes takes 16 statements). */
export const MAX_ROWS = 32;

/** Pending appends to `table`, flushed as multi-row INSERTs. */
export class RowAppender {
  /** Flat values of the pending rows: the row number, then one value per column. */
  private pending: unknown[] = [];
  /** The INSERT of n rows at index n, prepared on first use (at most MAX_ROWS of them). */
  private readonly inserts: (SqliteStatement | undefined)[] = [];
  private readonly width: number;

  constructor(
    private readonly connection: SqliteConnection,
    private readonly table: string,
    /** The columns after `row`, in the order append() takes their values. */
    private readonly columns: readonly string[],
    /** The number the next row gets (one past the largest in the table). */
    private nextRow: number,
  ) {
    this.width = columns.length + 1;
  }

  /** Queues one row; returns its number. */
  append(...values: readonly unknown[]): number {
    const row = this.nextRow++;
    this.pending.push(row, ...values);
    if (this.pending.length === MAX_ROWS * this.width) this.flush();
    return row;
  }

  /** Inserts every pending row (throws as the statement does; the batch then rolls back). */
  flush(): void {
    const values = this.pending;
    if (values.length === 0) return;
    this.pending = [];
    const chunk = MAX_ROWS * this.width;
    for (let at = 0; at < values.length; at += chunk) {
      const part = at === 0 && values.length <= chunk ? values : values.slice(at, at + chunk);
      this.insertOf(part.length / this.width).run(part);
    }
  }

  /** Forgets the pending rows (their batch rolled back); their numbers are not reused. */
  discard(): void {
    this.pending = [];
  }

  private insertOf(rows: number): SqliteStatement {
    let statement = this.inserts[rows];
    if (!statement) {
      const tuple = `(${new Array<string>(this.width).fill('?').join(', ')})`;
      statement = this.connection.prepare(
        `INSERT INTO ${this.table} (row, ${this.columns.join(', ')}) VALUES ${new Array<string>(rows).fill(tuple).join(', ')}`,
      );
      this.inserts[rows] = statement;
    }
    return statement;
  }
}
