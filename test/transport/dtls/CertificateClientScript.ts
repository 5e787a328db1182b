// A scripted ECDHE_ECDSA DTLS 1.2 client for server tests (built on node:crypto and our codecs,
// independent of ClientHandshake): cookie exchange, the server's flight checked (its
// ServerKeyExchange signature against the key of its Certificate), then each of the client's
// messages on demand so a test can send them out of order, corrupted or not at all.
import { createECDH, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import assert from 'node:assert/strict';
import {
  decodeCertificate,
  encodeCertificate,
  type CertificateMessage,
  type CertificateTypeName,
} from '../../../src/transport/dtls/handshake/messages/Certificate.js';
import {
  CertificateExtensionType,
  encodeCertificateTypeList,
  encodeEcPointFormats,
  encodeSignatureAlgorithms,
  encodeSupportedGroups,
  decodeCertificateTypeChoice,
} from '../../../src/transport/dtls/handshake/messages/certificateExtensions.js';
import {
  decodeCertificateRequest,
  type CertificateRequest,
} from '../../../src/transport/dtls/handshake/messages/CertificateRequest.js';
import { encodeClientHello } from '../../../src/transport/dtls/handshake/messages/ClientHello.js';
import {
  SECP256R1,
  decodeEcdheServerKeyExchange,
  encodeEcdhClientKeyExchange,
} from '../../../src/transport/dtls/handshake/messages/EcdheKeyExchange.js';
import {
  ExtensionType,
  findExtension,
  type Extension,
} from '../../../src/transport/dtls/handshake/messages/extensions.js';
import {
  decodeHandshakeFragments,
  encodeHandshakeMessage,
  HandshakeType,
} from '../../../src/transport/dtls/handshake/messages/HandshakeHeader.js';
import { decodeHelloVerifyRequest } from '../../../src/transport/dtls/handshake/messages/HelloVerifyRequest.js';
import { decodeServerHello } from '../../../src/transport/dtls/handshake/messages/ServerHello.js';
import {
  ECDSA_SHA256,
  encodeCertificateVerify,
} from '../../../src/transport/dtls/handshake/messages/signatures.js';
import {
  extendedMasterSecret,
  finishedVerifyData,
  TranscriptHash,
} from '../../../src/transport/dtls/handshake/KeySchedule.js';
import { EpochKeys } from '../../../src/transport/dtls/record/EpochKeys.js';
import { ContentType, decodeDatagram } from '../../../src/transport/dtls/record/RecordCodec.js';
import { TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 } from '../../../src/transport/dtls/suites.js';
import { certificateFields } from '../../../src/transport/dtls/x509/certificateFields.js';

/** How the scripted client talks: sends a datagram, and sees what came back so far. */
export interface ScriptIo {
  send(bytes: Uint8Array): Promise<void>;
  readonly inbox: Uint8Array[];
}

export interface ScriptOptions {
  /** Suites offered (default: TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8). */
  readonly suites?: readonly number[];
  /** Ask for raw public keys both ways (RFC 7250 extensions with RawPublicKey only). */
  readonly rawPublicKeys?: boolean;
  /** Extensions instead of the default ones (groups, signature algorithms, point formats, EMS). */
  readonly extensions?: readonly Extension[];
  /** Check the ServerKeyExchange signature (default true; the benchmark's load client skips it). */
  readonly checkServerKeyExchange?: boolean;
}

/** What the server answered a ClientHello with. */
export interface ServerFlight {
  readonly types: number[];
  readonly suite: number;
  readonly extensions: readonly Extension[];
  readonly certificate?: CertificateMessage;
  readonly request?: CertificateRequest;
}

/** The default hello extensions of a certificate-suite client. */
export function certificateHelloExtensions(rawPublicKeys = false): Extension[] {
  const out: Extension[] = [
    { type: CertificateExtensionType.supportedGroups, data: encodeSupportedGroups([SECP256R1]) },
    { type: CertificateExtensionType.signatureAlgorithms, data: encodeSignatureAlgorithms([ECDSA_SHA256]) },
    { type: CertificateExtensionType.ecPointFormats, data: encodeEcPointFormats([0]) },
    { type: ExtensionType.extendedMasterSecret, data: new Uint8Array(0) },
  ];
  if (rawPublicKeys)
    out.push(
      { type: CertificateExtensionType.clientCertificateType, data: encodeCertificateTypeList([2]) },
      { type: CertificateExtensionType.serverCertificateType, data: encodeCertificateTypeList([2]) },
    );
  return out;
}

export class CertificateClientScript {
  readonly keys = new EpochKeys('client');
  readonly transcript = new TranscriptHash();
  /** Every handshake message so far (what CertificateVerify signs). */
  readonly messages: Uint8Array[] = [];
  readonly random = randomBytes(32);
  readonly ecdh = createECDH('prime256v1');
  readonly point = this.ecdh.generateKeys();
  serverRandom: Uint8Array = new Uint8Array(32);
  serverPoint: Uint8Array = new Uint8Array(0);
  master: Uint8Array = new Uint8Array(48);
  private seq = 2;
  /** Datagrams of the inbox already reassembled. */
  private seen = 0;
  private readonly fragments = new Map<number, { type: number; body: Uint8Array; got: number }>();

  constructor(
    private readonly io: ScriptIo,
    private readonly options: ScriptOptions = {},
    /** Waits until `condition` holds (a test's waitUntil, or a loop of immediates). */
    private readonly until: (condition: () => boolean, what: string) => Promise<void>,
  ) {}

  hello(cookie: Uint8Array, messageSeq: number): Uint8Array {
    const body = encodeClientHello({
      clientVersion: 0xfefd,
      random: this.random,
      sessionId: new Uint8Array(0),
      cookie,
      cipherSuites: [...(this.options.suites ?? [TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8.id])],
      compressionMethods: Uint8Array.of(0),
      extensions: [...(this.options.extensions ?? certificateHelloExtensions(this.options.rawPublicKeys))],
    });
    return encodeHandshakeMessage(HandshakeType.clientHello, messageSeq, body);
  }

  /** Alerts received in plaintext, as [level, description]. */
  alerts(): number[][] {
    const out: number[][] = [];
    for (const d of this.io.inbox)
      for (const r of decodeDatagram(d))
        if (r.type === ContentType.alert && r.epoch === 0) out.push([...r.fragment]);
    return out;
  }

  /** Sends records (one datagram). */
  send(...records: Uint8Array[]): Promise<void> {
    return this.io.send(Buffer.concat(records));
  }

  /** The cookie exchange, ending with the ClientHello that carries the cookie. */
  async helloWithCookie(): Promise<void> {
    await this.send(this.keys.seal(0, ContentType.handshake, this.hello(new Uint8Array(0), 0)));
    await this.until(() => this.collect().has(0), 'HelloVerifyRequest');
    const cookie = decodeHelloVerifyRequest(this.fragments.get(0)!.body).cookie;
    const ch = this.hello(cookie, 1);
    this.record(ch);
    await this.send(this.keys.seal(0, ContentType.handshake, ch));
  }

  /** Cookie exchange, then the server's whole first flight (or its alert). */
  async toServerHelloDone(): Promise<ServerFlight> {
    await this.helloWithCookie();
    await this.until(
      () => this.alerts().length > 0 || this.serverHelloDoneSeq() !== undefined,
      'the server flight',
    );
    const types: number[] = [];
    let suite = 0;
    let extensions: readonly Extension[] = [];
    let certificate: CertificateMessage | undefined;
    let request: CertificateRequest | undefined;
    const done = this.serverHelloDoneSeq();
    if (done === undefined) return { types, suite, extensions };
    let serverType: CertificateTypeName = 'x509';
    for (let seq = 1; seq <= done; seq++) {
      const m = this.fragments.get(seq)!;
      types.push(m.type);
      this.record(encodeHandshakeMessage(m.type, seq, m.body));
      if (m.type === HandshakeType.serverHello) {
        const sh = decodeServerHello(m.body);
        this.serverRandom = sh.random;
        suite = sh.cipherSuite;
        extensions = sh.extensions ?? [];
        const choice = findExtension(extensions, CertificateExtensionType.serverCertificateType);
        if (choice !== undefined && decodeCertificateTypeChoice(choice) === 2) serverType = 'rawPublicKey';
      } else if (m.type === HandshakeType.certificate) certificate = decodeCertificate(m.body, serverType);
      else if (m.type === HandshakeType.certificateRequest) request = decodeCertificateRequest(m.body);
      else if (m.type === HandshakeType.serverKeyExchange) {
        const ske = decodeEcdheServerKeyExchange(m.body);
        assert.equal(ske.params.namedCurve, SECP256R1);
        this.serverPoint = ske.params.point;
        if (this.options.checkServerKeyExchange === false) continue;
        const spki =
          certificate?.type === 'x509'
            ? certificateFields(certificate.chain[0]!).subjectPublicKeyInfo
            : certificate?.type === 'rawPublicKey'
              ? certificate.subjectPublicKeyInfo
              : new Uint8Array(0);
        const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
        const signed = Buffer.concat([this.random, this.serverRandom, ske.paramsBytes]);
        assert.ok(verify('sha256', signed, key, ske.signed.signature), 'ServerKeyExchange signature');
      }
    }
    return {
      types,
      suite,
      extensions,
      ...(certificate ? { certificate } : {}),
      ...(request ? { request } : {}),
    };
  }

  /** Our Certificate message as a record. */
  certificate(m: CertificateMessage): Uint8Array {
    return this.next(HandshakeType.certificate, encodeCertificate(m));
  }

  /** Our ClientKeyExchange with `point` (default ours); keys derived when it is ours. */
  keyExchange(point: Uint8Array = this.point): Uint8Array {
    const record = this.next(HandshakeType.clientKeyExchange, encodeEcdhClientKeyExchange(point));
    if (point === this.point) {
      const premaster = this.ecdh.computeSecret(this.serverPoint);
      this.master = extendedMasterSecret(premaster, this.transcript.digest());
      this.keys.installPending(
        TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8,
        this.master,
        this.random,
        this.serverRandom,
      );
    }
    return record;
  }

  /** CertificateVerify signed with `key` over the messages so far (or over `over` instead). */
  certificateVerify(key: KeyObject, over?: Uint8Array): Uint8Array {
    const signature = sign('sha256', over ?? Buffer.concat(this.messages), key);
    return this.next(
      HandshakeType.certificateVerify,
      encodeCertificateVerify({ algorithm: ECDSA_SHA256, signature }),
    );
  }

  /** ChangeCipherSpec and our Finished (epoch 1). */
  finish(): Uint8Array[] {
    const ccs = this.keys.seal(0, ContentType.changeCipherSpec, Uint8Array.of(1));
    const verifyData = finishedVerifyData(this.master, 'client', this.transcript.digest());
    this.keys.activateWrite();
    const finished = encodeHandshakeMessage(HandshakeType.finished, this.seq++, verifyData);
    this.transcript.update(finished);
    return [ccs, this.keys.seal(1, ContentType.handshake, finished)];
  }

  /** True once the server's ChangeCipherSpec and a Finished that verifies came back. */
  serverFinished(): boolean {
    for (const d of this.io.inbox)
      for (const r of decodeDatagram(d)) {
        if (r.epoch !== 1) continue;
        if (this.keys.readEpoch === 0) this.keys.activateRead();
        const opened = this.keys.open(r);
        if (opened?.type !== ContentType.handshake) continue;
        const [f] = decodeHandshakeFragments(opened.content);
        const expected = finishedVerifyData(this.master, 'server', this.transcript.digest());
        return f?.msgType === HandshakeType.finished && Buffer.from(f.body).equals(expected);
      }
    return false;
  }

  private next(type: number, body: Uint8Array): Uint8Array {
    const wire = encodeHandshakeMessage(type, this.seq++, body);
    this.record(wire);
    return this.keys.seal(0, ContentType.handshake, wire);
  }

  private record(wire: Uint8Array): void {
    this.transcript.update(wire);
    this.messages.push(wire);
  }

  /** Reassembles the server's epoch-0 handshake fragments received so far. */
  private collect(): Map<number, { type: number; body: Uint8Array; got: number }> {
    for (; this.seen < this.io.inbox.length; this.seen++) {
      for (const r of decodeDatagram(this.io.inbox[this.seen]!)) {
        if (r.type !== ContentType.handshake || r.epoch !== 0) continue;
        for (const f of decodeHandshakeFragments(r.fragment)) {
          let m = this.fragments.get(f.messageSeq);
          if (!m)
            this.fragments.set(
              f.messageSeq,
              (m = { type: f.msgType, body: new Uint8Array(f.length), got: 0 }),
            );
          m.body.set(f.body, f.fragmentOffset);
          m.got += f.body.length;
        }
      }
    }
    return this.fragments;
  }

  private serverHelloDoneSeq(): number | undefined {
    for (const [seq, m] of this.collect())
      if (m.type === HandshakeType.serverHelloDone && m.got >= m.body.length) return seq;
    return undefined;
  }
}
