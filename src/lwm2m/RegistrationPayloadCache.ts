// LwM2M Core TS 1.1.1 section 6.2.1 (the Register/Update payload): a bounded memo of parsed
// payloads. Devices of one fleet send byte-identical payloads, so sharing one frozen
// RegistrationObjects between their registrations keeps per-client memory small and skips parsing.
import type { LinkFormatLimits } from '../coap/linkFormat.js';
import { OldestFirst } from '../transport/OldestFirst.js';
import { parseRegistrationPayload, type RegistrationObjects } from './linkFormat.js';

/** Bounds of a RegistrationPayloadCache. Defaults: 512 entries, payloads up to 4096 characters. */
export interface RegistrationPayloadCacheOptions {
  readonly maxEntries: number;
  /** Longer payloads are parsed every time and never kept. */
  readonly maxPayloadLength: number;
}

const DEFAULTS: RegistrationPayloadCacheOptions = { maxEntries: 512, maxPayloadLength: 4096 };

/** Parses registration payloads, returning the same frozen result for the same text (LRU-bounded). */
export class RegistrationPayloadCache {
  private readonly entries = new Map<string, RegistrationObjects>();
  private readonly oldest = new OldestFirst(this.entries);
  private readonly options: RegistrationPayloadCacheOptions;
  private hitCount = 0;

  constructor(options: Partial<RegistrationPayloadCacheOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Parses `text` (throws DecodeError like parseRegistrationPayload), sharing earlier results. */
  parse(text: string, limits?: Partial<LinkFormatLimits>): RegistrationObjects {
    const hit = this.entries.get(text);
    if (hit) {
      this.hitCount++;
      // Re-insert so the Map's insertion order is least-recently-used first.
      this.entries.delete(text);
      this.entries.set(text, hit);
      return hit;
    }
    const parsed = parseRegistrationPayload(text, limits);
    if (text.length > this.options.maxPayloadLength || this.options.maxEntries <= 0) return parsed;
    const frozen = freeze(parsed);
    if (this.entries.size >= this.options.maxEntries) this.oldest.evict();
    this.entries.set(text, frozen);
    return frozen;
  }

  /** Number of payloads kept. */
  get size(): number {
    return this.entries.size;
  }

  /** Number of parse calls answered from the cache. */
  get hits(): number {
    return this.hitCount;
  }
}

function freeze(objs: RegistrationObjects): RegistrationObjects {
  for (const o of objs.objects.values()) {
    Object.freeze(o.instances);
    Object.freeze(o);
  }
  Object.freeze(objs.contentFormats);
  return Object.freeze(objs);
}
