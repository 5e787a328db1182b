// LwM2M Core TS 1.1.1 sections 6.2 (Register, Update, De-register), 6.2.1.1 (registration order
// and communication retries), 6.5 (queue mode) and E.2 (Server resources 4, 5, 8, 13-15, 17-20):
// one registration per server account, started in the order planRegistrationOrder gives, kept
// alive by Updates carrying only what changed, re-registered when an Update gets 4.04, retried per
// the Server object's retry resources, and given up (bootstrap needed) when every account failed. In queue mode the client sleeps once the awake time has passed since its
// last message exchange with the server, and an Update wakes it (to send stored notifications).
// Timing comes from an injected Clock.
import type { Clock, TimerHandle } from '../coap/Clock.js';
import { ResponseCode } from '../lwm2m/responses.js';
import {
  planRegistrationUpdate,
  updateDelayMs,
  type RegistrationParams,
  type UpdatePlan,
} from './planRegistrationUpdate.js';
import { answeredFailure, localFailure, type AttemptFailure } from './attemptFailure.js';
import { initialDelayMs, nextInSequence, planRegistrationOrder } from './planRegistrationOrder.js';
import { planRetry } from './planRetry.js';
import type { ServerAccount } from './serverAccounts.js';

/** What a server answered (or the request failed locally: rejected promise). */
export interface RegistrationReply {
  readonly code: number;
  /** Location-Path of a Register's 2.01 (e.g. ['rd', 'abc']). */
  readonly location?: readonly string[];
  /** Diagnostic payload of an error response (RFC 7252 5.5.2). */
  readonly diagnostic?: string;
}

/** Sends the three registration uplinks (built by binding/ over a CoapEndpoint). */
export interface RegistrationPort {
  register(account: ServerAccount, params: RegistrationParams): Promise<RegistrationReply>;
  update(account: ServerAccount, location: readonly string[], plan: UpdatePlan): Promise<RegistrationReply>;
  deregister(account: ServerAccount, location: readonly string[]): Promise<RegistrationReply>;
}

/** Lifecycle callbacks (the client turns them into typed events). */
export interface RegistrationListener {
  registered?(account: ServerAccount, location: readonly string[]): void;
  updated?(account: ServerAccount, plan: UpdatePlan): void;
  deregistered?(account: ServerAccount): void;
  registrationFailed?(account: ServerAccount, reason: string): void;
  /** One Register or Update attempt failed (with when the next one is due, if any). */
  attemptFailed?(account: ServerAccount, failure: AttemptFailure): void;
  bootstrapRequired?(): void;
  /** The server can be reached again (after Register/Update): flush stored notifications. */
  reachable?(account: ServerAccount): void;
  sleeping?(account: ServerAccount): void;
}

/** Engine settings. */
export interface RegistrationEngineOptions {
  readonly clock: Clock;
  readonly port: RegistrationPort;
  /** Current registration parameters for an account (payload from the object tree). */
  readonly paramsOf: (account: ServerAccount) => RegistrationParams;
  readonly listener?: RegistrationListener;
  /** Queue mode awake time, ms. Default 93 000 (MAX_TRANSMIT_WAIT, Core TS 6.5 recommendation). */
  readonly awakeTimeMs?: number;
  /**
   * How long stop() waits for a Register still in flight before giving up on de-registering it,
   * ms. The Register's own request timeout bounds the wait too (its promise settles then).
   * Default 2 000: ACK_TIMEOUT (RFC 7252 4.8), by when an answer to a first transmission is due.
   */
  readonly stopWaitMs?: number;
}

type State = 'idle' | 'registering' | 'registered' | 'updating' | 'failed' | 'disabled';

interface Session {
  account: ServerAccount;
  state: State;
  location?: readonly string[];
  sent?: RegistrationParams;
  failures: number;
  timer?: TimerHandle;
  awakeTimer?: TimerHandle;
  asleep: boolean;
  /** A confirmable message to the server went unanswered; cleared when it answers a Register/Update. */
  offline?: boolean;
  /** The Register in flight (never rejects: undefined when it failed locally). */
  registering?: Promise<RegistrationReply | undefined>;
  pendingUpdate: boolean;
}

