// LwM2M Core TS 1.1.1 section 6.2 and Transport TS 1.1.1 section 6.3 (Client Registration
// Interface over CoAP, decoded by binding/fromUplinkRequest): Register (POST /rd?ep=..., answered 2.01 with Location-Path rd/{id}),
// Update (POST /rd/{id}, 2.04) and De-register (DELETE /rd/{id}, 2.02). A malformed request is
// answered 4.00 with a diagnostic payload (RFC 7252 5.5.2) and changes nothing; an unknown
// {id} is answered 4.04. Parsing is lwm2m/registrationRequest.ts; storage is the RegistrationStore.
import { Code, OptionNumber } from '../coap/CoapMessage.js';
import { encodeUint, locationPathOptions } from '../coap/options.js';
import type { WallClock } from '../coap/Clock.js';
import { renderError, type IncomingRequest, type OutgoingResponse } from '../coap/Router.js';
import { ContentFormat } from '../content/ContentFormat.js';
import { fromUplinkRequest } from '../binding/fromUplinkRequest.js';
import { REGISTRATION_PATH } from '../binding/uriPath.js';
import { BadRequestError, Lwm2mError } from '../lwm2m/errors.js';
import type { Registration } from '../lwm2m/Registration.js';
import { RegistrationPayloadCache } from '../lwm2m/RegistrationPayloadCache.js';
import {
  DEFAULT_REGISTRATION_LIMITS,
  applyUpdate,
  newRegistration,
  type RegisterRequest,
  type RegistrationRequestLimits,
  type UpdateRequest,
} from '../lwm2m/registrationRequest.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import type { RegistrationIdGenerator } from '../lwm2m/registrationId.js';
import type { RegistrationStore } from '../store/RegistrationStore.js';
import type {
  RegisteredEvent,
  RegistrationEndedEvent,
  RegistrationRejectedEvent,
  UpdatedEvent,
} from './Lwm2mServerEvents.js';
import { rejectedEvent } from './rejectedEvent.js';
import type { RegistrationAdmission } from './RegistrationAdmission.js';
import type { UplinkAuthorizer } from './UplinkAuthorizer.js';

/**
 * Max-Age of a 5.03 answered when the store cannot take a write (e.g. SqliteWriteError: disk
 * full): RFC 7252 5.9.3.4 has a 5.03 say in Max-Age after how many seconds to retry.
 */
export const STORE_RETRY_AFTER_S = 30;

/** The Uri-Path of the registration interface (Transport TS 6.3). */
export const RD_PATH = REGISTRATION_PATH;

/**
 * What the RegistrationService reports, each once its answer (2.01, 2.04, 2.02) has been handed to
 * the transport; `transport` is the index of the transport the request came in on.
 */
export interface RegistrationListener {
  registered(e: RegisteredEvent, transport: number): void;
  updated(e: UpdatedEvent, transport: number): void;
  deregistered(e: RegistrationEndedEvent): void;
  /** A registration request was answered with an error code (4.xx, 5.xx): nothing changed. */
  rejected?(e: RegistrationRejectedEvent): void;
}

/** Settings of a RegistrationService. */
export interface RegistrationServiceOptions {
  readonly store: RegistrationStore;
  /** The clock registration times are stamped with (wall-clock ms: records are stored). */
  readonly wallClock: WallClock;
  readonly ids: RegistrationIdGenerator;
  readonly limits?: Partial<RegistrationRequestLimits>;
  readonly listener: RegistrationListener;
  /** Models for the uplink context (registration payloads need none; kept for the binding's signature). */
  readonly models: ModelLookup;
  /** Bounds on registrations (count, bytes, rate per source); none when absent. */
  readonly admission?: RegistrationAdmission;
  /** Endpoint-name binding to the transport's authenticated identity; none when absent. */
  readonly authorizer?: UplinkAuthorizer;
}

const encoder = new TextEncoder();

/** Serves `/rd` and `/rd/{id}`. */
export class RegistrationService {
  private readonly limits: RegistrationRequestLimits;
  private readonly payloadCache = new RegistrationPayloadCache();

  constructor(private readonly options: RegistrationServiceOptions) {
    this.limits = { ...DEFAULT_REGISTRATION_LIMITS, ...options.limits };
  }

  /** Handles a request routed to `/rd...` that arrived on transport `transport`. */
  async handle(req: IncomingRequest, transport = 0): Promise<OutgoingResponse> {
    const res = await this.serve(req, transport);
    // A refusal by a bound (rate, count, size) is reported by its rate-limited `limit` event, so a
    // flood of them cannot become one `registrationRejected` (one log line) per datagram.
    if (res.code >= 0x80 && this.options.listener.rejected && !this.options.admission?.isLimitRefusal(res))
      this.options.listener.rejected(rejectedEvent(req, res));
    return res;
  }

