// The server side of a full PSK handshake (RFC 6347 4.2 with the RFC 7925 section 4.2 profile),
// started once a ClientHello carried a valid cookie (the HelloVerifyRequest exchange before it
// is stateless and not this class's business: connection/ClientHelloGate.ts).
//
//   ClientHello(cookie)  -->                       [start(): choose suite, extensions]
//                        <--  ServerHello, ServerHelloDone
//   ClientKeyExchange    -->                       awaitClientKeyExchange -> pskFor(identity)
//   ChangeCipherSpec     -->                       awaitChangeCipherSpec
//   Finished             -->                       awaitFinished: verify
//                        <--  ChangeCipherSpec, Finished   (final flight)       complete
//
// Extensions: extended_master_secret echoed when offered (RFC 7627 5.2; `requireExtendedMaster
// Secret` refuses clients without it); an empty renegotiation_info answered when the client sent
// the SCSV or an empty one (RFC 5746 3.6), a non-empty one refused (it means renegotiation).
// Connection ID (RFC 9146 section 3): a ClientHello's connection_id carries the CID the client
// wants to see (empty: none); when `issueCid` is set we answer with a fresh CID of ours, which the
// client then puts in its records to us. A client CID over MAX_PEER_CID_LENGTH, or no CID to
// issue, gets no extension at all: no CID is used, as with a server without CID support.
// Resumption (RFC 5246 7.3, with `sessions`): a full handshake with EMS gets a fresh session id;
// a ClientHello naming a cached session that decideResumption accepts, whose identity still has
// the same key (pskFor is asked again: removed or changed credentials never resume), is answered
// with ServerHello(same id), ChangeCipherSpec, Finished; the client's ChangeCipherSpec and
// Finished then complete it (the client's flight is the final one).
// No ServerKeyExchange: we send no PSK identity hint (RFC 4279 2 makes it optional).
// Certificate suites (ECDHE_ECDSA) are CertificateServerHandshake's, a subclass the transport uses
// when it has certificate credentials; it takes over through the protected hooks below.
// A ChangeCipherSpec before the keys is dropped (see onChangeCipherSpec). An unknown identity gets unknown_psk_identity (RFC 4279 section 2); a wrong key shows as a
// client Finished that does not authenticate, dropped silently (RFC 6347 4.1.2.7) until the
// handshake times out, or as a bad verify_data: decrypt_error (RFC 5246 7.4.9).

import { createHash, timingSafeEqual } from 'node:crypto';
import { DEFAULT_CIPHER_SUITES, TLS_EMPTY_RENEGOTIATION_INFO_SCSV, type CipherSuite } from '../suites.js';
import { DtlsVersion } from '../record/RecordCodec.js';
import { AlertDescription } from './alerts.js';
import {
  HandshakeAbort,
  HandshakeBase,
  type HandshakeContext,
  type HandshakeEvents,
} from './HandshakeBase.js';
import { extendedMasterSecret, finishedVerifyData, masterSecret, pskPremasterSecret } from './KeySchedule.js';
import type { ClientHello } from './messages/ClientHello.js';
import {
  decodeConnectionId,
  decodeRenegotiationInfo,
  encodeConnectionId,
  MAX_PEER_CID_LENGTH,
  encodeRenegotiationInfo,
  ExtensionType,
  findExtension,
  hasExtendedMasterSecret,
  type Extension,
} from './messages/extensions.js';
import { decodeFinished, encodeFinished } from './messages/Finished.js';
import { HandshakeType } from './messages/HandshakeHeader.js';
import { decodePskClientKeyExchange } from './messages/PskClientKeyExchange.js';
import { encodeServerHello } from './messages/ServerHello.js';
import { encodeServerHelloDone } from './messages/ServerHelloDone.js';
import type { HandshakeMessage } from './Reassembler.js';
import type { ServerCertificateCredentials } from './ServerCertificateCredentials.js';
import type { Peer, PeerIdentity } from '../../Peer.js';
import { decideResumption } from '../session/decideResumption.js';
import type { DtlsSession } from '../session/DtlsSession.js';

