// Whether a server resumes the session a ClientHello names (RFC 5246 sections 7.3 and 7.4.1.2,
// RFC 7627 section 5.3), as a pure decision over the hello and the cached session:
// - unknown or expired session id: a full handshake (a new session);
// - the session used the extended master secret and the hello does not offer it: abort the
//   handshake (RFC 7627 5.3, "MUST abort the abbreviated handshake"), handshake_failure;
// - the session did not use it: never resumed, a full handshake (5.3: MUST NOT resume when the
//   hello has it; SHOULD abort when neither has it: a full handshake is the safe way to do that
//   without failing the client). Such sessions are not cached here anyway;
// - the hello does not offer the session's suite, or we no longer accept it: a full handshake
//   (7.4.1.2: a resuming client must offer it; a server may always start a new session).
// The credentials check (is the identity's key still the one the session was made with) is
// asynchronous and left to the handshake.

import type { ClientHello } from '../handshake/messages/ClientHello.js';
import { hasExtendedMasterSecret } from '../handshake/messages/extensions.js';
import type { CipherSuite } from '../suites.js';
import type { DtlsSession } from './DtlsSession.js';

/** What to do with a ClientHello that names a session. */
export type ResumeDecision =
  | { readonly kind: 'resume'; readonly session: DtlsSession; readonly suite: CipherSuite }
  | { readonly kind: 'full' }
  | { readonly kind: 'abort'; readonly reason: string };

const FULL: ResumeDecision = { kind: 'full' };

/** Decides about resuming `session` (the cache's entry for the hello's session_id, if any). */
export function decideResumption(
  hello: ClientHello,
  session: DtlsSession | undefined,
  accepted: readonly CipherSuite[],
): ResumeDecision {
  if (!session || hello.sessionId.length === 0) return FULL;
  const helloEms = hasExtendedMasterSecret(hello.extensions);
  if (session.extendedMasterSecret && !helloEms)
    return { kind: 'abort', reason: 'resumption without the extended_master_secret the session used' };
  if (!session.extendedMasterSecret) return FULL;
  const suite = accepted.find((s) => s.id === session.suiteId);
  if (!suite || !hello.cipherSuites.includes(session.suiteId)) return FULL;
  return { kind: 'resume', session, suite };
}
