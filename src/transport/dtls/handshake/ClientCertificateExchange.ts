// The certificate part of a client handshake on a TLS_ECDHE_ECDSA_* suite (RFC 8422, RFC 7251;
// profiled by RFC 7925 section 4.4), what ClientHandshake delegates between ServerHello and its
// final flight:
//
//                                     <--  ServerHello, Certificate, ServerKeyExchange,
//                                          [CertificateRequest], ServerHelloDone
//   [Certificate], ClientKeyExchange,
//   [CertificateVerify], CCS, Finished -->
//
// Hello: supported_groups [secp256r1], ec_point_formats [uncompressed], signature_algorithms
// [ecdsa_secp256r1_sha256] (RFC 8422 5.1, RFC 7925 4.4); with raw public keys also
// client_certificate_type and server_certificate_type [RawPublicKey] (RFC 7250 section 4). With
// X.509 no certificate type extension (X.509 is the default). What the server's messages must
// hold is in clientCertificateChecks.ts. The ECDH key pair and premaster secret are computed
// while the ServerKeyExchange signature is checked. CertificateVerify (RFC 5246 7.4.8) signs
// every handshake message from ClientHello up to it, so this side keeps a copy of those bytes (a
// few KB) until it is sent. The public-key work runs on the transport's HandshakeCrypto (worker
// threads by default). No session is offered or kept for these handshakes.

import { createPublicKey, type KeyObject } from 'node:crypto';
import type { PeerIdentity } from '../../Peer.js';
import type { EcdhKeyPair, HandshakeCrypto } from '../crypto/HandshakeCrypto.js';
import { CryptoBusyError } from '../crypto/WorkerHandshakeCrypto.js';
import type { DtlsClientCertificate } from '../DtlsTransportOptions.js';
import { AlertDescription } from './alerts.js';
import {
  acceptServerCertificate,
  readServerKeyExchange,
  type AcceptedServer,
} from './clientCertificateChecks.js';
import type { FlightItem } from './Flight.js';
import { HandshakeAbort } from './HandshakeBase.js';
import { CertificateType, decodeCertificate, encodeCertificate } from './messages/Certificate.js';
import {
  CertificateExtensionType,
  UNCOMPRESSED,
  decodeCertificateTypeChoice,
  decodeEcPointFormats,
  encodeCertificateTypeList,
  encodeEcPointFormats,
  encodeSignatureAlgorithms,
  encodeSupportedGroups,
} from './messages/certificateExtensions.js';
import { ECDSA_SIGN, decodeCertificateRequest } from './messages/CertificateRequest.js';
import { SECP256R1, encodeEcdhClientKeyExchange } from './messages/EcdheKeyExchange.js';
import { ExtensionType, findExtension, type Extension } from './messages/extensions.js';
import { HandshakeType } from './messages/HandshakeHeader.js';
import { encodeServerName } from './messages/serverName.js';
import type { ServerHello } from './messages/ServerHello.js';
import { decodeServerHelloDone } from './messages/ServerHelloDone.js';
import { ECDSA_SHA256, encodeCertificateVerify } from './messages/signatures.js';
import type { HandshakeMessage } from './Reassembler.js';

/** Certificate credentials for one handshake and where their public-key work runs. */
export interface ClientCertificateSetup {
  readonly credentials: DtlsClientCertificate;
  readonly crypto: HandshakeCrypto;
}

/** What the exchange needs from its handshake. */
export interface ClientExchangePort {
  /** Adds a handshake message (header included) to the transcript hash. */
  hear(wire: Uint8Array): void;
  /** A message of ours, numbered (not yet in the transcript). */
  message(msgType: number, body: Uint8Array): FlightItem;
  /** Its transcript form. */
  wire(item: FlightItem): Uint8Array;
  /** The transcript hash now (the session hash of RFC 7627 once ClientKeyExchange is in). */
  digest(): Uint8Array;
  /** False once the handshake stopped (failed, disposed) while a step awaited. */
  running(): boolean;
  /** ClientHello.random and ServerHello.random. */
  randoms(): readonly [Uint8Array, Uint8Array];
  /** Sends `items` then CCS and Finished, keyed from `premaster`; `peerFlightEnd` ends the server's flight. */
  finish(
    items: readonly FlightItem[],
    premaster: Uint8Array,
    sessionHash: Uint8Array,
    peerFlightEnd: number,
  ): void;
}

