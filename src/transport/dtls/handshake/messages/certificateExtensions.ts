// The hello extensions of certificate suites: supported_groups (10, RFC 8422 5.1.1),
// ec_point_formats (11, RFC 8422 5.1.2; only uncompressed(0) is used), signature_algorithms (13,
// RFC 5246 7.4.1.4.1) and the certificate type extensions of RFC 7250 section 4
// (client_certificate_type 19, server_certificate_type 20): a list in the ClientHello, one value
// in the ServerHello.

import { BodyReader } from './BodyReader.js';
import { BodyWriter } from './BodyWriter.js';

export const CertificateExtensionType = {
  supportedGroups: 10,
  ecPointFormats: 11,
  signatureAlgorithms: 13,
  clientCertificateType: 19,
  serverCertificateType: 20,
} as const;

/** ECPointFormat uncompressed. */
export const UNCOMPRESSED = 0;

function u16List(data: Uint8Array, floor: number, ceiling: number, what: string): number[] {
  const r = new BodyReader(data);
  const list = r.vector(2, floor, ceiling, what);
  r.end(what);
  if (list.length % 2) throw r.error(`odd ${what} length`, 'invalid', 0);
  const out: number[] = [];
  for (let i = 0; i < list.length; i += 2) out.push((list[i]! << 8) | list[i + 1]!);
  return out;
}

function encodeU16List(values: readonly number[], floor: number, ceiling: number, what: string): Uint8Array {
  const w = new BodyWriter();
  for (const v of values) w.u16(v, what);
  return new BodyWriter().vector(2, floor, ceiling, w.finish(), what).finish();
}

/** supported_groups: NamedGroup named_group_list<2..2^16-1>. */
export const decodeSupportedGroups = (data: Uint8Array): number[] =>
  u16List(data, 2, 0xffff, 'named_group_list');
export const encodeSupportedGroups = (groups: readonly number[]): Uint8Array =>
  encodeU16List(groups, 2, 0xffff, 'named_group_list');

/** signature_algorithms: supported_signature_algorithms<2..2^16-2>. */
export const decodeSignatureAlgorithms = (data: Uint8Array): number[] =>
  u16List(data, 2, 0xfffe, 'supported_signature_algorithms');
export const encodeSignatureAlgorithms = (algorithms: readonly number[]): Uint8Array =>
  encodeU16List(algorithms, 2, 0xfffe, 'supported_signature_algorithms');

/** ec_point_formats: ECPointFormat ec_point_format_list<1..2^8-1>. */
export function decodeEcPointFormats(data: Uint8Array): number[] {
  const r = new BodyReader(data);
  const list = r.vector(1, 1, 0xff, 'ec_point_format_list');
  r.end('ec_point_formats');
  return Array.from(list);
}
export const encodeEcPointFormats = (formats: readonly number[]): Uint8Array =>
  new BodyWriter().vector(1, 1, 0xff, Uint8Array.from(formats), 'ec_point_format_list').finish();

/** A certificate type extension of a ClientHello: CertificateType types<1..2^8-1>. */
export function decodeCertificateTypeList(data: Uint8Array): number[] {
  const r = new BodyReader(data);
  const list = r.vector(1, 1, 0xff, 'certificate types');
  r.end('certificate type extension');
  return Array.from(list);
}
export const encodeCertificateTypeList = (types: readonly number[]): Uint8Array =>
  new BodyWriter().vector(1, 1, 0xff, Uint8Array.from(types), 'certificate types').finish();

/** A certificate type extension of a ServerHello: the one type chosen. */
export function decodeCertificateTypeChoice(data: Uint8Array): number {
  const r = new BodyReader(data);
  const type = r.u8('certificate type');
  r.end('certificate type extension');
  return type;
}
export const encodeCertificateTypeChoice = (type: number): Uint8Array => Uint8Array.of(type);
