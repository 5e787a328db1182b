// The ECDHE messages of TLS_ECDHE_ECDSA_* suites (RFC 8422): ServerKeyExchange carries
// ServerECDHParams (curve_type named_curve(3), the NamedCurve, the server's ephemeral point
// <1..2^8-1>) and a signature over client_random + server_random + those params (5.4);
// ClientKeyExchange carries the client's point <1..2^8-1> (5.7). Points are kept as bytes: the
// uncompressed form (0x04 | X | Y, 65 bytes for secp256r1) is what node:crypto's ECDH takes, and
// checking it is on the curve is computeSecret's job.

import { BodyReader } from './BodyReader.js';
import { BodyWriter } from './BodyWriter.js';
import { readDigitallySigned, writeDigitallySigned, type DigitallySigned } from './signatures.js';

/** ECCurveType named_curve (RFC 8422 5.4). */
export const NAMED_CURVE = 3;
/** NamedCurve / NamedGroup secp256r1 (RFC 8422 5.1.1). */
export const SECP256R1 = 23;

export interface ServerEcdhParams {
  readonly namedCurve: number;
  readonly point: Uint8Array;
}

export interface EcdheServerKeyExchange {
  readonly params: ServerEcdhParams;
  /** The params exactly as sent: the signed bytes after the two randoms. */
  readonly paramsBytes: Uint8Array;
  readonly signed: DigitallySigned;
}

/** Decodes an ECDHE ServerKeyExchange; DecodeError when malformed (other curve types included). */
export function decodeEcdheServerKeyExchange(body: Uint8Array, base = 0): EcdheServerKeyExchange {
  const r = new BodyReader(body, base);
  const curveType = r.u8('ECCurveType');
  if (curveType !== NAMED_CURVE) throw r.error(`ECCurveType ${curveType} is not named_curve`, 'invalid', 0);
  const namedCurve = r.u16('NamedCurve');
  const point = r.vector(1, 1, 0xff, 'ECPoint');
  const paramsBytes = body.subarray(0, r.offset);
  const signed = readDigitallySigned(r);
  r.end('ServerKeyExchange');
  return { params: { namedCurve, point }, paramsBytes, signed };
}

/** The ServerECDHParams bytes (what is signed after the randoms). */
export function encodeServerEcdhParams(p: ServerEcdhParams): Uint8Array {
  return new BodyWriter()
    .u8(NAMED_CURVE)
    .u16(p.namedCurve, 'NamedCurve')
    .vector(1, 1, 0xff, p.point, 'ECPoint')
    .finish();
}

export function encodeEcdheServerKeyExchange(paramsBytes: Uint8Array, signed: DigitallySigned): Uint8Array {
  const w = new BodyWriter().bytes(paramsBytes);
  writeDigitallySigned(w, signed);
  return w.finish();
}

/** Decodes an ECDH ClientKeyExchange (explicit point; RFC 8422 5.7). */
export function decodeEcdhClientKeyExchange(body: Uint8Array, base = 0): Uint8Array {
  const r = new BodyReader(body, base);
  const point = r.vector(1, 1, 0xff, 'ecdh_Yc');
  r.end('ClientKeyExchange');
  return point;
}

export function encodeEcdhClientKeyExchange(point: Uint8Array): Uint8Array {
  return new BodyWriter().vector(1, 1, 0xff, point, 'ecdh_Yc').finish();
}