/** The key of a PSK identity, or undefined when the identity is unknown. */
export type PskLookup = (identity: string) => Promise<Uint8Array | undefined> | Uint8Array | undefined;

/** Server policy. */
export interface ServerHandshakeOptions {
  /** Key for an identity (the application's credentials store). */
  readonly pskFor: PskLookup;
  /** Suites accepted, in preference order (default: CCM_8 only). */
  readonly suites?: readonly CipherSuite[];
  /** Refuse clients that do not offer extended_master_secret (default false). */
  readonly requireExtendedMasterSecret?: boolean;
  /** Issues our CID for a client that offers connection_id (absent: CID off). */
  readonly issueCid?: () => Uint8Array | undefined;
  /** The session cache (absent: no session ids issued, nothing resumed). */
  readonly sessions?: ServerSessionPort;
  /** Certificate-suite credentials and the client's address (CertificateServerHandshake only). */
  readonly certificate?: { readonly credentials: ServerCertificateCredentials; readonly peer: Peer };
  /** Called when a handshake is dropped because the public-key workers are saturated. */
  readonly onCryptoBusy?: () => void;
}

/** What a server handshake needs of the session cache. */
export interface ServerSessionPort {
  find(id: Uint8Array): DtlsSession | undefined;
  /** A fresh random session id. */
  newId(): Uint8Array;
  forget(id: Uint8Array): void;
}

/** Where a server handshake is (the await* states of the certificate path: CertificateServerHandshake). */
export type ServerHandshakeState =
  | 'start'
  | 'awaitClientKeyExchange'
  | 'awaitCertificate'
  | 'awaitEcdhKeyExchange'
  | 'awaitCertificateVerify'
  | 'awaitChangeCipherSpec'
  | 'awaitFinished'
  | 'done';

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** The empty value of the byte fields until they are set (shared, never written to). */
export const NONE = new Uint8Array(0);
const NO_EXTENSIONS: readonly Extension[] = [];

/** One server handshake with one client. */
export class ServerHandshake extends HandshakeBase {
  protected state: ServerHandshakeState = 'start';
  protected suite: CipherSuite | undefined;
  protected ems = false;
  protected serverRandom: Uint8Array = NONE;
  protected master: Uint8Array = NONE;
  private identity = '';
  private sessionId: Uint8Array = NONE;
  private pskDigest: Uint8Array | undefined;
  private resumedFrom: DtlsSession | undefined;

  constructor(
    ctx: HandshakeContext,
    events: HandshakeEvents,
    protected readonly options: ServerHandshakeOptions,
    /** The ClientHello with a valid cookie, and the whole message as it enters the transcript. */
    protected readonly hello: ClientHello,
    helloWire: Uint8Array,
    helloMessageSeq: number,
    /** The record sequence number of that ClientHello (RFC 6347 4.2.1: ours continues from it). */
    helloRecordSeq: number,
  ) {
    super('server', ctx, events, helloMessageSeq + 1);
    this.nextSendSeq = helloMessageSeq;
    this.peerFlightEnd = helloMessageSeq;
    this.keys.setEpochZeroSequence(helloRecordSeq);
    this.transcript.update(helloWire);
  }

  /** ClientHello.random of this handshake. */
  get clientRandom(): Uint8Array {
    return this.hello.random;
  }

  /** The negotiated suite (after start). */
  get cipherSuite(): CipherSuite | undefined {
    return this.suite;
  }

  /** True when this handshake resumed a session (abbreviated handshake). */
  get resumed(): boolean {
    return this.resumedFrom !== undefined;
  }

  /** The session this handshake made or resumed, once complete, when resumable. */
  get session(): DtlsSession | undefined {
    if (this.resumedFrom) return this.resumedFrom;
    if (this.status !== 'complete' || this.sessionId.length === 0 || !this.pskDigest) return undefined;
    return {
      id: this.sessionId,
      master: this.master,
      suiteId: this.suite!.id,
      extendedMasterSecret: this.ems,
      identity: this.identity,
      pskDigest: this.pskDigest,
    };
  }

