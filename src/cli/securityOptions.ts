// The DTLS options `lwm2m server` and `lwm2m bootstrap` share (issue 13 item 5): a secured CoAP
// port beside the plain one (RFC 7252 6.2: coaps on its own port), the credentials file read into
// the MemorySecurityStore the handshakes and the Authorizers use, and the require-security
// policy. A bad file stops the start (exit code 2) naming the field; keys are never printed.
import { readFile } from 'node:fs/promises';
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
}

/** Adds --coaps-port (default `defaultPort`), --no-coaps, --security-file and --require-security to `cmd`. */
export function withSecurityOptions(cmd: Command, defaultPort: number): Command {
  return cmd
    .option('--coaps-port <port>', 'UDP port of CoAP over DTLS (PSK), 0 for any', portOption, defaultPort)
    .option('--no-coaps', 'serve no DTLS port (plain CoAP only)')
    .option(
      '--security-file <file>',
      'credentials to accept (JSON: {"endpoint": {"psk": {"identity": "...", "key": "hex"}}})',
    )
    .option(
      '--require-security',
      'refuse requests in clear (NoSec), even from endpoints without credentials',
    );
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
): { readonly port: number; readonly keyLog?: (line: string) => void } | undefined {
  if (coapsPort === undefined) return undefined;
  const keyLog = sslKeyLogFileWriter(env);
  return keyLog ? { port: coapsPort, keyLog } : { port: coapsPort };
}
