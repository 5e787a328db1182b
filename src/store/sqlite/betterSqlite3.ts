// The part of better-sqlite3 12.x (synchronous SQLite bindings) the stores use, typed here
// (the package ships no types), and the loader that honours a native binding built for another
// Node ABI (LWM2M_SQLITE_BINDING, set by .ci/run for Node 22 and 24).
import { createRequire } from 'node:module';

/** A prepared statement. */
export interface SqliteStatement {
  run(...params: readonly unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: readonly unknown[]): unknown;
  all(...params: readonly unknown[]): unknown[];
  iterate(...params: readonly unknown[]): IterableIterator<unknown>;
  raw(toggle?: boolean): this;
}

/** An open connection. */
export interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): this;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  close(): this;
  readonly open: boolean;
  readonly inTransaction: boolean;
}

/** Options of the driver's constructor that the stores pass. */
export interface SqliteConnectionOptions {
  readonly readonly?: boolean;
  readonly fileMustExist?: boolean;
  readonly timeout?: number;
  /** Path of a better_sqlite3.node built for the running Node (default: the package's own build). */
  readonly nativeBinding?: string;
}

type SqliteConstructor = new (file: string, options?: SqliteConnectionOptions) => SqliteConnection;

/** Environment variable naming a better_sqlite3.node to load instead of the package's build. */
export const NATIVE_BINDING_ENV = 'LWM2M_SQLITE_BINDING';

let driver: SqliteConstructor | undefined;

/** Opens `file` with better-sqlite3 (loaded on first use, so memory-only users never load it). */
export function openConnection(file: string, options: SqliteConnectionOptions = {}): SqliteConnection {
  driver ??= createRequire(import.meta.url)('better-sqlite3') as SqliteConstructor;
  const nativeBinding = options.nativeBinding ?? (process.env[NATIVE_BINDING_ENV] || undefined);
  return new driver(file, nativeBinding === undefined ? options : { ...options, nativeBinding });
}
