// The client side of a full PSK handshake (RFC 6347 4.2, RFC 7925 section 4.2), cookie exchange
// included:
//
//   ClientHello                       -->
//                                     <--  HelloVerifyRequest(cookie)      (optional, repeatable)
//   ClientHello(cookie)               -->
//                                     <--  ServerHello, [ServerKeyExchange(hint)], ServerHelloDone
//   ClientKeyExchange, CCS, Finished  -->
//                                     <--  CCS, Finished                   complete
//
// We offer TLS_PSK_WITH_AES_128_CCM_8 (and whatever else `suites` lists, CCM_8 first),
// extended_master_secret (RFC 7627) and an empty renegotiation_info (RFC 5746 3.4; OpenSSL 3
// servers refuse clients that signal neither). Liberal in what we accept: a server that does not
// echo extended_master_secret gets the RFC 5246 master secret unless `requireExtendedMaster
// Secret`; one without renegotiation_info is accepted (tinydtls sends none). A server that
// answers with an extension we did not offer is refused (RFC 5246 7.4.1.4).
// With `connectionId` set we offer connection_id (RFC 9146 section 3) carrying the CID we want
// to see (empty: we only ask the server for one, to send it); the server's answer, if any, is the
// CID our records then carry. A server CID over MAX_PEER_CID_LENGTH fails the handshake.
// The first ClientHello and the HelloVerifyRequest stay out of the transcript (RFC 6347 4.2.1).
//
// Resumption (RFC 5246 7.3): with `session` (an EMS session made with our identity) we offer its
// id. A ServerHello echoing it starts the abbreviated handshake: it must keep the session's suite
// (illegal_parameter otherwise) and echo extended_master_secret (RFC 7627 5.3: abort otherwise);
// the server's CCS and Finished follow at once and we answer with ours, the final flight.
//   ClientHello(session_id)           -->   (cookie exchange as above)
//                                     <--  ServerHello(session_id), CCS, Finished
//   CCS, Finished                     -->                                  complete
// Any other session id in the ServerHello is a full handshake making a new session.
//
// With `certificate` credentials the handshake offers the ECDHE_ECDSA suites instead (raw public
// keys or X.509): ClientCertificateExchange.ts handles the messages between ServerHello and our
// final flight, and complete() delivers the SERVER's identity (its key or certificate subject).

import { timingSafeEqual } from 'node:crypto';
import { DtlsVersion } from '../record/RecordCodec.js';
import { DEFAULT_CERTIFICATE_SUITES, DEFAULT_CIPHER_SUITES, suiteById, type CipherSuite } from '../suites.js';
import { ClientCertificateExchange, type ClientCertificateSetup } from './ClientCertificateExchange.js';
import type { FlightItem } from './Flight.js';
import { AlertDescription } from './alerts.js';
import {
  HandshakeAbort,
  HandshakeBase,
  type HandshakeContext,
  type HandshakeEvents,
} from './HandshakeBase.js';
import { extendedMasterSecret, finishedVerifyData, masterSecret, pskPremasterSecret } from './KeySchedule.js';
import { BodyReader } from './messages/BodyReader.js';
import { encodeClientHello, type ClientHello } from './messages/ClientHello.js';
import {
  decodeConnectionId,
  decodeRenegotiationInfo,
  encodeConnectionId,
  MAX_PEER_CID_LENGTH,
  encodeRenegotiationInfo,
  ExtensionType,
  hasExtendedMasterSecret,
} from './messages/extensions.js';
import { decodeFinished, encodeFinished } from './messages/Finished.js';
import { HandshakeType } from './messages/HandshakeHeader.js';
import { decodeHelloVerifyRequest } from './messages/HelloVerifyRequest.js';
import { encodePskClientKeyExchange } from './messages/PskClientKeyExchange.js';
import { decodeServerHello, type ServerHello } from './messages/ServerHello.js';
import { decodeServerHelloDone } from './messages/ServerHelloDone.js';
import type { HandshakeMessage } from './Reassembler.js';
import type { DtlsSession } from '../session/DtlsSession.js';

/** PSK identity (UTF-8 on the wire; RFC 4279 5.1) and key, or certificate credentials. */
export type ClientCredentials =
  | { readonly identity: string; readonly key: Uint8Array; readonly certificate?: undefined }
  | { readonly certificate: ClientCertificateSetup; readonly identity?: undefined };

/** The client's credentials and policy. */
export type ClientHandshakeOptions = ClientCredentials & ClientPolicy;

