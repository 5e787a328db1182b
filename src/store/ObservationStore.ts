// LwM2M Core TS 1.1.1 section 6.4 (Information Reporting: Observe, Observe-Composite, Cancel) and
// RFC 7641 section 3: the observations a server holds, keyed by registration and CoAP token.
// Writes return what changed (STYLE.md pattern 10); one contract suite proves every implementation.
import type { Attributes } from '../lwm2m/attributes.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';

/** One observation relation the server started on a registered client. */
export interface ObservationRecord {
  /** The registration the observation belongs to; dropped with it. */
  readonly registrationId: string;
  /** The CoAP token of the Observe request (and of every notification). */
  readonly token: Uint8Array;
  /** `single` (Observe, one path) or `composite` (Observe-Composite, LwM2M 1.1, one or more paths). */
  readonly kind: 'single' | 'composite';
  /** The observed paths, in request order. */
  readonly paths: readonly Lwm2mPath[];
  /** The Content-Format notifications are expected in, when the server asked for one. */
  readonly contentFormat?: number;
  /** The attributes in force when the observation started (informative). */
  readonly attributes?: Attributes;
  /** When the observation was accepted, ms on the server's clock. */
  readonly createdAt: number;
}

/** What ObservationStore.add changed. */
export interface ObservationAddResult {
  /**
   * Observations the new one replaced: the one with the same token, and any of the same
   * registration, kind and paths (a new Observe on the same target supersedes the old relation).
   */
  readonly replaced: readonly ObservationRecord[];
}

/** Observations by registration and token. Every method is async so remote stores fit. */
export interface ObservationStore {
  /** Stores `obs`, replacing any it supersedes. */
  add(obs: ObservationRecord): Promise<ObservationAddResult>;
  /** The observation with this token on this registration. */
  get(registrationId: string, token: Uint8Array): Promise<ObservationRecord | undefined>;
  /**
   * Every observation whose token is `token`, whatever its registration (a notification may come
   * from a new address, e.g. after a restart or a NAT rebinding; RFC 7641 3.2 matches by token).
   */
  byToken(token: Uint8Array): Promise<ObservationRecord[]>;
  /** Every observation of a registration, oldest first. */
  byRegistration(registrationId: string): Promise<ObservationRecord[]>;
  /** Removes one observation; returns it, or undefined when there was none. */
  remove(registrationId: string, token: Uint8Array): Promise<ObservationRecord | undefined>;
  /** Removes every observation of a registration; returns them. */
  removeByRegistration(registrationId: string): Promise<ObservationRecord[]>;
  /** Number of observations held. */
  size(): Promise<number>;
}

/** A stable string key for a token (lowercase hex). */
export function tokenKey(token: Uint8Array): string {
  return Buffer.from(token.buffer, token.byteOffset, token.byteLength).toString('hex');
}

/** A key naming what an observation targets: its kind and paths (two equal keys supersede each other). */
export function observationTargetKey(obs: Pick<ObservationRecord, 'kind' | 'paths'>): string {
  return `${obs.kind}:${obs.paths.map((p) => p.toString()).join(',')}`;
}
