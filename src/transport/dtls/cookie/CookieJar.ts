// Stateless HelloVerifyRequest cookies (RFC 6347 section 4.2.1): the server answers a cookie-less
// ClientHello with Cookie = HMAC-SHA256(secret, client address and port, ClientHello parameters)
// and keeps nothing, so a spoofed source costs it no state. The parameters are the ones 4.2.1
// says the client MUST repeat in its second ClientHello: version, random, session_id,
// cipher_suites and compression_methods (extensions may legitimately change, so they stay out).
//
// The secret rotates every `rotationMs` (default 60 s) on the injected clock; a cookie made with
// the previous secret is still accepted, so a cookie is good for one to two periods (4.2.1
// "a server might allow cookies generated with the previous secret"). Rotation is lazy, on use:
// no timer, and two secrets are all the state there is.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ClientHello } from '../handshake/messages/ClientHello.js';

/** The ClientHello fields a cookie binds. */
export type CookieParameters = Pick<
  ClientHello,
  'clientVersion' | 'random' | 'sessionId' | 'cipherSuites' | 'compressionMethods'
>;

/** Options of a CookieJar. */
export interface CookieJarOptions {
  /** Time source (a coap Clock fits); milliseconds. */
  readonly clock: { now(): number };
  /** How often the secret changes, ms (default 60_000). */
  readonly rotationMs?: number;
  /** Random bytes for secrets (default node:crypto randomBytes). */
  readonly random?: (n: number) => Uint8Array;
}

/** Default secret rotation period. */
export const DEFAULT_COOKIE_ROTATION_MS = 60_000;
/** Length of the cookies made (the full HMAC-SHA256; the field allows 255). */
export const COOKIE_LENGTH = 32;
const SECRET_LENGTH = 32;

/** Makes and checks HelloVerifyRequest cookies. */
export class CookieJar {
  private readonly clock: { now(): number };
  private readonly rotationMs: number;
  private readonly random: (n: number) => Uint8Array;
  private current: Uint8Array;
  private previous: Uint8Array | undefined;
  private rotatedAt: number;
  /** Where the HMAC input is laid out (one ClientHello's fields; a bigger one gets its own). */
  private readonly scratch = Buffer.allocUnsafe(512);

  constructor(options: CookieJarOptions) {
    this.clock = options.clock;
    this.rotationMs = options.rotationMs ?? DEFAULT_COOKIE_ROTATION_MS;
    if (!(this.rotationMs > 0)) throw new RangeError(`rotationMs must be positive, got ${this.rotationMs}`);
    this.random = options.random ?? randomBytes;
    this.current = this.random(SECRET_LENGTH);
    this.rotatedAt = this.clock.now();
  }

  /** The cookie for a ClientHello from `address`:`port`. */
  cookieFor(address: string, port: number, hello: CookieParameters): Uint8Array {
    this.rotate();
    return this.mac(this.current, address, port, hello);
  }

  /** True when `cookie` is the one this jar made (this period or the last) for these inputs. */
  verify(cookie: Uint8Array, address: string, port: number, hello: CookieParameters): boolean {
    return this.verifyOrIssue(cookie, address, port, hello) === undefined;
  }

  /**
   * Undefined when `cookie` is valid (as `verify`), otherwise the cookie to send in a
   * HelloVerifyRequest (as `cookieFor`): one HMAC fewer than calling both on a refused cookie.
   */
  verifyOrIssue(
    cookie: Uint8Array,
    address: string,
    port: number,
    hello: CookieParameters,
  ): Uint8Array | undefined {
    this.rotate();
    const fresh = this.mac(this.current, address, port, hello);
    if (cookie.length !== COOKIE_LENGTH) return fresh;
    if (timingSafeEqual(cookie, fresh)) return undefined;
    if (this.previous !== undefined && timingSafeEqual(cookie, this.mac(this.previous, address, port, hello)))
      return undefined;
    return fresh;
  }

  /** Moves to a new secret once a period has passed; after two, the old one is forgotten too. */
  private rotate(): void {
    const elapsed = this.clock.now() - this.rotatedAt;
    if (elapsed < this.rotationMs) return;
    this.previous = elapsed < 2 * this.rotationMs ? this.current : undefined;
    this.current = this.random(SECRET_LENGTH);
    this.rotatedAt = this.clock.now();
  }

  /**
   * HMAC over length-prefixed fields, so no two inputs share an encoding. The fields are laid out
   * in one reused scratch buffer and hashed with a single update: under a ClientHello flood this
   * HMAC is the server's main cost, and six `update` calls plus three buffers per cookie made it
   * ~1.5x slower (test/transport/dtls/flood.test.ts prints the rate).
   */
  private mac(secret: Uint8Array, address: string, port: number, hello: CookieParameters): Uint8Array {
    const suitesLength = 2 * hello.cipherSuites.length;
    // an address is ASCII, at most 45 characters for IPv6 (more is written as UTF-8 below, bounded by 3x)
    const size =
      FIXED_LENGTH +
      3 * address.length +
      hello.random.length +
      hello.sessionId.length +
      suitesLength +
      hello.compressionMethods.length;
    const out = size <= this.scratch.length ? this.scratch : Buffer.allocUnsafe(size);
    const addrLength = out.write(address, FIXED_LENGTH, 'utf8');
    let at = out.writeUInt16BE(addrLength, 0);
    at = out.writeUInt16BE(port, at);
    at = out.writeUInt16BE(hello.clientVersion, at);
    at = out.writeUInt16BE(hello.random.length, at);
    at = out.writeUInt8(hello.sessionId.length, at);
    at = out.writeUInt16BE(hello.cipherSuites.length, at);
    out.writeUInt8(hello.compressionMethods.length, at);
    at = FIXED_LENGTH + addrLength;
    out.set(hello.random, at);
    at += hello.random.length;
    out.set(hello.sessionId, at);
    at += hello.sessionId.length;
    for (const s of hello.cipherSuites) at = out.writeUInt16BE(s, at);
    out.set(hello.compressionMethods, at);
    at += hello.compressionMethods.length;
    return createHmac('sha256', secret).update(out.subarray(0, at)).digest();
  }
}

/** Bytes of the length fields that open the HMAC input. */
const FIXED_LENGTH = 2 + 2 + 2 + 2 + 1 + 2 + 1;