  private async serve(req: IncomingRequest, transport: number): Promise<OutgoingResponse> {
    try {
      const id = req.path.length === 2 ? req.path[1] : undefined;
      // The cheapest refusal first: a Register over its source's rate is not even parsed.
      const limited =
        id === undefined && req.method === Code.POST
          ? this.options.admission?.checkRate(req.peer)
          : undefined;
      if (limited) return limited;
      this.checkPayload(req);
      const current = id === undefined ? undefined : await this.options.store.getById(id);
      const uplink = fromUplinkRequest(req, {
        models: this.options.models,
        limits: this.limits,
        payloadCache: this.payloadCache,
        registrationVersion: current && versionOf(current),
      });
      // Transport TS 5.2: the identity acting must be the endpoint's, before any store write.
      const actingFor = uplink.kind === 'register' ? uplink.request.endpoint : current?.endpoint;
      // (no `await` without an authorizer: awaiting undefined still costs a turn of the microtask queue)
      const { authorizer } = this.options;
      const denied =
        actingFor === undefined || !authorizer ? undefined : await authorizer.refusal(actingFor, req.peer);
      if (denied) return denied;
      switch (uplink.kind) {
        case 'register':
          return await this.register(uplink.request, transport);
        case 'update':
          return await this.update(req, uplink.registrationId, uplink.update, transport);
        case 'deregister':
          return await this.deregister(uplink.registrationId);
        default:
          return { code: Code.NOT_FOUND };
      }
    } catch (e) {
      const res = renderError(e);
      if (res.code !== Code.SERVICE_UNAVAILABLE) return res;
      const maxAge = { number: OptionNumber.MAX_AGE, value: encodeUint(STORE_RETRY_AFTER_S) };
      return { ...res, options: [...(res.options ?? []), maxAge] };
    }
  }

  private async register(parsed: RegisterRequest, transport: number): Promise<OutgoingResponse> {
    const registration = newRegistration(parsed, this.options.ids(), this.options.wallClock.now());
    const admission = this.options.admission;
    const refused = admission?.checkSize(registration, registration.peer);
    if (refused) return refused;
    const added = admission
      ? await admission.admit(registration, () => this.options.store.add(registration))
      : await this.options.store.add(registration);
    if ('code' in added) return added;
    const { previous, droppedObservations } = added;
    // (encoded in JavaScript: TextEncoder's call costs more than the id's 14 characters, issue 17)
    const location = locationPathOptions([RD_PATH, registration.id]);
    // Listeners run once the 2.01 is on its way: a request they send reaches a client that has
    // its registration answered (Core TS 1.1.1 6.2.1: operations follow a successful Register).
    const event = { registration, previous, droppedObservations };
    return {
      code: Code.CREATED,
      options: location,
      afterSend: announce(this.options.listener, 'registered', event, transport),
    };
  }

  private async update(
    req: IncomingRequest,
    id: string,
    update: UpdateRequest,
    transport: number,
  ): Promise<OutgoingResponse> {
    const now = this.options.wallClock.now();
    let refused: OutgoingResponse | undefined;
    const result = await this.options.store
      .update(id, (reg: Registration) => {
        const next = applyUpdate(reg, update, req.peer, now);
        // New links over the byte bound: 4.13 and the registration stays as it was.
        refused =
          next.objectLinks === reg.objectLinks
            ? undefined
            : this.options.admission?.checkSize(next, req.peer);
        if (refused) throw new RefusedUpdate();
        return next;
      })
      .catch((e: unknown) => {
        if (e instanceof RefusedUpdate) return undefined;
        throw e;
      });
    if (refused) return refused;
    if (!result) return notFound(id);
    const event = { registration: result.current, previous: result.previous, update };
    // After the 2.04 (Core TS 1.1.1 6.5, Queue Mode): the requests held for a sleeping client
    // follow the answer to the Update that woke it.
    return { code: Code.CHANGED, afterSend: announce(this.options.listener, 'updated', event, transport) };
  }

  private async deregister(id: string): Promise<OutgoingResponse> {
    const { removed, droppedObservations } = await this.options.store.remove(id);
    if (!removed) return notFound(id);
    const event = { registration: removed, droppedObservations };
    return { code: Code.DELETED, afterSend: announce(this.options.listener, 'deregistered', event, 0) };
  }

  /** Server policy before decoding: 4.00 for a body that is not link format, 4.13 when too large. */
  private checkPayload(req: IncomingRequest): void {
    if (req.payload.length === 0) return;
    if (req.contentFormat !== undefined && req.contentFormat !== ContentFormat.LINK)
      throw new BadRequestError(`payload must be application/link-format (40), not ${req.contentFormat}`);
    // UTF-8 needs at least one byte per character: count bytes first, then characters.
    const max = this.limits.maxPayloadLength;
    if (req.payload.length > max && Buffer.from(req.payload).toString('utf8').length > max)
      throw tooLarge(max);
  }
}

// The two helpers below return their closures rather than have them written in an object literal:
// a closure written as `afterSend: () => ...` gets a name, which under tsx (esbuild's keepNames, as
// `npm start` and the benchmarks run) costs an Object.defineProperty per request (issue 17: 3% of
// a Register's CPU).

/** The version of `current` for the registration id the binding asks about. */
function versionOf(current: Registration): (id: string) => Registration['lwm2mVersion'] | undefined {
  return (id) => (id === current.id ? current.lwm2mVersion : undefined);
}

/** Tells `listener` of `event` once the answer is on its way. */
function announce<K extends 'registered' | 'updated' | 'deregistered'>(
  listener: RegistrationListener,
  kind: K,
  event: Parameters<RegistrationListener[K]>[0],
  transport: number,
): () => void {
  return () => (listener[kind] as (e: typeof event, t: number) => void)(event, transport);
}

/** Thrown out of a store updater to leave the registration unchanged. */
class RefusedUpdate extends Error {}

function notFound(id: string): OutgoingResponse {
  return { code: Code.NOT_FOUND, payload: encoder.encode(`no registration ${id.slice(0, 40)}`) };
}

/** RFC 7252 5.9.2.9: 4.13 Request Entity Too Large. */
function tooLarge(max: number): Lwm2mError {
  return new Lwm2mError(
    `payload over the limit of ${max} characters`,
    'LWM2M_REQUEST_ENTITY_TOO_LARGE',
    Code.REQUEST_ENTITY_TOO_LARGE,
  );
}
