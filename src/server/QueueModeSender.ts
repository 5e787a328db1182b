// LwM2M Core TS 1.1.1 Queue Mode Operation (section 6.5): a client in queue
// mode is reachable only for a while after it sent something (Register, Update, Send, a response,
// a notification). This decorator of a DownlinkSender holds requests for a sleeping client and
// sends them when it is heard from again; each queued request keeps its own deadline and resolves
// with failure 'timeout' when it passes. Memory: state exists only for clients awake or with
// queued requests, and one timer per awake client (its awake window).
// Requests of send() held for a sleeping client are recorded in a QueuedRequestStore through a
// QueuedRequestJournal (issue 14 item 4): each has an id and a status, and rearm() takes back the
// entries a previous run left queued, so they go out when their client is next heard from.
import type { Clock, TimerHandle } from '../coap/Clock.js';
import type { CoapObservation } from '../coap/observe/CoapObservation.js';
import type { ResponseFor } from '../binding/toLwm2mResponse.js';
import type { Registration } from '../lwm2m/Registration.js';
import type { DownlinkRequest } from '../lwm2m/requests.js';
import type { ResponseBase } from '../lwm2m/responses.js';
import type { QueuedRequestRecord, QueuedRequestStatus } from '../store/QueuedRequestStore.js';
import { finalStatusOf, type QueuedRequestJournal } from './QueuedRequestJournal.js';
import {
  localFailure,
  type AnyObserveRequest,
  type DownlinkSender,
  type ObserveStart,
  type SendOptions,
} from './DownlinkSender.js';
import { cancelActively } from './activeCancel.js';
import { rearmQueued, type RearmResult } from './rearmQueued.js';

/** Settings of a QueueModeSender. */
export interface QueueModeSenderOptions {
  readonly clock: Clock;
  /** How long a client stays reachable after it was heard from (Transport TS: MAX_TRANSMIT_WAIT). */
  readonly awakeWindowMs: number;
  /** Deadline of a queued request whose caller gave none. */
  readonly queuedRequestTimeoutMs: number;
  /** Most requests queued per client. */
  readonly maxQueuedPerClient: number;
  readonly onAwake: (reg: Registration) => void;
  readonly onSleeping: (reg: Registration) => void;
  /** Records the requests of send() held for a sleeping client (their id and status). */
  readonly journal?: QueuedRequestJournal;
}

/** What cancelQueued did: cancelled it, or not, with the entry's status (none: unknown id). */
export type QueuedCancelOutcome =
  { readonly cancelled: true } | { readonly cancelled: false; readonly status?: QueuedRequestStatus };

interface Queued {
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

interface ClientState {
  reg: Registration;
  awake: boolean;
  awakeUntil: number;
  timer: TimerHandle | undefined;
  readonly queue: Queued[];
  /** Queued requests sent and not yet answered (the state is kept while there are any). */
  readonly inFlight: Set<Queued>;
}

/** Queue Mode around another DownlinkSender. */
export class QueueModeSender implements DownlinkSender {
  private refused = 0;
  private readonly clients = new Map<string, ClientState>();
  /** Stored requests held here, by id (queued or in flight). */
  private readonly byId = new Map<string, Queued>();

  constructor(
    private readonly inner: DownlinkSender,
    private readonly options: QueueModeSenderOptions,
  ) {}

  /** Whether `reg` can be reached now (always true for a client not in queue mode). */
  isAwake(reg: Registration): boolean {
    return !reg.queueMode || this.clients.get(reg.id)?.awake === true;
  }

  /** Requests refused since start because their client's queue was full (maxQueuedPerClient). */
  get refusedCount(): number {
    return this.refused;
  }

  /** Number of requests waiting for any client to wake up (one pass over the queue-mode clients). */
  get queuedCount(): number {
    let n = 0;
    for (const s of this.clients.values()) n += s.queue.length;
    return n;
  }

  /** Number of requests waiting for `registrationId` to wake up. */
  queuedFor(registrationId: string): number {
    return this.clients.get(registrationId)?.queue.length ?? 0;
  }

  send<R extends DownlinkRequest>(
    reg: Registration,
    req: R,
    options: SendOptions = {},
  ): Promise<ResponseFor<R>> {
    return this.dispatch(
      reg,
      options,
      (current, opts) => this.inner.send(current, req, opts),
      undefined,
      true,
      req,
    ) as Promise<ResponseFor<R>>;
  }

  observe(reg: Registration, req: AnyObserveRequest, options: SendOptions = {}): Promise<ObserveStart> {
    return this.dispatch(
      reg,
      options,
      (current, opts) => this.inner.observe(current, req, opts),
      (response) => ({ response }),
    );
  }

