// LwM2M Core TS 1.1.1 section 5.2.7 and Core TS 1.2 (Bootstrap Interface): the typed events of a BootstrapServer
// (STYLE.md 12), as the `EventEmitter<BootstrapServerEvents>` event map.
import type { LimitEvent } from '../binding/LimitCounters.js';
import type { BootstrapSessionRecord, BootstrapStepRecord } from './BootstrapSession.js';

/**
 * The bounds a BootstrapServer counts (README "Limits"): `udpReceiveBuffer`, its UDP sockets'
 * kernel receive buffers (udpReceiveBufferBytes as granted); a hit is a datagram the kernel
 * dropped because the buffer was full (counted on the batched socket only).
 */
export type BootstrapLimitName = 'udpReceiveBuffer';

/** One step of a session was answered (or failed). */
export interface BootstrapStepEvent {
  readonly session: BootstrapSessionRecord;
  readonly step: BootstrapStepRecord;
}

/** A Bootstrap-Pack answered a Bootstrap-Pack-Request (LwM2M 1.2) with 2.05 Content. */
export interface BootstrapPackEvent {
  readonly endpoint: string;
  readonly address: string;
  readonly port: number;
  /** Content format of the pack. */
  readonly format: number;
  /** The objects the pack replaces on the client, in pack order. */
  readonly objectIds: readonly number[];
  /** Size of the pack (before any block-wise transfer). */
  readonly bytes: number;
  readonly at: number;
}

/** Events of a BootstrapServer, by name. */
export interface BootstrapServerEvents {
  /** A client's Bootstrap-Request was accepted (2.04) and its session begins. */
  sessionStarted: [BootstrapSessionRecord];
  step: [BootstrapStepEvent];
  /** Bootstrap-Finish was answered 2.04. */
  sessionFinished: [BootstrapSessionRecord];
  /** A step failed, timed out or the session was aborted; `failure` says which step and why. */
  sessionFailed: [BootstrapSessionRecord];
  /** A Bootstrap-Pack was sent (no session: the pack is the whole bootstrap). */
  packSent: [BootstrapPackEvent];
  /**
   * A bound dropped something (README "Limits"); at most one event per limit per second, carrying
   * the hits since the previous one.
   */
  limit: [LimitEvent<BootstrapLimitName>];
  /** A failure inside the server that has no caller to report to (e.g. the config store threw). */
  warning: [Error];
}