type Kind = 'x509' | 'rawPublicKey';

/** Our raw public keys (SPKI DER) by private key, derived once (~100 µs each). */
const ownSpkis = new WeakMap<KeyObject, Uint8Array>();
function ownSpki(privateKey: KeyObject): Uint8Array {
  let spki = ownSpkis.get(privateKey);
  if (!spki)
    ownSpkis.set(privateKey, (spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })));
  return spki;
}

/** The certificate-suite messages of one client handshake. */
export class ClientCertificateExchange {
  private serverType: Kind = 'x509';
  private clientType: Kind = 'x509';
  private step: 'certificate' | 'keyExchange' | 'request' | 'done' = 'certificate';
  private server: AcceptedServer | undefined;
  private ecdh: { readonly pair: EcdhKeyPair; readonly premaster: Uint8Array } | undefined;
  private requested = false;
  /** The handshake messages so far, for CertificateVerify. */
  private readonly kept: Uint8Array[] = [];

  constructor(
    private readonly credentials: DtlsClientCertificate,
    private readonly crypto: HandshakeCrypto,
    private readonly port: ClientExchangePort,
  ) {}

  /** The ClientHello extensions of certificate suites. */
  helloExtensions(): Extension[] {
    const out: Extension[] = [
      { type: CertificateExtensionType.supportedGroups, data: encodeSupportedGroups([SECP256R1]) },
      { type: CertificateExtensionType.ecPointFormats, data: encodeEcPointFormats([UNCOMPRESSED]) },
      { type: CertificateExtensionType.signatureAlgorithms, data: encodeSignatureAlgorithms([ECDSA_SHA256]) },
    ];
    if (this.credentials.mode === 'rpk') {
      const rpk = encodeCertificateTypeList([CertificateType.rawPublicKey]);
      out.push({ type: CertificateExtensionType.clientCertificateType, data: rpk });
      out.push({ type: CertificateExtensionType.serverCertificateType, data: rpk });
    }
    // RFC 6066 section 3: the DNS name the server's certificate is checked against
    const host = this.credentials.mode === 'x509' ? this.credentials.server.host : undefined;
    const serverName = host === undefined ? undefined : encodeServerName(host);
    if (serverName) out.push({ type: ExtensionType.serverName, data: serverName });
    return out;
  }

  /** The server's identity, once its Certificate was accepted. */
  get serverIdentity(): PeerIdentity | undefined {
    return this.server?.identity;
  }

  /** Reads what the ServerHello chose (certificate types, RFC 7250 4.2; point formats); keeps both hellos. */
  onServerHello(sh: ServerHello, helloWire: Uint8Array, serverHelloWire: Uint8Array): void {
    this.serverType = this.chosenType(sh, CertificateExtensionType.serverCertificateType);
    this.clientType = this.chosenType(sh, CertificateExtensionType.clientCertificateType);
    const formats = findExtension(sh.extensions, CertificateExtensionType.ecPointFormats);
    if (formats && !decodeEcPointFormats(formats).includes(UNCOMPRESSED))
      throw new HandshakeAbort(AlertDescription.illegalParameter, 'server without uncompressed points');
    this.kept.push(Uint8Array.from(helloWire), Uint8Array.from(serverHelloWire));
  }

  private chosenType(sh: ServerHello, extension: number): Kind {
    const data = findExtension(sh.extensions, extension);
    if (data === undefined) return 'x509'; // the default (RFC 7250 section 4.2)
    // offered in rpk mode only, with RawPublicKey alone (ClientHandshake refuses unoffered extensions)
    const type = decodeCertificateTypeChoice(data);
    if (type !== CertificateType.rawPublicKey)
      throw new HandshakeAbort(AlertDescription.illegalParameter, `certificate type ${type} not offered`);
    return 'rawPublicKey';
  }

