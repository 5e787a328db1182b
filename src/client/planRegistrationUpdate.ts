// LwM2M Core TS 1.1.1 section 6.2 (Register, Update): what a client sends when it registers and
// which parameters a Registration Update carries (only those that changed since the last
// successful Register/Update, section 6.2.2), and when the periodic update falls due.
import {
  formatRegistrationPayload,
  type RegisteredObject,
  type RegistrationObjects,
} from '../lwm2m/linkFormat.js';
import type { ObjectTree } from './ObjectTree.js';

/** The registration parameters of one server account as the client would send them. */
export interface RegistrationParams {
  readonly endpoint: string;
  /** Lifetime in seconds (Server resource 1). */
  readonly lifetime: number;
  /** Binding letters without Q, e.g. "U" (Server resource 7). */
  readonly binding: string;
  readonly lwm2mVersion: '1.0' | '1.1' | '1.2';
  readonly queueMode: boolean;
  readonly smsNumber?: string;
  /** The objects and instances the payload lists. */
  readonly objects: RegistrationObjects;
}

/** The parameters a Registration Update carries (binding/ UpdateParams); absent ones did not change. */
export interface UpdatePlan {
  readonly lifetime?: number;
  readonly binding?: string;
  readonly sms?: string;
  readonly objects?: RegistrationObjects;
}

/** Only what changed between the last parameters the server accepted and the current ones. */
export function planRegistrationUpdate(sent: RegistrationParams, current: RegistrationParams): UpdatePlan {
  const plan: { -readonly [K in keyof UpdatePlan]: UpdatePlan[K] } = {};
  if (sent.lifetime !== current.lifetime) plan.lifetime = current.lifetime;
  if (sent.binding !== current.binding) plan.binding = current.binding;
  if (sent.smsNumber !== current.smsNumber && current.smsNumber !== undefined) plan.sms = current.smsNumber;
  if (formatRegistrationPayload(sent.objects) !== formatRegistrationPayload(current.objects))
    plan.objects = current.objects;
  return plan;
}

/** CoAP MAX_TRANSMIT_WAIT with default parameters (RFC 7252 4.8.2), seconds. */
export const MAX_TRANSMIT_WAIT_S = 93;

/**
 * When to send the periodic Update, in ms after the last successful Register/Update. Policy: one
 * MAX_TRANSMIT_WAIT (93 s) before the lifetime ends, so that an Update with all its CoAP
 * retransmissions still lands in time, but never sooner than half the lifetime (short lifetimes).
 * A lifetime of 0 means no expiry (1.1 Server resource 1): no periodic update.
 */
export function updateDelayMs(lifetimeS: number): number | undefined {
  if (lifetimeS <= 0) return undefined;
  return Math.max(lifetimeS / 2, lifetimeS - MAX_TRANSMIT_WAIT_S) * 1000;
}

/**
 * The Register payload of the tree: objects with `ver` when not 1.0, and their instances (6.2.1).
 * A 1.0 client sends no `ver` at all: object versioning (`ver`) came with LwM2M 1.1 (Core TS 1.1.1
 * 6.2.2), and a 1.0 server reads every object as version 1.0.
 */
export function registrationObjectsOf(
  tree: ObjectTree,
  contentFormats: readonly number[] = [],
  lwm2mVersion: '1.0' | '1.1' | '1.2' = '1.1',
): RegistrationObjects {
  const objects = new Map<number, RegisteredObject>();
  for (const id of tree.objectIds()) {
    if (id === 0) continue; // the Security object is never announced (Core TS 6.2.1)
    const version = tree.getObject(id)!.version;
    objects.set(id, {
      ...(version !== '1.0' && lwm2mVersion !== '1.0' ? { version } : {}),
      instances: tree.instanceIds(id),
    });
  }
  return { rootPath: '/', objects, contentFormats };
}
