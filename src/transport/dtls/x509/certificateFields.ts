// The fields of an X.509 v3 certificate (RFC 5280 section 4.1) that chain validation and name
// binding need and node:crypto's X509Certificate does not expose: the subject's common names,
// the subjectAltName entries, keyUsage bits, basicConstraints with its path length, the
// extended key usages and which extensions are critical. Read from the DER with bounds checks;
// anything malformed is a DecodeError.

import { DecodeError } from '../../DecodeError.js';
import {
  Tag,
  children,
  contents,
  expectTag,
  readBits,
  readBoolean,
  readNode,
  readOid,
  readSmallInteger,
  type DerNode,
} from './der.js';
import { KeyUsageBit, OID, type KeyUsageName } from './oids.js';

/** subjectAltName entries of the kinds LwM2M deployments use. */
export interface SubjectAltNames {
  readonly dns: readonly string[];
  readonly uri: readonly string[];
  /** IP addresses in their text form. */
  readonly ip: readonly string[];
}

export interface CertificateFields {
  /** The subject's commonName values, in order. */
  readonly commonNames: readonly string[];
  readonly altNames: SubjectAltNames;
  /** keyUsage, when the extension is present. */
  readonly keyUsage?: ReadonlySet<KeyUsageName>;
  /** basicConstraints, when present. */
  readonly basicConstraints?: { readonly ca: boolean; readonly pathLength?: number };
  /** extKeyUsage purposes (dotted OIDs), when present. */
  readonly extKeyUsage?: readonly string[];
  /** Every extension marked critical (dotted OIDs). */
  readonly criticalExtensions: readonly string[];
  /** The SubjectPublicKeyInfo, as DER (an RPK is exactly this, RFC 7250 section 3). */
  readonly subjectPublicKeyInfo: Uint8Array;
}

const textDecoder = new TextDecoder('utf-8', { fatal: true });

function stringValue(bytes: Uint8Array, node: DerNode): string {
  const raw = contents(bytes, node);
  switch (node.tag) {
    case Tag.UTF8_STRING:
      try {
        return textDecoder.decode(raw);
      } catch {
        throw new DecodeError('UTF8String is not UTF-8', node.start);
      }
    case Tag.PRINTABLE_STRING:
    case Tag.IA5_STRING:
    case 0x14: // TeletexString, read as Latin-1 (legacy CAs)
      return Buffer.from(raw).toString('latin1');
    case 0x1e: // BMPString
      if (raw.length % 2) throw new DecodeError('odd BMPString', node.start);
      return Buffer.from(raw).swap16().toString('utf16le');
    default:
      throw new DecodeError(`unsupported string type 0x${node.tag.toString(16)}`, node.start);
  }
}

function commonNamesOf(bytes: Uint8Array, name: DerNode): string[] {
  const out: string[] = [];
  for (const rdn of children(bytes, expectTag(name, Tag.SEQUENCE, 'name'))) {
    for (const atv of children(bytes, expectTag(rdn, Tag.SET, 'relative distinguished name'))) {
      const [type, value] = children(bytes, expectTag(atv, Tag.SEQUENCE, 'attribute'));
      if (!type || !value) throw new DecodeError('attribute without type or value', atv.start);
      if (readOid(bytes, type) === OID.commonName) out.push(stringValue(bytes, value));
    }
  }
  return out;
}

function ipText(raw: Uint8Array, at: number): string {
  if (raw.length === 4) return Array.from(raw).join('.');
  if (raw.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((raw[i]! << 8) | raw[i + 1]!).toString(16));
    return groups.join(':');
  }
  throw new DecodeError('iPAddress is neither 4 nor 16 bytes', at);
}

function altNamesOf(bytes: Uint8Array, value: DerNode): SubjectAltNames {
  const dns: string[] = [];
  const uri: string[] = [];
  const ip: string[] = [];
  for (const name of children(bytes, expectTag(value, Tag.SEQUENCE, 'subjectAltName'))) {
    const raw = contents(bytes, name);
    if (name.tag === 0x82) dns.push(Buffer.from(raw).toString('latin1'));
    else if (name.tag === 0x86) uri.push(Buffer.from(raw).toString('latin1'));
    else if (name.tag === 0x87) ip.push(ipText(raw, name.start));
    // other GeneralName kinds (rfc822Name, directoryName, otherName...) are not used for binding
  }
  return { dns, uri, ip };
}

