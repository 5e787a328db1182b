// Core TS 1.1.1 section 7.4.4: the application/senml+json (110) content format.
import { ContentFormat } from '../ContentFormat.js';
import { SenmlNodeCodec } from './SenmlNodeCodec.js';
import { decodeSenmlJson, encodeSenmlJson } from './senmlJson.js';

/** SenML JSON codec: nodes, composite paths and timestamped groups as a SenML JSON pack. */
export const senmlJsonCodec = new SenmlNodeCodec({
  format: ContentFormat.SENML_JSON,
  serializer: { encode: encodeSenmlJson, decode: decodeSenmlJson },
  style: { opaqueAsBase64String: false },
  finiteFloatsOnly: true,
  namesRelativeToRequest: false,
});