/** Keeps one registration per server account. */
export class RegistrationEngine {
  private readonly sessions = new Map<number, Session>();
  /** Sessions registering in priority order (resource 13), and the one whose turn it is. */
  private sequence: Session[] = [];
  private turn = 0;
  private readonly awakeTimeMs: number;
  private readonly stopWaitMs: number;
  private stopped = true;

  constructor(private readonly opts: RegistrationEngineOptions) {
    this.awakeTimeMs = opts.awakeTimeMs ?? 93_000;
    this.stopWaitMs = opts.stopWaitMs ?? 2_000;
  }

  /**
   * Registers to every account: independent ones at once, those with a Registration Priority
   * Order one after the other (Core TS 6.2.1.1), each after its Initial Registration Delay Timer.
   * The delay applies to this first registration only (e.g. after a bootstrap), not to later ones.
   */
  start(accounts: readonly ServerAccount[]): void {
    this.stopped = false;
    const session = (account: ServerAccount): Session => {
      const s: Session = { account, state: 'idle', failures: 0, asleep: false, pendingUpdate: false };
      this.sessions.set(account.ssid, s);
      return s;
    };
    const order = planRegistrationOrder(accounts);
    const independent = order.independent.map(session);
    this.sequence = order.sequence.map(session);
    this.turn = 0;
    for (const s of independent) this.registerAfter(s, initialDelayMs(s.account));
    const first = this.sequence[0];
    if (first) this.registerAfter(first, initialDelayMs(first.account));
  }

  /** The account state of a server, if known. */
  stateOf(ssid: number): State | undefined {
    return this.sessions.get(ssid)?.state;
  }

  /** The account with this Short Server ID. */
  account(ssid: number): ServerAccount | undefined {
    return this.sessions.get(ssid)?.account;
  }

  /** Accounts in registration order. */
  accounts(): ServerAccount[] {
    return [...this.sessions.values()].map((s) => s.account);
  }

  /** True when requests and notifications can go to the server now (registered and awake). */
  isReachable(ssid: number): boolean {
    const s = this.sessions.get(ssid);
    return s !== undefined && (s.state === 'registered' || s.state === 'updating') && !s.asleep && !s.offline;
  }

  /** Sends an Update now (Registration Update Trigger, changed objects, wake-up); all when no ssid. */
  triggerUpdate(ssid?: number): void {
    for (const s of this.sessions.values())
      if (ssid === undefined || s.account.ssid === ssid) void this.update(s);
  }

  /**
   * Queue mode: true while the client sleeps for this server (awake time over, no Register or
   * Update in flight): its radio is off, so nothing from the server is received.
   */
  isAsleep(ssid: number): boolean {
    const s = this.sessions.get(ssid);
    return s !== undefined && s.asleep && s.state === 'registered';
  }

  /**
   * Queue mode (Core TS 6.5): a message was exchanged with the server (request answered,
   * notification or Send sent), so the client stays awake for the awake time from now.
   */
  exchanged(ssid: number): void {
    const s = this.sessions.get(ssid);
    // awakeTimer is set only while awake in queue mode (and not during a Register/Update).
    if (s?.awakeTimer && !s.asleep) this.startAwakeTimer(s);
  }

  /** Queue mode: wakes a sleeping registration with an Update (stored notifications follow). */
  wake(ssid: number): void {
    const s = this.sessions.get(ssid);
    if ((s?.asleep || s?.offline) && s.state === 'registered') void this.update(s);
  }

  /**
   * A confirmable message to the server (a notification) went unacknowledged: the server counts as
   * offline, and an Update probes it. Its 2.04 brings the server back (stored notifications
   * follow); a 4.04 or a failure leads to a new Register (Core TS 1.1.1 6.2.2), retried per the
   * Server object's retry resources. Nothing is given up because of the lost message itself.
   */
  lost(ssid: number): void {
    const s = this.sessions.get(ssid);
    if (!s || s.state === 'disabled' || s.state === 'failed') return;
    s.offline = true;
    if (s.state === 'registered') void this.update(s);
  }

