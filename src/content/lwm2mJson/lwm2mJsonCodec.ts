// OMA LwM2M Core TS 1.0.2 section 6.4.4 / 1.1.1 section 7.4.6: the application/vnd.oma.lwm2m+json
// (11543) content format, sharing the SenML records ↔ nodes level; opaque values are base64 "sv".
import { ContentFormat } from '../ContentFormat.js';
import { SenmlNodeCodec } from '../senml/SenmlNodeCodec.js';
import { decodeLwm2mJson, encodeLwm2mJson } from './lwm2mJsonRecords.js';

/** LwM2M JSON codec: names relative to "bn" (or to the request path when "bn" is absent). */
export const lwm2mJsonCodec = new SenmlNodeCodec({
  format: ContentFormat.LWM2M_JSON,
  serializer: { encode: encodeLwm2mJson, decode: decodeLwm2mJson },
  style: { opaqueAsBase64String: true },
  finiteFloatsOnly: true,
  namesRelativeToRequest: true,
});
