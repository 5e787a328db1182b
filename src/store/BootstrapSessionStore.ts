// LwM2M Core TS 1.1.1 section 5.2.7 (Bootstrap Interface): the history of ended bootstrap sessions
// (issue 14: kept across restarts, bounded). A Bootstrap-Server keeps its running sessions itself
// and hands each one to this store once it has finished or failed. The records are plain data
// (wall-clock ms, CoAP code bytes, strings), so a store can write them as they are. Writes return
// what changed (STYLE.md pattern 10); test/store/bootstrapSessionStoreContract.ts proves each store.
import type { RequestFailure } from '../lwm2m/responses.js';

/** The outcome of one step of a session. */
export interface BootstrapStepRecord {
  readonly name: string;
  readonly ok: boolean;
  /** CoAP response code byte (0 when no response arrived). */
  readonly code: number;
  readonly failure?: RequestFailure;
  readonly diagnostic?: string;
  /** Wall-clock ms since 1970. */
  readonly startedAt: number;
  readonly durationMs: number;
}

/** Why a session failed: the step (or 'plan' when the config could not be planned) and the reason. */
export interface BootstrapSessionFailure {
  readonly step: string;
  readonly reason: string;
  readonly code?: number;
  readonly failure?: RequestFailure;
}

/** A session as reported by BootstrapServer.sessions() and its events. Times are wall-clock ms since 1970. */
export interface BootstrapSessionRecord {
  readonly id: string;
  readonly endpoint: string;
  readonly address: string;
  readonly port: number;
  /** Content format of the writes. */
  readonly format: number;
  readonly state: 'running' | 'finished' | 'failed';
  readonly startedAt: number;
  readonly endedAt?: number;
  readonly steps: readonly BootstrapStepRecord[];
  readonly failure?: BootstrapSessionFailure;
  /**
   * What a Bootstrap-Discover told, when the config asked for one: at most
   * MAX_RECORDED_OBJECT_IDS object ids (the lowest), `objectIdsOmitted` counting the others.
   */
  readonly discovered?: {
    readonly lwm2mVersion?: string;
    readonly objectIds: readonly number[];
    readonly objectIdsOmitted?: number;
  };
}

/** Most object ids a session record keeps of a Bootstrap-Discover answer (the client chooses how many it lists). */
export const MAX_RECORDED_OBJECT_IDS = 256;

/** Which ended sessions BootstrapSessionStore.list returns. */
export interface BootstrapSessionQuery {
  /** Only the sessions of this endpoint name. */
  readonly endpoint?: string;
  /** Skip this many (after the endpoint filter). Default 0. */
  readonly offset?: number;
  /** At most this many. Default all. */
  readonly limit?: number;
}

/** What BootstrapSessionStore.put changed. */
export interface BootstrapSessionPutResult {
  /** The record of the same id this one replaced, if any. */
  readonly replaced?: BootstrapSessionRecord;
  /** Records dropped to stay within maxSessions, oldest first. */
  readonly dropped: readonly BootstrapSessionRecord[];
}

/** Bounds of a BootstrapSessionStore. */
export interface BootstrapSessionHistoryLimits {
  /** Ended sessions kept in all; the oldest are dropped first (0 keeps none). Default 1 000. */
  readonly maxSessions: number;
}

/** The documented defaults of BootstrapSessionHistoryLimits. */
export const DEFAULT_BOOTSTRAP_SESSION_HISTORY: BootstrapSessionHistoryLimits = Object.freeze({
  maxSessions: 1_000,
});

/** Counters of a BootstrapSessionStore. */
export interface BootstrapSessionStoreStats {
  /** Ended sessions kept. */
  readonly sessions: number;
  /** Sessions dropped by maxSessions since the store was made. */
  readonly dropped: number;
  readonly maxSessions: number;
}

/**
 * Ended (finished or failed) bootstrap sessions, in the order they were put. Every method is async
 * so remote stores fit. Records are immutable data: a store may keep the object it is given.
 */
export interface BootstrapSessionStore {
  /**
   * Adds an ended session as the newest (one of the same id is replaced); drops the oldest over
   * maxSessions. Rejects a running one (TypeError). Settles once durable.
   */
  put(record: BootstrapSessionRecord): Promise<BootstrapSessionPutResult>;
  /** The session of `id`, if kept. */
  get(id: string): Promise<BootstrapSessionRecord | undefined>;
  /** Kept sessions, oldest first, filtered and paged by `query`. */
  list(query?: BootstrapSessionQuery): Promise<BootstrapSessionRecord[]>;
  stats(): BootstrapSessionStoreStats;
}

/** Checks `limits` (maxSessions a whole number ≥ 0); returns them with the defaults applied. */
export function bootstrapSessionLimits(
  limits: Partial<BootstrapSessionHistoryLimits> = {},
): BootstrapSessionHistoryLimits {
  const resolved = { ...DEFAULT_BOOTSTRAP_SESSION_HISTORY, ...limits };
  if (!Number.isSafeInteger(resolved.maxSessions) || resolved.maxSessions < 0)
    throw new RangeError(`maxSessions must be a whole number ≥ 0, not ${resolved.maxSessions}`);
  return resolved;
}
