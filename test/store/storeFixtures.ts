// Builders shared by the store contract suites: registrations and observations with chosen fields.
import { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import type { Registration } from '../../src/lwm2m/Registration.js';
import { newRegistration, parseRegisterRequest } from '../../src/lwm2m/registrationRequest.js';
import type { ObservationRecord } from '../../src/store/ObservationStore.js';
import { makePeer, type PeerIdentity } from '../../src/transport/Peer.js';

/** Fields a test may choose for a registration. */
export interface RegistrationFixture {
  id: string;
  endpoint: string;
  address?: string;
  port?: number;
  lifetime?: number;
  /** LwM2M version (default 1.1). */
  lwm2m?: string;
  now?: number;
  query?: string[];
  payload?: string;
  /** The identity a DTLS handshake authenticated (none: plain UDP). */
  identity?: PeerIdentity;
}

/** A registration built the way the server builds one (parse, then newRegistration). */
export function makeRegistration(f: RegistrationFixture): Registration {
  const peer = makePeer(f.address ?? '192.0.2.1', f.port ?? 5683, f.identity);
  const query = [
    `ep=${f.endpoint}`,
    `lt=${f.lifetime ?? 60}`,
    `lwm2m=${f.lwm2m ?? '1.1'}`,
    ...(f.query ?? []),
  ];
  const req = parseRegisterRequest(query, f.payload ?? '</1/0>,</3/0>,</3303/0>', peer);
  return newRegistration(req, f.id, f.now ?? 0);
}

/** An observation of `paths` (strings) on `registrationId` with a token of the given bytes. */
export function makeObservation(
  registrationId: string,
  token: number[],
  paths: string[] = ['/3/0/9'],
  kind: 'single' | 'composite' = 'single',
  createdAt = 0,
): ObservationRecord {
  return {
    registrationId,
    token: Uint8Array.from(token),
    kind,
    paths: paths.map((p) => Lwm2mPath.parse(p)),
    createdAt,
  };
}

/** A plain comparable view of a registration: undefined fields dropped, the peer reduced to its data. */
export function comparable(reg: Registration | undefined): unknown {
  if (!reg) return reg;
  const { peer, binding, additionalAttributes, ...rest } = reg;
  const entries = Object.entries(rest).filter(([, v]) => v !== undefined);
  return {
    ...Object.fromEntries(entries),
    peer: { address: peer.address, port: peer.port, key: peer.key, identity: peer.identity },
    binding: { ...binding },
    additionalAttributes: { ...additionalAttributes },
  };
}

/** A comparable view of an observation (token as hex, paths as strings). */
export function comparableObservation(obs: ObservationRecord | undefined): unknown {
  if (!obs) return obs;
  const { token, paths, ...rest } = obs;
  const entries = Object.entries(rest).filter(([, v]) => v !== undefined);
  return {
    ...Object.fromEntries(entries),
    token: Buffer.from(token).toString('hex'),
    paths: paths.map(String),
  };
}
