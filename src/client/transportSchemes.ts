// LwM2M Transport TS 1.1.1 section 5 (and Core TS E.1, Security resource 0): which LwM2M Server
// URI schemes a client can speak. `coap` needs the plain datagram transport every client has;
// `coaps` needs a secured (DTLS) transport (Lwm2mClient has one: PlainAndDtlsTransport, with the
// credentials of accountSecurity.ts), and `coap+tcp` / `coaps+tcp` a stream one. Until one is
// configured, an account with such a URI is refused with a clear error (at start-up, at
// Bootstrap-Finish, and before any Register) rather than spoken to in plain text: RFC 7252 6.2
// gives coaps its own default port, 5684, but a plain datagram there is no secured exchange.

/** The schemes a client without a secured or stream transport can use. */
export const PLAIN_SCHEMES: readonly string[] = Object.freeze(['coap']);

/** The schemes a client with a PlainAndDtlsTransport can use (coaps: DTLS PSK, accountSecurity.ts). */
export const DATAGRAM_SCHEMES: readonly string[] = Object.freeze(['coap', 'coaps']);

/** An LwM2M Server URI whose scheme the client has no transport for. */
export class UnsupportedSchemeError extends Error {
  readonly code = 'LWM2M_UNSUPPORTED_SCHEME';
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedSchemeError';
  }
}

/** The scheme of `uri` without ':' (lower case), or undefined when it is no URI. */
export function schemeOf(uri: string): string | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** Why `uri` cannot be used with the transports of `schemes`, or undefined when it can. */
export function schemeProblem(uri: string, schemes: readonly string[]): string | undefined {
  const scheme = schemeOf(uri);
  if (scheme === undefined || schemes.includes(scheme)) return undefined;
  const needs = scheme.startsWith('coaps')
    ? 'a secured (DTLS) transport, which is not configured'
    : 'a transport this client does not have';
  return `${uri.slice(0, 80)} needs ${needs} (usable schemes: ${schemes.join(', ')})`;
}

/** Throws UnsupportedSchemeError when `uri` cannot be used with `schemes`; `what` names the account. */
export function requireScheme(uri: string, schemes: readonly string[], what: string): void {
  const problem = schemeProblem(uri, schemes);
  if (problem !== undefined) throw new UnsupportedSchemeError(`${what}: ${problem}`);
}