  /** Replaces an account's settings (e.g. lifetime written) and sends an Update with what changed. */
  refresh(account: ServerAccount): void {
    const s = this.sessions.get(account.ssid);
    if (!s) return;
    s.account = account;
    if (s.sent && Object.keys(planRegistrationUpdate(s.sent, this.opts.paramsOf(account))).length > 0)
      void this.update(s);
  }

  /**
   * Registers anew to every server (a rebooted device): a Register with the same endpoint name
   * replaces the server's registration (Core TS 6.2.1), so none is de-registered first. A Register
   * already in flight is kept; a pending Update is dropped (its answer is ignored).
   */
  registerAgain(): void {
    for (const s of this.sessions.values()) {
      if (s.state === 'registering' || s.state === 'disabled') continue;
      this.clearTimers(s);
      s.state = 'idle';
      s.pendingUpdate = false;
      void this.register(s);
    }
  }

  /** Server resource 4 (Disable): de-register, stay silent for the Disable Timeout, then register. */
  async disable(ssid: number): Promise<void> {
    const s = this.sessions.get(ssid);
    if (!s) return;
    await this.deregisterSession(s);
    s.state = 'disabled';
    s.timer = this.opts.clock.setTimer(s.account.disableTimeoutS * 1000, () => void this.register(s));
  }

  /** De-registers from every server (Core TS 6.2.3) and stops all timers. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.sessions.values()].map((s) => this.deregisterSession(s)));
    this.sessions.clear();
    this.sequence = [];
  }

  private async register(s: Session): Promise<void> {
    if (this.stopped) return;
    this.clearTimers(s);
    s.state = 'registering';
    const params = this.opts.paramsOf(s.account);
    let reply: RegistrationReply | undefined;
    let failure: Omit<AttemptFailure, 'retryInMs'> | undefined;
    const pending = this.opts.port.register(s.account, params);
    s.registering = pending.then(
      (r) => r,
      () => undefined,
    );
    try {
      reply = await pending;
      if (reply.code !== ResponseCode.CREATED)
        failure = answeredFailure('register', reply.code, reply.diagnostic);
    } catch (e) {
      failure = localFailure('register', e);
    }
    s.registering = undefined;
    if (this.stopped || s.state !== 'registering') return;
    if (failure || !reply) return this.failed(s, failure ?? localFailure('register', 'no reply'));
    s.failures = 0;
    s.location = reply.location ?? [];
    s.sent = params;
    this.becameReachable(s);
    this.opts.listener?.registered?.(s.account, s.location);
    this.sequenceStep(s, 'registered');
    if (s.pendingUpdate) void this.update(s);
  }

  private registerAfter(s: Session, delayMs: number): void {
    if (delayMs <= 0) return void this.register(s);
    s.timer = this.opts.clock.setTimer(delayMs, () => void this.register(s));
  }

  /** The sequenced account whose turn it is ended its registration procedure: start the next. */
  private sequenceStep(s: Session, outcome: 'registered' | 'failed'): void {
    const index = this.sequence.indexOf(s);
    if (index < 0 || index !== this.turn) return;
    this.turn++;
    const step = nextInSequence(
      this.sequence.map((x) => x.account),
      index,
      outcome,
    );
    if (step.kind === 'next') this.registerAfter(this.sequence[index + 1]!, step.delayMs);
    else if (step.kind === 'block')
      for (const b of this.sequence.slice(index + 1)) {
        b.state = 'failed';
        const why = `not attempted: registration to server ${s.account.ssid} failed and its Registration Failure Block (/1/x/15) is set`;
        this.opts.listener?.registrationFailed?.(b.account, why);
      }
  }

