// Epoch-1 records of a connection stored compactly (ConnectionSlab.ts), RFC 6347 4.1: the same
// rules as record/EpochKeys.ts for an established association (CCM_8, no CID to send), with the
// keys, the write sequence and the replay window (4.1.2.6) read from and written back to the
// connection's slot. One record protection per direction and one replay window serve every
// slot: each call points them at the slot, uses them synchronously and stores the result.

import { Ccm8RecordProtection } from '../record/Ccm8RecordProtection.js';
import { DtlsVersion, MAX_SEQUENCE_NUMBER, type DtlsRecord } from '../record/RecordCodec.js';
import type { OpenedRecord } from '../record/RecordProtection.js';
import { ReplayWindow } from '../record/ReplayWindow.js';
import type { CompactEpochState } from '../record/EpochKeys.js';
import {
  Flag,
  Int,
  KEYS_LENGTH,
  Num,
  READ_KEY_AT,
  WRITE_KEY_AT,
  type ConnectionSlab,
} from './ConnectionSlab.js';

const placeholder = { key: new Uint8Array(16), iv: new Uint8Array(4), macKey: new Uint8Array(0) };
const writer = new Ccm8RecordProtection(placeholder);
const reader = new Ccm8RecordProtection(placeholder);
const window = new ReplayWindow();

/** Copies `state` (and our CID, if any) into `slot`. */
export function storeCompact(slab: ConnectionSlab, slot: number, state: CompactEpochState): void {
  const at = slot * slab.byteStride;
  state.writer.copyKeyAndSalt(slab.bytes, at + WRITE_KEY_AT);
  state.reader.copyKeyAndSalt(slab.bytes, at + READ_KEY_AT);
  const n = slot * Num.stride;
  slab.num[n + Num.writeSeq] = state.writeSeq;
  slab.num[n + Num.highest] = state.window.highestReceived;
  slab.int[slot * Int.stride + Int.low] = state.window.lowMask | 0;
  slab.int[slot * Int.stride + Int.high] = state.window.highMask | 0;
}

/** One epoch-1 record of `type` carrying `content`. */
export function sealCompact(
  slab: ConnectionSlab,
  slot: number,
  type: number,
  content: Uint8Array,
): Uint8Array {
  const n = slot * Num.stride + Num.writeSeq;
  const seq = slab.num[n]!;
  if (seq > MAX_SEQUENCE_NUMBER) throw new RangeError('sequence numbers exhausted');
  slab.num[n] = seq + 1;
  return writer
    .retarget(slab.bytes, slot * slab.byteStride + WRITE_KEY_AT)
    .seal({ type, version: DtlsVersion.dtls12, epoch: 1, sequenceNumber: seq }, content);
}

/** True when `record` is newer than every epoch-1 record authenticated so far. */
export function isNewestCompact(slab: ConnectionSlab, slot: number, record: DtlsRecord): boolean {
  return record.epoch === 1 && record.sequenceNumber > slab.num[slot * Num.stride + Num.highest]!;
}

/**
 * The content of `record`, or undefined to drop it (EpochKeys.open's rules: epoch 1 only, a CID
 * record must carry ours, no replay, must authenticate; the window moves only then).
 */
export function openCompact(
  slab: ConnectionSlab,
  slot: number,
  record: DtlsRecord,
): OpenedRecord | undefined {
  if (record.epoch !== 1) return undefined;
  const i = slot * Int.stride;
  const at = slot * slab.byteStride;
  if (record.cid !== undefined) {
    const cid = record.cid;
    if ((slab.int[i + Int.flags]! & Flag.ownCid) === 0 || cid.length !== slab.cidLength) return undefined;
    for (let k = 0; k < cid.length; k++) if (slab.bytes[at + KEYS_LENGTH + k] !== cid[k]) return undefined;
  }
  const n = slot * Num.stride;
  window.load(slab.num[n + Num.highest]!, slab.int[i + Int.low]!, slab.int[i + Int.high]!);
  if (window.isReplay(record.sequenceNumber)) return undefined;
  const opened = reader.retarget(slab.bytes, at + READ_KEY_AT).open(record);
  if (!opened) return undefined;
  window.markReceived(record.sequenceNumber);
  slab.num[n + Num.highest] = window.highestReceived;
  slab.int[i + Int.low] = window.lowMask | 0;
  slab.int[i + Int.high] = window.highMask | 0;
  return opened;
}
