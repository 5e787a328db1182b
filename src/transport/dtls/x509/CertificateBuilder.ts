// Issues X.509 v3 certificates (RFC 5280) signed with ECDSA P-256/SHA-256, the profile RFC 7925
// section 4.4 and the LwM2M Transport TS ask for: a test CA, intermediates, server and device
// certificates, for `lwm2m certs`, the tests and operators without a PKI of their own. The DER
// is assembled here; signing and keys are node:crypto's.

import { createHash, randomBytes, sign, type KeyObject, X509Certificate } from 'node:crypto';
import {
  bitString,
  boolean,
  children,
  explicit,
  integer,
  namedBits,
  octetString,
  oid,
  printableString,
  readNode,
  sequence,
  set,
  time,
  tlv,
  utf8String,
} from './der.js';
import { KeyUsageBit, OID, type KeyUsageName } from './oids.js';

export interface CertificateSubject {
  readonly commonName: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  /** Two letters (ISO 3166). */
  readonly country?: string;
}

/** One extension written as given (tests of unusual certificates). */
export interface RawExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The DER inside extnValue. */
  readonly value: Uint8Array;
}

export interface IssueCertificateOptions {
  readonly subject: CertificateSubject;
  /** The subject's public key (EC P-256). */
  readonly publicKey: KeyObject;
  /** The signer: the issuing CA's certificate (DER) and private key. Absent: self-signed with `selfKey`. */
  readonly issuer?: { readonly certificate: Uint8Array; readonly privateKey: KeyObject };
  /** The subject's private key, for a self-signed certificate. */
  readonly selfKey?: KeyObject;
  /** Default: 16 random bytes. */
  readonly serialNumber?: Uint8Array;
  /** Wall-clock ms; default one minute ago. */
  readonly notBefore?: number;
  /** Wall-clock ms; default 365 days after notBefore. */
  readonly notAfter?: number;
  /** A CA certificate (basicConstraints cA, critical), optionally with a path length. */
  readonly ca?: boolean | { readonly pathLength: number };
  /** Default: keyCertSign + cRLSign for a CA, digitalSignature otherwise. `[]` leaves it out. */
  readonly keyUsage?: readonly KeyUsageName[];
  /** serverAuth / clientAuth (dotted OIDs allowed); default none. */
  readonly extKeyUsage?: readonly ('serverAuth' | 'clientAuth' | string)[];
  readonly altNames?: {
    readonly dns?: readonly string[];
    readonly uri?: readonly string[];
    readonly ip?: readonly string[];
  };
  readonly extraExtensions?: readonly RawExtension[];
}

const DAY_MS = 24 * 3600 * 1000;

function encodeName(subject: CertificateSubject): Buffer {
  const rdn = (type: string, value: Buffer): Buffer => set(sequence(oid(type), value));
  const parts: Buffer[] = [];
  if (subject.country !== undefined) {
    if (!/^[A-Z]{2}$/.test(subject.country)) throw new RangeError(`country must be two capital letters`);
    parts.push(rdn(OID.countryName, printableString(subject.country)));
  }
  if (subject.organization !== undefined)
    parts.push(rdn(OID.organizationName, utf8String(subject.organization)));
  if (subject.organizationalUnit !== undefined)
    parts.push(rdn(OID.organizationalUnitName, utf8String(subject.organizationalUnit)));
  if (subject.commonName.length === 0 || Buffer.byteLength(subject.commonName) > 64)
    throw new RangeError('commonName must be 1 to 64 bytes (RFC 5280 ub-common-name)');
  parts.push(rdn(OID.commonName, utf8String(subject.commonName)));
  return sequence(...parts);
}

/** The raw subject Name of a DER certificate (copied as the issuer of what it signs). */
function subjectNameOf(der: Uint8Array): Buffer {
  const [tbs] = children(der, readNode(der, 0));
  const fields = children(der, tbs!);
  const subject = fields[(fields[0]?.tag === 0xa0 ? 1 : 0) + 4]!;
  return Buffer.from(der.subarray(subject.start, subject.end));
}

