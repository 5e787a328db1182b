// RFC 6347 section 4.1.2.6: anti-replay for one epoch of one connection, a 64-record sliding
// window (the RFC 4303 3.4.3 algorithm) over 48-bit sequence numbers.
//
// The window's right edge is the highest sequence number authenticated so far; bit i of the
// 64-bit mask (kept as two uint32 halves: no BigInt, no allocation) says whether `highest - i`
// was received. A record is a replay when it is older than the window or its bit is set.
// Checking and marking are separate calls because the window "MUST NOT be updated" until the
// record's MAC verified (4.1.2.6): `isReplay` before opening, `markReceived` after.

/** Width of the window: records older than `highest - 63` are refused. */
export const REPLAY_WINDOW_SIZE = 64;

/** Replay detection for one epoch. Start a new window for every new epoch. */
export class ReplayWindow {
  /** Highest sequence number marked so far; -1 before the first. */
  private highest = -1;
  /** Bits 0..31 of the mask (bit 0 = `highest`). */
  private low = 0;
  /** Bits 32..63 of the mask. */
  private high = 0;

  /** True when `seq` was already received or is too old for the window to tell. */
  isReplay(seq: number): boolean {
    if (seq > this.highest) return false;
    const age = this.highest - seq;
    if (age >= REPLAY_WINDOW_SIZE) return true;
    return age < 32 ? ((this.low >>> age) & 1) === 1 : ((this.high >>> (age - 32)) & 1) === 1;
  }

  /** Records `seq` as received; call only once the record authenticated. */
  markReceived(seq: number): void {
    if (seq > this.highest) {
      this.shift(this.highest < 0 ? REPLAY_WINDOW_SIZE : seq - this.highest);
      this.highest = seq;
      this.low |= 1;
      return;
    }
    const age = this.highest - seq;
    if (age >= REPLAY_WINDOW_SIZE) return;
    if (age < 32) this.low = (this.low | (1 << age)) >>> 0;
    else this.high = (this.high | (1 << (age - 32))) >>> 0;
  }

  /** Bits 0..31 of the mask (compact storage, connection/ConnectionSlab.ts). */
  get lowMask(): number {
    return this.low;
  }

  /** Bits 32..63 of the mask. */
  get highMask(): number {
    return this.high;
  }

  /** Sets the whole state (a window kept compactly elsewhere, loaded for one record). */
  load(highest: number, low: number, high: number): this {
    this.highest = highest;
    this.low = low >>> 0;
    this.high = high >>> 0;
    return this;
  }

  /** Highest sequence number received so far, or -1. */
  get highestReceived(): number {
    return this.highest;
  }

  /** Shifts the mask left by `by` >= 1 positions (JS shifts count mod 32, hence the cases). */
  private shift(by: number): void {
    if (by >= REPLAY_WINDOW_SIZE) {
      this.low = 0;
      this.high = 0;
    } else if (by >= 32) {
      this.high = by === 32 ? this.low : (this.low << (by - 32)) >>> 0;
      this.low = 0;
    } else {
      this.high = ((this.high << by) | (this.low >>> (32 - by))) >>> 0;
      this.low = (this.low << by) >>> 0;
    }
  }
}
