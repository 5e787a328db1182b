// Key material of the Security object for raw public keys (mode 1) and certificates (mode 2),
// checked when a bootstrap config is read so a mistake is a clear 400 at configuration time, not
// a device that fails its handshakes later. The encodings are the DER ones LwM2M deployments use
// (Core TS 1.1.1 E.1; RFC 7250 section 3 for the raw key): /0/x/3 the client's
// SubjectPublicKeyInfo (RPK) or certificate (X.509), /0/x/4 the server's SubjectPublicKeyInfo or
// certificate, /0/x/5 the client's private key (PKCS#8, or SEC 1 for EC keys), which must belong
// to /0/x/3.
//
// What a Bootstrap-Server writes is conservative (keyMaterialToWrite): the TS names the content of
// each resource (Transport TS 1.1.1 5.2.8.3-4: "the raw public key", "the private key") but not
// its encoding, so we write the one form every client we know reads: /0/x/5 as PKCS#8 DER (a SEC 1
// key is converted; Leshan reads the Security object's private key as PKCS#8 only, its
// maintainers' answer in eclipse-leshan/leshan#1405; mbedTLS-based clients read both), raw public keys as DER SubjectPublicKeyInfo re-encoded by OpenSSL (uncompressed point,
// as RFC 8422 5.1.2 ec_point_formats requires on the wire), and certificates as given (DER).
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { InvalidBootstrapConfigError } from './bootstrapConfigFields.js';

function publicKeyOf(der: Uint8Array, field: string): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
  } catch {
    throw new InvalidBootstrapConfigError(field, 'must be a DER SubjectPublicKeyInfo (raw public key)');
  }
}

function certificateOf(der: Uint8Array, field: string): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch {
    throw new InvalidBootstrapConfigError(field, 'must be a DER X.509 certificate');
  }
}

function privateKeyOf(der: Uint8Array, field: string): KeyObject {
  for (const type of ['pkcs8', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: Buffer.from(der), format: 'der', type });
    } catch {
      /* next encoding */
    }
  }
  throw new InvalidBootstrapConfigError(field, 'must be a DER private key (PKCS#8 or SEC 1)');
}

const spkiOf = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });

/** Throws InvalidBootstrapConfigError naming the field when the mode's key material is not usable. */
export function checkKeyMaterial(
  mode: 'rpk' | 'x509',
  fields: { publicKeyOrIdentity: Uint8Array; secretKey: Uint8Array; serverPublicKey?: Uint8Array },
  at: string,
): void {
  const own =
    mode === 'rpk'
      ? publicKeyOf(fields.publicKeyOrIdentity, `${at}.publicKeyOrIdentity`)
      : certificateOf(fields.publicKeyOrIdentity, `${at}.publicKeyOrIdentity`).publicKey;
  const secret = privateKeyOf(fields.secretKey, `${at}.secretKey`);
  if (!spkiOf(createPublicKey(secret)).equals(spkiOf(own)))
    throw new InvalidBootstrapConfigError(`${at}.secretKey`, 'is not the private key of publicKeyOrIdentity');
  const server = fields.serverPublicKey;
  if (server !== undefined && server.length > 0) {
    if (mode === 'rpk') publicKeyOf(server, `${at}.serverPublicKey`);
    else certificateOf(server, `${at}.serverPublicKey`);
  }
}

/** `der` as PKCS#8 DER when it is a PKCS#8 or SEC 1 private key; otherwise unchanged. */
function pkcs8Of(der: Uint8Array): Uint8Array {
  for (const type of ['pkcs8', 'sec1'] as const) {
    try {
      const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type });
      return Uint8Array.from(key.export({ type: 'pkcs8', format: 'der' }));
    } catch {
      /* next encoding */
    }
  }
  return der;
}

/** `der` re-encoded as a DER SubjectPublicKeyInfo when it is one; otherwise unchanged. */
function spkiOfBytes(der: Uint8Array): Uint8Array {
  try {
    return Uint8Array.from(spkiOf(createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' })));
  } catch {
    return der;
  }
}

/** Resources 3, 4 and 5 of a mode 1 or 2 Security instance in the encodings we write (see above). */
export function keyMaterialToWrite(
  mode: 'rpk' | 'x509',
  fields: { publicKeyOrIdentity: Uint8Array; serverPublicKey: Uint8Array; secretKey: Uint8Array },
): { publicKeyOrIdentity: Uint8Array; serverPublicKey: Uint8Array; secretKey: Uint8Array } {
  const secretKey = fields.secretKey.length > 0 ? pkcs8Of(fields.secretKey) : fields.secretKey;
  if (mode === 'x509') return { ...fields, secretKey };
  const normalize = (b: Uint8Array): Uint8Array => (b.length > 0 ? spkiOfBytes(b) : b);
  return {
    publicKeyOrIdentity: normalize(fields.publicKeyOrIdentity),
    serverPublicKey: normalize(fields.serverPublicKey),
    secretKey,
  };
}
