// Finds Debian peer binaries (libcoap, openssl, redis-server) for interop tests. A missing peer
// skips the test with a loud message, or fails it when REQUIRE_PEERS=1 (as .ci/run sets). The
// same rule holds for what the machine itself lacks (an IPv6 loopback).
import { execFileSync } from 'node:child_process';
import type { TestContext } from 'node:test';

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

/**
 * Skips the running test with a loud message naming what this machine lacks (`message`); fails it
 * instead when REQUIRE_PEERS=1, so CI cannot pass by skipping. Call it as `return skipOrFail(t, …)`.
 */
export function skipOrFail(t: TestContext, message: string): void {
  if (process.env.REQUIRE_PEERS === '1') throw new Error(`${message}, but REQUIRE_PEERS=1`);
  console.warn(`\n*** ${message} ***\n`);
  t.skip(message);
}