  /** Certificate, ServerKeyExchange, [CertificateRequest], ServerHelloDone, in that order. */
  onMessage(m: HandshakeMessage, wire: Uint8Array): Promise<void> | void {
    this.port.hear(wire);
    this.kept.push(Uint8Array.from(wire));
    const body = m.body;
    if (this.step === 'certificate' && m.msgType === HandshakeType.certificate) {
      this.step = 'keyExchange';
      this.server = acceptServerCertificate(decodeCertificate(body, this.serverType), this.credentials);
      return;
    }
    if (this.step === 'keyExchange' && m.msgType === HandshakeType.serverKeyExchange) {
      this.step = 'request';
      return this.onServerKeyExchange(body);
    }
    if (this.step === 'request' && m.msgType === HandshakeType.certificateRequest) {
      this.step = 'done';
      const req = decodeCertificateRequest(body);
      if (!req.certificateTypes.includes(ECDSA_SIGN) || !req.signatureAlgorithms.includes(ECDSA_SHA256))
        throw new HandshakeAbort(
          AlertDescription.handshakeFailure,
          'the server takes no ECDSA P-256 certificate',
        );
      this.requested = true;
      return;
    }
    if ((this.step === 'request' || this.step === 'done') && m.msgType === HandshakeType.serverHelloDone) {
      decodeServerHelloDone(body);
      return this.sendFlight(m.messageSeq);
    }
    throw new HandshakeAbort(
      AlertDescription.unexpectedMessage,
      `unexpected message ${m.msgType} before ${this.step} (certificate suite)`,
    );
  }

  /** Checks the signature while making our key pair and the premaster secret. */
  private onServerKeyExchange(body: Uint8Array): Promise<void> {
    const [clientRandom, serverRandom] = this.port.randoms();
    const ske = readServerKeyExchange(body, clientRandom, serverRandom);
    const crypto = this.crypto;
    const ecdh = crypto.ecdhGenerate().then(async (pair) => {
      try {
        return { pair, premaster: await crypto.ecdhCompute(pair.privateKey, ske.point) };
      } catch (e) {
        if (e instanceof CryptoBusyError) throw e;
        throw new HandshakeAbort(
          AlertDescription.illegalParameter,
          'the server ECDH point is not on the curve',
        );
      }
    });
    return Promise.all([crypto.verify(ske.signed, this.server!.key, ske.signature), ecdh]).then(([ok, e]) => {
      if (!ok)
        throw new HandshakeAbort(
          AlertDescription.decryptError,
          'ServerKeyExchange signature does not verify',
        );
      this.ecdh = e;
    });
  }

  /** Our Certificate body for the negotiated client type (an empty X.509 list when we have none). */
  private ownCertificate(): { body: Uint8Array; signs: boolean } {
    const c = this.credentials;
    if (this.clientType === 'rawPublicKey') {
      const subjectPublicKeyInfo = ownSpki(c.privateKey);
      return { body: encodeCertificate({ type: 'rawPublicKey', subjectPublicKeyInfo }), signs: true };
    }
    const chain = c.mode === 'x509' ? c.chain : [];
    return { body: encodeCertificate({ type: 'x509', chain }), signs: chain.length > 0 };
  }

  /** Adds one of our messages to the transcript and the kept copy. */
  private ours(msgType: number, body: Uint8Array): FlightItem {
    const item = this.port.message(msgType, body);
    const wire = this.port.wire(item);
    this.port.hear(wire);
    this.kept.push(wire);
    return item;
  }

  /** [Certificate], ClientKeyExchange, [CertificateVerify], then the handshake's CCS and Finished. */
  private async sendFlight(peerFlightEnd: number): Promise<void> {
    const { pair, premaster } = this.ecdh!;
    const items: FlightItem[] = [];
    const own = this.requested ? this.ownCertificate() : undefined;
    if (own) items.push(this.ours(HandshakeType.certificate, own.body));
    items.push(this.ours(HandshakeType.clientKeyExchange, encodeEcdhClientKeyExchange(pair.publicPoint)));
    const sessionHash = this.port.digest();
    if (own?.signs) {
      const signature = await this.crypto.sign(Buffer.concat(this.kept), this.credentials.privateKey);
      if (!this.port.running()) return;
      const body = encodeCertificateVerify({ algorithm: ECDSA_SHA256, signature });
      items.push(this.ours(HandshakeType.certificateVerify, body));
    }
    this.kept.length = 0;
    this.port.finish(items, premaster, sessionHash, peerFlightEnd);
  }
}
