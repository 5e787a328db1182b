// The bytes a record's protection authenticates besides its content:
// - classic records (RFC 5246 6.2.3.3 as DTLS uses it, RFC 6347 4.1.2.1): 13 bytes,
//     epoch (2) | sequence_number (6) | type (1) | version (2) | length (2)
//   where the epoch and sequence number together stand in for TLS's 64-bit seq_num and length
//   is the plaintext length; the same bytes start the CBC MAC input (RFC 5246 6.2.3.1);
// - tls12_cid records (RFC 9146 section 5), 23 + cid bytes:
//     8 x 0xff | 25 | cid_length (1) | 25 | version (2) | epoch (2) | sequence_number (6) | cid |
//     length_of_DTLSInnerPlaintext (2)
//   (checked against capture A2: mbedTLS 3.5.2 produces and accepts exactly this).
// Writers fill a caller-owned buffer, so a protection object reuses one scratch buffer per record.

/** Length of the classic additional data. */
export const CLASSIC_AAD_LENGTH = 13;
/** Length of the RFC 9146 additional data for a CID of `cidLength` bytes. */
export const cidAadLength = (cidLength: number): number => 23 + cidLength;

/** Writes epoch (2) and the 48-bit sequence number (6) at `at`. */
export function writeEpochAndSequence(out: Uint8Array, at: number, epoch: number, seq: number): void {
  out[at] = epoch >> 8;
  out[at + 1] = epoch & 0xff;
  const high = Math.floor(seq / 2 ** 32);
  out[at + 2] = high >> 8;
  out[at + 3] = high & 0xff;
  out[at + 4] = seq >>> 24;
  out[at + 5] = (seq >>> 16) & 0xff;
  out[at + 6] = (seq >>> 8) & 0xff;
  out[at + 7] = seq & 0xff;
}

/** Writes the 13-byte classic additional data into `out` (at least 13 bytes); returns 13. */
export function writeClassicAad(
  out: Uint8Array,
  type: number,
  version: number,
  epoch: number,
  seq: number,
  length: number,
): number {
  writeEpochAndSequence(out, 0, epoch, seq);
  out[8] = type;
  out[9] = version >> 8;
  out[10] = version & 0xff;
  out[11] = length >> 8;
  out[12] = length & 0xff;
  return CLASSIC_AAD_LENGTH;
}

/** Writes the RFC 9146 additional data into `out`; returns its length. */
export function writeCidAad(
  out: Uint8Array,
  version: number,
  epoch: number,
  seq: number,
  cid: Uint8Array,
  innerLength: number,
): number {
  out.fill(0xff, 0, 8);
  out[8] = 25;
  out[9] = cid.length;
  out[10] = 25;
  out[11] = version >> 8;
  out[12] = version & 0xff;
  writeEpochAndSequence(out, 13, epoch, seq);
  out.set(cid, 21);
  const at = 21 + cid.length;
  out[at] = innerLength >> 8;
  out[at + 1] = innerLength & 0xff;
  return at + 2;
}
