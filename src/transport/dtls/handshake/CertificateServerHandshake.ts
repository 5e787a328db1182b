// The server handshake of a transport with certificate credentials: PSK as ServerHandshake, plus
// the ECDHE_ECDSA suites (RFC 8422 section 2, RFC 7251, RFC 7925 section 4.4; raw public keys
// RFC 7250). ServerHandshake stays the PSK-only class, so PSK servers never pay for this.
//
//   ClientHello(cookie)  -->                      [chooseSuite: ours first; negotiateCertificate]
//                        <--  ServerHello, Certificate, ServerKeyExchange,
//                             CertificateRequest, ServerHelloDone      (async: ECDH key, signature)
//   Certificate          -->                      awaitCertificate: chain or raw key admitted
//   ClientKeyExchange    -->                      awaitEcdhKeyExchange: ECDH (async), keys
//   CertificateVerify    -->                      awaitCertificateVerify: signature (async)
//   ChangeCipherSpec     -->                      awaitChangeCipherSpec (as PSK)
//   Finished             -->                      awaitFinished (as PSK)
//                        <--  ChangeCipherSpec, Finished            complete(rpk / x509 identity)
//
// A ChangeCipherSpec before CertificateVerify is checked is dropped like one before the keys (a
// lost CertificateVerify is retransmitted with it), so a client that never sends CertificateVerify
// never gets past it. ECDHE sessions are not cached: their ServerHello carries no session id, so
// resumption (a PSK-only feature here) never meets a certificate identity.

import type { PeerIdentity } from '../../Peer.js';
import { CryptoBusyError } from '../crypto/WorkerHandshakeCrypto.js';
import type { CipherSuite } from '../suites.js';
import { AlertDescription } from './alerts.js';
import { negotiateCertificate } from './certificateNegotiation.js';
import {
  HandshakeAbort,
  HandshakeBase,
  type HandshakeContext,
  type HandshakeEvents,
} from './HandshakeBase.js';
import { extendedMasterSecret, masterSecret } from './KeySchedule.js';
import type { ClientHello } from './messages/ClientHello.js';
import type { Extension } from './messages/extensions.js';
import { HandshakeType } from './messages/HandshakeHeader.js';
import { encodeServerHelloDone } from './messages/ServerHelloDone.js';
import type { HandshakeMessage } from './Reassembler.js';
import { ServerCertificateExchange } from './ServerCertificateExchange.js';
import { NONE, ServerHandshake, type ServerHandshakeOptions } from './ServerHandshake.js';

/** A server handshake that can also negotiate the certificate suites. */
export class CertificateServerHandshake extends ServerHandshake {
  /** The certificate path, once an ECDHE_ECDSA suite is chosen. */
  private cert: ServerCertificateExchange | undefined;
  /** The ClientHello's transcript form, until the suite is chosen (CertificateVerify covers it). */
  private helloWire: Uint8Array;

  constructor(
    ctx: HandshakeContext,
    events: HandshakeEvents,
    options: ServerHandshakeOptions,
    hello: ClientHello,
    helloWire: Uint8Array,
    helloMessageSeq: number,
    helloRecordSeq: number,
  ) {
    super(ctx, events, options, hello, helloWire, helloMessageSeq, helloRecordSeq);
    this.helloWire = helloWire;
  }

  /** The first suite of ours the client offers and its hello allows (PSK, or certificates). */
  protected override chooseSuite(suites: readonly CipherSuite[]): CipherSuite {
    const h = this.hello;
    const helloWire = this.helloWire;
    this.helloWire = NONE;
    let refusal: number | undefined;
    for (const s of suites) {
      if (!h.cipherSuites.includes(s.id)) continue;
      if (s.keyExchange === 'psk') return s;
      const { credentials, peer } = this.options.certificate!;
      const outcome = negotiateCertificate(h, credentials);
      if (typeof outcome === 'number') {
        refusal ??= outcome;
        continue;
      }
      this.cert = new ServerCertificateExchange(credentials, outcome, peer, h.random);
      this.cert.record(helloWire);
      return s;
    }
    throw new HandshakeAbort(refusal ?? AlertDescription.handshakeFailure, 'no cipher suite in common');
  }