  keyLogSecrets(): { clientRandom: Uint8Array; master: Uint8Array } {
    return { clientRandom: this.hello.random, master: this.master };
  }

  /** Answers the ClientHello (full or abbreviated handshake), or with a fatal alert. */
  start(): void {
    this.enqueue(() => this.answerHello());
  }

  private answerHello(): Promise<void> | void {
    const h = this.hello;
    // RFC 6347 4.1: versions are 1's complement, so "at least DTLS 1.2" is "at most 0xfefd"
    if (h.clientVersion > DtlsVersion.dtls12)
      throw new HandshakeAbort(AlertDescription.protocolVersion, 'client does not offer DTLS 1.2');
    if (!h.compressionMethods.includes(0))
      throw new HandshakeAbort(AlertDescription.handshakeFailure, 'null compression not offered');
    const suites = this.options.suites ?? DEFAULT_CIPHER_SUITES;
    const sessions = this.options.sessions;
    if (sessions && h.sessionId.length > 0) {
      const decision = decideResumption(h, sessions.find(h.sessionId), suites);
      if (decision.kind === 'abort')
        throw new HandshakeAbort(AlertDescription.handshakeFailure, decision.reason);
      if (decision.kind === 'resume')
        return this.credentialsUnchanged(decision.session).then((same) => {
          if (this.status !== 'running') return;
          if (same) this.answerResumption(decision.session, decision.suite);
          else return this.answerFull(suites);
        });
    }
    return this.answerFull(suites);
  }

  /** A full handshake: the suite, EMS, then the first flight of the suite's key exchange. */
  private answerFull(suites: readonly CipherSuite[]): Promise<void> | void {
    const suite = this.chooseSuite(suites);
    if (!suite) throw new HandshakeAbort(AlertDescription.handshakeFailure, 'no cipher suite in common');
    this.suite = suite;
    this.ems = hasExtendedMasterSecret(this.hello.extensions);
    if (!this.ems && this.options.requireExtendedMasterSecret)
      throw new HandshakeAbort(AlertDescription.handshakeFailure, 'extended_master_secret required');
    return this.answerChosenSuite();
  }

  /** Our choice among the client's suites: the first PSK suite of ours it offers. */
  protected chooseSuite(suites: readonly CipherSuite[]): CipherSuite | undefined {
    const offered = this.hello.cipherSuites;
    return suites.find((s) => s.keyExchange === 'psk' && offered.includes(s.id));
  }

  /** The PSK first flight: ServerHello, ServerHelloDone. */
  protected answerChosenSuite(): Promise<void> | void {
    // only EMS sessions are resumable (session/DtlsSession.ts)
    if (this.options.sessions && this.ems) this.sessionId = this.options.sessions.newId();
    const serverHello = this.serverHello();
    const done = this.message(HandshakeType.serverHelloDone, encodeServerHelloDone());
    this.transcript.update(HandshakeBase.wire(serverHello)).update(HandshakeBase.wire(done));
    this.state = 'awaitClientKeyExchange';
    this.sendFlight([serverHello, done]);
  }

  /** True when the session's identity still has the key the session was made with. */
  private async credentialsUnchanged(session: DtlsSession): Promise<boolean> {
    let psk: Uint8Array | undefined;
    try {
      psk = await this.options.pskFor(session.identity);
    } catch {
      return false;
    }
    const same =
      psk !== undefined && session.pskDigest !== undefined && timingSafeEqual(digest(psk), session.pskDigest);
    if (!same) this.options.sessions!.forget(session.id);
    return same;
  }

  /** The abbreviated handshake's flight: ServerHello, ChangeCipherSpec, Finished (RFC 5246 7.3). */
  private answerResumption(session: DtlsSession, suite: CipherSuite): void {
    this.suite = suite;
    this.ems = true;
    this.resumedFrom = session;
    this.master = session.master;
    this.identity = session.identity;
    this.sessionId = session.id;
    const serverHello = this.serverHello();
    this.transcript.update(HandshakeBase.wire(serverHello));
    this.keys.installPending(suite, this.master, this.hello.random, this.serverRandom);
    const verifyData = finishedVerifyData(this.master, 'server', this.transcript.digest());
    const finished = this.message(HandshakeType.finished, encodeFinished({ verifyData }), 1);
    this.transcript.update(HandshakeBase.wire(finished));
    this.keys.activateWrite();
    this.state = 'awaitChangeCipherSpec';
    this.sendFlight([serverHello, { kind: 'changeCipherSpec', epoch: 0 }, finished]);
  }

