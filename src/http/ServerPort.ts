// LwM2M Core TS 1.1.1 sections 5.4, 5.5 and 6 as the REST API needs them: the narrow port through
// which http/ reaches an LwM2M server (STYLE.md 4). Everything it offers is a library call of the
// server role; the role satisfies it directly or through a small adapter, so http/ never imports it.
import type { ResponseFor } from '../binding/toLwm2mResponse.js';
import type { TimestampedNodes } from '../lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { Registration } from '../lwm2m/Registration.js';
import type { DownlinkRequest, ObserveCompositeRequest, ObserveRequest } from '../lwm2m/requests.js';
import type { CompositeContentResponse, ContentResponse, Notification } from '../lwm2m/responses.js';
import type { ModelRegistry } from '../model/ModelRegistry.js';
import type { ModelLookup } from '../model/ObjectModel.js';
import type { RegistrationPage, RegistrationPageQuery } from '../store/RegistrationPage.js';
import type { QueuedRequestRecord, QueuedRequestStatus } from '../store/QueuedRequestStore.js';
import type { CoapMessageEntry, CoapMessageLogStats } from '../server/CoapMessageLog.js';

/** Per-request settings the REST API passes through. */
export interface PortSendOptions {
  /** Overall deadline in ms (covers time queued for a sleeping Queue Mode client). */
  readonly timeoutMs?: number;
  /** Called with the id of the stored entry when the request is queued for a sleeping client. */
  readonly onQueued?: (id: string) => void;
}

/** What cancelling a queued request did: cancelled it, or not, with the entry's status (none: unknown id). */
export type QueuedCancelResult =
  { readonly cancelled: true } | { readonly cancelled: false; readonly status?: QueuedRequestStatus };

/** The outcome of starting an observation. `id` is set only when the client accepted it. */
export interface ObservationStart {
  /** A stable id of the observation (e.g. its token in hex), echoed in `notification` events. */
  readonly id?: string;
  readonly response: ContentResponse | CompositeContentResponse;
}

/** What an observation targets: one path (Observe) or a list of paths (Observe-Composite). */
export interface ObservationTarget {
  readonly kind: 'single' | 'composite';
  readonly paths: readonly Lwm2mPath[];
}

/** An observation the server holds on a client, as the REST API lists it (Core TS 6.4). */
export interface ObservationInfo {
  /** The id `startObservation` returned (the token in hex), echoed in `notification` events. */
  readonly id: string;
  readonly kind: 'single' | 'composite';
  readonly paths: readonly Lwm2mPath[];
  /** The Content-Format asked for, if any. */
  readonly contentFormat?: number;
  /** When the client accepted it, wall-clock ms. */
  readonly createdAt: number;
  /** Started by a previous run of the server (kept in its store): cancelling it is passive only. */
  readonly restored: boolean;
}

/** A registration lifecycle event (Core TS 6.2) or a Queue Mode transition (Transport TS 1.1.1 section 7). */
export interface RegistrationEvent {
  readonly type: 'registered' | 'updated' | 'deregistered' | 'expired' | 'sleeping' | 'awake';
  readonly endpoint: string;
  readonly registration: Registration;
}

/** A notification of an observation (Core TS 6.4.2). */
export interface NotificationServerEvent {
  readonly type: 'notification';
  readonly endpoint: string;
  /** The id `startObservation` returned, when known. */
  readonly observationId?: string;
  readonly kind: 'single' | 'composite';
  readonly paths: readonly Lwm2mPath[];
  readonly notification: Notification;
}

/** Data a client pushed with the Send operation (Core TS 6.4.7, 1.1). */
export interface SendServerEvent {
  readonly type: 'send';
  readonly endpoint: string;
  readonly data: readonly TimestampedNodes[];
  readonly format?: number;
}

/**
 * A request held for a sleeping client reached a final status (Transport TS 1.1.1 section 6.5;
 * issue 14 item 4), also one re-armed after a restart. The SSE data carries the record's id,
 * status and target, never its payload nor the read content (GET .../queue/{id} has the result).
 */
export interface QueuedRequestServerEvent {
  readonly type: 'queuedRequestDone';
  readonly endpoint: string;
  readonly record: QueuedRequestRecord;
}

/** A CoAP message to or from a client whose messages are watched (issue 16 item 3). */
export interface CoapMessageServerEvent {
  readonly type: 'coapMessage';
  readonly endpoint: string;
  readonly entry: CoapMessageEntry;
}

