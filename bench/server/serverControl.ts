// The control protocol between the server benchmark and its server child process (Node IPC):
// the parent asks, the child answers with the same `id`. Shared by both sides.
import type { LoadResult } from '../support/loadLoop.js';

/** Memory of the server process after a full garbage collection. */
export interface MemorySample {
  readonly rss: number;
  readonly heapUsed: number;
  readonly registrations: number;
}

/** The SQLite data file of the server child, as the 'store' command reports it. */
export interface StoreSample {
  /** Transactions committed, writes made durable, log fsyncs and checkpoints so far. */
  readonly batches: number;
  readonly writes: number;
  readonly syncs: number;
  readonly checkpoints: number;
  /** Bytes of the database file plus its log now. */
  readonly bytesOnDisk: number;
}

/** The expiry sweep with every registration held (the --sweep epilogue, sweepEpilogue.ts). */
export interface ExpiryFigures {
  /** Registrations held when it started. */
  readonly registrations: number;
  /** Slowest of the sweep passes that found nothing expired, in µs. */
  readonly idlePassMaxUs: number;
  /** From the clock move to the last of `expect` expiries, in ms (includes ≤ 100 ms until the next sweep). */
  readonly expiredInMs: number;
  readonly expired: number;
  /** Server CPU the expiries took, in ms. */
  readonly cpuMs: number;
  /** Event-loop delay while they went, in ms. */
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
}

/** What the parent can ask the server child. */
export type ServerCommand =
  | { readonly kind: 'memory' }
  | {
      readonly kind: 'reads';
      readonly clients: number;
      readonly inFlight: number;
      readonly warmupMs: number;
      readonly durationMs: number;
      /** Reads the secured clients (secure-i, over DTLS) instead of the plain ones (bench-i). */
      readonly secured?: boolean;
    }
  | { readonly kind: 'observe'; readonly clients: number; readonly inFlight: number }
  | { readonly kind: 'notifications' }
  | { readonly kind: 'cpu' }
  /** The data file's counters (SQLite store only): batches, writes, log syncs, size on disk (after a checkpoint when asked). */
  | { readonly kind: 'store'; readonly checkpoint?: boolean }
  /** Event-loop delay since the previous 'lag' command (which starts a new phase). */
  | { readonly kind: 'lag' }
  /** Times idle expiry sweeps, then moves the wall clock past `lifetimeS` and waits for `expect` expiries. */
  | { readonly kind: 'expiry'; readonly expect: number; readonly lifetimeS: number }
  /** Starts the REST API (GET /api/clients…) on a loopback port, once; answers that port. */
  | { readonly kind: 'http' }
  /** With BENCH_SERVER_PHASE_PROF: starts a profile, or stops it and writes it as `name`. */
  | { readonly kind: 'profile'; readonly action: 'start' | 'stop'; readonly name?: string };

/** The child's answer to each command. */
export interface ServerReplies {
  readonly memory: MemorySample;
  readonly reads: LoadResult;
  /** Observations the clients accepted, and the failures. */
  readonly observe: { readonly accepted: number; readonly failed: number };
  /** Notifications the server decoded and emitted as `notification` events so far. */
  readonly notifications: { readonly ingested: number; readonly warnings: number };
  /** CPU time (user + system) the server process has used so far, in microseconds. */
  readonly cpu: number;
  /** Group-commit and log counters and the bytes of the data file and its log; undefined in memory. */
  readonly store: StoreSample | undefined;
  /** Event-loop delay percentiles in ms over the phase that just ended. */
  readonly lag: { readonly p99Ms: number; readonly maxMs: number };
  readonly expiry: ExpiryFigures;
  readonly http: number;
  readonly profile: undefined;
}

/** A command on the wire. */
export interface CommandMessage {
  readonly id: number;
  readonly command: ServerCommand;
}

/** A reply on the wire (`error` when the command failed). */
export interface ReplyMessage {
  readonly id: number;
  readonly result?: ServerReplies[ServerCommand['kind']];
  readonly error?: string;
}

/** The first message of the child: the port its server listens on. */
export interface ReadyMessage {
  readonly ready: number;
  /** The DTLS port, when the child serves secured clients (BENCH_SERVER_SECURED). */
  readonly secure?: number;
}
