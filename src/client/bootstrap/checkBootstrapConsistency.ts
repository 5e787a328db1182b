// LwM2M Core TS 1.1.1 section 5.2.7.6 (Bootstrap-Finish) with Appendix E.1/E.2: the check a client
// runs when the Bootstrap-Server says it is done. The configuration is consistent when the client
// can use it: at most one Bootstrap-Server account, at least one LwM2M Server account, each Security
// instance with a usable URI and Security Mode, and each Server instance paired with exactly one
// Security instance by Short Server ID. Pure: the finding is data; the caller answers 4.06.
import type { ObjectInstanceNode, ResourceNode } from '../../lwm2m/Lwm2mNode.js';
import { pskIdentityText } from '../accountSecurity.js';
import { clientCertificateOf } from '../certificateCredentials.js';
import { schemeProblem } from '../transportSchemes.js';

/** Settings of the check. */
export interface ConsistencyOptions {
  /** Security Modes (resource 2) this client can use. Default: all five (0 PSK .. 4 EST). */
  readonly supportedSecurityModes?: readonly number[];
  /** URI schemes the client has a transport for (e.g. ['coap']). Default: every LwM2M scheme. */
  readonly supportedSchemes?: readonly string[];
}

/** URI schemes of LwM2M Server URIs (Transport TS 1.1.1 section 6: UDP, TCP, secured or not). */
const SCHEMES = new Set(['coap:', 'coaps:', 'coap+tcp:', 'coaps+tcp:']);
/** Security Mode 3 (NoSec) goes with a plain scheme, the others with a secured one (E.1). */
const SECURED = new Set(['coaps:', 'coaps+tcp:']);
const BINDING = /^[UMHTSNQ]{1,6}$/;

function valueAt(inst: ObjectInstanceNode, id: number): unknown {
  const r: ResourceNode | undefined = inst.resources.find((x) => x.id === id);
  return r?.kind === 'resource' ? r.value.value : undefined;
}

function intAt(inst: ObjectInstanceNode, id: number): number | undefined {
  const v = valueAt(inst, id);
  return typeof v === 'number' || typeof v === 'bigint' ? Number(v) : undefined;
}

function uriProblem(at: string, uri: unknown, mode: number | undefined): string | undefined {
  if (typeof uri !== 'string') return `${at}: no LwM2M Server URI (resource 0)`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `${at}: invalid URI "${uri.slice(0, 80)}"`;
  }
  if (!SCHEMES.has(url.protocol)) return `${at}: unsupported URI scheme "${url.protocol.slice(0, 20)}"`;
  if (url.hostname === '') return `${at}: URI "${uri.slice(0, 80)}" names no host`;
  if (mode !== undefined && (mode === 3) === SECURED.has(url.protocol))
    return `${at}: security mode ${mode} does not fit the scheme ${url.protocol}`;
  return undefined;
}

/** PSK mode (E.1): resource 3 holds the identity (UTF-8 on the wire, RFC 4279 5.1), 5 the key. */
function pskProblems(at: string, sec: ObjectInstanceNode): string[] {
  const identity = valueAt(sec, 3);
  const key = valueAt(sec, 5);
  const out: string[] = [];
  if (!(identity instanceof Uint8Array) || identity.length === 0)
    out.push(`${at}: security mode 0 (PSK) without a PSK identity (resource 3)`);
  else if (pskIdentityText(identity) === undefined) out.push(`${at}: the PSK identity is not UTF-8`);
  if (!(key instanceof Uint8Array) || key.length === 0)
    out.push(`${at}: security mode 0 (PSK) without a key (resource 5)`);
  return out;
}

const EMPTY = new Uint8Array(0);
const bytesAt = (inst: ObjectInstanceNode, id: number): Uint8Array => {
  const v = valueAt(inst, id);
  return v instanceof Uint8Array ? v : EMPTY;
};

