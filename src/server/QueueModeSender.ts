// LwM2M Core TS 1.1.1 Queue Mode Operation (section 6.5): a client in queue
// mode is reachable only for a while after it sent something (Register, Update, Send, a response,
// a notification). This decorator of a DownlinkSender holds requests for a sleeping client and
// sends them when it is heard from again; each queued request keeps its own deadline and resolves
// with failure 'timeout' when it passes. Which clients are awake is QueueModeClients' job.
// Requests of send() held for a sleeping client are recorded in a QueuedRequestStore through a
// QueuedRequestJournal (issue 14 item 4): each has an id and a status, and rearm() takes back the
// entries a previous run left queued, so they go out when their client is next heard from.
import type { Clock } from '../coap/Clock.js';
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
import { QueueModeClients, type ClientState, type HeldRequest } from './QueueModeClients.js';

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

/** Queue Mode around another DownlinkSender. */
export class QueueModeSender implements DownlinkSender {
  private refused = 0;
  private readonly clients: QueueModeClients;
  /** Stored requests held here, by id (queued or in flight). */
  private readonly byId = new Map<string, HeldRequest>();

  constructor(
    private readonly inner: DownlinkSender,
    private readonly options: QueueModeSenderOptions,
  ) {
    this.clients = new QueueModeClients(options);
  }

  /** Whether `reg` can be reached now (always true for a client not in queue mode). */
  isAwake(reg: Registration): boolean {
    return this.clients.isAwake(reg);
  }

  /** Requests refused since start because their client's queue was full (maxQueuedPerClient). */
  get refusedCount(): number {
    return this.refused;
  }

  /** Number of requests waiting for any client to wake up (one pass over the queue-mode clients). */
  get queuedCount(): number {
    return this.clients.heldCount;
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
    this.clients.heard(reg);
  }

  /** The registration ended: queued requests resolve with failure 'deregistered'. */
  remove(registrationId: string, stopping = false): void {
    const s = this.clients.delete(registrationId);
    if (!s) return;
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
    for (const id of this.clients.ids()) this.remove(id, true);
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
    // The caller learns the id once the entry is durable (a 202 of the REST API points at it).
    if (entry && rearmedId === undefined && options.onQueued)
      void entry.stored.then((ok) => ok && options.onQueued?.(entry.id));
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
      const item: HeldRequest = {
        run: (current) => {
          const holder = this.clients.state(current);
          holder.inFlight.add(item);
          void (entry?.stored ?? Promise.resolve(true)).then((ok) => {
            if (!ok) {
              holder.inFlight.delete(item);
              this.clients.dropIfIdle(holder);
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
            this.clients.state(current).queue.unshift(item);
          } else {
            this.clients.dropIfIdle(holder);
            settle(result, finalStatusOf(responseOf(result)));
          }
        });
      };
      const unqueue = (): boolean => {
        const s = this.clients.get(reg.id);
        const i = s ? s.queue.indexOf(item) : -1;
        if (!s || i < 0) return false; // in flight or gone: its own outcome settles it
        s.queue.splice(i, 1);
        this.clients.dropIfIdle(s);
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
      const s = this.clients.state(reg);
      s.queue.push(item);
      // A client heard from meanwhile (rearm awaits the store) gets it at once.
      this.clients.flushIfAwake(s);
    });
  }

  private async sendNow<T>(
    reg: Registration,
    options: SendOptions,
    run: (reg: Registration, options: SendOptions) => Promise<T>,
  ): Promise<T> {
    const result = await run(reg, options);
    // A client in queue mode that let a request time out has gone to sleep: stop sending until it is heard from.
    if (responseOf(result).failure === 'timeout') this.clients.wentSilent(reg);
    return result;
  }
}

/** The response inside a result (an ObserveStart carries it in `response`). */
function responseOf(result: unknown): ResponseBase {
  return (result as { response?: ResponseBase }).response ?? (result as ResponseBase);
}
