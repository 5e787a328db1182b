// LwM2M Core TS 1.1.1 section 5.5 / 6.4 (Information Reporting) and Transport TS 1.1.1 section
// 6.5: the observations this server holds. Accepted observations are stored in the
// ObservationStore by registration and token; their notifications are decoded against the
// client's pinned object models, pushed to the Observation handle and emitted as `notification`
// events. Kept across registration updates, and moved to the client's new address when an Update
// comes from one (NAT rebinding, Core TS 6.2.2; notifications still match on address and token,
// RFC 7252 5.3.2); dropped (passively, RFC 7641 3.6) when the registration ends or is replaced.
// An active cancel ends the handle at once and goes out as a queued downlink request (Core TS 6.5).
import type { CoapObservation } from '../coap/observe/CoapObservation.js';
import type { CoapResponse } from '../coap/CoapResponse.js';
import type { Clock, WallClock } from '../coap/Clock.js';
import { decodeNotification } from '../binding/decodeNotification.js';
import type { Registration } from '../lwm2m/Registration.js';
import type { ResponseBase } from '../lwm2m/responses.js';
import type { ModelRegistry } from '../model/ModelRegistry.js';
import { tokenKey, type ObservationRecord } from '../store/ObservationStore.js';
import type { RegistrationStore } from '../store/RegistrationStore.js';
import type { AnyObserveRequest, DownlinkSender, SendOptions } from './DownlinkSender.js';
import type { NotificationEvent } from './Lwm2mServerEvents.js';
import { modelsFor } from './modelsFor.js';
import type { CancelOptions, Observation } from './Observation.js';
import { CANCELLED_LOCALLY, cancelActively } from './activeCancel.js';
import { localFailure } from './DownlinkSender.js';
import type { ServerLimitName } from './ServerLimits.js';
import { SourceRateLimiter } from './SourceRateLimiter.js';

/** Settings of an ObservationService. */
export interface ObservationServiceOptions {
  readonly store: RegistrationStore;
  readonly sender: DownlinkSender;
  readonly models: ModelRegistry;
  readonly clock: Clock;
  /** Stamps `createdAt` of stored observations. */
  readonly wallClock: WallClock;
  readonly onNotification: (e: NotificationEvent) => void;
  /** The client sent something (a notification): it is awake. */
  readonly onHeard: (reg: Registration) => void;
  readonly onError: (e: Error) => void;
  /** Observations one registration may hold (live and starting). Default unbounded. */
  readonly maxObservationsPerClient?: number;
  /** Notifications decoded per second, all relations together (burst: one second's worth). Default unbounded. */
  readonly maxNotificationsPerSecond?: number;
  /** A stored observation was superseded by a new one (same token, or same target): forgotten. */
  readonly onReplaced?: (old: ObservationRecord) => void;
  /** Called each time one of these bounds refuses an observation or drops a notification. */
  readonly onLimit?: (limit: ServerLimitName, source: string) => void;
}

interface Live {
  reg: Registration;
  readonly record: ObservationRecord;
  readonly relation: CoapObservation;
  readonly handle: Observation;
  /** An active cancel is under way: notifications are no longer delivered. */
  cancelled: boolean;
}

/** Starts, tracks and ends observations. */
export class ObservationService {
  /** registration id → token hex → live relation. */
  private readonly live = new Map<string, Map<string, Live>>();
  /** registration id → observations being started (counted against maxObservationsPerClient). */
  private readonly starting = new Map<string, number>();
  private readonly notificationRate: SourceRateLimiter | undefined;

  constructor(private readonly options: ObservationServiceOptions) {
    const perSecond = options.maxNotificationsPerSecond;
    this.notificationRate =
      perSecond === undefined
        ? undefined
        : new SourceRateLimiter({ ratePerSecond: perSecond, burst: perSecond, maxSources: 1 }, options.clock);
  }

  /** Number of live relations. */
  get size(): number {
    let n = 0;
    for (const m of this.live.values()) n += m.size;
    return n;
  }

  /** Whether one more notification may be decoded now (maxNotificationsPerSecond); counts a refusal. */
  admitNotification(reg: Registration): boolean {
    if (!this.notificationRate || this.notificationRate.take('*') === 0) return true;
    this.options.onLimit?.('notificationRate', reg.peer.address);
    return false;
  }

  /** Sends the Observe and wires the handle to the relation. Never rejects. */
  async start(
    reg: Registration,
    req: AnyObserveRequest,
    handle: Observation,
    options?: SendOptions,
  ): Promise<void> {
    const held = (this.live.get(reg.id)?.size ?? 0) + (this.starting.get(reg.id) ?? 0);
    if (held >= (this.options.maxObservationsPerClient ?? Infinity)) {
      this.options.onLimit?.('observationsPerClient', reg.peer.address);
      const max = this.options.maxObservationsPerClient ?? 0;
      return handle.refused(
        localFailure('limit', `${reg.endpoint} holds ${held} observations, the limit is ${max}`),
      );
    }
    this.starting.set(reg.id, (this.starting.get(reg.id) ?? 0) + 1);
    try {
      await this.establish(reg, req, handle, options);
    } finally {
      const n = (this.starting.get(reg.id) ?? 1) - 1;
      if (n > 0) this.starting.set(reg.id, n);
      else this.starting.delete(reg.id);
    }
  }

