// LwM2M Core TS 1.1.1 section 6.2.1 (Register), 6.2.2 (Update) and Transport TS 1.1.1 section 6.4
// (POST /rd?ep=..&lt=..&lwm2m=..&b=..&sms=..&Q with a link-format payload; POST /rd/{id} with the
// changed parameters only). Parses the Uri-Query options and payload into typed requests and turns
// them into Registration records; every malformed request throws BadRequestError with a diagnostic
// the server sends back in its 4.00 payload.
import type { Peer } from '../transport/Peer.js';
import { DecodeError } from '../transport/DecodeError.js';
import {
  DEFAULT_BINDING_RAW,
  LWM2M_VERSIONS,
  parseBindingMode,
  type BindingMode,
  type Lwm2mVersion,
} from './bindingMode.js';
import { BadRequestError, Lwm2mError } from './errors.js';
import { parseRegistrationPayload, type RegistrationObjects } from './linkFormat.js';
import { DEFAULT_LIFETIME_S, expiryOf, NO_ADDITIONAL_ATTRIBUTES, type Registration } from './Registration.js';
import type { RegistrationPayloadCache } from './RegistrationPayloadCache.js';

/**
 * 4.12 Precondition Failed: the client's LwM2M version is well formed but not supported (Core TS
 * 1.1.1 6.2.1 "MUST refuse"; Transport TS 1.1.1 Table 6.7-2 names 4.12 for incompatible versions).
 */
export class UnsupportedLwm2mVersionError extends Lwm2mError {
  constructor(version: string) {
    super(
      `LwM2M version ${version} is not supported (supported: ${LWM2M_VERSIONS.join(', ')})`,
      'LWM2M_UNSUPPORTED_VERSION',
      0x8c,
    );
  }
}

/** Bounds on a Register/Update request. Defaults in DEFAULT_REGISTRATION_LIMITS. */
export interface RegistrationRequestLimits {
  /** Longest payload in characters (default 65535). */
  readonly maxPayloadLength: number;
  /** Most links in the payload (default 1024). */
  readonly maxLinks: number;
  /** Longest endpoint name in characters (default 256). */
  readonly maxEndpointLength: number;
  /** Largest lifetime in seconds (default 4294967295, an unsigned 32-bit value). */
  readonly maxLifetime: number;
  /** Most parameters the specification does not define (default 16). */
  readonly maxAdditionalAttributes: number;
}

/** The limits used when none are given. */
export const DEFAULT_REGISTRATION_LIMITS: RegistrationRequestLimits = Object.freeze({
  maxPayloadLength: 65_535,
  maxLinks: 1024,
  maxEndpointLength: 256,
  maxLifetime: 0xffff_ffff,
  maxAdditionalAttributes: 16,
});

/** Options of parseRegisterRequest and parseUpdateRequest. */
export interface RegistrationRequestOptions {
  readonly limits?: Partial<RegistrationRequestLimits>;
  /** Shares parsed payloads between registrations (recommended for servers). */
  readonly payloadCache?: RegistrationPayloadCache;
}

/** A parsed Register request (defaults applied). */
export interface RegisterRequest {
  readonly endpoint: string;
  readonly lifetime: number;
  readonly lwm2mVersion: Lwm2mVersion;
  readonly binding: BindingMode;
  readonly smsNumber?: string;
  readonly queueMode: boolean;
  readonly objectLinks: RegistrationObjects;
  readonly additionalAttributes: Readonly<Record<string, string>>;
  readonly peer: Peer;
}

/** A parsed Update request: only what the client sent (Core TS section 6.2.2). */
export interface UpdateRequest {
  readonly lifetime?: number;
  readonly binding?: BindingMode;
  readonly smsNumber?: string;
  /** True when a 1.1+ client sent `Q` again (tolerated, as Wakaama's server does). */
  readonly queueMode?: true;
  readonly objectLinks?: RegistrationObjects;
  readonly additionalAttributes?: Readonly<Record<string, string>>;
}

const KNOWN = new Set(['ep', 'lt', 'lwm2m', 'b', 'sms', 'Q']);
/** True when `s` holds a C0 control character or DEL. */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Splits Uri-Query options into name → value (undefined for a bare `Q`); rejects duplicates. */
function splitQuery(query: readonly string[]): Map<string, string | undefined> {
  const params = new Map<string, string | undefined>();
  for (const option of query) {
    const eq = option.indexOf('=');
    const name = eq < 0 ? option : option.slice(0, eq);
    if (name === '') throw new BadRequestError(`query parameter "${clip(option)}" has no name`);
    if (params.has(name)) throw new BadRequestError(`query parameter ${clip(name)} appears more than once`);
    params.set(name, eq < 0 ? undefined : option.slice(eq + 1));
  }
  return params;
}

