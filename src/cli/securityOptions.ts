// The DTLS options `lwm2m server` and `lwm2m bootstrap` share (issue 13 item 5): a secured CoAP
// port beside the plain one (RFC 7252 6.2: coaps on its own port), the credentials file read into
// the MemorySecurityStore the handshakes and the Authorizers use, and the require-security
// policy, and the ECDHE_ECDSA credentials of issue 15 (--cert, --key, --ca: our chain and key, and
// the CAs of devices' certificates). A bad file stops the start (exit code 2) naming the field;
// keys are never printed.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { DtlsClientTrust, DtlsOwnCertificate } from '../transport/dtls/DtlsTransportOptions.js';
import {
  CredentialFileError,
  readCertificates,
  readPrivateKey,
  requireP256,
} from './certs/credentialFiles.js';
import type { Command } from 'commander';
import { InvalidSecurityInfoError } from '../lwm2m/SecurityInfo.js';
import { parseSecurityInfoFile } from '../lwm2m/securityInfoJson.js';
import { MemorySecurityStore } from '../store/memory/MemorySecurityStore.js';
import { sslKeyLogFileWriter } from '../transport/dtls/keyLog.js';
import { portOption } from './cliOptions.js';
import { ConfigError } from './configSources.js';

/** The DTLS settings of a command. */
export interface SecurityCliOptions {
  /** UDP port of CoAP over DTLS; undefined: none (the commands default to 5684 / 5784). */
  readonly coapsPort?: number;
  /** false (--no-coaps): no DTLS port at all. Default true. */
  readonly coaps?: boolean;
  /**
   * JSON file of credentials: endpoint name → {"psk": {"identity", "key" (hex)}}, or an array of
   * {"endpoint", "psk": {...}} (README "Security").
   */
  readonly securityFile?: string;
  /** Refuse uplinks in clear (NoSec), even for endpoints without credentials. Default false. */
  readonly requireSecurity?: boolean;
  /** Our certificate file (PEM or DER; a PEM may hold the chain, leaf first): X.509 with --key. */
  readonly cert?: string;
  /** Our P-256 private key file (PEM or DER): turns the ECDHE_ECDSA suites on (alone: raw public key only). */
  readonly key?: string;
  /** CA certificate files (PEM or DER) devices' certificates must lead to (repeatable). */
  readonly ca?: readonly string[];
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Adds --coaps-port (default `defaultPort`), --no-coaps, --security-file and --require-security to `cmd`. */
export function withSecurityOptions(cmd: Command, defaultPort: number): Command {
  return cmd
    .option('--coaps-port <port>', 'UDP port of CoAP over DTLS (PSK), 0 for any', portOption, defaultPort)
    .option('--no-coaps', 'serve no DTLS port (plain CoAP only)')
    .option(
      '--security-file <file>',
      'credentials to accept (JSON: {"endpoint": {"psk": {"identity": "...", "key": "hex"}}})',
    )
    .option('--require-security', 'refuse requests in clear (NoSec), even from endpoints without credentials')
    .option('--cert <file>', 'our certificate (PEM or DER; a PEM may hold the chain, leaf first), with --key')
    .option('--key <file>', 'our P-256 private key (PEM or DER): DTLS with RPK and, with --cert, X.509')
    .option(
      '--ca <file>',
      "a CA certificate devices' certificates must lead to (PEM or DER, repeatable)",
      collect,
    );
}

/**
 * The certificate side of the DTLS listener from --cert, --key and --ca (none without --key).
 * Throws ConfigError naming the flag and file; never shows key bytes.
 */
export function loadDtlsCertificate(o: SecurityCliOptions): {
  readonly certificate?: DtlsOwnCertificate;
  readonly clientTrust?: DtlsClientTrust;
} {
  if (o.key === undefined) {
    if (o.cert !== undefined)
      throw new ConfigError('--cert needs --key (the private key of the certificate)');
    if (o.ca?.length) throw new ConfigError('--ca needs --key and --cert (our own certificate credentials)');
    return {};
  }
  try {
    const privateKey = requireP256('--key', o.key, readPrivateKey('--key', o.key));
    const chain = o.cert === undefined ? undefined : readCertificates('--cert', o.cert);
    if (chain && !new X509Certificate(chain[0]!).checkPrivateKey(privateKey))
      throw new ConfigError(`--cert ${o.cert}: is not the certificate of --key ${o.key}`);
    const trustAnchors = (o.ca ?? []).flatMap((path) => readCertificates('--ca', path));
    return {
      certificate: chain ? { privateKey, chain } : { privateKey },
      ...(trustAnchors.length > 0 ? { clientTrust: { trustAnchors } } : {}),
    };
  } catch (e) {
    if (e instanceof CredentialFileError) throw new ConfigError(e.message);
    throw e;
  }
}

/** The DTLS port to bind, or undefined when DTLS is off. */
export function coapsPortOf(o: SecurityCliOptions): number | undefined {
  return o.coaps === false ? undefined : o.coapsPort;
}

/** A store holding the credentials of `o.securityFile` (empty without one). Throws ConfigError. */
export async function loadSecurityStore(o: SecurityCliOptions): Promise<MemorySecurityStore> {
  if (o.securityFile === undefined) return new MemorySecurityStore();
  const path = o.securityFile;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`--security-file ${path}: cannot read it (${(e as NodeJS.ErrnoException).code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // the parser's message may quote the text around the error, a key included: not shown
    throw new ConfigError(`--security-file ${path}: is not valid JSON`);
  }
  try {
    return new MemorySecurityStore(parseSecurityInfoFile(Array.isArray(json) ? byEndpoint(json) : json));
  } catch (e) {
    throw new ConfigError(`--security-file ${path}: ${(e as Error).message}`);
  }
}

/**
 * The array form of a credentials file, `[{"endpoint": "dev1", "psk": {...}}, ...]`, as the
 * object form parseSecurityInfoFile reads (endpoint → credentials). Throws InvalidSecurityInfoError.
 */
function byEndpoint(items: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  items.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new InvalidSecurityInfoError(`[${i}]`, 'must be an object');
    const { endpoint, ...credentials } = item as Record<string, unknown>;
    if (typeof endpoint !== 'string')
      throw new InvalidSecurityInfoError(`[${i}].endpoint`, 'must be a string');
    if (Object.hasOwn(out, endpoint))
      throw new InvalidSecurityInfoError(`[${i}].endpoint`, `${JSON.stringify(endpoint)} is listed twice`);
    // defineProperty: an endpoint named "__proto__" stays a plain key
    Object.defineProperty(out, endpoint, { value: credentials, enumerable: true, writable: true });
  });
  return out;
}

/**
 * The `dtls` option of a role for `coapsPort` (undefined: no DTLS port), with the NSS key log of
 * the SSLKEYLOGFILE environment variable when it names a file (off otherwise: the lines are secrets).
 */
export function dtlsListenOptions(
  coapsPort: number | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
  credentials: ReturnType<typeof loadDtlsCertificate> = {},
):
  | {
      readonly port: number;
      readonly keyLog?: (line: string) => void;
      readonly certificate?: DtlsOwnCertificate;
      readonly clientTrust?: DtlsClientTrust;
    }
  | undefined {
  if (coapsPort === undefined) return undefined;
  const keyLog = sslKeyLogFileWriter(env);
  return { port: coapsPort, ...(keyLog ? { keyLog } : {}), ...credentials };
}

/** What the secured port speaks, for the start-up log line. */
export function dtlsModesText(dtls: ReturnType<typeof dtlsListenOptions>): string {
  if (!dtls?.certificate) return 'DTLS 1.2 PSK';
  const x509 = dtls.certificate.chain ? ', X.509' : '';
  return `DTLS 1.2 PSK, RPK${x509} (ECDHE_ECDSA)`;
}
