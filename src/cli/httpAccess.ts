// Issue 12 item 6 on the command line: who may use the REST API of `lwm2m server` and `lwm2m
// bootstrap`. API keys come from --api-keys-file and/or LWM2M_API_KEYS (apiKeys.ts: sha256 lines
// or bare tokens, hashed on load). Bound beyond loopback, the API needs keys; without them it
// refuses to start unless --insecure says so. The start-up line shows the URL clients can use.
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { isLoopback, type ApiAccessOptions } from '../http/apiGuard.js';
import { parseApiKeys } from '../http/apiKeys.js';
import { reachableAddress, type InterfaceTable } from './publicUri.js';

/** The environment variable holding API keys (comma-separated). */
export const API_KEYS_ENV = 'LWM2M_API_KEYS';

/** Parsed access flags. */
export interface HttpAccessCliOptions {
  readonly apiKeysFile?: string;
  readonly httpHost?: readonly string[];
  readonly httpOrigin?: readonly string[];
  readonly insecure?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Adds the access flags to `cmd`. */
export function withHttpAccessOptions(cmd: Command): Command {
  return cmd
    .option(
      '--api-keys-file <file>',
      `API keys of the REST API, one per line (sha256:<hex>, or a token); also ${API_KEYS_ENV}`,
    )
    .option('--http-host <name>', 'a DNS name of the REST API accepted in Host (repeatable)', collect)
    .option(
      '--http-origin <origin>',
      'a web origin (https://ui.example) allowed to change things through the REST API (repeatable)',
      collect,
    )
    .option('--insecure', 'serve the REST API beyond loopback without API keys');
}

/** The access rules the flags and `env` give; throws when the API would be open beyond loopback. */
export async function resolveHttpAccess(
  o: HttpAccessCliOptions,
  httpAddress: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ApiAccessOptions> {
  const hashes: Uint8Array[] = [];
  if (o.apiKeysFile !== undefined)
    hashes.push(...parseApiKeys(await readFile(o.apiKeysFile, 'utf8'), o.apiKeysFile));
  const fromEnv = env[API_KEYS_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') hashes.push(...parseApiKeys(fromEnv, API_KEYS_ENV));
  if (hashes.length === 0 && !isLoopback(httpAddress) && o.insecure !== true)
    throw new Error(
      `refusing to serve the REST API on ${httpAddress} without API keys: give --api-keys-file or ${API_KEYS_ENV}, bind --http-address 127.0.0.1, or accept the risk with --insecure`,
    );
  return {
    ...(o.httpHost === undefined ? {} : { allowedHosts: o.httpHost }),
    ...(o.httpOrigin === undefined ? {} : { allowedOrigins: o.httpOrigin }),
    ...(hashes.length === 0 ? {} : { apiKeyHashes: hashes }),
  };
}

const bracket = (a: string): string => (a.includes(':') ? `[${a}]` : a);

/**
 * The URL of an HTTP server bound at `bound`, as clients use it: a wildcard address is shown as
 * the address devices would be told for it (publicUri.ts: IPv4 first, never link-local), or
 * 127.0.0.1 when the machine has no other.
 */
export function reachableHttpUrl(
  bound: AddressInfo,
  interfaces: InterfaceTable = networkInterfaces(),
): string {
  if (bound.address !== '0.0.0.0' && bound.address !== '::')
    return `http://${bracket(bound.address)}:${bound.port}`;
  const external = reachableAddress(bound.address, interfaces);
  return `http://${external === undefined ? '127.0.0.1' : bracket(external)}:${bound.port}`;
}

/** The access summary of the start-up line. */
export function accessSummary(bound: AddressInfo, access: ApiAccessOptions): string {
  const keys = access.apiKeyHashes?.length ?? 0;
  const every = bound.address === '0.0.0.0' || bound.address === '::' ? `every interface, ` : '';
  return keys > 0 ? `${every}${keys} API key(s)` : `${every}no API key`;
}
