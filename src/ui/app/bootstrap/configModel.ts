// The form's view of a bootstrap config (Core TS 1.1.1 E.1 Security and E.2 Server objects): one
// account per Security instance, joined with the Server instance of the same Short Server ID, and
// the paths to delete. Everything the form does not show (ACLs, objects, other resources of an
// instance) is carried through unchanged, so a form save never loses what the JSON tab set. A key
// left empty while the answer had `secretKeyLength` is sent back as that length, which the API
// reads as "keep the stored key" (http/bootstrapKeptKeys.ts).
import { hexToText, type ConfigJson, type SecurityModeName } from './bootstrapTypes.js';

/** One account of the form. */
export interface AccountForm {
  readonly securityId: number;
  readonly serverId?: number;
  readonly bootstrapServer: boolean;
  readonly uri: string;
  readonly securityMode: SecurityModeName;
  /** Resource 3: the PSK identity (text or hex per identityAs), or the client's public key / certificate (hex). */
  readonly identity: string;
  readonly identityAs: 'text' | 'hex';
  /** Resource 5 in hex; '' with secretKeyLength keeps the stored key. */
  readonly secretKey: string;
  readonly secretKeyLength?: number;
  /** Resource 4 in hex: the server's public key or certificate. */
  readonly serverPublicKey: string;
  readonly shortServerId: string;
  readonly lifetime: string;
  readonly binding: string;
  /** Fields of the Security and Server instances the form does not show. */
  readonly otherSecurity: ConfigJson;
  readonly otherServer: ConfigJson;
}

/** The whole form. */
export interface ConfigForm {
  readonly accounts: readonly AccountForm[];
  /** Paths to delete, one per line. */
  readonly deletePaths: string;
  /** Top-level fields the form does not show, and Server instances no account names. */
  readonly rest: ConfigJson;
  readonly orphanServers: Readonly<Record<string, ConfigJson>>;
}

const obj = (v: unknown): ConfigJson =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as ConfigJson) : {};
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** A new, empty LwM2M Server account with free instance ids. */
export function newAccount(form: ConfigForm, bootstrapServer = false): AccountForm {
  const used = form.accounts.map((a) => a.securityId);
  const servers = form.accounts.flatMap((a) => (a.serverId === undefined ? [] : [a.serverId]));
  const ssids = form.accounts.map((a) => Number(a.shortServerId)).filter((n) => n > 0);
  return {
    // Bootstrap-Delete spares the client's Bootstrap-Server account (Core TS 1.1.1 5.2.7.5), which
    // clients, ours included, usually keep in /0/0: an LwM2M Server account written to that
    // instance would overwrite it mid-bootstrap, so server accounts start at /0/1
    securityId: bootstrapServer && !used.includes(0) ? 0 : Math.max(0, ...used) + 1,
    ...(bootstrapServer ? {} : { serverId: servers.length ? Math.max(...servers) + 1 : 0 }),
    bootstrapServer,
    uri: '',
    securityMode: 'nosec',
    identity: '',
    identityAs: 'text',
    secretKey: '',
    serverPublicKey: '',
    shortServerId: bootstrapServer ? '' : String(ssids.length ? Math.max(...ssids) + 1 : 1),
    lifetime: bootstrapServer ? '' : '300',
    binding: bootstrapServer ? '' : 'U',
    otherSecurity: {},
    otherServer: {},
  };
}

/** The form of a config as the API answered it. */
export function formOf(config: ConfigJson): ConfigForm {
  const security = obj(config.security);
  const servers = { ...obj(config.servers) };
  const accounts: AccountForm[] = [];
  for (const [id, value] of Object.entries(security)) {
    const s = obj(value);
    const {
      uri,
      bootstrapServer,
      securityMode,
      publicKeyOrIdentity,
      secretKey,
      secretKeyLength,
      serverPublicKey,
      shortServerId,
      ...otherSecurity
    } = s;
    const serverEntry = Object.entries(servers).find(([, v]) => obj(v).shortServerId === shortServerId);
    if (serverEntry) delete servers[serverEntry[0]];
    const { lifetime, binding, shortServerId: _ssid, ...otherServer } = obj(serverEntry?.[1]);
    const mode = (str(securityMode) || 'nosec') as SecurityModeName;
    const idHex = str(publicKeyOrIdentity);
    const idText = mode === 'psk' ? hexToText(idHex) : undefined;
    accounts.push({
      securityId: Number(id),
      ...(serverEntry ? { serverId: Number(serverEntry[0]) } : {}),
      bootstrapServer: bootstrapServer === true,
      uri: str(uri),
      securityMode: mode,
      identity: idText ?? idHex,
      identityAs: idText === undefined && idHex !== '' ? 'hex' : mode === 'psk' ? 'text' : 'hex',
      secretKey: str(secretKey),
      ...(typeof secretKeyLength === 'number' ? { secretKeyLength } : {}),
      serverPublicKey: str(serverPublicKey),
      shortServerId: str(shortServerId),
      lifetime: str(lifetime),
      binding: str(binding),
      otherSecurity,
      otherServer,
    });
  }
  const { security: _s, servers: _v, delete: del, ...rest } = config;
  return {
    accounts,
    deletePaths: Array.isArray(del) ? del.map(str).join('\n') : '',
    rest,
    orphanServers: Object.fromEntries(Object.entries(servers).map(([k, v]) => [k, obj(v)])),
  };
}

const num = (s: string): number | string => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : s);

/** The config JSON the form stands for (the API checks it on save). */
export function configOf(form: ConfigForm): ConfigJson {
  const security: Record<string, unknown> = {};
  const servers: Record<string, unknown> = { ...form.orphanServers };
  for (const a of form.accounts) {
    const s: Record<string, unknown> = {
      ...a.otherSecurity,
      uri: a.uri.trim(),
      bootstrapServer: a.bootstrapServer,
      securityMode: a.securityMode,
    };
    if (a.identity !== '')
      s.publicKeyOrIdentity = a.identityAs === 'text' ? { text: a.identity } : a.identity.replace(/\s+/g, '');
    if (a.secretKey !== '') s.secretKey = a.secretKey.replace(/\s+/g, '');
    else if (a.secretKeyLength !== undefined) s.secretKeyLength = a.secretKeyLength;
    if (a.serverPublicKey !== '') s.serverPublicKey = a.serverPublicKey.replace(/\s+/g, '');
    if (a.shortServerId.trim() !== '') s.shortServerId = num(a.shortServerId);
    security[a.securityId] = s;
    if (!a.bootstrapServer && a.serverId !== undefined)
      servers[a.serverId] = {
        ...a.otherServer,
        shortServerId: num(a.shortServerId),
        lifetime: num(a.lifetime),
        binding: a.binding.trim(),
      };
  }
  const paths = form.deletePaths
    .split(/[\n,]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return { ...(paths.length ? { delete: paths } : {}), ...form.rest, security, servers };
}
