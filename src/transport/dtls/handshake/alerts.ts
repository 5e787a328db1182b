// Alert protocol (RFC 5246 section 7.2; RFC 6347 4.1.2.7): two bytes, level and description.
// The descriptions this stack sends or acts on; any other received one is handled by its level.

/** Alert levels. */
export const AlertLevel = { warning: 1, fatal: 2 } as const;

/** Alert descriptions (RFC 5246 7.2, RFC 4279 section 2 for unknown_psk_identity). */
export const AlertDescription = {
  closeNotify: 0,
  unexpectedMessage: 10,
  badRecordMac: 20,
  handshakeFailure: 40,
  badCertificate: 42,
  unsupportedCertificate: 43,
  certificateExpired: 45,
  certificateUnknown: 46,
  illegalParameter: 47,
  unknownCa: 48,
  accessDenied: 49,
  decodeError: 50,
  decryptError: 51,
  protocolVersion: 70,
  internalError: 80,
  noRenegotiation: 100,
  unsupportedExtension: 110,
  unknownPskIdentity: 115,
} as const;

/** A decoded alert. */
export interface Alert {
  readonly level: number;
  readonly description: number;
}

/** The two bytes of an alert. */
export function encodeAlert(level: number, description: number): Uint8Array {
  return Uint8Array.of(level, description);
}

/** Decodes an alert record's content; undefined unless it is exactly two bytes. */
export function decodeAlert(content: Uint8Array): Alert | undefined {
  return content.length === 2 ? { level: content[0]!, description: content[1]! } : undefined;
}

/** True when receiving `alert` ends the connection: a fatal alert or close_notify (7.2.1). */
export function endsConnection(alert: Alert): boolean {
  return alert.level !== AlertLevel.warning || alert.description === AlertDescription.closeNotify;
}