function clip(s: string, n = 32): string {
  return s.length > n ? `${s.slice(0, n)}...` : s;
}

function requireValue(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new BadRequestError(`parameter ${name} needs a value`);
  return value;
}

function parseLifetime(value: string | undefined, version: Lwm2mVersion, max: number): number {
  const text = requireValue('lt', value);
  if (!/^[0-9]{1,12}$/.test(text))
    throw new BadRequestError(`lifetime lt="${clip(text)}" is not a non-negative integer of seconds`);
  const lt = Number(text);
  // Server object resource 1/x/1: 0 means an infinite lifetime since LwM2M 1.2.
  if (lt === 0 && version !== '1.2')
    throw new BadRequestError(`lifetime lt=0 is only valid for LwM2M 1.2 clients`);
  if (lt > max) throw new BadRequestError(`lifetime lt=${lt} is over the maximum of ${max} s`);
  return lt;
}

function parseVersion(value: string | undefined): Lwm2mVersion {
  // lwm2m is mandatory since 1.0, but devices built on pre-1.0 drafts omit it: read them as 1.0.
  if (value === undefined) return '1.0';
  // Core TS 6.2.1: the enabler version is 1*DIGIT "." 1*DIGIT (no patch number).
  if (!/^[0-9]{1,3}\.[0-9]{1,3}$/.test(value))
    throw new BadRequestError(`LwM2M version lwm2m="${clip(value)}" is not major.minor`);
  const v = LWM2M_VERSIONS.find((known) => known === value);
  if (!v) throw new UnsupportedLwm2mVersionError(value);
  return v;
}

/** Checks the value-less `Q` flag (Core TS 1.1.1 6.2.1); 1.0 clients signal queue mode with b=UQ. */
function parseQueueFlag(value: string | undefined, version: Lwm2mVersion): true {
  if (version === '1.0') throw new BadRequestError('parameter Q needs LwM2M 1.1 (a 1.0 client uses b=UQ)');
  if (value !== undefined) throw new BadRequestError('parameter Q takes no value');
  return true;
}

function parseEndpoint(value: string | undefined, max: number): string {
  if (value === undefined) throw new BadRequestError('endpoint client name ep is missing');
  if (value === '') throw new BadRequestError('endpoint client name ep is empty');
  if (value.length > max)
    throw new BadRequestError(
      `endpoint client name has ${value.length} characters, over the limit of ${max}`,
    );
  if (hasControl(value)) throw new BadRequestError('endpoint client name contains a control character');
  return value;
}

function parseSms(value: string | undefined): string {
  const text = requireValue('sms', value);
  if (!/^\+?[0-9]{1,20}$/.test(text))
    throw new BadRequestError(`SMS number sms="${clip(text)}" is not an MSISDN`);
  return text;
}

function additional(params: Map<string, string | undefined>, max: number): Readonly<Record<string, string>> {
  const extra: [string, string][] = [];
  for (const [name, value] of params) if (!KNOWN.has(name)) extra.push([name, value ?? '']);
  if (extra.length === 0) return NO_ADDITIONAL_ATTRIBUTES;
  if (extra.length > max)
    throw new BadRequestError(`${extra.length} unknown query parameters, over the limit of ${max}`);
  // fromEntries defines own properties, so a "__proto__" parameter cannot touch the prototype.
  return Object.freeze(Object.fromEntries(extra));
}

function parsePayload(
  payload: string,
  limits: RegistrationRequestLimits,
  cache?: RegistrationPayloadCache,
): RegistrationObjects {
  if (payload.length > limits.maxPayloadLength)
    throw new BadRequestError(
      `payload has ${payload.length} characters, over the limit of ${limits.maxPayloadLength}`,
    );
  const lf = { maxLinks: limits.maxLinks, maxLength: limits.maxPayloadLength };
  try {
    return cache ? cache.parse(payload, lf) : parseRegistrationPayload(payload, lf);
  } catch (e) {
    if (e instanceof DecodeError)
      throw new BadRequestError(`invalid Objects and Object Instances payload: ${e.message}`);
    throw e;
  }
}

/**
 * Parses a Register request from its Uri-Query options and link-format payload. Throws
 * BadRequestError (4.00) for a malformed request, UnsupportedLwm2mVersionError (4.12) for a
 * well-formed but unsupported `lwm2m` version.
 */