  /** Our ServerHello (suite and EMS chosen), with a fresh server random. */
  protected serverHello(): ReturnType<HandshakeBase['message']> {
    const h = this.hello;
    const suite = this.suite!;
    const ri = findExtension(h.extensions, ExtensionType.renegotiationInfo);
    if (ri !== undefined && decodeRenegotiationInfo(ri).length !== 0)
      throw new HandshakeAbort(AlertDescription.handshakeFailure, 'renegotiation_info not empty'); // RFC 5746 3.6
    const extensions: Extension[] = [];
    if (ri !== undefined || h.cipherSuites.includes(TLS_EMPTY_RENEGOTIATION_INFO_SCSV))
      extensions.push({ type: ExtensionType.renegotiationInfo, data: encodeRenegotiationInfo() });
    if (this.ems) extensions.push({ type: ExtensionType.extendedMasterSecret, data: new Uint8Array(0) });
    const cid = this.negotiateCid(h.extensions);
    if (cid) extensions.push({ type: ExtensionType.connectionId, data: encodeConnectionId(cid) });
    const suiteExtensions = this.suiteExtensions();
    if (suiteExtensions.length > 0) extensions.push(...suiteExtensions);
    this.serverRandom = this.ctx.random(32);
    return this.message(
      HandshakeType.serverHello,
      encodeServerHello({
        serverVersion: DtlsVersion.dtls12,
        random: this.serverRandom,
        sessionId: this.sessionId, // empty: not resumable
        cipherSuite: suite.id,
        compressionMethod: 0,
        ...(extensions.length > 0 ? { extensions } : {}),
      }),
    );
  }

  /** ServerHello extensions of the chosen suite's key exchange (none for PSK). */
  protected suiteExtensions(): readonly Extension[] {
    return NO_EXTENSIONS;
  }

  /** Our CID when the client offered connection_id and we issue one (keys then use both). */
  private negotiateCid(extensions: ClientHello['extensions']): Uint8Array | undefined {
    const offered = findExtension(extensions, ExtensionType.connectionId);
    // only CCM_8 record protection implements the tls12_cid format here: no CID with CBC
    if (offered === undefined || !this.options.issueCid || this.suite?.cipher !== 'aes-128-ccm8')
      return undefined;
    let peerCid: Uint8Array;
    try {
      peerCid = decodeConnectionId(offered);
    } catch {
      throw new HandshakeAbort(AlertDescription.decodeError, 'malformed connection_id');
    }
    if (peerCid.length > MAX_PEER_CID_LENGTH) return undefined;
    const own = this.options.issueCid();
    if (own) this.keys.useConnectionIds(own, peerCid);
    return own;
  }

  protected onMessage(m: HandshakeMessage, wire: Uint8Array): Promise<void> | void {
    if (this.state === 'awaitClientKeyExchange' && m.msgType === HandshakeType.clientKeyExchange)
      return this.onClientKeyExchange(m, wire);
    if (this.state === 'awaitFinished' && m.msgType === HandshakeType.finished)
      return this.onFinished(m, wire);
    return this.onKeyExchangeMessage(m, wire);
  }

  /** A message of another key exchange's flight; none for PSK. */
  protected onKeyExchangeMessage(m: HandshakeMessage, _wire: Uint8Array): Promise<void> | void {
    throw new HandshakeAbort(
      AlertDescription.unexpectedMessage,
      `unexpected message ${m.msgType} in ${this.state}`,
    );
  }

  /** Who the client authenticated as. */
  protected clientIdentity(): PeerIdentity {
    return { kind: 'psk', identity: this.identity };
  }

