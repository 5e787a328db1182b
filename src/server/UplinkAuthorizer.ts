// Issue 13 item 4 (server side of the endpoint-name binding, Transport TS 1.1.1 5.2): before a
// Register, Update or De-register touches the registration store, the identity the transport
// authenticated (DTLS PSK identity, later RPK/X.509) must be the one configured for the endpoint
// the request acts for. The rules are lwm2m/checkUplinkIdentity's; this is where the server
// applies them, with its SecurityStore and policy.
import { Code } from '../coap/CoapMessage.js';
import type { OutgoingResponse } from '../coap/Router.js';
import { checkUplinkIdentity, type UplinkSecurityPolicy } from '../lwm2m/checkUplinkIdentity.js';
import type { SecurityStore } from '../store/SecurityStore.js';
import type { Peer } from '../transport/Peer.js';

/** The server's security settings (Lwm2mServerOptions.security). */
export interface ServerSecurityOptions extends Partial<UplinkSecurityPolicy> {
  /** Credentials by endpoint. */
  readonly store: SecurityStore;
}

const encoder = new TextEncoder();

/** Checks that an uplink's authenticated identity belongs to the endpoint it acts for. */
export class UplinkAuthorizer {
  private readonly policy: UplinkSecurityPolicy;

  constructor(private readonly options: ServerSecurityOptions) {
    this.policy = { requireSecurity: options.requireSecurity ?? false };
  }

  /** undefined when `peer` may act for `endpoint`; else the refusal to answer (4.00 or 4.03). */
  async refusal(endpoint: string, peer: Peer): Promise<OutgoingResponse | undefined> {
    const info = await this.options.store.getByEndpoint(endpoint);
    const verdict = checkUplinkIdentity(endpoint, peer.identity, info, this.policy);
    if (verdict === 'ok') return undefined;
    return {
      code: verdict.kind === 'mismatch' ? Code.BAD_REQUEST : Code.FORBIDDEN,
      payload: encoder.encode(verdict.reason),
    };
  }
}
