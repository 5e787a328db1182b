// LwM2M Core TS 1.1.1 sections 6.2 (registration lifecycle), 6.4 / 6.5 (notifications, Send) and
// Transport TS 1.1.1 Queue Mode: the typed events of an Lwm2mServer (STYLE.md 12), as the
// `EventEmitter<Lwm2mServerEvents>` event map (each value is the listener's argument list).
import type { Registration } from '../lwm2m/Registration.js';
import type { UpdateRequest } from '../lwm2m/registrationRequest.js';
import type { Notification } from '../lwm2m/responses.js';
import type { TimestampedNodes } from '../lwm2m/Lwm2mNode.js';
import type { ObservationRecord } from '../store/ObservationStore.js';
import type { LimitEvent } from './LimitCounters.js';
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
  /** A failure inside the server that has no caller to report to (e.g. a store write failed). */
  warning: [Error];
  /**
   * A bound refused or dropped something (README "Limits"); at most one event per limit per
   * `limits.limitEventIntervalMs`, carrying the hits since the previous one.
   */
  limit: [LimitEvent<ServerLimitName>];
}