export function parseRegisterRequest(
  query: readonly string[],
  payload: string,
  peer: Peer,
  options: RegistrationRequestOptions = {},
): RegisterRequest {
  const limits = { ...DEFAULT_REGISTRATION_LIMITS, ...options.limits };
  const params = splitQuery(query);
  const endpoint = parseEndpoint(
    params.has('ep') ? (params.get('ep') ?? '') : undefined,
    limits.maxEndpointLength,
  );
  const lwm2mVersion = parseVersion(
    params.has('lwm2m') ? requireValue('lwm2m', params.get('lwm2m')) : undefined,
  );
  const lifetime = params.has('lt')
    ? parseLifetime(params.get('lt'), lwm2mVersion, limits.maxLifetime)
    : DEFAULT_LIFETIME_S;
  const binding = parseBindingMode(
    params.has('b') ? requireValue('b', params.get('b')) : DEFAULT_BINDING_RAW,
    lwm2mVersion,
  );
  const smsNumber = params.has('sms') ? parseSms(params.get('sms')) : undefined;
  const queueMode = params.has('Q') ? parseQueueFlag(params.get('Q'), lwm2mVersion) : binding.queue;
  if (payload === '') throw new BadRequestError('Register needs the Objects and Object Instances payload');
  const objectLinks = parsePayload(payload, limits, options.payloadCache);
  const additionalAttributes = additional(params, limits.maxAdditionalAttributes);
  return {
    endpoint,
    lifetime,
    lwm2mVersion,
    binding,
    smsNumber,
    queueMode,
    objectLinks,
    additionalAttributes,
    peer,
  };
}

/**
 * Parses an Update request of a client registered with `lwm2mVersion` (its binding letters depend
 * on it); returns only the parameters present. An empty payload means "objects unchanged".
 */
export function parseUpdateRequest(
  query: readonly string[],
  payload: string | undefined,
  lwm2mVersion: Lwm2mVersion,
  options: RegistrationRequestOptions = {},
): UpdateRequest {
  const limits = { ...DEFAULT_REGISTRATION_LIMITS, ...options.limits };
  const params = splitQuery(query);
  // Core TS 6.2.2: an Update carries lt, b, sms and the payload. The endpoint name and the version
  // are fixed at Register; a repeated lwm2m equal to the registered version is tolerated.
  if (params.has('ep'))
    throw new BadRequestError('parameter ep cannot be changed by an Update (re-register instead)');
  if (params.has('lwm2m') && params.get('lwm2m') !== lwm2mVersion)
    throw new BadRequestError(
      `parameter lwm2m cannot be changed by an Update (registered as ${lwm2mVersion})`,
    );
  const update: { -readonly [K in keyof UpdateRequest]: UpdateRequest[K] } = {};
  if (params.has('lt')) update.lifetime = parseLifetime(params.get('lt'), lwm2mVersion, limits.maxLifetime);
  if (params.has('b')) update.binding = parseBindingMode(requireValue('b', params.get('b')), lwm2mVersion);
  if (params.has('sms')) update.smsNumber = parseSms(params.get('sms'));
  if (params.has('Q') && parseQueueFlag(params.get('Q'), lwm2mVersion)) update.queueMode = true;
  if (payload !== undefined && payload !== '')
    update.objectLinks = parsePayload(payload, limits, options.payloadCache);
  const extra = additional(params, limits.maxAdditionalAttributes);
  if (extra !== NO_ADDITIONAL_ATTRIBUTES) update.additionalAttributes = extra;
  return update;
}

/** The record for an accepted Register request. */
export function newRegistration(req: RegisterRequest, id: string, now: number): Registration {
  return {
    id,
    endpoint: req.endpoint,
    lifetime: req.lifetime,
    lwm2mVersion: req.lwm2mVersion,
    binding: req.binding,
    smsNumber: req.smsNumber,
    queueMode: req.queueMode,
    objectLinks: req.objectLinks,
    peer: req.peer,
    registeredAt: now,
    lastUpdate: now,
    expiresAt: expiryOf(now, req.lifetime),
    additionalAttributes: req.additionalAttributes,
  };
}

/**
 * The record after an accepted Update from `peer` at `now`: changed parameters replace old ones,
 * the peer is the new source address (NAT rebinding, Core TS 6.2.2), and the lifetime restarts.
 */
export function applyUpdate(reg: Registration, update: UpdateRequest, peer: Peer, now: number): Registration {
  const lifetime = update.lifetime ?? reg.lifetime;
  const binding = update.binding ?? reg.binding;
  const extra = update.additionalAttributes;
  return {
    ...reg,
    lifetime,
    binding,
    smsNumber: update.smsNumber ?? reg.smsNumber,
    // 1.0 carries queue mode in the binding letters; 1.1+ in the Q parameter (absent = unchanged).
    queueMode: reg.lwm2mVersion === '1.0' ? binding.queue : (update.queueMode ?? reg.queueMode),
    objectLinks: update.objectLinks ?? reg.objectLinks,
    peer,
    lastUpdate: now,
    expiresAt: expiryOf(now, lifetime),
    additionalAttributes:
      extra === undefined
        ? reg.additionalAttributes
        : Object.freeze({ ...reg.additionalAttributes, ...extra }),
  };
}
