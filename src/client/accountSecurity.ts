// LwM2M Core TS 1.1.1 Appendix E.1 (Security object) with Transport TS 1.1.1 5.2: how a client
// secures the exchanges of one account. Resource 2, Security Mode, says which credentials the
// instance holds: 0 PSK (resource 3 the PSK identity, resource 5 the key), 1 RPK, 2 certificate,
// 3 NoSec, 4 certificate with EST. This client speaks NoSec to coap:// URIs and DTLS with PSK, a
// raw public key or a certificate (certificateCredentials.ts) to coaps:// ones; any other pairing
// or unusable key material is refused with UnusableSecurityError (at start-up and before a
// Register) or a 4.06 Bootstrap-Finish (checkBootstrapConsistency), never spoken in plain text.
import type { DtlsClientCertificate, DtlsClientPsk } from '../transport/dtls/DtlsTransportOptions.js';
import type { Peer } from '../transport/Peer.js';
import type { ObjectInstance } from './ObjectInstance.js';
import type { ObjectTree } from './ObjectTree.js';
import { peerOfUri } from './coapRegistrationPort.js';
import { schemeOf } from './transportSchemes.js';
import {
  certificateResources,
  clientCertificateOf,
  materialKey,
  SECURITY_MODE_CERTIFICATE,
  SECURITY_MODE_RPK,
  type CertificateResources,
  type ClientCertificateConfig,
} from './certificateCredentials.js';

/** Security Modes (resource 2) this client can use: 0 PSK, 1 RPK, 2 certificate and 3 NoSec. */
export const SUPPORTED_SECURITY_MODES: readonly number[] = Object.freeze([0, 1, 2, 3]);

/** Security Mode 0 (Pre-Shared Key). */
export const SECURITY_MODE_PSK = 0;
/** Security Mode 3 (NoSec). */
export const SECURITY_MODE_NOSEC = 3;

const MODE_NAMES = ['PSK', 'RPK', 'certificate', 'NoSec', 'certificate with EST'];

/** An account whose Security instance this client cannot use as it stands. */
export class UnusableSecurityError extends Error {
  readonly code = 'LWM2M_UNUSABLE_SECURITY';
  constructor(message: string) {
    super(message);
    this.name = 'UnusableSecurityError';
  }
}

/** What the Security instance says about how to reach its server (the key stays inside). */
export interface AccountSecurity {
  readonly uri: string | undefined;
  readonly mode: number | undefined;
  /** /0/x/3: PSK identity, our raw public key or our certificate(s). */
  readonly identity: Uint8Array;
  /** /0/x/4: the server's raw public key or certificate (modes 1 and 2). */
  readonly serverPublicKey: Uint8Array;
  readonly secretKey: Uint8Array;
  /** /0/x/15: Certificate Usage (mode 2); undefined when absent. */
  readonly certificateUsage: number | undefined;
}

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8', { fatal: true });

function resource(inst: ObjectInstance, id: number): unknown {
  const r = inst.read(id);
  return r?.kind === 'resource' ? r.value.value : undefined;
}

const numberOf = (v: unknown): number | undefined =>
  typeof v === 'number' || typeof v === 'bigint' ? Number(v) : undefined;
const bytesOf = (v: unknown): Uint8Array => (v instanceof Uint8Array ? v : EMPTY);

/** Reads resources 0, 2, 3, 4, 5 and 15 of a Security instance. */
export function accountSecurityOf(inst: ObjectInstance): AccountSecurity {
  const uri = resource(inst, 0);
  return {
    uri: typeof uri === 'string' ? uri : undefined,
    mode: numberOf(resource(inst, 2)),
    identity: bytesOf(resource(inst, 3)),
    serverPublicKey: bytesOf(resource(inst, 4)),
    secretKey: bytesOf(resource(inst, 5)),
    certificateUsage: numberOf(resource(inst, 15)),
  };
}

/** True for Security Modes 1 (RPK) and 2 (certificate). */
const isCertificateMode = (mode: number | undefined): boolean =>
  mode === SECURITY_MODE_RPK || mode === SECURITY_MODE_CERTIFICATE;

/**
 * The raw public key or certificate credentials of an account in mode 1 or 2; throws
 * CertificateMaterialError naming the resource when they cannot be used.
 */
export function certificateOfAccount(
  s: AccountSecurity,
  trustAnchors?: readonly Uint8Array[],
): DtlsClientCertificate {
  return clientCertificateOf(certificateResourcesOf(s), trustAnchors);
}

/** The resources of `s` that make certificate credentials. */
function certificateResourcesOf(s: AccountSecurity): CertificateResources {
  return {
    mode: s.mode ?? SECURITY_MODE_NOSEC,
    uri: s.uri ?? '',
    publicKeyOrIdentity: s.identity,
    serverPublicKey: s.serverPublicKey,
    secretKey: s.secretKey,
    ...(s.certificateUsage !== undefined ? { certificateUsage: s.certificateUsage } : {}),
  };
}

/** The PSK identity as a string: RFC 4279 5.1 sends it UTF-8 encoded; undefined when it is not. */
export function pskIdentityText(identity: Uint8Array): string | undefined {
  try {
    return utf8.decode(identity);
  } catch {
    return undefined;
  }
}