  /**
   * The certificate suites' first flight: ServerHello, Certificate, ServerKeyExchange,
   * CertificateRequest, ServerHelloDone. Its public-key work is asynchronous: records that come
   * meanwhile wait in the queue.
   */
  protected override answerChosenSuite(): Promise<void> | void {
    const cert = this.cert;
    if (!cert) return super.answerChosenSuite();
    const serverHello = this.serverHello();
    return this.unlessBusy(cert.firstFlight(this.serverRandom), (bodies) => {
      const flight = [
        serverHello,
        this.message(HandshakeType.certificate, bodies.certificate),
        this.message(HandshakeType.serverKeyExchange, bodies.serverKeyExchange),
        this.message(HandshakeType.certificateRequest, bodies.certificateRequest),
        this.message(HandshakeType.serverHelloDone, encodeServerHelloDone()),
      ];
      for (const item of flight) this.record(HandshakeBase.wire(item));
      this.state = 'awaitCertificate';
      this.sendFlight(flight);
    });
  }

  protected override suiteExtensions(): readonly Extension[] {
    return this.cert?.negotiated.extensions ?? [];
  }

  /** The client's Certificate, ClientKeyExchange and CertificateVerify, in that order only. */
  protected override onKeyExchangeMessage(m: HandshakeMessage, wire: Uint8Array): Promise<void> | void {
    const cert = this.cert;
    if (cert && this.state === 'awaitCertificate' && m.msgType === HandshakeType.certificate) {
      this.flight?.stop(); // the client's next flight is here
      this.record(wire);
      this.state = 'awaitEcdhKeyExchange';
      return cert.takeClientCertificate(m.body);
    }
    if (cert && this.state === 'awaitEcdhKeyExchange' && m.msgType === HandshakeType.clientKeyExchange) {
      this.record(wire);
      // RFC 7627 4: the session hash covers the transcript through ClientKeyExchange
      const sessionHash = this.ems ? this.transcript.digest() : undefined;
      this.state = 'awaitCertificateVerify';
      return this.unlessBusy(cert.premasterSecret(m.body), (premaster) => {
        this.master = sessionHash
          ? extendedMasterSecret(premaster, sessionHash)
          : masterSecret(premaster, this.hello.random, this.serverRandom);
        this.keys.installPending(this.suite!, this.master, this.hello.random, this.serverRandom);
      });
    }
    if (cert && this.state === 'awaitCertificateVerify' && m.msgType === HandshakeType.certificateVerify)
      return this.unlessBusy(cert.checkCertificateVerify(m.body), () => {
        this.transcript.update(wire);
        this.state = 'awaitChangeCipherSpec';
      });
    return super.onKeyExchangeMessage(m, wire);
  }

  protected override clientIdentity(): PeerIdentity {
    return this.cert ? this.cert.identity : super.clientIdentity();
  }

  /** Adds a message to the transcript and to what CertificateVerify covers. */
  private record(wire: Uint8Array): void {
    this.transcript.update(wire);
    this.cert!.record(wire);
  }

  /**
   * Runs `then` with the result of a public-key operation unless the handshake stopped meanwhile.
   * A saturated crypto pool drops the handshake without an alert: the client's retransmission
   * starts a new one later (issue 15 item 5).
   */
  private unlessBusy<T>(work: Promise<T>, then: (value: T) => void): Promise<void> {
    return work.then(
      (value) => {
        if (this.status === 'running') then(value);
      },
      (e: unknown) => {
        if (!(e instanceof CryptoBusyError)) throw e;
        if (this.status !== 'running') return;
        this.options.onCryptoBusy?.();
        this.fail(undefined, 'handshake crypto busy');
      },
    );
  }
}