  private async update(s: Session): Promise<void> {
    if (this.stopped) return;
    if (s.state === 'registering' || s.state === 'updating') {
      s.pendingUpdate = true;
      return;
    }
    if (s.state !== 'registered' || !s.sent || !s.location) return;
    s.pendingUpdate = false;
    this.clearTimers(s);
    s.state = 'updating';
    const current = this.opts.paramsOf(s.account);
    const plan = planRegistrationUpdate(s.sent, current);
    let reply: RegistrationReply | undefined;
    let error: unknown;
    try {
      reply = await this.opts.port.update(s.account, s.location, plan);
    } catch (e) {
      error = e;
    }
    if (this.stopped || s.state !== 'updating') return;
    if (reply?.code === ResponseCode.CHANGED) {
      s.sent = current;
      this.becameReachable(s);
      this.opts.listener?.updated?.(s.account, plan);
      if (s.pendingUpdate) void this.update(s);
      return;
    }
    // 4.04: the server lost the registration; any other failure: register again (6.2.2).
    const failure = reply
      ? answeredFailure('update', reply.code, reply.diagnostic)
      : localFailure('update', error);
    this.opts.listener?.attemptFailed?.(s.account, { ...failure, ssid: s.account.ssid, retryInMs: 0 });
    s.state = 'idle';
    s.pendingUpdate = false;
    void this.register(s);
  }

  private becameReachable(s: Session): void {
    s.state = 'registered';
    s.asleep = false;
    s.offline = false;
    const delay = updateDelayMs(this.opts.paramsOf(s.account).lifetime);
    if (delay !== undefined) s.timer = this.opts.clock.setTimer(delay, () => void this.update(s));
    if (this.opts.paramsOf(s.account).queueMode) this.startAwakeTimer(s);
    this.opts.listener?.reachable?.(s.account);
  }

  /** (Re)starts the queue mode awake time; when it runs out the client sleeps (Core TS 6.5). */
  private startAwakeTimer(s: Session): void {
    s.awakeTimer?.cancel();
    s.awakeTimer = this.opts.clock.setTimer(this.awakeTimeMs, () => {
      s.awakeTimer = undefined;
      s.asleep = true;
      this.opts.listener?.sleeping?.(s.account);
    });
  }

  private failed(s: Session, failure: Omit<AttemptFailure, 'retryInMs'>): void {
    s.failures++;
    const step = planRetry(s.account.retry, s.failures);
    const ssid = s.account.ssid;
    if (step.kind === 'retry') {
      s.state = 'idle';
      s.timer = this.opts.clock.setTimer(step.delayMs, () => void this.register(s));
      this.opts.listener?.attemptFailed?.(s.account, { ...failure, ssid, retryInMs: step.delayMs });
      return;
    }
    s.state = 'failed';
    this.opts.listener?.attemptFailed?.(s.account, { ...failure, ssid });
    this.opts.listener?.registrationFailed?.(s.account, failure.reason);
    this.sequenceStep(s, 'failed');
    if ([...this.sessions.values()].every((x) => x.state === 'failed'))
      this.opts.listener?.bootstrapRequired?.();
  }

  private async deregisterSession(s: Session): Promise<void> {
    this.clearTimers(s);
    const inFlight = s.state === 'registering' ? s.registering : undefined;
    const wasRegistered = s.state === 'registered' || s.state === 'updating';
    let location = s.location;
    s.state = 'idle';
    s.asleep = false;
    s.location = undefined;
    if (inFlight) {
      // Core TS 6.2.3: a Register the server may already have accepted is awaited (bounded), and
      // its registration de-registered, so the server keeps no stale one until the lifetime ends.
      const reply = await this.settled(inFlight);
      if (reply?.code !== ResponseCode.CREATED) return;
      location = reply.location ?? [];
      this.opts.listener?.registered?.(s.account, location);
    } else if (!wasRegistered || !location) return;
    try {
      await this.opts.port.deregister(s.account, location);
    } catch {
      // De-register is best effort: the registration expires with its lifetime anyway.
    }
    this.opts.listener?.deregistered?.(s.account);
  }

  /** The Register's reply, or undefined when stopWaitMs (on the injected clock) passes first. */
  private settled(p: Promise<RegistrationReply | undefined>): Promise<RegistrationReply | undefined> {
    let timer: TimerHandle | undefined;
    const bound = new Promise<undefined>((resolve) => {
      timer = this.opts.clock.setTimer(this.stopWaitMs, () => resolve(undefined));
    });
    return Promise.race([p, bound]).finally(() => timer?.cancel());
  }

  private clearTimers(s: Session): void {
    s.timer?.cancel();
    s.awakeTimer?.cancel();
    s.timer = undefined;
    s.awakeTimer = undefined;
  }
}
