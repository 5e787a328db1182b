// LwM2M Core TS 1.1.1 section 6.2 (Client Registration Interface): what the server keeps about a
// registered client. Records are immutable and compact (target: at most 2 KiB of heap per client at 100k clients):
// plain data, no closures; the binding mode and the parsed payload are shared between records.
import type { Peer } from '../transport/Peer.js';
import type { BindingMode, Lwm2mVersion } from './bindingMode.js';
import type { RegistrationObjects } from './linkFormat.js';

/** Lifetime in seconds when the client sends no `lt` (Core TS section 6.2.1). */
export const DEFAULT_LIFETIME_S = 86_400;

/** `expiresAt` of a registration whose lifetime is infinite (`lt=0`, LwM2M 1.2 only). */
export const NEVER_EXPIRES = Number.MAX_SAFE_INTEGER;

/** A client's registration as the server holds it. Times are ms on the server's injected clock. */
export interface Registration {
  /** Unguessable registration id, the `{id}` of `/rd/{id}` (see registrationId.ts). */
  readonly id: string;
  /** Endpoint Client Name (`ep`). */
  readonly endpoint: string;
  /** Lifetime in seconds (`lt`); 0 means infinite (LwM2M 1.2). */
  readonly lifetime: number;
  /** LwM2M enabler version (`lwm2m`, "1.0" when absent). */
  readonly lwm2mVersion: Lwm2mVersion;
  /** Binding Mode (`b`), shared frozen object. */
  readonly binding: BindingMode;
  /** MSISDN for the SMS binding (`sms`). */
  readonly smsNumber?: string;
  /** Queue Mode: the `Q` parameter (1.1+) or the Q letter of the binding (1.0). */
  readonly queueMode: boolean;
  /** The parsed payload: root path, objects with versions and instances, content formats. Shared. */
  readonly objectLinks: RegistrationObjects;
  /** Where the client was last heard from, with its authenticated identity on secured transports. */
  readonly peer: Peer;
  /** When the Register was accepted. */
  readonly registeredAt: number;
  /** When the last Register or Update was accepted. */
  readonly lastUpdate: number;
  /** `lastUpdate + lifetime * 1000`, or NEVER_EXPIRES. */
  readonly expiresAt: number;
  /** Uri-Query parameters the specification does not define, by name (empty object when none). */
  readonly additionalAttributes: Readonly<Record<string, string>>;
}

/** One frozen empty attribute map shared by every registration that has none. */
export const NO_ADDITIONAL_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});

/** The expiry time for a registration refreshed at `now` with `lifetime` seconds. */
export function expiryOf(now: number, lifetime: number): number {
  return lifetime === 0 ? NEVER_EXPIRES : now + lifetime * 1000;
}

/** Object versions the client announced with `ver` (e.g. `</1>;ver=1.1` → 1 → "1.1"), for ModelRegistry.forVersions. */
export function objectVersions(reg: Registration): Map<number, string> {
  const versions = new Map<number, string>();
  for (const [id, obj] of reg.objectLinks.objects)
    if (obj.version !== undefined) versions.set(id, obj.version);
  return versions;
}

/** True when the registration has outlived its lifetime plus `graceMs` (Core TS section 6.2.2: soft state). */
export function isExpired(reg: Registration, now: number, graceMs = 0): boolean {
  return reg.expiresAt !== NEVER_EXPIRES && now > reg.expiresAt + graceMs;
}

/** True when the client announced at least one instance of `objectId`, or the object itself. */
export function supportsObject(reg: Registration, objectId: number): boolean {
  return reg.objectLinks.objects.has(objectId);
}