  private async establish(
    reg: Registration,
    req: AnyObserveRequest,
    handle: Observation,
    options?: SendOptions,
  ): Promise<void> {
    const { response, relation } = await this.options.sender.observe(reg, req, options);
    if (!relation) return handle.refused(response);
    if (handle.isEnded) return relation.forget(); // cancelled while the Observe was in flight
    const first = await relation.response;
    const record: ObservationRecord = {
      registrationId: reg.id,
      token: first.message.token,
      kind: req.kind === 'observe' ? 'single' : 'composite',
      paths: req.kind === 'observe' ? [req.path] : req.paths,
      ...(response.format === undefined ? {} : { contentFormat: response.format }),
      createdAt: this.options.wallClock.now(),
    };
    const live: Live = { reg, record, relation, handle, cancelled: false };
    try {
      const { replaced } = await this.options.store.observations.add(record);
      for (const old of replaced) {
        this.forgetLive(old.registrationId, old.token);
        this.options.onReplaced?.(old);
      }
    } catch (e) {
      this.options.onError(e as Error);
    }
    let byToken = this.live.get(reg.id);
    if (!byToken) this.live.set(reg.id, (byToken = new Map()));
    byToken.set(tokenKey(record.token), live);
    handle.accepted(response, record, (o) => this.cancel(live, o));
    this.pump(live);
  }

  /**
   * The registration was updated: notifications now carry the new record (address, objects). When
   * its peer changed, every relation moves to the new peer: notifications match from there only.
   * Relations cannot follow a client to another transport (`sameTransport` false): reported.
   */
  updated(reg: Registration, sameTransport = true): void {
    for (const l of this.live.get(reg.id)?.values() ?? []) {
      const moved = l.reg.peer.key !== reg.peer.key && !l.relation.isEnded;
      if (moved && !(sameTransport && l.relation.rebind(reg.peer)))
        this.options.onError(new Error(`an observation of ${reg.endpoint} cannot follow its new address`));
      l.reg = reg;
    }
  }

  /** The registration ended or was replaced: forget its relations (passive cancel) and end the handles. */
  dropRegistration(registrationId: string): void {
    const byToken = this.live.get(registrationId);
    if (!byToken) return;
    this.live.delete(registrationId);
    for (const l of byToken.values()) {
      l.relation.forget();
      l.handle.end();
    }
  }

  /** Forgets every relation (server stopping). */
  close(): void {
    for (const id of [...this.live.keys()]) this.dropRegistration(id);
  }

  /**
   * Passive: forgets the relation. Active: stops delivering at once, then sends the cancel through
   * the sender (queued while a Queue Mode client sleeps); the relation stays matchable (and
   * movable) until the cancel is answered or fails, and is forgotten whatever the outcome.
   */
  private async cancel(l: Live, options: CancelOptions): Promise<ResponseBase> {
    if (!options.active) {
      this.unlink(l);
      l.relation.forget();
      await this.removeRecord(l.record);
      return CANCELLED_LOCALLY;
    }
    l.cancelled = true;
    const { sender, clock } = this.options;
    const outcome = sender.cancelObservation
      ? sender.cancelObservation(l.reg, l.relation, options)
      : cancelActively(l.relation, l.reg, options, clock);
    await this.removeRecord(l.record);
    const result = await outcome;
    this.unlink(l);
    l.relation.forget();
    return result;
  }

  /** Delivers the relation's responses (push mode: no promise per notification) until it ends. */
  private pump(l: Live): void {
    let first = true;
    l.relation.subscribe({
      onValue: (res) => {
        const wasFirst = first;
        first = false;
        try {
          this.deliver(l, res, wasFirst);
        } catch (e) {
          this.options.onError(e as Error); // never into the CoAP stack: the notification is still ACKed
        }
      },
      // The relation ended (final response, error, closed endpoint): the handle ends too.
      onEnd: () => void this.ended(l),
    });
  }

  /** One response of `l`'s relation: the first is the Observe's answer, the others notifications. */
  private deliver(l: Live, res: CoapResponse, wasFirst: boolean): void {
    const { record } = l;
    if (!wasFirst) this.options.onHeard(l.reg);
    // An error code ends the relation (RFC 7641 3.2): forgetting it ends the subscription.
    if (res.code >> 5 !== 2) return l.relation.forget();
    if (l.cancelled) return; // cancelled locally; the active cancel is on its way
    // Over the notification rate: the CoAP layer has ACKed it already; it is dropped undecoded
    // (decoding is the cost), the relation stands, and the next one within the rate gets through.
    if (!wasFirst && !this.admitNotification(l.reg)) return;
    let notification;
    try {
      const models = modelsFor(l.reg, this.options.models);
      const paths = record.kind === 'single' ? record.paths[0]! : record.paths;
      notification = decodeNotification(
        record.kind === 'single' ? 'observe' : 'observeComposite',
        paths,
        res,
        models,
      );
    } catch (e) {
      this.options.onError(e as Error);
      return; // an undecodable notification is skipped; the relation stands
    }
    l.handle.push(notification);
    if (!wasFirst) this.options.onNotification({ registration: l.reg, observation: record, notification });
  }

  private async ended(l: Live): Promise<void> {
    if (this.unlink(l) && !l.cancelled) await this.removeRecord(l.record);
    l.handle.end();
  }

  /** Removes `l` from the live index; false when it was gone already. */
  private unlink(l: Live): boolean {
    const byToken = this.live.get(l.record.registrationId);
    const key = tokenKey(l.record.token);
    if (byToken?.get(key) !== l) return false;
    byToken.delete(key);
    if (byToken.size === 0) this.live.delete(l.record.registrationId);
    return true;
  }

  private forgetLive(registrationId: string, token: Uint8Array): void {
    const l = this.live.get(registrationId)?.get(tokenKey(token));
    if (!l) return;
    this.unlink(l);
    l.relation.forget();
    l.handle.end();
  }

  private async removeRecord(record: ObservationRecord): Promise<void> {
    try {
      await this.options.store.observations.remove(record.registrationId, record.token);
    } catch (e) {
      this.options.onError(e as Error);
    }
  }
}
