// LwM2M Core TS 1.1.1 section 5.2.7 and Appendix E.1-E.3: the JSON form of a BootstrapConfig
// (the `--config` file and the bootstrap REST API), read strictly. Byte strings (keys, identities,
// certificates, opaque values) are hex in JSON; `{ "text": "..." }` is accepted as UTF-8 for them.
import type { ModelLookup } from '../model/ObjectModel.js';
import {
  DEFAULT_CONFIG_ENDPOINT,
  SECURITY_MODE_CODES,
  type AclInstanceConfig,
  type BootstrapConfig,
  type JsonValue,
  type SecurityInstanceConfig,
  type SecurityMode,
  type ServerInstanceConfig,
} from './BootstrapConfig.js';
import { bootstrapObjectNodes } from './bootstrapNodes.js';
import { Lwm2mPath } from './Lwm2mPath.js';
import { J, InvalidBootstrapConfigError, type Obj } from './bootstrapConfigFields.js';
import { validateBootstrapConfig } from './validateBootstrapConfig.js';

export { InvalidBootstrapConfigError } from './bootstrapConfigFields.js';
import { checkKeyMaterial } from './securityKeyMaterial.js';

const BYTES_FIELDS = ['publicKeyOrIdentity', 'serverPublicKey', 'secretKey'] as const;

/** Hex of `bytes`, lower case. */
export const bytesToHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function securityOf(o: Obj, at: string): SecurityInstanceConfig {
  J.only(o, at, [
    'uri',
    'bootstrapServer',
    'securityMode',
    ...BYTES_FIELDS,
    'shortServerId',
    'clientHoldOffTime',
    'bootstrapServerAccountTimeout',
    'certificateUsage',
  ]);
  const mode = J.string(o, 'securityMode', at) as SecurityMode;
  if (!(mode in SECURITY_MODE_CODES))
    throw new InvalidBootstrapConfigError(`${at}.securityMode`, 'must be psk, rpk, x509, nosec or est');
  const uri = J.string(o, 'uri', at);
  if (uri.length === 0 || uri.length > 255)
    throw new InvalidBootstrapConfigError(`${at}.uri`, 'must be 1 to 255 characters');
  const bootstrapServer = J.optBoolean(o, 'bootstrapServer', at) ?? false;
  const out: Record<string, unknown> = { uri, bootstrapServer, securityMode: mode };
  for (const f of BYTES_FIELDS) {
    const b = J.optBytes(o, f, at);
    if (b !== undefined) out[f] = b;
  }
  const ssid = J.optInt(o, 'shortServerId', at, 1, 65534);
  if (ssid !== undefined) out.shortServerId = ssid;
  else if (!bootstrapServer)
    throw new InvalidBootstrapConfigError(`${at}.shortServerId`, 'is required for an LwM2M Server account');
  for (const f of ['clientHoldOffTime', 'bootstrapServerAccountTimeout'] as const) {
    const v = J.optInt(o, f, at, 0, 0x7fffffff);
    if (v !== undefined) out[f] = v;
  }
  // Security object 1.1 resource 15 (RFC 6698 usages): how the client matches /0/x/4
  const usage = J.optInt(o, 'certificateUsage', at, 0, 3);
  if (usage !== undefined) out.certificateUsage = usage;
  // Core TS 1.1.1 E.1: PSK needs an identity and a key; RPK and certificates a key pair and the
  // server's key or certificate (Transport TS 1.1.1 5.2.8.3-4: "Server Public Key" MUST be used).
  if (mode === 'psk' || mode === 'rpk' || mode === 'x509')
    for (const f of ['publicKeyOrIdentity', 'secretKey', 'serverPublicKey'] as const)
      if (out[f] === undefined && (f !== 'serverPublicKey' || mode !== 'psk'))
        throw new InvalidBootstrapConfigError(`${at}.${f}`, `is required for security mode ${mode}`);
  const config = out as unknown as SecurityInstanceConfig;
  if (config.securityMode === 'rpk' || config.securityMode === 'x509')
    checkKeyMaterial(
      config.securityMode,
      {
        publicKeyOrIdentity: config.publicKeyOrIdentity!,
        secretKey: config.secretKey!,
        ...(config.serverPublicKey ? { serverPublicKey: config.serverPublicKey } : {}),
      },
      at,
    );
  return config;
}

function serverOf(o: Obj, at: string): ServerInstanceConfig {
  J.only(o, at, [
    'shortServerId',
    'lifetime',
    'defaultMinPeriod',
    'defaultMaxPeriod',
    'disableTimeout',
    'notificationStoring',
    'binding',
  ]);
  const binding = J.string(o, 'binding', at);
  if (!/^[UMHTSNQ]{1,6}$/.test(binding))
    throw new InvalidBootstrapConfigError(`${at}.binding`, 'must be binding letters such as "U" or "UQ"');
  const out: Record<string, unknown> = {
    shortServerId: J.int(o, 'shortServerId', at, 1, 65534),
    lifetime: J.int(o, 'lifetime', at, 0, 0x7fffffff),
    binding,
  };
  for (const f of ['defaultMinPeriod', 'defaultMaxPeriod', 'disableTimeout'] as const) {
    const v = J.optInt(o, f, at, 0, 0x7fffffff);
    if (v !== undefined) out[f] = v;
  }
  const storing = J.optBoolean(o, 'notificationStoring', at);
  if (storing !== undefined) out.notificationStoring = storing;
  return out as unknown as ServerInstanceConfig;
}

