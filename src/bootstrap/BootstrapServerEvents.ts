// LwM2M Core TS 1.1.1 section 5.2.7 (Bootstrap Interface): the typed events of a BootstrapServer
// (STYLE.md 12), as the `EventEmitter<BootstrapServerEvents>` event map.
import type { BootstrapSessionRecord, BootstrapStepRecord } from './BootstrapSession.js';

/** One step of a session was answered (or failed). */
export interface BootstrapStepEvent {
  readonly session: BootstrapSessionRecord;
  readonly step: BootstrapStepRecord;
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
  /** A failure inside the server that has no caller to report to (e.g. the config store threw). */
  warning: [Error];
}
