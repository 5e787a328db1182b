// An NSS key log (the SSLKEYLOGFILE format Wireshark and curl read) so a capture of a DTLS 1.2
// association can be decrypted: one line per handshake, `CLIENT_RANDOM <ClientHello.random hex>
// <master secret hex>` (48 bytes), full and resumed handshakes alike. Off unless asked for: the
// line is a secret, written only to the function the application passes as `keyLog`.

import { appendFileSync } from 'node:fs';

/** The NSS key log line of one TLS 1.2 / DTLS 1.2 handshake. */
export function keyLogLine(clientRandom: Uint8Array, master: Uint8Array): string {
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
  return `CLIENT_RANDOM ${hex(clientRandom)} ${hex(master)}`;
}

/**
 * A `keyLog` function appending to the file named by the SSLKEYLOGFILE environment variable
 * (created with mode 0600), or undefined when the variable is unset or empty.
 */
export function sslKeyLogFileWriter(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ((line: string) => void) | undefined {
  const path = env.SSLKEYLOGFILE;
  if (!path) return undefined;
  return (line) => appendFileSync(path, `${line}\n`, { mode: 0o600 });
}