export interface ClientPolicy {
  /** Suites offered, those of the credentials' kind only (default: PSK CCM_8, or DEFAULT_CERTIFICATE_SUITES). */
  readonly suites?: readonly CipherSuite[];
  /** Refuse servers that do not echo extended_master_secret (default false). */
  readonly requireExtendedMasterSecret?: boolean;
  /** The CID we ask the server to use towards us, possibly empty (absent: no connection_id offered). */
  readonly connectionId?: Uint8Array;
  /** A session to offer for resumption (ignored unless made with EMS and with `identity`). */
  readonly session?: DtlsSession;
}

type State =
  'start' | 'awaitServerHello' | 'awaitServerHelloDone' | 'awaitChangeCipherSpec' | 'awaitFinished' | 'done';

/** Most HelloVerifyRequests followed in one handshake (a server rotating secrets needs two). */
const MAX_HELLO_VERIFY_REQUESTS = 3;

/** One client handshake with one server. */
export class ClientHandshake extends HandshakeBase {
  private state: State = 'start';
  private hello: ClientHello;
  private serverHello: ServerHello | undefined;
  private suite: CipherSuite | undefined;
  private master: Uint8Array = new Uint8Array(0);
  private verifyRequests = 0;
  private helloWire: Uint8Array = new Uint8Array(0);
  private offered: DtlsSession | undefined;
  private resumedFrom: DtlsSession | undefined;
  private readonly cert: ClientCertificateExchange | undefined;

  constructor(
    ctx: HandshakeContext,
    events: HandshakeEvents,
    private readonly options: ClientHandshakeOptions,
  ) {
    super('client', ctx, events, 0);
    const setup = options.certificate;
    const kind = setup ? 'ecdhe_ecdsa' : 'psk';
    const suites = (options.suites ?? (setup ? DEFAULT_CERTIFICATE_SUITES : DEFAULT_CIPHER_SUITES)).filter(
      (x) => x.keyExchange === kind,
    );
    if (suites.length === 0) throw new RangeError(`no ${kind} suite enabled`);
    this.cert =
      setup &&
      new ClientCertificateExchange(setup.credentials, setup.crypto, {
        hear: (w) => void this.transcript.update(w),
        message: (msgType, body) => this.message(msgType, body),
        wire: (item) => HandshakeBase.wire(item),
        digest: () => this.transcript.digest(),
        running: () => this.status === 'running',
        randoms: () => [this.hello.random, this.serverHello!.random],
        finish: (items, premaster, sessionHash, flightEnd) => {
          this.peerFlightEnd = flightEnd;
          this.sendKeyedFlight(items, premaster, sessionHash);
        },
      });
    const s = options.session; // certificate sessions are neither offered nor kept
    if (
      !setup &&
      s?.extendedMasterSecret &&
      s.identity === options.identity &&
      suites.some((x) => x.id === s.suiteId)
    )
      this.offered = s;
    this.hello = {
      clientVersion: DtlsVersion.dtls12,
      random: ctx.random(32),
      sessionId: this.offered?.id ?? new Uint8Array(0),
      cookie: new Uint8Array(0),
      cipherSuites: suites.map((s) => s.id),
      compressionMethods: Uint8Array.of(0),
      extensions: [
        { type: ExtensionType.extendedMasterSecret, data: new Uint8Array(0) },
        { type: ExtensionType.renegotiationInfo, data: encodeRenegotiationInfo() },
        ...(options.connectionId
          ? [{ type: ExtensionType.connectionId, data: encodeConnectionId(options.connectionId) }]
          : []),
        ...(this.cert?.helloExtensions() ?? []),
      ],
    };
  }

  /** True when this handshake resumed a session (abbreviated handshake). */
  get resumed(): boolean {
    return this.resumedFrom !== undefined;
  }

  /** True when a session was offered for resumption. */
  get offeredSession(): boolean {
    return this.offered !== undefined;
  }

  /** The session made or resumed, once complete, when the server made it resumable (EMS and an id). */
  get session(): DtlsSession | undefined {
    if (this.resumedFrom) return this.resumedFrom;
    const sh = this.serverHello;
    if (
      this.status !== 'complete' ||
      !sh ||
      this.options.identity === undefined ||
      sh.sessionId.length === 0 ||
      !hasExtendedMasterSecret(sh.extensions)
    )
      return undefined;
    return {
      id: Uint8Array.from(sh.sessionId),
      master: this.master,
      suiteId: sh.cipherSuite,
      extendedMasterSecret: true,
      identity: this.options.identity,
    };
  }

