// RFC 7252 section 5.5.2 (diagnostic payload): the UTF-8 text an error response may carry.

const strict = new TextDecoder('utf-8', { fatal: true });
const MAX_DIAGNOSTIC_CHARS = 1024;

/** The payload as text (at most 1024 characters), or undefined when empty or not UTF-8. */
export function decodeText(payload: Uint8Array): string | undefined {
  if (payload.length === 0) return undefined;
  try {
    return strict.decode(payload).slice(0, MAX_DIAGNOSTIC_CHARS);
  } catch {
    return undefined;
  }
}