/** RPK and certificate modes (Transport TS 5.2.8): resources 3, 4, 5 (and 15) must make credentials. */
function certificateProblems(at: string, mode: number, sec: ObjectInstanceNode): string[] {
  const uri = valueAt(sec, 0);
  const usage = intAt(sec, 15);
  try {
    clientCertificateOf({
      mode,
      uri: typeof uri === 'string' ? uri : '',
      publicKeyOrIdentity: bytesAt(sec, 3),
      serverPublicKey: bytesAt(sec, 4),
      secretKey: bytesAt(sec, 5),
      ...(usage !== undefined ? { certificateUsage: usage } : {}),
    });
    return [];
  } catch (e) {
    return [`${at}: security mode ${mode}: ${(e as Error).message}`];
  }
}

/**
 * Problems of the Security (`security`, object 0) and Server (`servers`, object 1) instances;
 * empty when Bootstrap-Finish may succeed.
 */
export function checkBootstrapConsistency(
  security: readonly ObjectInstanceNode[],
  servers: readonly ObjectInstanceNode[],
  options: ConsistencyOptions = {},
): string[] {
  const modes = options.supportedSecurityModes ?? [0, 1, 2, 3, 4];
  const problems: string[] = [];
  const securitySsids = new Map<number, number>();
  let bootstrapAccounts = 0;
  for (const sec of security) {
    const at = `/0/${sec.id}`;
    const mode = intAt(sec, 2);
    if (mode === undefined) problems.push(`${at}: no Security Mode (resource 2)`);
    else if (!modes.includes(mode)) problems.push(`${at}: security mode ${mode} is not supported`);
    const uri = valueAt(sec, 0);
    const uriIssue = uriProblem(at, uri, mode);
    if (uriIssue) problems.push(uriIssue);
    if (mode === 0) problems.push(...pskProblems(at, sec));
    if ((mode === 1 || mode === 2) && modes.includes(mode))
      problems.push(...certificateProblems(at, mode, sec));
    const schemeIssue =
      typeof uri === 'string' && options.supportedSchemes
        ? schemeProblem(uri, options.supportedSchemes)
        : undefined;
    if (schemeIssue) problems.push(`${at}: ${schemeIssue}`);
    if (valueAt(sec, 1) === true) {
      bootstrapAccounts++;
      continue;
    }
    const ssid = intAt(sec, 10);
    if (ssid === undefined || ssid < 1 || ssid > 65534) {
      problems.push(`${at}: no Short Server ID (resource 10) in 1..65534`);
      continue;
    }
    if (securitySsids.has(ssid))
      problems.push(`${at}: Short Server ID ${ssid} also used by /0/${securitySsids.get(ssid)}`);
    else securitySsids.set(ssid, sec.id);
  }
  if (bootstrapAccounts > 1) problems.push(`${bootstrapAccounts} Bootstrap-Server accounts (at most one)`);
  const serverSsids = new Map<number, number>();
  for (const srv of servers) {
    const at = `/1/${srv.id}`;
    const ssid = intAt(srv, 0);
    if (ssid === undefined || ssid < 1 || ssid > 65534) {
      problems.push(`${at}: no Short Server ID (resource 0) in 1..65534`);
      continue;
    }
    if (serverSsids.has(ssid))
      problems.push(`${at}: Short Server ID ${ssid} also used by /1/${serverSsids.get(ssid)}`);
    else serverSsids.set(ssid, srv.id);
    if (!securitySsids.has(ssid)) problems.push(`${at}: no Security instance has Short Server ID ${ssid}`);
    const lifetime = intAt(srv, 1);
    if (lifetime === undefined || lifetime < 0) problems.push(`${at}: no Lifetime (resource 1)`);
    const binding = valueAt(srv, 7);
    if (typeof binding !== 'string' || !BINDING.test(binding))
      problems.push(`${at}: invalid Binding (resource 7)`);
  }
  for (const [ssid, id] of securitySsids)
    if (!serverSsids.has(ssid)) problems.push(`/0/${id}: no Server instance has Short Server ID ${ssid}`);
  if (securitySsids.size === 0) problems.push('no LwM2M Server account (Security + Server instance)');
  return problems;
}
