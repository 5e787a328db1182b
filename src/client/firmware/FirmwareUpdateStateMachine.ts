// LwM2M Core TS 1.1.1 Appendix E.6 and E.6.1 (Firmware Update object, state diagram): the State
// (resource 3) and Update Result (resource 5) of object 5 and the transitions between them, pure
// and synchronous; the clock only stamps Last State Change Time (resource 12). Rules:
//  - Idle -> Downloading when a package push or a Package URI pull starts (result back to 0);
//  - Downloading -> Downloaded when the whole package arrived and passed verification;
//  - Downloading -> Idle with result 2..7 or 9 when the download or verification failed;
//  - Downloaded -> Updating when Update (2) is executed; Update in any other state is rejected;
//  - Updating -> Idle with result 1 on success; Updating -> Downloaded with result 8 on failure
//    (E.6.1: "if the update failed the state returns to Downloaded");
//  - an empty Package or Package URI write resets to Idle with result 0 (not while Updating);
//  - Cancel (10, object version 1.1) in Downloading or Downloaded: Idle with result 10.
// Triggers the diagram does not list are rejected (E.6.1: "SHOULD be rejected") with 4.05.
import type { Clock } from '../../coap/Clock.js';
import { MethodNotAllowedError } from '../../lwm2m/errors.js';

/** Resource 3 values. */
export const FirmwareState = { IDLE: 0, DOWNLOADING: 1, DOWNLOADED: 2, UPDATING: 3 } as const;
/** A State resource value. */
export type FirmwareState = (typeof FirmwareState)[keyof typeof FirmwareState];

/** Resource 5 values (0..9 in object version 1.0; 10 Cancelled from 1.1). */
export const UpdateResult = {
  INITIAL: 0,
  SUCCESS: 1,
  NOT_ENOUGH_FLASH: 2,
  OUT_OF_RAM: 3,
  CONNECTION_LOST: 4,
  INTEGRITY_FAILURE: 5,
  UNSUPPORTED_PACKAGE: 6,
  INVALID_URI: 7,
  UPDATE_FAILED: 8,
  UNSUPPORTED_PROTOCOL: 9,
  CANCELLED: 10,
} as const;
/** An Update Result resource value. */
export type UpdateResult = (typeof UpdateResult)[keyof typeof UpdateResult];

/** The results a failed download or verification may end with (Downloading -> Idle). */
export type DownloadFailure = 2 | 3 | 4 | 5 | 6 | 7 | 9;

/** Called with the resource ids (3, 5, 12) whose values changed in one transition. */
export type FirmwareStateListener = (changed: readonly number[]) => void;

const NAMES = ['Idle', 'Downloading', 'Downloaded', 'Updating'] as const;

/** The object 5 state machine; each method is one trigger of the E.6.1 diagram. */
export class FirmwareUpdateStateMachine {
  private current: FirmwareState = FirmwareState.IDLE;
  private lastResult: UpdateResult = UpdateResult.INITIAL;
  private changedAt: number;
  private readonly listeners: FirmwareStateListener[] = [];

  /** `clock` stamps state changes; `epochMs` maps clock time 0 to wall-clock time. */
  constructor(
    private readonly clock: Clock,
    private readonly epochMs = 0,
  ) {
    this.changedAt = clock.now();
  }

  /** Resource 3. */
  get state(): FirmwareState {
    return this.current;
  }

  /** Resource 5. */
  get result(): UpdateResult {
    return this.lastResult;
  }

  /** Resource 12: wall-clock time of the last state change. */
  get lastStateChange(): Date {
    return new Date(this.epochMs + this.changedAt);
  }

  /** Subscribes to changes of state or result. */
  onChange(listener: FirmwareStateListener): void {
    this.listeners.push(listener);
  }

  /** A package push or pull begins: Idle -> Downloading, result 0. */
  startDownload(): void {
    this.require([FirmwareState.IDLE], 'start a download');
    this.go(FirmwareState.DOWNLOADING, UpdateResult.INITIAL);
  }

  /** The package arrived whole and verified: Downloading -> Downloaded. */
  downloaded(): void {
    this.require([FirmwareState.DOWNLOADING], 'finish a download');
    this.go(FirmwareState.DOWNLOADED, this.lastResult);
  }

  /** A download failed (or a URI was refused before it began): -> Idle with `result`. */
  downloadFailed(result: DownloadFailure): void {
    this.require([FirmwareState.IDLE, FirmwareState.DOWNLOADING], 'fail a download');
    this.go(FirmwareState.IDLE, result);
  }

  /** Update (resource 2) executed: Downloaded -> Updating. */
  startUpdate(): void {
    this.require([FirmwareState.DOWNLOADED], 'execute Update');
    this.go(FirmwareState.UPDATING, this.lastResult);
  }

  /** The installer finished: Updating -> Idle with result 1. */
  updateSucceeded(): void {
    this.require([FirmwareState.UPDATING], 'finish an update');
    this.go(FirmwareState.IDLE, UpdateResult.SUCCESS);
  }

  /** The installer failed: Updating -> Downloaded with result 8. */
  updateFailed(): void {
    this.require([FirmwareState.UPDATING], 'fail an update');
    this.go(FirmwareState.DOWNLOADED, UpdateResult.UPDATE_FAILED);
  }

  /** An empty Package or Package URI was written: -> Idle, result 0 (refused while Updating). */
  reset(): void {
    this.require([FirmwareState.IDLE, FirmwareState.DOWNLOADING, FirmwareState.DOWNLOADED], 'reset');
    this.go(FirmwareState.IDLE, UpdateResult.INITIAL);
  }

  /** Cancel (resource 10) executed: Downloading or Downloaded -> Idle, result 10. */
  cancel(): void {
    this.require([FirmwareState.DOWNLOADING, FirmwareState.DOWNLOADED], 'cancel');
    this.go(FirmwareState.IDLE, UpdateResult.CANCELLED);
  }

  private require(allowed: readonly FirmwareState[], what: string): void {
    if (!allowed.includes(this.current))
      throw new MethodNotAllowedError(`cannot ${what} in firmware state ${NAMES[this.current]}`);
  }

  private go(state: FirmwareState, result: UpdateResult): void {
    const changed: number[] = [];
    if (state !== this.current) {
      this.current = state;
      this.changedAt = this.clock.now();
      changed.push(3, 12);
    }
    if (result !== this.lastResult) {
      this.lastResult = result;
      changed.push(5);
    }
    if (changed.length > 0) for (const l of [...this.listeners]) l(changed.sort((a, b) => a - b));
  }
}
