// RFC 7252 section 6.2 (coaps on its own port) over RFC 6347: a DTLS server transport on a UDP
// socket of its own, as the LwM2M server (5684) and bootstrap server (5784) bind one beside their
// plain CoAP socket. Keys come from the caller (the role's SecurityStore).
import type { Peer } from '../Peer.js';
import { UdpTransport } from '../udp/UdpTransport.js';
import type { DtlsClock } from './DtlsClock.js';
import { DtlsTransport } from './DtlsTransport.js';
import type { DtlsServerOptions } from './DtlsTransportOptions.js';

/**
 * A role's DTLS listener: where it binds, and any DtlsTransport tuning (handshake and connection
 * caps, timeouts, Connection ID length, suites; DtlsTransportOptions documents the defaults).
 */
export interface DtlsListenerOptions extends Omit<DtlsServerOptions, 'role' | 'pskFor'> {
  /** UDP port (0: any). Default: the role's (5684 for a server, 5784 for a bootstrap server). */
  readonly port?: number;
  /** Local address. Default: the role's plain CoAP address. */
  readonly address?: string;
}

/** Binds UDP on `options.port` (else `defaults.port`) and runs a DTLS server over it with keys from `pskFor`. */
export async function bindDtlsServer(
  options: DtlsListenerOptions,
  defaults: { readonly address: string; readonly port: number; readonly clock?: DtlsClock },
  pskFor: (identity: string, peer: Peer) => Promise<Uint8Array | undefined>,
): Promise<DtlsTransport> {
  const { port, address, ...tuning } = options;
  const udp = await UdpTransport.bind({ address: address ?? defaults.address, port: port ?? defaults.port });
  return new DtlsTransport(udp, {
    ...(defaults.clock ? { clock: defaults.clock } : {}),
    ...tuning,
    role: 'server',
    pskFor,
  });
}