/** Reads `der` (one certificate). */
export function certificateFields(der: Uint8Array): CertificateFields {
  const cert = expectTag(readNode(der, 0), Tag.SEQUENCE, 'certificate');
  if (cert.end !== der.length) throw new DecodeError('bytes after the certificate', cert.end);
  const [tbs] = children(der, cert);
  if (!tbs) throw new DecodeError('empty certificate', cert.start);
  const fields = children(der, expectTag(tbs, Tag.SEQUENCE, 'tbsCertificate'));
  let i = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] version (absent: v1)
  const subject = fields[i + 4];
  const spki = fields[i + 5];
  if (!subject || !spki) throw new DecodeError('tbsCertificate truncated', tbs.end, 'truncated');
  expectTag(spki, Tag.SEQUENCE, 'subjectPublicKeyInfo');
  i += 6;
  let altNames: SubjectAltNames = { dns: [], uri: [], ip: [] };
  let keyUsage: Set<KeyUsageName> | undefined;
  let basicConstraints: CertificateFields['basicConstraints'];
  let extKeyUsage: string[] | undefined;
  const criticalExtensions: string[] = [];
  const seen = new Set<string>();
  for (const field of fields.slice(i)) {
    if (field.tag !== 0xa3) continue; // [1], [2] unique identifiers
    const [list] = children(der, field);
    if (!list) throw new DecodeError('empty extensions', field.start);
    for (const ext of children(der, expectTag(list, Tag.SEQUENCE, 'extensions'))) {
      const parts = children(der, expectTag(ext, Tag.SEQUENCE, 'extension'));
      const id = readOid(der, parts[0] ?? ext);
      // RFC 5280 4.2: a certificate MUST NOT include more than one instance of an extension
      if (seen.has(id)) throw new DecodeError(`extension ${id} repeated`, ext.start);
      seen.add(id);
      const critical = parts.length === 3 && readBoolean(der, parts[1]!);
      const wrapped = parts[parts.length - 1];
      if (parts.length < 2 || parts.length > 3 || !wrapped)
        throw new DecodeError('malformed extension', ext.start);
      expectTag(wrapped, Tag.OCTET_STRING, 'extnValue');
      if (critical) criticalExtensions.push(id);
      const value = readNode(der, wrapped.contentStart, wrapped.end);
      if (value.end !== wrapped.end) throw new DecodeError('bytes after an extension value', value.end);
      if (id === OID.subjectAltName) altNames = altNamesOf(der, value);
      else if (id === OID.keyUsage) {
        const bits = readBits(der, value);
        keyUsage = new Set(
          (Object.keys(KeyUsageBit) as KeyUsageName[]).filter((k) => bits[KeyUsageBit[k]] === true),
        );
      } else if (id === OID.basicConstraints) {
        const inner = children(der, expectTag(value, Tag.SEQUENCE, 'basicConstraints'));
        let ca = false;
        let k = 0;
        if (inner[k]?.tag === Tag.BOOLEAN) ca = readBoolean(der, inner[k++]!);
        const pathLength = inner[k] ? readSmallInteger(der, inner[k]!) : undefined;
        basicConstraints = pathLength === undefined ? { ca } : { ca, pathLength };
      } else if (id === OID.extKeyUsage) {
        extKeyUsage = children(der, expectTag(value, Tag.SEQUENCE, 'extKeyUsage')).map((n) =>
          readOid(der, n),
        );
      }
    }
  }
  return {
    commonNames: commonNamesOf(der, subject),
    altNames,
    ...(keyUsage ? { keyUsage } : {}),
    ...(basicConstraints ? { basicConstraints } : {}),
    ...(extKeyUsage ? { extKeyUsage } : {}),
    criticalExtensions,
    subjectPublicKeyInfo: der.subarray(spki.start, spki.end),
  };
}