  keyLogSecrets(): { clientRandom: Uint8Array; master: Uint8Array } {
    return { clientRandom: this.hello.random, master: this.master };
  }

  /** Sends the first ClientHello. */
  start(): void {
    this.state = 'awaitServerHello';
    this.sendHello();
  }

  private sendHello(): void {
    const item = this.message(HandshakeType.clientHello, encodeClientHello(this.hello));
    // only the ClientHello the ServerHello answers (the last one sent) enters the transcript
    this.helloWire = HandshakeBase.wire(item);
    this.sendFlight([item]);
  }

  protected onMessage(m: HandshakeMessage, wire: Uint8Array): Promise<void> | void {
    switch (this.state) {
      case 'awaitServerHello':
        if (m.msgType === HandshakeType.helloVerifyRequest) return this.onHelloVerifyRequest(m);
        if (m.msgType === HandshakeType.serverHello) return this.onServerHello(m, wire);
        break;
      case 'awaitServerHelloDone':
        if (this.cert) return this.cert.onMessage(m, wire);
        if (m.msgType === HandshakeType.serverKeyExchange) return this.onServerKeyExchange(m, wire);
        if (m.msgType === HandshakeType.serverHelloDone) return this.onServerHelloDone(m, wire);
        break;
      case 'awaitFinished':
        if (m.msgType === HandshakeType.finished) return this.onFinished(m, wire);
        break;
      default:
        break;
    }
    throw new HandshakeAbort(
      AlertDescription.unexpectedMessage,
      `unexpected message ${m.msgType} in ${this.state}`,
    );
  }

  private onHelloVerifyRequest(m: HandshakeMessage): void {
    const hvr = decodeHelloVerifyRequest(m.body);
    if (++this.verifyRequests > MAX_HELLO_VERIFY_REQUESTS)
      throw new HandshakeAbort(AlertDescription.handshakeFailure, 'too many HelloVerifyRequests');
    this.peerFlightEnd = m.messageSeq;
    this.hello = { ...this.hello, cookie: Uint8Array.from(hvr.cookie) };
    this.sendHello();
  }

  private onServerHello(m: HandshakeMessage, wire: Uint8Array): void {
    const sh = decodeServerHello(m.body);
    if (sh.serverVersion !== DtlsVersion.dtls12)
      throw new HandshakeAbort(
        AlertDescription.protocolVersion,
        `server version ${sh.serverVersion.toString(16)}`,
      );
    const suite = suiteById(sh.cipherSuite);
    if (!suite || !this.hello.cipherSuites.includes(sh.cipherSuite) || sh.compressionMethod !== 0)
      throw new HandshakeAbort(
        AlertDescription.illegalParameter,
        'server chose a suite or compression not offered',
      );
    for (const e of sh.extensions ?? []) {
      if (!this.hello.extensions!.some((o) => o.type === e.type))
        throw new HandshakeAbort(AlertDescription.unsupportedExtension, `extension ${e.type} not offered`);
      if (e.type === ExtensionType.renegotiationInfo && decodeRenegotiationInfo(e.data).length !== 0)
        throw new HandshakeAbort(AlertDescription.handshakeFailure, 'renegotiation_info not empty');
      if (e.type === ExtensionType.connectionId) this.acceptCid(e.data, suite);
    }
    if (this.options.requireExtendedMasterSecret && !hasExtendedMasterSecret(sh.extensions))
      throw new HandshakeAbort(AlertDescription.handshakeFailure, 'extended_master_secret required');
    this.serverHello = sh;
    this.suite = suite;
    this.transcript.update(this.helloWire).update(wire);
    this.cert?.onServerHello(sh, this.helloWire, wire);
    this.flight?.stop();
    const o = this.offered;
    if (o && sh.sessionId.length > 0 && Buffer.compare(sh.sessionId, o.id) === 0) {
      if (sh.cipherSuite !== o.suiteId)
        throw new HandshakeAbort(AlertDescription.illegalParameter, 'resumed session with another suite');
      if (!hasExtendedMasterSecret(sh.extensions))
        throw new HandshakeAbort(AlertDescription.handshakeFailure, 'resumed EMS session without EMS'); // RFC 7627 5.3
      this.resumedFrom = o;
      this.master = o.master;
      this.keys.installPending(suite, this.master, this.hello.random, sh.random);
      this.peerFlightEnd = m.messageSeq;
      this.state = 'awaitChangeCipherSpec';
      return;
    }
    this.state = 'awaitServerHelloDone';
  }

