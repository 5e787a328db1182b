// Finds Debian peer binaries (libcoap, openssl, redis-server) for interop tests. A missing peer
// skips the test with a loud message, or fails it when REQUIRE_PEERS=1 (as .ci/run sets).
import { execFileSync } from 'node:child_process';

/** Absolute path of `binary` on PATH, or undefined. */
export function findBinary(binary: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Returns the peer's path, or a `skip` reason for node:test. Throws when REQUIRE_PEERS=1 and the
 * peer is missing, so CI cannot pass by skipping.
 */
export function requirePeer(binary: string, debianPackage: string): { path?: string; skip?: string } {
  const path = findBinary(binary);
  if (path) return { path };
  const message = `PEER MISSING: ${binary} not found (apt-get install ${debianPackage}); interop test skipped`;
  if (process.env.REQUIRE_PEERS === '1') throw new Error(`${message}, but REQUIRE_PEERS=1`);
  console.warn(`\n*** ${message} ***\n`);
  return { skip: message };
}