  /** Takes the PSK identity; the key lookup may be asynchronous (then so is this step). */
  private onClientKeyExchange(m: HandshakeMessage, wire: Uint8Array): Promise<void> | void {
    this.flight?.stop(); // the client's next flight is here
    let identity: string;
    try {
      identity = utf8.decode(decodePskClientKeyExchange(m.body).pskIdentity);
    } catch {
      throw new HandshakeAbort(AlertDescription.decodeError, 'malformed PSK identity');
    }
    this.transcript.update(wire);
    this.state = 'awaitChangeCipherSpec';
    let found: ReturnType<PskLookup>;
    try {
      found = this.options.pskFor(identity);
    } catch {
      throw new HandshakeAbort(AlertDescription.internalError, 'PSK lookup failed');
    }
    if (!isPromiseLike(found)) return this.useKey(identity, found);
    return Promise.resolve(found).then(
      (psk) => this.useKey(identity, psk),
      () => {
        throw new HandshakeAbort(AlertDescription.internalError, 'PSK lookup failed');
      },
    );
  }

  /** Derives the master secret and the pending keys from the identity's key. */
  private useKey(identity: string, psk: Uint8Array | undefined): void {
    if (this.status !== 'running') return;
    if (!psk) throw new HandshakeAbort(AlertDescription.unknownPskIdentity, `unknown PSK identity`);
    this.identity = identity;
    if (this.sessionId.length > 0) this.pskDigest = digest(psk);
    const premaster = pskPremasterSecret(psk);
    // RFC 7627 4: the session hash covers the transcript through ClientKeyExchange
    this.master = this.ems
      ? extendedMasterSecret(premaster, this.transcript.digest())
      : masterSecret(premaster, this.hello.random, this.serverRandom);
    this.keys.installPending(this.suite!, this.master, this.hello.random, this.serverRandom);
  }

  protected onChangeCipherSpec(): void {
    if (this.state === 'awaitFinished') return; // repeated in the client's retransmitted flight
    // CVE-2017-7243 class: a ChangeCipherSpec before ClientKeyExchange must never switch to keys
    // that do not exist. It is dropped rather than fatal: a client that sends CKE, CCS and
    // Finished in separate datagrams (tinydtls) makes an honest CCS arrive first when the CKE is
    // lost, and its retransmission recovers (RFC 6347 4.2.4). The keys are never touched.
    if (this.state !== 'awaitChangeCipherSpec' || !this.keys.hasPendingKeys) return;
    this.keys.activateRead();
    this.state = 'awaitFinished';
  }

  protected onEarlyApplicationData(): void {
    // a client cannot send data before it has our Finished, which needs its own first
    throw new HandshakeAbort(AlertDescription.unexpectedMessage, 'application data before Finished');
  }

  private onFinished(m: HandshakeMessage, wire: Uint8Array): void {
    const expected = finishedVerifyData(this.master, 'client', this.transcript.digest());
    const got = decodeFinished(m.body).verifyData;
    if (!timingSafeEqual(got, expected))
      throw new HandshakeAbort(AlertDescription.decryptError, 'client Finished does not verify');
    this.transcript.update(wire);
    this.peerFlightEnd = m.messageSeq;
    if (this.resumedFrom) {
      // the client's CCS and Finished end an abbreviated handshake: nothing more to send
      this.flight?.stop();
      this.state = 'done';
      this.complete({ kind: 'psk', identity: this.identity });
      return;
    }
    const verifyData = finishedVerifyData(this.master, 'server', this.transcript.digest());
    this.keys.activateWrite();
    const finished = this.message(HandshakeType.finished, encodeFinished({ verifyData }), 1);
    this.state = 'done';
    this.sendFlight([{ kind: 'changeCipherSpec', epoch: 0 }, finished], true);
    this.complete(this.clientIdentity());
  }
}

/** True for a promise (or any thenable) a lookup returned. */
function isPromiseLike<T>(v: PromiseLike<T> | T): v is PromiseLike<T> {
  return typeof (v as { then?: unknown } | undefined)?.then === 'function';
}

/** SHA-256 of a key: what a session keeps to notice changed credentials. */
function digest(psk: Uint8Array): Uint8Array {
  return createHash('sha256').update(psk).digest();
}
