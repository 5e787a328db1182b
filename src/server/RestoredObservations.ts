// RFC 7641 sections 3.2 and 3.6, LwM2M Core TS 1.1.1 section 6.4 and Transport TS 1.1.1 section
// 6.5 (Notify): observations the server stored before it restarted (issue 14 item 1). The CoAP
// relation died with the old process, but the client keeps notifying with the token it was given;
// RFC 7641 3.6 has a client (here: the server, as the observer) reject a notification it does not
// recognize, and a server that stored the observation does recognize it. So a notification whose
// token a stored observation holds is taken (a CON one ACKed, not RST), then matched through
// ObservationStore.byToken on endpoint and token (RFC 7252 5.3.2: the registration's current
// peer), decoded against the client's models and delivered as a `notification` event.
//
// Bounded: the index holds one entry per stored observation, which the store bounds
// (maxObservationsPerClient x registrations).
import type { CoapResponse } from '../coap/CoapResponse.js';
import { OptionNumber } from '../coap/CoapMessage.js';
import { decodeNotification } from '../binding/decodeNotification.js';
import type { Registration } from '../lwm2m/Registration.js';
import type { ModelRegistry } from '../model/ModelRegistry.js';
import { tokenKey, type ObservationRecord } from '../store/ObservationStore.js';
import type { RegistrationStore } from '../store/RegistrationStore.js';
import type { NotificationEvent } from './Lwm2mServerEvents.js';
import { modelsFor } from './modelsFor.js';

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
    for (const record of await store.observations.byToken(res.message.token)) {
      const reg = await store.getById(record.registrationId);
      if (reg?.peer.key !== res.peer.key) continue; // RFC 7252 5.3.2: endpoint and token
      this.options.onHeard(reg);
      if (this.options.admit(reg)) this.decode(reg, record, res);
      return;
    }
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
