// What a DTLS client's connection was made with, as one comparable value: PlainAndDtlsTransport
// keeps it per server and, before each send, compares it with the credentials the Security object
// gives now (a Bootstrap-Server may have rewritten /0/x/3, 4, 5 or 15), so a session made with old
// credentials is never used with new ones. A SHA-256 over every field that changes the handshake:
// the PSK identity and key, or the certificate mode, our key and chain, and how the server is
// checked (pinned key, certificate, usage, trust anchors, host). It holds no secret in clear.
import { createHash } from 'node:crypto';
import type { DtlsClientCertificate, DtlsClientPsk } from './dtls/DtlsTransportOptions.js';

/**
 * Fingerprints of certificate credentials already computed, by object: a client reuses unchanged
 * ones (client/accountSecurity.ts), and exporting the private key per send would cost more than
 * the send. PSK credentials are cheap to hash and computed each time.
 */
const computed = new WeakMap<DtlsClientCertificate, string>();

/** The fingerprint of `credentials`; equal credentials give equal fingerprints. */
export function credentialsFingerprint(credentials: DtlsClientPsk | DtlsClientCertificate): string {
  if (!('mode' in credentials)) return compute(credentials);
  let fingerprint = computed.get(credentials);
  if (fingerprint === undefined) computed.set(credentials, (fingerprint = compute(credentials)));
  return fingerprint;
}

function compute(credentials: DtlsClientPsk | DtlsClientCertificate): string {
  const h = createHash('sha256');
  const field = (bytes: Uint8Array | string): void => {
    const b = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    const length = Buffer.alloc(4);
    length.writeUInt32BE(b.length);
    h.update(length).update(b); // length-prefixed: no two field lists hash alike
  };
  if (!('mode' in credentials)) {
    field('psk');
    field(credentials.identity);
    field(credentials.key);
    return h.digest('hex');
  }
  field(credentials.mode);
  field(credentials.privateKey.export({ type: 'pkcs8', format: 'der' }));
  if (credentials.mode === 'rpk') {
    field(credentials.serverPublicKey);
    return h.digest('hex');
  }
  const { chain, server } = credentials;
  field(String(chain.length));
  for (const der of chain) field(der);
  field(String(server.usage ?? 3));
  field(server.serverCertificate);
  field(server.host ?? '');
  const anchors = server.trustAnchors ?? [];
  field(String(anchors.length));
  for (const der of anchors) field(der);
  return h.digest('hex');
}