/** A key identifier: SHA-1 of the SubjectPublicKeyInfo (RFC 7093 allows any consistent method). */
function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
}

function ipBytes(text: string): Buffer {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(text)) return Buffer.from(text.split('.').map(Number));
  const [head = '', tail = ''] = text.includes('::') ? text.split('::') : [text, ''];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) throw new RangeError(`bad IP address ${text}`);
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function extension(id: string, critical: boolean, value: Uint8Array): Buffer {
  return critical
    ? sequence(oid(id), boolean(true), octetString(value))
    : sequence(oid(id), octetString(value));
}

/** Issues one certificate; returns its DER. */
export function issueCertificate(options: IssueCertificateOptions): Buffer {
  const signer = options.issuer?.privateKey ?? options.selfKey;
  if (!signer) throw new TypeError('issueCertificate needs an issuer or a selfKey');
  if (signer.asymmetricKeyType !== 'ec' || signer.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new RangeError('the signing key must be an EC P-256 key');
  const issuerKey = options.issuer
    ? new X509Certificate(options.issuer.certificate).publicKey
    : options.publicKey;
  const notBefore = options.notBefore ?? Date.now() - 60_000;
  const notAfter = options.notAfter ?? notBefore + 365 * DAY_MS;
  const serial = Buffer.from(options.serialNumber ?? randomBytes(16));
  if (!options.serialNumber) serial[0]! &= 0x7f; // positive, 16 bytes: within RFC 5280's 20 octets
  const isCa = options.ca !== undefined && options.ca !== false;
  const usage = options.keyUsage ?? (isCa ? ['keyCertSign', 'cRLSign'] : ['digitalSignature']);

  const extensions: Buffer[] = [];
  if (isCa) {
    const pathLength = typeof options.ca === 'object' ? [integer(options.ca.pathLength)] : [];
    extensions.push(extension(OID.basicConstraints, true, sequence(boolean(true), ...pathLength)));
  }
  if (usage.length > 0) {
    const bits: boolean[] = [];
    for (const name of usage) bits[KeyUsageBit[name]] = true;
    extensions.push(extension(OID.keyUsage, true, namedBits(Array.from(bits, (b) => b === true))));
  }
  if (options.extKeyUsage?.length) {
    const ids = options.extKeyUsage.map((p) =>
      p === 'serverAuth' ? OID.serverAuth : p === 'clientAuth' ? OID.clientAuth : p,
    );
    extensions.push(extension(OID.extKeyUsage, false, sequence(...ids.map(oid))));
  }
  const alt = options.altNames;
  const general = [
    ...(alt?.dns ?? []).map((d) => tlv(0x82, Buffer.from(d, 'latin1'))),
    ...(alt?.uri ?? []).map((u) => tlv(0x86, Buffer.from(u, 'latin1'))),
    ...(alt?.ip ?? []).map((a) => tlv(0x87, ipBytes(a))),
  ];
  if (general.length > 0) extensions.push(extension(OID.subjectAltName, false, sequence(...general)));
  extensions.push(extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(options.publicKey))));
  extensions.push(
    extension(OID.authorityKeyIdentifier, false, sequence(tlv(0x80, keyIdentifier(issuerKey)))),
  );
  for (const e of options.extraExtensions ?? []) extensions.push(extension(e.oid, e.critical, e.value));

  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const subjectName = encodeName(options.subject);
  const tbs = sequence(
    explicit(0, integer(2)), // v3
    integer(serial),
    algorithm,
    options.issuer ? subjectNameOf(options.issuer.certificate) : subjectName,
    sequence(time(notBefore), time(notAfter)),
    subjectName,
    options.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...extensions)),
  );
  return sequence(tbs, algorithm, bitString(sign('sha256', tbs, signer)));
}
