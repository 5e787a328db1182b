// The LwM2M Server URI that devices are told (Core TS 1.1.1 E.1, Security object resource 0,
// written by the built-in Bootstrap-Server): `--public-uri` when given, else the bound address
// when it is a specific one, else (wildcard bind) an address of a non-loopback interface, since
// coap://127.0.0.1 sends a device on another host to itself (issue 12 item 13).
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { InvalidArgumentError } from 'commander';

/** Interfaces as os.networkInterfaces() lists them. */
export type InterfaceTable = NodeJS.Dict<readonly NetworkInterfaceInfo[]>;

/** The URI chosen and why, for the start-up line. */
export interface PublicUriChoice {
  readonly uri: string;
  readonly source: 'option' | 'bind address' | 'interface' | 'loopback fallback';
}

/** Commander parser of `--public-uri`: coap://HOST[:PORT] with nothing after the authority. */
export function publicUriOption(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError('expected a URI such as coap://lwm2m.example.com:5683');
  }
  if (url.protocol !== 'coap:') throw new InvalidArgumentError('only coap:// (NoSec) is served here');
  if (url.hostname === '') throw new InvalidArgumentError('the URI needs a host');
  if (text.length > 255)
    throw new InvalidArgumentError('at most 255 characters (Security object resource 0, Core TS E.1)');
  if (!/^coap:\/\/[^/?#\s]+\/?$/.test(text))
    throw new InvalidArgumentError('give scheme, host and port only (no path, query or fragment)');
  return text.replace(/\/$/, '');
}

const WILDCARDS = new Set(['', '::', '0.0.0.0', '::0']);
const hostPart = (address: string): string => (address.includes(':') ? `[${address}]` : address);

/** Link-local addresses (169.254/16, fe80::/10) need a zone to be reached: not an address to hand out. */
const linkLocal = (i: NetworkInterfaceInfo): boolean =>
  i.family === 'IPv4' ? i.address.startsWith('169.254.') : /^fe[89ab]/i.test(i.address);

/**
 * The first usable non-internal interface address: IPv4 first (what most devices and networks
 * reach), IPv6 only when the socket is dual stack (bound to `::`) and no IPv4 address exists.
 */
export function reachableAddress(bind: string, interfaces: InterfaceTable): string | undefined {
  const all = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal && !linkLocal(i));
  const v4 = all.find((i) => i.family === 'IPv4');
  if (v4) return v4.address;
  return bind === '0.0.0.0' ? undefined : all.find((i) => i.family === 'IPv6')?.address;
}

/** The URI devices should use for a CoAP socket bound to `bind`:`port`. */
export function choosePublicUri(
  o: { readonly publicUri?: string; readonly bind: string; readonly port: number },
  interfaces: InterfaceTable = networkInterfaces(),
): PublicUriChoice {
  if (o.publicUri !== undefined) return { uri: o.publicUri, source: 'option' };
  if (!WILDCARDS.has(o.bind)) return { uri: `coap://${hostPart(o.bind)}:${o.port}`, source: 'bind address' };
  const address = reachableAddress(o.bind, interfaces);
  return address === undefined
    ? { uri: `coap://127.0.0.1:${o.port}`, source: 'loopback fallback' }
    : { uri: `coap://${hostPart(address)}:${o.port}`, source: 'interface' };
}
