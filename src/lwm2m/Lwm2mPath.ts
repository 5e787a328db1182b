// LwM2M Core TS 1.1.1 section 6.1 / 7.1: the path /ObjectID/ObjectInstance/ResourceID/ResourceInstance.
// IDs are 16-bit unsigned; 65535 (MAX_ID) is reserved and never a valid id in a path.
import { BoundedMemo } from '../coap/BoundedMemo.js';

/** Thrown for a string or id list that is not a valid LwM2M path. */
export class InvalidPathError extends Error {
  readonly code = 'LWM2M_INVALID_PATH';
  readonly coapCode = 0x80;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPathError';
  }
}

/** Largest id usable in a path; 65535 is reserved (Core TS section 7.1). */
export const MAX_ID = 65534;

/** An immutable LwM2M path with 0 (root) to 4 ids. */
export class Lwm2mPath {
  /** The root path `/`. */
  static readonly ROOT = new Lwm2mPath([]);
  /** Paths of recently parsed texts (invalid text throws and is not kept). */
  private static readonly parsed = new BoundedMemo<string, Lwm2mPath>(1024, (text) =>
    Lwm2mPath.parseText(text),
  );

  /** The text, made on first use (an ES private field: paths still compare equal by their ids). */
  #text: string | undefined;

  private constructor(private readonly ids: readonly number[]) {}

  /** Builds a path from ids, validating each. */
  static of(...ids: number[]): Lwm2mPath {
    if (ids.length > 4) throw new InvalidPathError(`a path has at most 4 ids, got ${ids.length}`);
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id > MAX_ID)
        throw new InvalidPathError(`invalid id ${id} in path`);
    }
    return ids.length === 0 ? Lwm2mPath.ROOT : new Lwm2mPath(ids.slice());
  }

  /** Parses `/3/0/1`, `3/0/1` or `/`; rejects empty segments, non-digits, leading `+`/`-`, ids > 65534. */
  static parse(text: string): Lwm2mPath {
    // An application reads the same few paths again and again: each text is parsed once.
    return Lwm2mPath.parsed.get(text);
  }

  private static parseText(text: string): Lwm2mPath {
    let s = text.startsWith('/') ? text.slice(1) : text;
    if (s === '') return Lwm2mPath.ROOT;
    if (s.endsWith('/')) s = s.slice(0, -1);
    const parts = s.split('/');
    if (parts.length > 4) throw new InvalidPathError(`path "${text}" has more than 4 segments`);
    const ids: number[] = [];
    for (const p of parts) {
      if (!/^\d{1,5}$/.test(p)) throw new InvalidPathError(`path "${text}": segment "${p}" is not an id`);
      const id = Number(p);
      if (id > MAX_ID) throw new InvalidPathError(`path "${text}": id ${id} is out of range 0..${MAX_ID}`);
      ids.push(id);
    }
    return new Lwm2mPath(ids);
  }

  /** Parses URI-Path segments as they arrive in CoAP options (empty list → root). */
  static fromSegments(segments: readonly string[]): Lwm2mPath {
    return segments.length === 0 ? Lwm2mPath.ROOT : Lwm2mPath.parse(segments.join('/'));
  }

  /** 0 root, 1 object, 2 object instance, 3 resource, 4 resource instance. */
  get length(): number {
    return this.ids.length;
  }
  get objectId(): number | undefined {
    return this.ids[0];
  }
  get instanceId(): number | undefined {
    return this.ids[1];
  }
  get resourceId(): number | undefined {
    return this.ids[2];
  }
  get resourceInstanceId(): number | undefined {
    return this.ids[3];
  }
  isRoot(): boolean {
    return this.ids.length === 0;
  }
  isObject(): boolean {
    return this.ids.length === 1;
  }
  isObjectInstance(): boolean {
    return this.ids.length === 2;
  }
  isResource(): boolean {
    return this.ids.length === 3;
  }
  isResourceInstance(): boolean {
    return this.ids.length === 4;
  }

  /** The ids, root first. */
  toArray(): number[] {
    return this.ids.slice();
  }

  /** The enclosing path; the root's parent is the root. */
  parent(): Lwm2mPath {
    return this.ids.length === 0 ? this : new Lwm2mPath(this.ids.slice(0, -1));
  }

  /** This path with one more id. */
  child(id: number): Lwm2mPath {
    return Lwm2mPath.of(...this.ids, id);
  }

  /** True when `other` is this path or lies below it. */
  startsWith(other: Lwm2mPath): boolean {
    if (other.ids.length > this.ids.length) return false;
    for (let i = 0; i < other.ids.length; i++) if (other.ids[i] !== this.ids[i]) return false;
    return true;
  }

  /** True when this path is a strict ancestor of `other`. */
  isAncestorOf(other: Lwm2mPath): boolean {
    return other.ids.length > this.ids.length && other.startsWith(this);
  }

  equals(other: Lwm2mPath): boolean {
    return this.ids.length === other.ids.length && this.startsWith(other);
  }

  /** Orders paths id by id, a parent before its children. */
  compareTo(other: Lwm2mPath): number {
    const n = Math.min(this.ids.length, other.ids.length);
    for (let i = 0; i < n; i++) {
      const d = this.ids[i]! - other.ids[i]!;
      if (d !== 0) return d;
    }
    return this.ids.length - other.ids.length;
  }

  /** `/3/0/1`; the root is `/`. */
  toString(): string {
    // Paths are immutable: the text is made once (it is a downlink request's cache key).
    return (this.#text ??= this.ids.length === 0 ? '/' : '/' + this.ids.join('/'));
  }

  toJSON(): string {
    return this.toString();
  }
}
