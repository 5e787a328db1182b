// RFC 7641 sections 3.2 and 3.6, LwM2M Core TS 1.1.1 section 6.4 and Transport TS 1.1.1 section
// 6.5 (Notify): observations the server stored before it restarted (issue 14 item 1). The CoAP
// relation died with the old process, but the client keeps notifying with the token it was given;
// RFC 7641 3.6 has a client (here: the server, as the observer) reject a notification it does not
// recognize, and a server that stored the observation does recognize it. So a notification whose
// token a stored observation holds is taken (a CON one ACKed, not RST), then matched through
// ObservationStore.byToken on endpoint and token (RFC 7252 5.3.2: the registration's current
// peer), decoded against the client's models and delivered as a `notification` event.
//
// They are listed and cancelled through the server (REST DELETE .../observe): cancelling one is
// passive (RFC 7641 3.6): its token leaves the index and the store, so the client's next
// notification with it is answered with RST, which ends the relation on the client.
//
// Bounded: the index holds one entry per stored observation, which the store bounds
// (maxObservationsPerClient x registrations).
import type { CoapResponse } from '../coap/CoapResponse.js';
import { OptionNumber } from '../coap/CoapMessage.js';
import { decodeNotification } from '../binding/decodeNotification.js';
import type { Registration } from '../lwm2m/Registration.js';
import type { ModelRegistry } from '../model/ModelRegistry.js';
import { observationTargetKey, tokenKey, type ObservationRecord } from '../store/ObservationStore.js';
import type { RegistrationStore } from '../store/RegistrationStore.js';
import type { NotificationEvent } from './Lwm2mServerEvents.js';
import { modelsFor } from './modelsFor.js';

/** An observation stored for a registration; `restored` when a previous run started it (no handle). */
export interface StoredObservation {
  readonly record: ObservationRecord;
  readonly restored: boolean;
}

/** Settings of RestoredObservations. */
export interface RestoredObservationsOptions {
  readonly store: RegistrationStore;
  readonly models: ModelRegistry;
  readonly onNotification: (e: NotificationEvent) => void;
  /** The client sent a notification: it is awake. */
  readonly onHeard: (reg: Registration) => void;
  /** Whether one more notification may be decoded now (the server's notification rate). */
  readonly admit: (reg: Registration) => boolean;
  readonly onError: (e: Error) => void;
}

/** The stored observations of a previous run, matched by token. */
export class RestoredObservations {
  /** token hex → registration id, for the synchronous take-or-reject decision. */
  private readonly owner = new Map<string, string>();
  /** registration id → its token keys. */
  private readonly tokensOf = new Map<string, string[]>();

  constructor(private readonly options: RestoredObservationsOptions) {}

  /** Number of restored observations indexed. */
  get size(): number {
    return this.owner.size;
  }

  /** Indexes every stored observation of `reg` (at start-up, for the registrations loaded). */
  async load(reg: Registration): Promise<void> {
    const records = await this.options.store.observations.byRegistration(reg.id);
    if (records.length === 0) return;
    const keys = records.map((r) => tokenKey(r.token));
    for (const key of keys) this.owner.set(key, reg.id);
    this.tokensOf.set(reg.id, keys);
  }

  /** Whether `token` is a stored observation of a previous run that this one still recognizes. */
  has(token: Uint8Array): boolean {
    return this.owner.has(tokenKey(token));
  }

  /**
   * Cancels (passively) the restored observations of registration `registrationId` on exactly
   * `target`: their tokens are no longer recognized, and their records leave the store. Returns them.
   */
  async cancel(
    registrationId: string,
    target: Pick<ObservationRecord, 'kind' | 'paths'>,
  ): Promise<ObservationRecord[]> {
    if (!this.tokensOf.has(registrationId)) return [];
    const key = observationTargetKey(target);
    const records = await this.options.store.observations.byRegistration(registrationId);
    const cancelled = records.filter(
      (r) => this.owner.get(tokenKey(r.token)) === registrationId && observationTargetKey(r) === key,
    );
    for (const r of cancelled) {
      this.drop(registrationId, tokenKey(r.token)); // at once: from now on a notification gets RST
      await this.options.store.observations.remove(registrationId, r.token);
    }
    return cancelled;
  }

  /** A new observation superseded the stored one `record` (ObservationStore.add): no longer recognized. */
  replaced(record: ObservationRecord): void {
    const key = tokenKey(record.token);
    if (this.owner.get(key) === record.registrationId) this.drop(record.registrationId, key);
  }

  /** The registration ended or was replaced: its stored observations went with it. */
  forget(registrationId: string): void {
    const keys = this.tokensOf.get(registrationId);
    if (!keys) return;
    this.tokensOf.delete(registrationId);
    for (const key of keys) if (this.owner.get(key) === registrationId) this.owner.delete(key);
  }

  /**
   * A response no live exchange waits for: true (take it) when it is a notification (2.xx with
   * Observe) for a stored token; it is then matched and delivered asynchronously.
   */
  accept(res: CoapResponse): boolean {
    if (this.owner.size === 0 || res.code >> 5 !== 2) return false;
    if (!res.options.some((o) => o.number === OptionNumber.OBSERVE)) return false;
    if (!this.owner.has(tokenKey(res.message.token))) return false;
    this.deliver(res).catch((e: unknown) => this.options.onError(e as Error));
    return true;
  }

  private async deliver(res: CoapResponse): Promise<void> {
    const { store } = this.options;
    const records = await store.observations.byToken(res.message.token);
    for (const record of records) {
      const reg = await store.getById(record.registrationId);
      if (reg?.peer.key !== res.peer.key) continue; // RFC 7252 5.3.2: endpoint and token
      this.options.onHeard(reg);
      if (this.options.admit(reg)) this.decode(reg, record, res);
      return;
    }
    // The record left the store meanwhile (replaced, or removed by another means): the next
    // notification with this token is answered with RST.
    const key = tokenKey(res.message.token);
    const owner = this.owner.get(key);
    if (owner !== undefined && !records.some((r) => r.registrationId === owner)) this.drop(owner, key);
  }

  private drop(registrationId: string, key: string): void {
    this.owner.delete(key);
    const keys = this.tokensOf.get(registrationId)?.filter((k) => k !== key);
    if (keys?.length) this.tokensOf.set(registrationId, keys);
    else this.tokensOf.delete(registrationId);
  }

  private decode(reg: Registration, record: ObservationRecord, res: CoapResponse): void {
    let notification;
    try {
      const single = record.kind === 'single';
      const paths = single ? record.paths[0]! : record.paths;
      notification = decodeNotification(
        single ? 'observe' : 'observeComposite',
        paths,
        res,
        modelsFor(reg, this.options.models),
      );
    } catch (e) {
      this.options.onError(e as Error); // undecodable: skipped, as for a live relation
      return;
    }
    this.options.onNotification({ registration: reg, observation: record, notification });
  }
}