/** The outcome of watching a client's CoAP messages. */
export type MessageWatchResult =
  | { readonly status: 'watching'; readonly expiresInMs: number; readonly entriesPerEndpoint: number }
  | { readonly status: 'unknown endpoint' }
  | { readonly status: 'too many watches'; readonly maxWatched: number };

/** Every event the REST API streams at GET /api/events. */
export type ServerEvent =
  | RegistrationEvent
  | NotificationServerEvent
  | SendServerEvent
  | QueuedRequestServerEvent
  | CoapMessageServerEvent;

/** The event names, as SSE `event:` fields. */
export const SERVER_EVENT_TYPES: readonly ServerEvent['type'][] = Object.freeze([
  'registered',
  'updated',
  'deregistered',
  'expired',
  'sleeping',
  'awake',
  'notification',
  'send',
  'queuedRequestDone',
  'coapMessage',
]);

/**
 * What the REST API needs from an LwM2M server. Every method resolves to data: an LwM2M error or
 * a local failure (timeout, sleeping, deregistered) is a response with `ok: false`, never a
 * rejection; a rejection is a bug and renders as HTTP 500.
 */
export interface ServerPort {
  /** One page of the current registrations (RegistrationStore.page): never the whole registry at once. */
  pageRegistrations(query: RegistrationPageQuery): Promise<RegistrationPage>;
  /** The registration of `endpoint`, or undefined when it is not registered. */
  getRegistration(endpoint: string): Promise<Registration | undefined>;
  /**
   * Sends a request to a registered client. An endpoint that is not (or no longer) registered
   * answers `{ ok: false, code: 0, failure: 'deregistered' }`.
   */
  send<R extends DownlinkRequest>(
    endpoint: string,
    request: R,
    options?: PortSendOptions,
  ): Promise<ResponseFor<R>>;
  /** Starts an Observe or Observe-Composite; `id` is set when the client accepted it. */
  startObservation(
    endpoint: string,
    request: ObserveRequest | ObserveCompositeRequest,
    options?: PortSendOptions,
  ): Promise<ObservationStart>;
  /**
   * Cancels the observations of `endpoint` on exactly `target`; `active` also tells the client
   * (Cancel Observation, Core TS 5.5.3), otherwise the next notification is answered with RST.
   * One restored from a previous run is cancelled passively whatever `active`.
   * Resolves to the number of observations cancelled.
   */
  cancelObservation(
    endpoint: string,
    target: ObservationTarget,
    options?: { active?: boolean },
  ): Promise<number>;
  /** The observations of `endpoint`, oldest first, or undefined when it is not registered. */
  listObservations?(endpoint: string): Promise<readonly ObservationInfo[] | undefined>;
  /** The object models a registration's payloads are typed by (its announced object versions). */
  modelsFor(registration: Registration): ModelLookup;
  /** The server's model registry: listed by GET /api/models, extended by DDF uploads (modelRoutes.ts). */
  readonly models?: ModelRegistry;
  /** Subscribes to server events; returns the unsubscribe function. */
  subscribe(listener: (event: ServerEvent) => void): () => void;
  /** False while `registration` is a sleeping Queue Mode client (requests to it wait in its queue). */
  isAwake?(registration: Registration): boolean;
  /** The server clock's `now()` (Registration times are on it). Default: Date.now, i.e. wall time. */
  now?(): number;
  /** Requests held for sleeping client `endpoint` (pending and recent finished ones), newest first. */
  queuedRequests?(endpoint: string, limit?: number): Promise<QueuedRequestRecord[]>;
  /** One held request by id. */
  queuedRequest?(id: string): Promise<QueuedRequestRecord | undefined>;
  /** Cancels a held request still queued. */
  cancelQueuedRequest?(id: string): Promise<QueuedCancelResult>;
  /** Starts or renews recording the CoAP messages of registered client `endpoint` (bounded, expires). */
  watchMessages?(endpoint: string): Promise<MessageWatchResult>;
  /** Stops recording `endpoint`'s messages and drops them; false when they were not recorded. */
  unwatchMessages?(endpoint: string): boolean;
  /** The recorded messages of `endpoint`, oldest first; undefined when it is not watched. */
  messages?(endpoint: string): readonly CoapMessageEntry[] | undefined;
  /** Drops the recorded messages of `endpoint` (the watch goes on); false when it is not watched. */
  clearMessages?(endpoint: string): boolean;
  /** Counters of the message log. */
  messageLogStats?(): CoapMessageLogStats;
}
