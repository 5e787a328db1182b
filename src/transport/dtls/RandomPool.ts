// Random bytes for the DTLS layer drawn from node:crypto's CSPRNG in batches. A handshake takes a
// few small draws (a 32-byte server random, a session id, a CID); `randomBytes(32)` costs ~2.5 us
// each, nearly all of it the per-call native job, while one `randomFillSync` of 4 KiB serves 128
// such draws. Each byte is handed out once and zeroed in the batch as it leaves, so nothing drawn
// (cookie secrets among it) stays behind in the pool.

import { randomFillSync } from 'node:crypto';

/** Bytes of CSPRNG output fetched at once (default). */
export const DEFAULT_RANDOM_BATCH = 4096;

/** Draws random bytes from a batch refilled by `fill` (node:crypto's CSPRNG by default). */
export class RandomPool {
  private readonly batch: Buffer;
  private at: number;

  constructor(
    batchSize = DEFAULT_RANDOM_BATCH,
    private readonly fill: (b: Buffer) => void = (b) => void randomFillSync(b),
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`bad batch size ${batchSize}`);
    this.batch = Buffer.alloc(batchSize);
    this.at = batchSize; // filled on first use
  }

  /** `n` fresh random bytes, in a buffer of their own (a longer draw than the batch gets its own fill). */
  bytes(n: number): Uint8Array {
    const out = Buffer.allocUnsafe(n);
    if (n > this.batch.length) {
      this.fill(out);
      return out;
    }
    if (this.at + n > this.batch.length) {
      this.fill(this.batch);
      this.at = 0;
    }
    this.batch.copy(out, 0, this.at, this.at + n);
    this.batch.fill(0, this.at, this.at + n);
    this.at += n;
    return out;
  }
}
