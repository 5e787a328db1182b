// LwM2M Core TS 1.1.1 Appendix E.1: a Security (object 0) instance describing how to reach one
// LwM2M Server or the Bootstrap-Server: Security Mode 3 (NoSec, the default), 0 (PSK: resource 3
// the identity, 5 the key; accountSecurity.ts), 1 (RPK) or 2 (certificate: resources 3, 4, 5 and
// 15; certificateCredentials.ts).
import { SECURITY_1_1 } from '../../model/core/security.js';
import type { ObjectModel } from '../../model/ObjectModel.js';
import { declareInstance, type DeclaredInstance, type PlainResource } from '../declareInstance.js';

/** Settings of one Security instance. */
export interface SecurityInstanceOptions {
  readonly id: number;
  /** LwM2M Server URI, e.g. "coap://127.0.0.1:5683". */
  readonly uri: string;
  /** Short Server ID of the matching Server instance (not for a bootstrap account). */
  readonly ssid?: number;
  readonly bootstrap?: boolean;
  /** Security Mode (resource 2): 0 PSK, 1 RPK, 2 certificate, 3 NoSec (default), 4 EST. */
  readonly securityMode?: number;
  /** Resource 3: PSK identity, our raw public key or our certificate(s). */
  readonly identity?: Uint8Array;
  /** Resource 4: the server's raw public key or certificate. */
  readonly serverPublicKey?: Uint8Array;
  readonly secretKey?: Uint8Array;
  /** Certificate Usage (resource 15, Security object 1.1+), for mode 2. */
  readonly certificateUsage?: number;
  /** Client Hold Off Time (resource 11), seconds. */
  readonly holdOffS?: number;
  readonly model?: ObjectModel;
}

/** A Security instance from its settings. */
export function securityInstance(o: SecurityInstanceOptions): DeclaredInstance {
  const empty = new Uint8Array(0);
  const values: Record<number, PlainResource> = {
    0: o.uri,
    1: o.bootstrap ?? false,
    2: o.securityMode ?? 3,
    3: o.identity ?? empty,
    4: o.serverPublicKey ?? empty,
    5: o.secretKey ?? empty,
  };
  if (o.ssid !== undefined) values[10] = o.ssid;
  if (o.holdOffS !== undefined) values[11] = o.holdOffS;
  if (o.certificateUsage !== undefined) values[15] = o.certificateUsage;
  return declareInstance(o.model ?? SECURITY_1_1, o.id, values);
}
