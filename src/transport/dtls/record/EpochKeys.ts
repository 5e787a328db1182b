// The per-direction record state of one DTLS association (RFC 6347 section 4.1): the current
// read and write epochs, a 48-bit sequence counter per write epoch, the record protection of
// epoch 1 and a replay window per read epoch (4.1.2.6). Epoch 0 is the null cipher; the
// handshake installs the negotiated keys as pending and each direction switches to epoch 1 at
// its ChangeCipherSpec (RFC 5246 7.1). Only epochs 0 and 1 exist: renegotiation is refused.
//
// Epoch-0 records keep their own counter after the switch: a retransmitted flight still carries
// its ChangeCipherSpec in epoch 0 with a fresh sequence number (RFC 6347 4.2.4).
//
// Connection ID (RFC 9146): once the hellos negotiated CIDs, epoch-1 records to the peer carry
// the peer's CID as tls12_cid records (the Finished included: research/dtls.md A2) when the peer
// asked for a non-empty one, and a received tls12_cid record opens only when it carries our own
// (non-empty) CID. Epoch-0 records never carry a CID.

import { deriveKeys, type KeyMaterial } from '../handshake/KeySchedule.js';
import type { CipherSuite } from '../suites.js';
import {
  ContentType,
  DtlsVersion,
  encodeDatagram,
  MAX_SEQUENCE_NUMBER,
  type DtlsRecord,
} from './RecordCodec.js';
import { Ccm8RecordProtection } from './Ccm8RecordProtection.js';
import { createRecordProtection, type OpenedRecord, type RecordProtection } from './RecordProtection.js';
import { ReplayWindow } from './ReplayWindow.js';

/** The empty CID every association without one shares (never written to). */
const NO_CID = new Uint8Array(0);

/** The epoch-1 state of an association in a form that can be stored compactly. */
export interface CompactEpochState {
  readonly writer: Ccm8RecordProtection;
  readonly reader: Ccm8RecordProtection;
  /** Next epoch-1 sequence number to send. */
  readonly writeSeq: number;
  readonly window: ReplayWindow;
}

/** Which end of the association this state belongs to. */
export type DtlsRole = 'client' | 'server';

/** Read and write state of one association. */
export class EpochKeys {
  /** Epoch of the records this side sends now. */
  writeEpoch = 0;
  /** Highest epoch this side accepts now. */
  readEpoch = 0;
  // per-connection state is kept small (bench/dtls.ts measures bytes per connection): two plain
  // numbers rather than an array, one replay window (epoch 0 has none), shared empty CIDs
  private writeSeq0 = 0;
  private writeSeq1 = 0;
  private readonly window = new ReplayWindow();
  private pendingWriter: RecordProtection | undefined;
  private pendingReader: RecordProtection | undefined;
  private writer: RecordProtection | undefined;
  private reader: RecordProtection | undefined;
  private suiteOverhead = 0;
  /** The CID the peer puts in records to us (empty: none; RFC 9146 section 3). */
  ownCid: Uint8Array = NO_CID;
  /** The CID we put in records to the peer (empty: none). */
  peerCid: Uint8Array = NO_CID;

  constructor(
    private readonly role: DtlsRole,
    /** Record version sent (DTLS 1.2). */
    readonly version: number = DtlsVersion.dtls12,
  ) {}

  /** Sets the next epoch-0 sequence number (a stateless server continues from the ClientHello's). */
  setEpochZeroSequence(next: number): void {
    this.writeSeq0 = next;
  }

  /** Installs the keys of epoch 1 for both directions, not yet in use. */
  installPending(
    suite: CipherSuite,
    master: Uint8Array,
    clientRandom: Uint8Array,
    serverRandom: Uint8Array,
  ): void {
    const k: KeyMaterial = deriveKeys(master, clientRandom, serverRandom, suite);
    const client = { key: k.clientWriteKey, iv: k.clientWriteIv, macKey: k.clientMacKey };
    const server = { key: k.serverWriteKey, iv: k.serverWriteIv, macKey: k.serverMacKey };
    this.pendingWriter = createRecordProtection(suite, this.role === 'client' ? client : server);
    this.pendingReader = createRecordProtection(suite, this.role === 'client' ? server : client);
    this.suiteOverhead = suite.recordIvLength + suite.tagLength;
  }

