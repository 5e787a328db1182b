// LwM2M Core TS 1.1.1 section 6.2.1 (Register parameters and payload) as the JSON of
// GET /api/clients: one registration with its endpoint, lifetime, binding and announced objects.
import { NEVER_EXPIRES, type Registration } from '../lwm2m/Registration.js';
import type { PeerIdentity } from '../transport/Peer.js';
import { formatName } from './formatNames.js';

/** One announced object: id, version when stated, instance ids. */
export interface RegisteredObjectJson {
  readonly id: number;
  readonly version?: string;
  readonly instances: readonly number[];
}

/** A registration as JSON. Times are ISO 8601 wall-clock times. */
export interface RegistrationJson {
  readonly endpoint: string;
  readonly registrationId: string;
  readonly lwm2mVersion: string;
  /** Seconds; 0 = infinite (1.2). */
  readonly lifetime: number;
  readonly binding: string;
  readonly queueMode: boolean;
  readonly smsNumber?: string;
  readonly address: string;
  readonly port: number;
  readonly identity?: IdentityJson;
  readonly rootPath: string;
  readonly objects: readonly RegisteredObjectJson[];
  /** Announced content formats by name (`ct`, 1.1). */
  readonly contentFormats: readonly string[];
  readonly registeredAt: string;
  readonly lastUpdate: string;
  /** null when the lifetime is infinite. */
  readonly expiresAt: string | null;
  readonly additionalAttributes: Readonly<Record<string, string>>;
}

/** The identity the DTLS handshake authenticated; keys are public, never secret. */
export type IdentityJson =
  | { readonly kind: 'psk'; readonly identity: string }
  | { readonly kind: 'rpk'; readonly publicKey: string }
  | {
      readonly kind: 'x509';
      readonly subject: string;
      readonly commonName?: string;
      readonly subjectAltNames?: readonly string[];
    };

function identityJson(id: PeerIdentity): IdentityJson {
  switch (id.kind) {
    case 'psk':
      return { kind: 'psk', identity: id.identity };
    case 'rpk':
      // hex, as /api/security answers the same key: one encoding to compare them by
      return { kind: 'rpk', publicKey: Buffer.from(id.publicKey).toString('hex') };
    case 'x509':
      return {
        kind: 'x509',
        subject: id.subject,
        ...(id.commonName === undefined ? {} : { commonName: id.commonName }),
        ...(id.subjectAltNames === undefined ? {} : { subjectAltNames: [...id.subjectAltNames] }),
      };
  }
}

/**
 * The JSON of a registration. `clockNow` is the server clock's current time and `wallNow` the
 * wall clock's (Date.now()): registration times are on the server clock and are shifted by their
 * difference to become wall-clock ISO times.
 */
export function registrationToJson(reg: Registration, clockNow: number, wallNow: number): RegistrationJson {
  const iso = (t: number): string => new Date(Math.round(t - clockNow + wallNow)).toISOString();
  const objects = [...reg.objectLinks.objects]
    .sort(([a], [b]) => a - b)
    .map(([id, o]) =>
      o.version === undefined
        ? { id, instances: o.instances }
        : { id, version: o.version, instances: o.instances },
    );
  return {
    endpoint: reg.endpoint,
    registrationId: reg.id,
    lwm2mVersion: reg.lwm2mVersion,
    lifetime: reg.lifetime,
    binding: reg.binding.raw,
    queueMode: reg.queueMode,
    ...(reg.smsNumber === undefined ? {} : { smsNumber: reg.smsNumber }),
    address: reg.peer.address,
    port: reg.peer.port,
    ...(reg.peer.identity === undefined ? {} : { identity: identityJson(reg.peer.identity) }),
    rootPath: reg.objectLinks.rootPath,
    objects,
    contentFormats: reg.objectLinks.contentFormats.map(formatName),
    registeredAt: iso(reg.registeredAt),
    lastUpdate: iso(reg.lastUpdate),
    expiresAt: reg.expiresAt === NEVER_EXPIRES ? null : iso(reg.expiresAt),
    additionalAttributes: reg.additionalAttributes,
  };
}
