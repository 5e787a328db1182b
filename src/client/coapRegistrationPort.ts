// LwM2M Transport TS 1.1.1 section 6.3 (Client Registration interface over CoAP): the
// RegistrationPort that sends Register, Update and De-register through a CoapEndpoint with the
// requests binding/ builds, to the peer named by the account's LwM2M Server URI.
import type { CoapEndpoint } from '../coap/CoapEndpoint.js';
import {
  deregisterRequest,
  parseRegisterResponse,
  registerRequest,
  updateRequest,
} from '../binding/uplinkRequests.js';
import { decodeText } from '../binding/diagnostic.js';
import { BadRequestError } from '../lwm2m/errors.js';
import { isSuccess } from '../lwm2m/responses.js';
import { makePeer, type Peer } from '../transport/Peer.js';
import { securedPeer } from '../transport/PlainAndDtlsTransport.js';
import type { RegistrationPort } from './RegistrationEngine.js';
import type { ServerAccount } from './serverAccounts.js';
import { PLAIN_SCHEMES, requireScheme } from './transportSchemes.js';

const DEFAULT_PORTS: Readonly<Record<string, number>> = { coap: 5683, coaps: 5684 };

/**
 * The peer of a `coap://host:port` or `coaps://host:port` Server URI ('localhost' means
 * 127.0.0.1); a coaps peer is a secured one, which only DTLS carries (PlainAndDtlsTransport).
 * Throws BadRequestError.
 */
export function peerOfUri(uri: string): Peer {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new BadRequestError(`invalid LwM2M Server URI "${uri.slice(0, 80)}"`);
  }
  const scheme = url.protocol.replace(':', '');
  const port = url.port === '' ? DEFAULT_PORTS[scheme] : Number(url.port);
  if (port === undefined) throw new BadRequestError(`unsupported URI scheme "${scheme}"`);
  let host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') host = '127.0.0.1';
  return scheme === 'coaps' ? securedPeer(host, port) : makePeer(host, port);
}

/**
 * A RegistrationPort over `endpoint`; `timeoutMs` bounds each exchange (default: CoAP's own). A
 * Register to a URI whose scheme is not in `schemes` fails with UnsupportedSchemeError, and one
 * `checkSecurity` throws for (e.g. UnusableSecurityError) fails with that error.
 */
export function coapRegistrationPort(
  endpoint: CoapEndpoint,
  timeoutMs?: number,
  schemes: readonly string[] = PLAIN_SCHEMES,
  checkSecurity: (account: ServerAccount) => void = () => undefined,
): RegistrationPort {
  const opts = timeoutMs === undefined ? {} : { timeoutMs };
  return {
    async register(account, p) {
      requireScheme(account.uri, schemes, `server account ${account.ssid}`);
      checkSecurity(account);
      const legacyQueue = p.lwm2mVersion === '1.0' && p.queueMode;
      const res = await endpoint.request(peerOfUri(account.uri), {
        ...registerRequest({
          endpoint: p.endpoint,
          lifetime: p.lifetime,
          lwm2mVersion: p.lwm2mVersion,
          binding: legacyQueue ? p.binding + 'Q' : p.binding,
          queueMode: p.queueMode && !legacyQueue,
          ...(p.smsNumber !== undefined ? { sms: p.smsNumber } : {}),
          objects: p.objects,
        }),
        ...opts,
      });
      const parsed = parseRegisterResponse(res);
      if (parsed.location) return { code: res.code, location: parsed.location };
      return parsed.diagnostic !== undefined
        ? { code: res.code, diagnostic: parsed.diagnostic }
        : { code: res.code };
    },
    async update(account, location, plan) {
      const res = await endpoint.request(peerOfUri(account.uri), {
        ...updateRequest(location, plan),
        ...opts,
      });
      const diagnostic = isSuccess(res.code) ? undefined : decodeText(res.payload);
      return diagnostic !== undefined ? { code: res.code, diagnostic } : { code: res.code };
    },
    async deregister(account, location) {
      const res = await endpoint.request(peerOfUri(account.uri), { ...deregisterRequest(location), ...opts });
      return { code: res.code };
    },
  };
}