  /** Records the CIDs the hellos negotiated: ours (the peer sends it) and the peer's (we send it). */
  useConnectionIds(own: Uint8Array, peer: Uint8Array): void {
    this.ownCid = own.length > 0 ? Uint8Array.from(own) : NO_CID;
    this.peerCid = peer.length > 0 ? Uint8Array.from(peer) : NO_CID;
  }

  /** True when `record` (not yet opened) is newer than every epoch-1 record authenticated so far. */
  isNewest(record: DtlsRecord): boolean {
    return record.epoch === 1 && record.sequenceNumber > this.window.highestReceived;
  }

  /** True once epoch-1 keys are installed. */
  get hasPendingKeys(): boolean {
    return this.pendingWriter !== undefined;
  }

  /**
   * The state to store compactly (connection/ConnectionSlab.ts) once the handshake is over:
   * epoch 1 both ways, DTLS 1.2, CCM_8 and no CID to send; undefined otherwise (kept as is).
   */
  compactState(): CompactEpochState | undefined {
    const { writer, reader } = this;
    if (this.writeEpoch !== 1 || this.readEpoch !== 1 || this.peerCid.length > 0) return undefined;
    if (this.version !== DtlsVersion.dtls12) return undefined;
    if (!(writer instanceof Ccm8RecordProtection) || !(reader instanceof Ccm8RecordProtection))
      return undefined;
    return { writer, reader, writeSeq: this.writeSeq1, window: this.window };
  }

  /** Bytes an epoch-1 record adds to its content beyond the 13-byte header (worst case for CBC padding). */
  get protectionOverhead(): number {
    return this.suiteOverhead;
  }

  /** Starts sending in epoch 1 (after this side's ChangeCipherSpec). */
  activateWrite(): void {
    if (!this.pendingWriter) throw new Error('no pending write keys');
    this.writer = this.pendingWriter;
    this.writeEpoch = 1;
  }

  /** Starts accepting epoch 1 (on the peer's ChangeCipherSpec). */
  activateRead(): void {
    if (!this.pendingReader) throw new Error('no pending read keys');
    this.reader = this.pendingReader;
    this.readEpoch = 1;
  }

  /** One complete record of `type` carrying `content` in `epoch` (0 plain, 1 protected). */
  seal(epoch: number, type: number, content: Uint8Array): Uint8Array {
    if (epoch !== 0 && epoch !== 1) throw new Error(`no keys for write epoch ${epoch}`);
    const seq = epoch === 0 ? this.writeSeq0 : this.writeSeq1;
    if (seq > MAX_SEQUENCE_NUMBER) throw new RangeError('sequence numbers exhausted');
    if (epoch === 0) this.writeSeq0 = seq + 1;
    else this.writeSeq1 = seq + 1;
    if (epoch === 0)
      return encodeDatagram([
        { type, version: this.version, epoch: 0, sequenceNumber: seq, fragment: content },
      ]);
    const writer = epoch === 1 ? (this.writer ?? this.pendingWriter) : undefined;
    if (!writer) throw new Error(`no keys for write epoch ${epoch}`);
    const params = { type, version: this.version, epoch, sequenceNumber: seq };
    return writer.seal(this.peerCid.length > 0 ? { ...params, cid: this.peerCid } : params, content);
  }

  /**
   * The content of a received record, or undefined to drop it silently (RFC 6347 4.1.2.7): an
   * epoch not readable yet, a replay, or a record that does not authenticate. Epoch 0 is plain
   * text and has no replay window (its records are all handshake, which the reassembler dedups).
   */
  open(record: DtlsRecord): OpenedRecord | undefined {
    if (record.epoch === 0) {
      if (record.type === ContentType.tls12Cid) return undefined;
      return { type: record.type, content: record.fragment };
    }
    if (record.epoch !== 1 || this.readEpoch !== 1 || !this.reader) return undefined;
    // a CID record must carry the CID we issued; one without CID is accepted either way (liberal:
    // RFC 9146 does not say the classic format becomes invalid, and it authenticates all the same)
    if (record.cid !== undefined && (this.ownCid.length === 0 || !equalBytes(record.cid, this.ownCid)))
      return undefined;
    const window = this.window;
    if (window.isReplay(record.sequenceNumber)) return undefined;
    const opened = this.reader.open(record);
    if (opened) window.markReceived(record.sequenceNumber);
    return opened;
  }
}

/** True when `a` and `b` hold the same bytes. */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
