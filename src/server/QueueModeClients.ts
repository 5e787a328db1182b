// LwM2M Transport TS 1.1.1 section 6.5 (Queue Mode Operation): which Queue Mode clients are awake,
// and the requests each holds while it sleeps. A client is awake for `awakeWindowMs` after it was
// heard from (one timer per awake client); its held requests run when it is heard from. State
// exists only for clients awake or holding requests. QueueModeSender decides what is held.
import type { Clock, TimerHandle } from '../coap/Clock.js';
import type { Registration } from '../lwm2m/Registration.js';
import type { ResponseBase } from '../lwm2m/responses.js';
import type { QueuedRequestStatus } from '../store/QueuedRequestStore.js';

/** One request held for a sleeping client. */
export interface HeldRequest {
  /** Sends the request to the (current) registration. */
  readonly run: (reg: Registration) => void;
  /** Resolves the caller with a local failure; `status` is written to the journal (none when stopping). */
  readonly fail: (r: ResponseBase, status?: QueuedRequestStatus) => void;
  /** Takes it out of its client's queue; false when it is not there (in flight or gone). */
  readonly unqueue: () => boolean;
  deadline: TimerHandle | undefined;
  /** Set when the registration ended while the request was in flight: it is not queued again. */
  dead: boolean;
}

/** The Queue Mode state of one client. */
export interface ClientState {
  reg: Registration;
  awake: boolean;
  awakeUntil: number;
  timer: TimerHandle | undefined;
  readonly queue: HeldRequest[];
  /** Held requests sent and not yet answered (the state is kept while there are any). */
  readonly inFlight: Set<HeldRequest>;
}

/** Settings of QueueModeClients. */
export interface QueueModeClientsOptions {
  readonly clock: Clock;
  /** How long a client stays reachable after it was heard from (Transport TS: MAX_TRANSMIT_WAIT). */
  readonly awakeWindowMs: number;
  readonly onAwake: (reg: Registration) => void;
  readonly onSleeping: (reg: Registration) => void;
}

/** The awake/asleep state and held requests of Queue Mode clients, by registration id. */
export class QueueModeClients {
  private readonly states = new Map<string, ClientState>();

  constructor(private readonly options: QueueModeClientsOptions) {}

  /** Whether `reg` can be reached now (always true for a client not in queue mode). */
  isAwake(reg: Registration): boolean {
    return !reg.queueMode || this.states.get(reg.id)?.awake === true;
  }

  /** Number of requests held for any client (one pass over the states). */
  get heldCount(): number {
    let n = 0;
    for (const s of this.states.values()) n += s.queue.length;
    return n;
  }

  /** The state of `registrationId`, if any. */
  get(registrationId: string): ClientState | undefined {
    return this.states.get(registrationId);
  }

  /** Every registration id with a state. */
  ids(): string[] {
    return [...this.states.keys()];
  }

  /** The state of `reg`, made (asleep, empty) when there is none. */
  state(reg: Registration): ClientState {
    let s = this.states.get(reg.id);
    if (!s)
      this.states.set(
        reg.id,
        (s = { reg, awake: false, awakeUntil: 0, timer: undefined, queue: [], inFlight: new Set() }),
      );
    return s;
  }

  /** The client was heard from: it is awake (if in queue mode) and its held requests run. */
  heard(reg: Registration): void {
    // Every notification and Update comes here: with no Queue Mode state at all (no client in
    // Queue Mode, none holding requests), a client not in Queue Mode costs no lookup.
    if (!reg.queueMode && this.states.size === 0) return;
    const state = this.states.get(reg.id);
    if (!reg.queueMode) {
      if (state) this.flush(state, reg, true);
      return;
    }
    const now = this.options.clock.now();
    const s = state ?? this.state(reg);
    if (reg.lastUpdate >= s.reg.lastUpdate) s.reg = reg;
    s.awakeUntil = now + this.options.awakeWindowMs;
    if (!s.awake) {
      s.awake = true;
      this.options.onAwake(s.reg);
    }
    s.timer ??= this.options.clock.setTimer(this.options.awakeWindowMs, () => this.windowEnded(s));
    this.flush(s, s.reg, false);
  }

  /** Runs the held requests of `s` now if its client is awake. */
  flushIfAwake(s: ClientState): void {
    if (s.awake) this.flush(s, s.reg, false);
  }

  /** Forgets `registrationId` (its timer stops); returns its state. */
  delete(registrationId: string): ClientState | undefined {
    const s = this.states.get(registrationId);
    if (!s) return undefined;
    this.states.delete(registrationId);
    s.timer?.cancel();
    return s;
  }

  /** A request to the awake client `reg` timed out: it has gone to sleep until heard from. */
  wentSilent(reg: Registration): void {
    const s = this.states.get(reg.id);
    if (s && reg.queueMode && s.awake) this.sleep(s);
  }

  /** Forgets `s` when it is asleep with nothing held or in flight. */
  dropIfIdle(s: ClientState): void {
    if (!s.awake && s.queue.length === 0 && s.inFlight.size === 0 && this.states.get(s.reg.id) === s)
      this.states.delete(s.reg.id);
  }

  private flush(s: ClientState, reg: Registration, forget: boolean): void {
    if (forget) {
      this.states.delete(reg.id);
      s.timer?.cancel();
    }
    for (const q of s.queue.splice(0)) q.run(reg);
  }

  private windowEnded(s: ClientState): void {
    s.timer = undefined;
    const left = s.awakeUntil - this.options.clock.now();
    if (left > 0) {
      s.timer = this.options.clock.setTimer(left, () => this.windowEnded(s));
      return;
    }
    this.sleep(s);
  }

  private sleep(s: ClientState): void {
    s.timer?.cancel();
    s.timer = undefined;
    s.awake = false;
    this.options.onSleeping(s.reg);
    this.dropIfIdle(s);
  }
}
