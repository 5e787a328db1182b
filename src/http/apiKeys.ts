// Issue 12 item 6: API keys of the REST APIs. A key is a bearer token (RFC 6750 section 2.1,
// `Authorization: Bearer <token>`). Only SHA-256 digests are kept: in the key file (lines
// `sha256:<64 hex>`; a line with a bare token is hashed on load) and in memory. A presented token
// is hashed and compared with every digest in constant time (crypto.timingSafeEqual), so neither
// a match nor its position leaks through timing. Tokens are never logged.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The SHA-256 digest of an API key. */
export function hashApiKey(token: string): Uint8Array {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A new random API key (32 bytes, base64url) and the line to put in a key file for it. */
export function newApiKey(): { readonly token: string; readonly line: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, line: `sha256:${Buffer.from(hashApiKey(token)).toString('hex')}` };
}

/** Thrown for a key list that cannot be read; the message names the line. */
export class ApiKeyListError extends Error {
  readonly code = 'HTTP_API_KEY_LIST';
  constructor(message: string) {
    super(message);
    this.name = 'ApiKeyListError';
  }
}

/**
 * The digests of a key list: one entry per line or comma (`sha256:<hex>` or a bare token of at
 * least 16 characters); blank lines and lines starting with `#` are skipped. `source` names the
 * list in errors (a file name or an environment variable), never the token.
 */
export function parseApiKeys(text: string, source: string): Uint8Array[] {
  const hashes: Uint8Array[] = [];
  const entries = text.split(/[\n,]/);
  entries.forEach((raw, i) => {
    const entry = raw.trim();
    if (entry === '' || entry.startsWith('#')) return;
    if (entry.startsWith('sha256:')) {
      const hex = entry.slice(7);
      if (!/^[0-9a-fA-F]{64}$/.test(hex))
        throw new ApiKeyListError(`${source}, entry ${i + 1}: sha256: needs 64 hex digits`);
      hashes.push(Uint8Array.from(Buffer.from(hex, 'hex')));
    } else if (/\s/.test(entry) || entry.length < 16) {
      throw new ApiKeyListError(
        `${source}, entry ${i + 1}: a key is sha256:<64 hex> or a token of 16+ characters without spaces`,
      );
    } else hashes.push(hashApiKey(entry));
  });
  return hashes;
}

/** True when the `Authorization` header carries a bearer token whose digest is in `hashes`. */
export function bearerMatches(authorization: string | undefined, hashes: readonly Uint8Array[]): boolean {
  const m = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(authorization ?? '');
  if (!m) return false;
  const digest = hashApiKey(m[1]!);
  let found = false;
  for (const h of hashes) if (h.length === digest.length && timingSafeEqual(h, digest)) found = true;
  return found;
}
