// LwM2M Core TS 1.1.1 sections 6.2 (registration lifecycle), 6.4 / 6.5 (notifications, Send) and
// Transport TS 1.1.1 Queue Mode: the typed events of an Lwm2mServer (STYLE.md 12), as the
// `EventEmitter<Lwm2mServerEvents>` event map (each value is the listener's argument list).
import type { QueuedRequestRecord } from '../store/QueuedRequestStore.js';
import type { Registration } from '../lwm2m/Registration.js';
import type { UpdateRequest } from '../lwm2m/registrationRequest.js';
import type { Notification, ResponseBase } from '../lwm2m/responses.js';
import type { DownlinkRequest } from '../lwm2m/requests.js';
import type { TimestampedNodes } from '../lwm2m/Lwm2mNode.js';
import type { ObservationRecord } from '../store/ObservationStore.js';
import type { LimitEvent } from '../binding/LimitCounters.js';
import type { ServerLimitName } from './ServerLimits.js';

/** A client registered; `previous` is the registration of the same endpoint it replaced. */
export interface RegisteredEvent {
  readonly registration: Registration;
  readonly previous?: Registration;
  /** Observations of `previous`, dropped with it. */
  readonly droppedObservations: readonly ObservationRecord[];
}

/** A client updated its registration (new lifetime, binding, objects or address). */
export interface UpdatedEvent {
  readonly registration: Registration;
  readonly previous: Registration;
  /** The parameters the client sent (only the changed ones, Core TS 6.2.2). */
  readonly update: UpdateRequest;
}

/** A registration ended: de-registered by the client, or expired (lifetime plus grace passed). */
export interface RegistrationEndedEvent {
  readonly registration: Registration;
  readonly droppedObservations: readonly ObservationRecord[];
}

/** A notification of an observation, decoded against the client's object models. */
export interface NotificationEvent {
  readonly registration: Registration;
  readonly observation: ObservationRecord;
  readonly notification: Notification;
}

/** Data a client sent with the Send operation (POST /dp, Core TS 6.4.7 / 1.1). */
export interface SendEvent {
  readonly registration: Registration;
  /** The records grouped by timestamp, in payload order. */
  readonly data: readonly TimestampedNodes[];
  readonly format: number;
}

/** A Queue Mode client became reachable or went to sleep. */
export interface QueueModeEvent {
  readonly registration: Registration;
}

/** A Register, Update or De-register answered with an error code; the request changed nothing. */
export interface RegistrationRejectedEvent {
  readonly operation: 'register' | 'update' | 'deregister';
  /** The `ep` query parameter of a Register (as sent, at most 64 characters), else undefined. */
  readonly endpoint?: string;
  /** The registration id of an Update or De-register (at most 64 characters). */
  readonly registrationId?: string;
  readonly address: string;
  readonly port: number;
  /** The CoAP response code sent, e.g. 0x80 for 4.00. */
  readonly code: number;
  /** Why: the diagnostic payload sent (RFC 7252 5.5.2), or the code's meaning. */
  readonly reason: string;
}

/** A downlink request (an operation method, `send`, or the Observe of `observe`) was answered, or failed locally. */
export interface ResponseEvent {
  readonly request: DownlinkRequest;
  readonly response: ResponseBase;
}

/**
 * A request held for a sleeping client reached a final status (also one re-armed after a restart,
 * which has no caller). Emitted on the turn after the store write, so a listener added right after
 * `await Lwm2mServer.start()` sees the entries settled at start too.
 */
export interface QueuedRequestDoneEvent {
  readonly record: QueuedRequestRecord;
}

/** Events of an Lwm2mServer, by name. */
export interface Lwm2mServerEvents {
  registered: [RegisteredEvent];
  updated: [UpdatedEvent];
  deregistered: [RegistrationEndedEvent];
  expired: [RegistrationEndedEvent];
  notification: [NotificationEvent];
  send: [SendEvent];
  awake: [QueueModeEvent];
  sleeping: [QueueModeEvent];
  queuedRequestDone: [QueuedRequestDoneEvent];
  /** A registration request refused (malformed, over a limit, unknown id): one per request. */
  registrationRejected: [RegistrationRejectedEvent];
  /** A downlink request was answered or failed (for metrics): once per `send`, and per observe for its first answer. */
  response: [ResponseEvent];
  /** A failure inside the server that has no caller to report to (e.g. a store write failed). */
  warning: [Error];
  /**
   * A bound refused or dropped something (README "Limits"); at most one event per limit per
   * `limits.limitEventIntervalMs`, carrying the hits since the previous one.
   */
  limit: [LimitEvent<ServerLimitName>];
}
