// Issue 13 item 4 (bootstrap side of the endpoint-name binding, Transport TS 1.1.1 5.2: the
// Bootstrap-Server compares the `ep` of a Bootstrap-Request with the identity the DTLS handshake
// authenticated): before a Bootstrap-Request or Bootstrap-Pack-Request reads the endpoint's
// config or starts a session, the identity the transport authenticated must be the one
// configured for that endpoint. The rules are lwm2m/checkUplinkIdentity's.
import { checkUplinkIdentity, type UplinkSecurityPolicy } from '../lwm2m/checkUplinkIdentity.js';
import { BadRequestError, Lwm2mError } from '../lwm2m/errors.js';
import type { SecurityStore } from '../store/SecurityStore.js';
import type { Peer } from '../transport/Peer.js';

/** The bootstrap server's security settings (BootstrapServerOptions.security). */
export interface BootstrapSecurityOptions extends Partial<UplinkSecurityPolicy> {
  /** Credentials by endpoint (those the bootstrap server accepts, not those it provisions). */
  readonly store: SecurityStore;
}

/** 4.03 Forbidden (RFC 7252 5.9.2.4): the policy refuses this uplink. */
class ForbiddenUplinkError extends Lwm2mError {
  constructor(message: string) {
    super(message, 'LWM2M_FORBIDDEN', 0x83);
  }
}

/** Checks that a bootstrap uplink's authenticated identity belongs to the endpoint it names. */
export class BootstrapAuthorizer {
  private readonly policy: UplinkSecurityPolicy;

  constructor(private readonly options: BootstrapSecurityOptions) {
    this.policy = { requireSecurity: options.requireSecurity ?? false };
  }

  /** Resolves when `peer` may act for `endpoint`; else rejects with a 4.00 or 4.03 Lwm2mError. */
  async check(endpoint: string, peer: Peer): Promise<void> {
    const info = await this.options.store.getByEndpoint(endpoint);
    const verdict = checkUplinkIdentity(endpoint, peer.identity, info, this.policy);
    if (verdict === 'ok') return;
    throw verdict.kind === 'mismatch'
      ? new BadRequestError(verdict.reason)
      : new ForbiddenUplinkError(verdict.reason);
  }
}