function aclOf(o: Obj, at: string): AclInstanceConfig {
  J.only(o, at, ['objectId', 'objectInstanceId', 'acl', 'owner']);
  const rights = J.object(o, 'acl', at);
  const acl: Record<number, number> = {};
  for (const key of Object.keys(rights)) {
    const ssid = J.id(key, `${at}.acl`, 0, 65535);
    acl[ssid] = J.int(rights, key, `${at}.acl`, 0, 31);
  }
  return {
    objectId: J.int(o, 'objectId', at, 1, 65534),
    objectInstanceId: J.int(o, 'objectInstanceId', at, 0, 65535),
    acl,
    owner: J.int(o, 'owner', at, 0, 65535),
  };
}

function instancesOf<T>(o: Obj, key: string, make: (v: Obj, at: string) => T): Record<number, T> {
  const out: Record<number, T> = {};
  const map = J.optObject(o, key, '');
  if (map === undefined) return out;
  for (const id of Object.keys(map)) {
    const at = `${key}.${id}`;
    out[J.id(id, key, 0, 65534)] = make(J.object(map, id, key), at);
  }
  return out;
}

/**
 * Reads a BootstrapConfig from parsed JSON; throws InvalidBootstrapConfigError naming the field
 * (or '' for the whole config, e.g. `{}`: see validateBootstrapConfig). With `models`, the `objects` values are also checked against the object models.
 */
export function parseBootstrapConfig(json: unknown, models?: ModelLookup): BootstrapConfig {
  const o = J.root(json);
  J.only(o, '', [
    'delete',
    'security',
    'servers',
    'acl',
    'objects',
    'contentFormat',
    'discover',
    'readServers',
  ]);
  const config: Record<string, unknown> = {
    security: instancesOf(o, 'security', securityOf),
    servers: instancesOf(o, 'servers', serverOf),
  };
  if (o.delete !== undefined) {
    if (!Array.isArray(o.delete))
      throw new InvalidBootstrapConfigError('delete', 'must be an array of paths');
    config.delete = o.delete.map((p, i) => deletePath(p, `delete.${i}`));
  }
  const acl = instancesOf(o, 'acl', aclOf);
  if (Object.keys(acl).length > 0) config.acl = acl;
  const objects = J.optObject(o, 'objects', '');
  if (objects !== undefined) config.objects = objects as Record<string, JsonValue>;
  const format = J.optInt(o, 'contentFormat', '', 0, 65535);
  if (format !== undefined) config.contentFormat = format;
  for (const f of ['discover', 'readServers'] as const) {
    const v = J.optBoolean(o, f, '');
    if (v !== undefined) config[f] = v;
  }
  const result = config as unknown as BootstrapConfig;
  validateBootstrapConfig(result);
  if (models && result.objects) {
    try {
      bootstrapObjectNodes(result.objects, models);
    } catch (e) {
      throw new InvalidBootstrapConfigError('objects', (e as Error).message);
    }
  }
  return result;
}

function deletePath(p: unknown, at: string): string {
  if (typeof p !== 'string') throw new InvalidBootstrapConfigError(at, 'must be a path string');
  let path: Lwm2mPath;
  try {
    path = Lwm2mPath.parse(p);
  } catch (e) {
    throw new InvalidBootstrapConfigError(at, (e as Error).message);
  }
  // Core TS 1.1.1 5.2.7.5: Bootstrap-Delete targets '/', an object or an object instance.
  if (path.length > 2)
    throw new InvalidBootstrapConfigError(at, 'must be /, /{object} or /{object}/{instance}');
  return path.toString();
}

/** The JSON form of `config` (bytes as hex), which parseBootstrapConfig reads back. */
export function bootstrapConfigToJson(config: BootstrapConfig): Record<string, unknown> {
  const security: Record<string, unknown> = {};
  for (const [id, s] of Object.entries(config.security)) {
    const out: Record<string, unknown> = { ...s };
    for (const f of BYTES_FIELDS) if (s[f] !== undefined) out[f] = bytesToHex(s[f]);
    security[id] = out;
  }
  return JSON.parse(JSON.stringify({ ...config, security })) as Record<string, unknown>;
}

/**
 * The JSON form of `config` as an API answers it: like bootstrapConfigToJson, but each Security
 * instance's `secretKey` (a PSK or a private key, Core TS E.1 resource 5) is replaced by
 * `secretKeyLength`, its length in bytes. Keys are write-only; identities, public keys and
 * certificates are not secret and stay.
 */
export function redactedBootstrapConfigJson(config: BootstrapConfig): Record<string, unknown> {
  const json = bootstrapConfigToJson(config);
  const security = json.security as Record<string, Record<string, unknown>>;
  for (const [id, s] of Object.entries(config.security)) {
    const out = security[id]!;
    if (s.secretKey === undefined) continue;
    delete out.secretKey;
    out.secretKeyLength = s.secretKey.length;
  }
  return json;
}

/**
 * Reads a `--config` file: an object of endpoint name → config, where the name "*" holds the
 * default config for endpoints not listed. Throws InvalidBootstrapConfigError naming the field.
 */
export function parseBootstrapConfigFile(json: unknown, models?: ModelLookup): Map<string, BootstrapConfig> {
  const o = J.root(json);
  const out = new Map<string, BootstrapConfig>();
  for (const endpoint of Object.keys(o)) {
    if (endpoint === '') throw new InvalidBootstrapConfigError('', 'an endpoint name cannot be empty');
    try {
      out.set(endpoint, parseBootstrapConfig(o[endpoint], models));
    } catch (e) {
      if (!(e instanceof InvalidBootstrapConfigError)) throw e;
      throw new InvalidBootstrapConfigError(e.field ? `${endpoint}.${e.field}` : endpoint, e.reason);
    }
  }
  return out;
}

/** True when `endpoint` names the default config. */
export const isDefaultEndpoint = (endpoint: string): boolean => endpoint === DEFAULT_CONFIG_ENDPOINT;