  /** Takes the server's CID from its connection_id (RFC 9146 section 3). */
  private acceptCid(data: Uint8Array, suite: CipherSuite): void {
    // only CCM_8 record protection implements the tls12_cid format here
    if (suite.cipher !== 'aes-128-ccm8')
      throw new HandshakeAbort(AlertDescription.handshakeFailure, 'connection_id with a CBC suite');
    let serverCid: Uint8Array;
    try {
      serverCid = decodeConnectionId(data);
    } catch {
      throw new HandshakeAbort(AlertDescription.decodeError, 'malformed connection_id');
    }
    if (serverCid.length > MAX_PEER_CID_LENGTH)
      throw new HandshakeAbort(AlertDescription.illegalParameter, `server CID of ${serverCid.length} bytes`);
    this.keys.useConnectionIds(this.options.connectionId ?? new Uint8Array(0), serverCid);
  }

  private onServerKeyExchange(m: HandshakeMessage, wire: Uint8Array): void {
    // PSK ServerKeyExchange: psk_identity_hint<0..2^16-1> (RFC 4279 2); we have one identity
    const r = new BodyReader(m.body);
    r.vector(2, 0, 0xffff, 'psk_identity_hint');
    r.end('ServerKeyExchange');
    this.transcript.update(wire);
  }

  private onServerHelloDone(m: HandshakeMessage, wire: Uint8Array): void {
    const o = this.options;
    if (o.certificate !== undefined) return; // certificate suites: ClientCertificateExchange
    decodeServerHelloDone(m.body);
    this.transcript.update(wire);
    this.peerFlightEnd = m.messageSeq;
    const cke = this.message(
      HandshakeType.clientKeyExchange,
      encodePskClientKeyExchange({ pskIdentity: new TextEncoder().encode(o.identity) }),
    );
    this.transcript.update(HandshakeBase.wire(cke));
    this.sendKeyedFlight([cke], pskPremasterSecret(o.key), this.transcript.digest());
  }

  /** Derives the keys and sends `items` (ending with ClientKeyExchange or CertificateVerify), CCS, Finished. */
  private sendKeyedFlight(
    items: readonly FlightItem[],
    premaster: Uint8Array,
    sessionHash: Uint8Array,
  ): void {
    const sh = this.serverHello!;
    this.master = hasExtendedMasterSecret(sh.extensions)
      ? extendedMasterSecret(premaster, sessionHash)
      : masterSecret(premaster, this.hello.random, sh.random);
    this.keys.installPending(this.suite!, this.master, this.hello.random, sh.random);
    const verifyData = finishedVerifyData(this.master, 'client', this.transcript.digest());
    const finished = this.message(HandshakeType.finished, encodeFinished({ verifyData }), 1);
    this.transcript.update(HandshakeBase.wire(finished));
    this.keys.activateWrite();
    this.state = 'awaitChangeCipherSpec';
    this.sendFlight([...items, { kind: 'changeCipherSpec', epoch: 0 }, finished]);
  }

  protected onChangeCipherSpec(): void {
    if (this.state === 'awaitFinished') return; // repeated in a retransmitted flight
    // before our final flight there are no keys to switch to: dropped, never used (as on the server)
    if (this.state !== 'awaitChangeCipherSpec') return;
    this.keys.activateRead();
    this.state = 'awaitFinished';
  }

  protected onEarlyApplicationData(): void {
    // the server's Finished may simply have been lost or reordered: drop the record silently
  }

  private onFinished(m: HandshakeMessage, wire: Uint8Array): void {
    const expected = finishedVerifyData(this.master, 'server', this.transcript.digest());
    if (!timingSafeEqual(decodeFinished(m.body).verifyData, expected))
      throw new HandshakeAbort(AlertDescription.decryptError, 'server Finished does not verify');
    this.flight?.stop();
    this.state = 'done';
    if (this.resumedFrom) {
      // abbreviated handshake: our CCS and Finished end it, a final flight (resent on a repeat of the server's)
      this.transcript.update(wire);
      this.peerFlightEnd = m.messageSeq;
      const verifyData = finishedVerifyData(this.master, 'client', this.transcript.digest());
      const finished = this.message(HandshakeType.finished, encodeFinished({ verifyData }), 1);
      this.keys.activateWrite();
      this.sendFlight([{ kind: 'changeCipherSpec', epoch: 0 }, finished], true);
    }
    this.complete(this.cert ? this.cert.serverIdentity! : { kind: 'psk', identity: this.options.identity! });
  }
}
