// RFC 8259 (JSON) strict reader for the JSON content formats (RFC 8428 section 5, Core TS 1.1.1
// section 7.4.4 and 1.0 section 6.4.4): numbers keep their lexeme so 64-bit integers stay exact,
// duplicate member names are rejected, and depth, member counts and string lengths are bounded.
import { DecodeError } from '../../transport/DecodeError.js';
import type { DecodeLimits } from '../decodeLimits.js';

/** A parsed JSON value with the character offset it started at. */
export type JsonValue =
  | { readonly kind: 'null'; readonly at: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly at: number }
  | { readonly kind: 'string'; readonly value: string; readonly at: number }
  | { readonly kind: 'number'; readonly raw: string; readonly at: number }
  | { readonly kind: 'array'; readonly items: JsonValue[]; readonly at: number }
  | { readonly kind: 'object'; readonly members: Map<string, JsonValue>; readonly at: number };

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 bytes and parses one JSON value; throws DecodeError for anything else. */
export function parseStrictJson(bytes: Uint8Array, limits: DecodeLimits): JsonValue {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new DecodeError('JSON payload is not valid UTF-8', 0);
  }
  return new JsonParser(text, limits).parseDocument();
}

class JsonParser {
  private pos = 0;
  private count = 0;

  constructor(
    private readonly text: string,
    private readonly limits: DecodeLimits,
  ) {}

  parseDocument(): JsonValue {
    const value = this.value(0);
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail('unexpected data after the JSON value');
    return value;
  }

  private fail(why: string, kind: 'invalid' | 'truncated' | 'limit' = 'invalid'): never {
    if (kind === 'invalid' && this.pos >= this.text.length) kind = 'truncated';
    throw new DecodeError(why, this.pos, kind);
  }

  private skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos++;
    }
  }

  private value(depth: number): JsonValue {
    this.skipSpace();
    if (++this.count > this.limits.maxRecords * 16) this.fail('too many JSON values', 'limit');
    const at = this.pos;
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.object(depth + 1, at);
      case '[':
        return this.array(depth + 1, at);
      case '"':
        return { kind: 'string', value: this.string(), at };
      case 't':
        return this.literal('true', { kind: 'boolean', value: true, at });
      case 'f':
        return this.literal('false', { kind: 'boolean', value: false, at });
      case 'n':
        return this.literal('null', { kind: 'null', at });
      default: {
        NUMBER.lastIndex = at;
        const m = NUMBER.exec(this.text);
        if (!m) this.fail(c === undefined ? 'JSON ends where a value was expected' : `unexpected "${c}"`);
        this.pos = at + m[0].length;
        return { kind: 'number', raw: m[0], at };
      }
    }
  }

  private literal(word: string, value: JsonValue): JsonValue {
    if (!this.text.startsWith(word, this.pos)) this.fail(`expected ${word}`);
    this.pos += word.length;
    return value;
  }

  private enter(depth: number): void {
    if (depth > this.limits.maxDepth) this.fail(`JSON nesting deeper than ${this.limits.maxDepth}`, 'limit');
    this.pos++;
  }

  private array(depth: number, at: number): JsonValue {
    this.enter(depth);
    const items: JsonValue[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', items, at };
    }
    for (;;) {
      if (items.length >= this.limits.maxRecords) this.fail('too many array elements', 'limit');
      items.push(this.value(depth));
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === ']') return { kind: 'array', items, at };
      if (c !== ',') this.back('expected "," or "]"');
    }
  }

  private object(depth: number, at: number): JsonValue {
    this.enter(depth);
    const members = new Map<string, JsonValue>();
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', members, at };
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a member name');
      const nameAt = this.pos;
      const name = this.string();
      if (members.has(name)) {
        this.pos = nameAt;
        this.fail(`duplicate member "${name.slice(0, 20)}"`);
      }
      if (members.size >= 64) this.fail('too many object members', 'limit');
      this.skipSpace();
      if (this.text[this.pos++] !== ':') this.back('expected ":"');
      members.set(name, this.value(depth));
      this.skipSpace();
      const c = this.text[this.pos++];
      if (c === '}') return { kind: 'object', members, at };
      if (c !== ',') this.back('expected "," or "}"');
    }
  }

  private back(why: string): never {
    this.pos--;
    return this.fail(why);
  }

  private string(): string {
    const t = this.text;
    const start = ++this.pos;
    let out = '';
    let runStart = start;
    for (;;) {
      if (this.pos - start > this.limits.maxValueBytes * 6 + 2) this.fail('string too long', 'limit');
      const c = t.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === 0x22) {
        out += t.slice(runStart, this.pos);
        this.pos++;
        if (out.length > this.limits.maxValueBytes) this.fail('string too long', 'limit');
        return out;
      }
      if (c < 0x20) this.fail('control character in string');
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += t.slice(runStart, this.pos);
      const e = t[this.pos + 1];
      const simple = e === undefined ? undefined : ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        this.pos += 2;
      } else if (e === 'u') {
        const hex = t.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 6;
      } else this.fail('bad escape in string');
      runStart = this.pos;
    }
  }
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