/** Why this client cannot use the account's security, or undefined when it can. */
export function securityProblem(s: AccountSecurity): string | undefined {
  if (s.uri === undefined) return undefined; // no URI: the scheme checks report it
  const scheme = schemeOf(s.uri);
  const mode = s.mode ?? SECURITY_MODE_NOSEC;
  const name = MODE_NAMES[mode] ?? `${mode}`;
  if (!SUPPORTED_SECURITY_MODES.includes(mode))
    return `security mode ${mode} (${name}) is not supported (only 0 PSK, 1 RPK, 2 certificate and 3 NoSec)`;
  const secured = scheme === 'coaps' || scheme === 'coaps+tcp';
  if (mode === SECURITY_MODE_NOSEC && secured)
    return `${s.uri.slice(0, 80)} is a secured URI but the security mode is 3 (NoSec)`;
  if (mode !== SECURITY_MODE_NOSEC && !secured)
    return `security mode ${mode} (${name}) needs a coaps:// URI, not ${s.uri.slice(0, 80)}`;
  if (isCertificateMode(mode)) {
    try {
      certificateOfAccount(s);
    } catch (e) {
      return `security mode ${mode} (${name}): ${(e as Error).message}`;
    }
  }
  if (mode === SECURITY_MODE_PSK) {
    if (s.identity.length === 0) return 'security mode 0 (PSK) without a PSK identity (resource 3)';
    if (pskIdentityText(s.identity) === undefined) return 'the PSK identity (resource 3) is not UTF-8';
    if (s.secretKey.length === 0) return 'security mode 0 (PSK) without a key (resource 5)';
  }
  return undefined;
}

/** Security instance settings (securityInstance) for a PSK account; none without `psk`. */
export function pskResources(psk: DtlsClientPsk | undefined): {
  securityMode?: number;
  identity?: Uint8Array;
  secretKey?: Uint8Array;
} {
  if (!psk) return {};
  return {
    securityMode: SECURITY_MODE_PSK,
    identity: new TextEncoder().encode(psk.identity),
    secretKey: Uint8Array.from(psk.key),
  };
}

/**
 * Security instance settings (securityInstance) for an account with `psk` (mode 0) or
 * `certificate` (mode 1 or 2) credentials, or none (NoSec); throws UnusableSecurityError with both.
 */
export function credentialResources(
  psk: DtlsClientPsk | undefined,
  certificate: ClientCertificateConfig | undefined,
  what: string,
): ReturnType<typeof pskResources> & { serverPublicKey?: Uint8Array; certificateUsage?: number } {
  if (psk && certificate) throw new UnusableSecurityError(`${what}: give psk or certificate, not both`);
  return certificate ? certificateResources(certificate) : pskResources(psk);
}

/** Throws UnusableSecurityError when the account of Security instance `inst` cannot be used. */
export function requireUsableSecurity(inst: ObjectInstance, what: string): void {
  const problem = securityProblem(accountSecurityOf(inst));
  if (problem !== undefined) throw new UnusableSecurityError(`${what}: ${problem}`);
}

/**
 * The DTLS credentials for `peer`, read from the tree when a handshake starts (so a bootstrap
 * that rewrites /0 is followed): those of the first usable PSK Security instance whose coaps://
 * URI names the peer's address and port; undefined for any other peer (the send then fails).
 */
export function pskFromSecurityObject(tree: ObjectTree): (peer: Peer) => DtlsClientPsk | undefined {
  return (peer) => {
    const usable = (s: AccountSecurity): boolean =>
      s.mode === SECURITY_MODE_PSK && securityProblem(s) === undefined;
    for (const { s } of coapsAccountsOf(tree, peer, usable))
      return { identity: pskIdentityText(s.identity)!, key: s.secretKey };
    return undefined;
  };
}

/**
 * The Security instances (with their ids, in id order) whose coaps:// URI names `peer`'s address
 * and port and that `accept` takes; instances with another scheme or an unusable URI are skipped.
 */
function* coapsAccountsOf(
  tree: ObjectTree,
  peer: Peer,
  accept: (s: AccountSecurity) => boolean,
): Generator<{ readonly id: number; readonly s: AccountSecurity }> {
  for (const id of tree.instanceIds(0)) {
    const s = accountSecurityOf(tree.get(0, id)!);
    if (s.uri === undefined || schemeOf(s.uri) !== 'coaps' || !accept(s)) continue;
    let target: Peer;
    try {
      target = peerOfUri(s.uri);
    } catch {
      continue;
    }
    if (target.address === peer.address && target.port === peer.port) yield { id, s };
  }
}

/**
 * The raw public key or certificate credentials for `peer`, read from the tree when a handshake
 * starts (a bootstrap that rewrites /0 is followed): those of the first usable mode 1 or 2
 * Security instance whose coaps:// URI names the peer's address and port; undefined for any
 * other peer. `trustAnchors`: the client's own CAs, for certificate usages 0 and 1.
 */
export function certificateFromSecurityObject(
  tree: ObjectTree,
  trustAnchors?: readonly Uint8Array[],
): (peer: Peer) => DtlsClientCertificate | undefined {
  // per Security instance: the credentials last made and the material they were made from, so an
  // unchanged instance gives the same objects (keys parsed once; bounded by the instances)
  const made = new Map<number, { readonly material: string; readonly credentials: DtlsClientCertificate }>();
  return (peer) => {
    for (const { id, s } of coapsAccountsOf(tree, peer, (x) => isCertificateMode(x.mode))) {
      const resources = certificateResourcesOf(s);
      const material = materialKey(resources);
      const known = made.get(id);
      if (known?.material === material) return known.credentials;
      try {
        const credentials = clientCertificateOf(resources, trustAnchors);
        made.set(id, { material, credentials });
        return credentials;
      } catch {
        continue; // requireUsableSecurity reports it before a Register
      }
    }
    return undefined;
  };
}