  /**
   * Active cancel of an observation (RFC 7641 3.6), held like any request while the client
   * sleeps (Core TS 6.5). Sent once: after a timeout the relation is gone locally, so it is not
   * queued again (the client's next notification is answered with RST, a passive cancel).
   */
  cancelObservation(
    reg: Registration,
    relation: CoapObservation,
    options: SendOptions = {},
  ): Promise<ResponseBase> {
    const { clock } = this.options;
    return this.dispatch(
      reg,
      options,
      (current, opts) => cancelActively(relation, current, opts, clock),
      undefined,
      false,
    );
  }

  /** The client was heard from (Register, Update, Send, a response...): it is awake; queued requests go out. */
  heard(reg: Registration): void {
    const state = this.clients.get(reg.id);
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

  /** The registration ended: queued requests resolve with failure 'deregistered'. */
  remove(registrationId: string, stopping = false): void {
    const s = this.clients.get(registrationId);
    if (!s) return;
    this.clients.delete(registrationId);
    s.timer?.cancel();
    for (const q of s.inFlight) q.dead = true;
    for (const q of s.queue.splice(0))
      if (stopping) q.fail(localFailure('cancelled', 'the server stopped; a stored request stays queued'));
      else
        q.fail(
          localFailure('deregistered', 'the client de-registered before the request was sent'),
          'failed',
        );
  }

  /**
   * Cancels every timer and resolves every queued request's caller (server stopping). Entries in
   * the store keep their status: a later rearm() takes the queued ones back.
   */
  close(): void {
    this.options.journal?.close();
    for (const id of [...this.clients.keys()]) this.remove(id, true);
  }

  /**
   * Cancels the stored request `id` if it is still queued (its caller gets failure 'cancelled');
   * otherwise says where it is ('sent' or a final status; no status for an unknown id).
   */
  async cancelQueued(id: string): Promise<QueuedCancelOutcome> {
    const item = this.byId.get(id);
    if (item?.unqueue()) {
      item.fail(localFailure('cancelled', 'cancelled while queued'), 'cancelled');
      return { cancelled: true };
    }
    const journal = this.options.journal;
    await journal?.idle(id);
    const record = await journal?.store.get(id);
    if (!record) return { cancelled: false };
    // Queued in the store but not held here: in flight right now.
    return { cancelled: false, status: record.status === 'queued' ? 'sent' : record.status };
  }

  rearm(registrationById: (id: string) => Promise<Registration | undefined>): Promise<RearmResult> {
    const journal = this.options.journal;
    if (!journal) return Promise.resolve({ rearmed: 0, expired: 0, failed: 0 });
    return rearmQueued(journal, registrationById, {
      isHeld: (id) => this.byId.has(id),
      hold: (reg, rec, leftMs) => this.rearmOne(reg, rec, leftMs),
    });
  }

  private rearmOne(reg: Registration, rec: QueuedRequestRecord, leftMs: number): void {
    const run = (current: Registration, opts: SendOptions): Promise<ResponseBase> =>
      this.inner.send(current, rec.request, opts);
    if (!reg.queueMode || this.isAwake(reg)) {
      this.options.journal!.mark(rec.id, 'sent');
      void this.sendNow(reg, { timeoutMs: leftMs }, run).then((r) =>
        this.options.journal!.finish(rec.id, finalStatusOf(r), r),
      );
      return;
    }
    void this.dispatch(reg, { timeoutMs: leftMs }, run, undefined, true, undefined, rec.id);
  }

  private dispatch<T>(
    reg: Registration,
    options: SendOptions,
    run: (reg: Registration, options: SendOptions) => Promise<T>,
    wrap: (r: ResponseBase) => T = (r) => r as T,
    requeue = true,
    request?: DownlinkRequest,
    rearmedId?: string,
  ): Promise<T> {
    // A client not in queue mode is always reachable and never put to sleep: its request goes
    // straight out, without sendNow's extra async step (optimisation, bench server, issue 4).
    if (!reg.queueMode) return run(reg, options);
    if (this.isAwake(reg)) return this.sendNow(reg, options, run);
    if (options.queue === false)
      return Promise.resolve(wrap(localFailure('sleeping', 'the client is sleeping (queue mode)')));
    const queued = this.clients.get(reg.id)?.queue.length ?? 0;
    if (queued >= this.options.maxQueuedPerClient && rearmedId === undefined) {
      this.refused++;
      return Promise.resolve(
        wrap(localFailure('sleeping', `${queued} requests already wait for this sleeping client`)),
      );
    }
    const { clock, journal } = this.options;
    const timeoutMs = options.timeoutMs ?? this.options.queuedRequestTimeoutMs;
    const deadlineAt = clock.now() + timeoutMs;
    // Stored before it is queued, and never sent before the store has it (issue 14 item 4).
    const entry =
      rearmedId !== undefined
        ? { id: rearmedId, stored: Promise.resolve(true) }
        : request && journal
          ? journal.create(reg, request, timeoutMs)
          : undefined;
    if (entry && rearmedId === undefined) options.onQueued?.(entry.id);
    return new Promise<T>((resolve) => {
      const settle = (result: T, status?: QueuedRequestStatus): void => {
        item.deadline?.cancel();
        if (entry) {
          this.byId.delete(entry.id);
          if (status) journal?.finish(entry.id, status, responseOf(result));
        }
        resolve(result);
      };
      const notStored = (): ResponseBase =>
        localFailure('cancelled', 'the request could not be stored for the sleeping client');
      const item: Queued = {
        run: (current) => {
          const holder = this.state(current);
          holder.inFlight.add(item);
          void (entry?.stored ?? Promise.resolve(true)).then((ok) => {
            if (!ok) {
              holder.inFlight.delete(item);
              this.dropIfIdle(holder);
              return settle(wrap(notStored()));
            }
            if (entry) journal?.mark(entry.id, 'sent');
            send(current, holder);
          });
        },
        fail: (r, status) => settle(wrap(r), status),
        unqueue: () => unqueue(),
        deadline: undefined,
        dead: false,
      };
      const send = (current: Registration, holder: ClientState): void => {
        const left = options.timeoutMs === undefined ? undefined : Math.max(1, deadlineAt - clock.now());
        void this.sendNow(current, { ...options, timeoutMs: left }, run).then((result) => {
          holder.inFlight.delete(item);
          // A request the client did not answer goes back to the queue while its deadline
          // allows (Queue Mode Operation), unless the registration ended meanwhile.
          const retry =
            requeue &&
            responseOf(result).failure === 'timeout' &&
            clock.now() < deadlineAt &&
            options.signal?.aborted !== true &&
            !item.dead;
          if (retry) {
            if (entry) journal?.mark(entry.id, 'queued');
            this.state(current).queue.unshift(item);
          } else {
            this.dropIfIdle(holder);
            settle(result, finalStatusOf(responseOf(result)));
          }
        });
      };
      const unqueue = (): boolean => {
        const s = this.clients.get(reg.id);
        const i = s ? s.queue.indexOf(item) : -1;
        if (!s || i < 0) return false; // in flight or gone: its own outcome settles it
        s.queue.splice(i, 1);
        this.dropIfIdle(s);
        return true;
      };
      item.deadline = clock.setTimer(deadlineAt - clock.now(), () => {
        if (unqueue())
          item.fail(localFailure('timeout', 'the client did not wake up before the deadline'), 'expired');
      });
      options.signal?.addEventListener(
        'abort',
        () => {
          if (unqueue()) item.fail(localFailure('cancelled', 'aborted while queued'), 'cancelled');
        },
        { once: true },
      );
      void entry?.stored.then((ok) => {
        if (!ok && unqueue()) item.fail(notStored());
      });
      if (entry) this.byId.set(entry.id, item);
      const s = this.state(reg);
      s.queue.push(item);
      // A client heard from meanwhile (rearm awaits the store) gets it at once.
      if (s.awake) this.flush(s, s.reg, false);
    });
  }

  /** The state of `reg`, made (asleep, empty) when there is none. */
  private state(reg: Registration): ClientState {
    let s = this.clients.get(reg.id);
    if (!s)
      this.clients.set(
        reg.id,
        (s = { reg, awake: false, awakeUntil: 0, timer: undefined, queue: [], inFlight: new Set() }),
      );
    return s;
  }

  private async sendNow<T>(
    reg: Registration,
    options: SendOptions,
    run: (reg: Registration, options: SendOptions) => Promise<T>,
  ): Promise<T> {
    const result = await run(reg, options);
    // A client in queue mode that let a request time out has gone to sleep: stop sending until it is heard from.
    const s = this.clients.get(reg.id);
    if (s && reg.queueMode && responseOf(result).failure === 'timeout' && s.awake) this.sleep(s);
    return result;
  }

  private flush(s: ClientState, reg: Registration, forget: boolean): void {
    if (forget) {
      this.clients.delete(reg.id);
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

  private dropIfIdle(s: ClientState): void {
    if (!s.awake && s.queue.length === 0 && s.inFlight.size === 0 && this.clients.get(s.reg.id) === s)
      this.clients.delete(s.reg.id);
  }
}

/** The response inside a result (an ObserveStart carries it in `response`). */
function responseOf(result: unknown): ResponseBase {
  return (result as { response?: ResponseBase }).response ?? (result as ResponseBase);
}
