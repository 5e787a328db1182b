// RFC 7252 section 6.2 (coaps on its own port) over RFC 6347: a DTLS server transport on a UDP
// socket of its own, as the LwM2M server (5684) and bootstrap server (5784) bind one beside their
// plain CoAP socket. Credentials come from the caller (the role's SecurityStore): PSK keys by
// identity and, for the ECDHE_ECDSA suites (Transport TS 1.1.1 5.2.8, RFC 7250), whether a raw
// public key is on file; our own key and chain, and the CAs clients' certificates must lead to,
// come with the listener options and are checked here, so a wrong file fails the start clearly.
import { X509Certificate } from 'node:crypto';
import type { Peer } from '../Peer.js';
import { bindUdp, type UdpSocketKind } from '../udp/bindUdp.js';
import type { DtlsClock } from './DtlsClock.js';
import { DtlsTransport } from './DtlsTransport.js';
import type { DtlsOwnCertificate, DtlsServerOptions } from './DtlsTransportOptions.js';

/**
 * A role's DTLS listener: where it binds, and any DtlsTransport tuning (handshake and connection
 * caps, timeouts, Connection ID length, suites; DtlsTransportOptions documents the defaults), our
 * `certificate` (P-256 key and optional chain: enables the ECDHE_ECDSA suites) and `clientTrust`
 * (CA certificates for X.509 clients; raw public keys are admitted from the role's store unless
 * `clientTrust.knownRawPublicKey` is given).
 */
export interface DtlsListenerOptions extends Omit<DtlsServerOptions, 'role' | 'pskFor'> {
  /** UDP port (0: any). Default: the role's (5684 for a server, 5784 for a bootstrap server). */
  readonly port?: number;
  /** Local address. Default: the role's plain CoAP address. */
  readonly address?: string;
}

/** Where a role's DTLS server finds its clients' credentials (its SecurityStore). */
export interface DtlsServerCredentials {
  /** The key of a PSK identity, or undefined when no endpoint has it. */
  readonly pskFor: (identity: string, peer: Peer) => Promise<Uint8Array | undefined>;
  /** True when a raw public key (DER SubjectPublicKeyInfo) is some endpoint's; absent: RPK clients refused. */
  readonly knownRawPublicKey?: (spki: Uint8Array, peer: Peer) => Promise<boolean>;
}

/** Throws a TypeError naming the field when our key is not P-256 or the chain's leaf is not its certificate. */
function checkOwnCertificate(own: DtlsOwnCertificate): void {
  const { privateKey, chain } = own;
  // RFC 7251 / RFC 7925 4.4: the LwM2M suites sign with ECDSA on secp256r1 only
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new TypeError('dtls.certificate.privateKey: must be a P-256 (secp256r1) EC private key');
  chain?.forEach((der, i) => {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(der);
    } catch {
      throw new TypeError(`dtls.certificate.chain[${i}]: is not a DER X.509 certificate`);
    }
    if (i === 0 && !cert.checkPrivateKey(privateKey))
      throw new TypeError('dtls.certificate.chain[0]: is not the certificate of dtls.certificate.privateKey');
  });
}

/**
 * The DtlsTransport options of a role's listener: `options` without the bind address, PSKs and
 * known raw public keys from `credentials` (an explicit `clientTrust.knownRawPublicKey` wins).
 * Throws TypeError when `options.certificate` or a trust anchor is unusable.
 */
export function dtlsServerOptions(
  options: DtlsListenerOptions,
  defaults: { readonly clock?: DtlsClock },
  credentials: DtlsServerCredentials,
): DtlsServerOptions {
  const { port: _port, address: _address, certificate, clientTrust, ...tuning } = options;
  if (certificate) checkOwnCertificate(certificate);
  clientTrust?.trustAnchors?.forEach((der, i) => {
    try {
      new X509Certificate(der);
    } catch {
      throw new TypeError(`dtls.clientTrust.trustAnchors[${i}]: is not a DER X.509 certificate`);
    }
  });
  const knownRawPublicKey = clientTrust?.knownRawPublicKey ?? credentials.knownRawPublicKey;
  const trust = {
    ...(clientTrust?.trustAnchors ? { trustAnchors: clientTrust.trustAnchors } : {}),
    ...(knownRawPublicKey ? { knownRawPublicKey } : {}),
  };
  return {
    ...(defaults.clock ? { clock: defaults.clock } : {}),
    ...tuning,
    role: 'server',
    pskFor: credentials.pskFor,
    ...(certificate ? { certificate } : {}),
    clientTrust: trust,
  };
}

/** Binds UDP on `options.port` (else `defaults.port`) and runs a DTLS server over it with `credentials`. */
export async function bindDtlsServer(
  options: DtlsListenerOptions,
  defaults: {
    readonly address: string;
    readonly port: number;
    readonly clock?: DtlsClock;
    /** The UDP socket under the records (bindUdp.ts); default 'auto'. */
    readonly udpSocket?: UdpSocketKind;
    /** The kernel receive buffer it asks for (UdpBindOptions.receiveBufferBytes). */
    readonly receiveBufferBytes?: number;
    /** Its sendmmsg calls on a thread of their own (UdpBindOptions.sendThread). */
    readonly sendThread?: boolean;
  },
  credentials: DtlsServerCredentials,
): Promise<DtlsTransport> {
  const dtlsOptions = dtlsServerOptions(options, defaults, credentials); // throws before binding
  const udp = await bindUdp(
    {
      address: options.address ?? defaults.address,
      port: options.port ?? defaults.port,
      ...(defaults.receiveBufferBytes === undefined
        ? {}
        : { receiveBufferBytes: defaults.receiveBufferBytes }),
      ...(defaults.sendThread === undefined ? {} : { sendThread: defaults.sendThread }),
    },
    defaults.udpSocket,
  );
  return new DtlsTransport(udp, dtlsOptions);
}
