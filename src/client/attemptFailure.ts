// LwM2M Core TS 1.1.1 sections 6.1 and 6.2.1.1 (bootstrap and registration retries): what one
// failed Register, Update or Bootstrap-Request attempt reports, so that no failure goes unseen: the
// response code and its diagnostic payload (RFC 7252 5.5.2), or the local error (e.g. a timeout
// once the CoAP retransmissions ran out), and when the next attempt is due.
import { formatCode } from '../coap/CoapMessage.js';

/** The uplink that failed. */
export type AttemptOperation = 'register' | 'update' | 'bootstrap' | 'bootstrapPack';

/** One failed attempt. */
export interface AttemptFailure {
  readonly operation: AttemptOperation;
  /** Short Server ID of the account (register, update). */
  readonly ssid?: number;
  /** One line for people, e.g. "Register answered 4.00: unknown endpoint". */
  readonly reason: string;
  /** The CoAP response code, when the server answered. */
  readonly code?: number;
  /** The diagnostic payload of the error response, when it had one. */
  readonly diagnostic?: string;
  /** True when no answer came in time. */
  readonly timedOut?: boolean;
  /** Milliseconds until the next attempt; absent when none is planned (given up). */
  readonly retryInMs?: number;
}

const NAMES: Readonly<Record<AttemptOperation, string>> = {
  register: 'Register',
  update: 'Update',
  bootstrap: 'Bootstrap-Request',
  bootstrapPack: 'Bootstrap-Pack-Request',
};

/** The failure of an attempt the server answered with `code` (and maybe a diagnostic). */
export function answeredFailure(
  operation: AttemptOperation,
  code: number,
  diagnostic?: string,
): Omit<AttemptFailure, 'retryInMs'> {
  const reason = `${NAMES[operation]} answered ${formatCode(code)}${diagnostic ? `: ${diagnostic}` : ''}`;
  return diagnostic === undefined ? { operation, reason, code } : { operation, reason, code, diagnostic };
}

/** The failure of an attempt that got no usable answer (`error` as the request rejected). */
export function localFailure(operation: AttemptOperation, error: unknown): Omit<AttemptFailure, 'retryInMs'> {
  const timedOut = (error as { code?: unknown } | null)?.code === 'COAP_TIMEOUT';
  const message = error instanceof Error ? error.message : String(error);
  const reason = timedOut
    ? `${NAMES[operation]} got no answer (${message})`
    : `${NAMES[operation]} failed: ${message}`;
  return timedOut ? { operation, reason, timedOut } : { operation, reason };
}

/** "retrying in 60 s" / "no further attempt" for log lines. */
export function retryText(f: AttemptFailure): string {
  if (f.retryInMs === undefined) return 'no further attempt';
  if (f.retryInMs === 0) return 'retrying now';
  return `next attempt in ${Math.round(f.retryInMs / 100) / 10} s`;
}
