// Core TS 1.1.1 section 7.4.5: the application/senml+cbor (112) content format.
import { ContentFormat } from '../ContentFormat.js';
import { SenmlNodeCodec } from './SenmlNodeCodec.js';
import { decodeSenmlCbor, encodeSenmlCbor } from './senmlCbor.js';

/** SenML CBOR codec: nodes, composite paths and timestamped groups as a SenML CBOR pack. */
export const senmlCborCodec = new SenmlNodeCodec({
  format: ContentFormat.SENML_CBOR,
  serializer: { encode: encodeSenmlCbor, decode: decodeSenmlCbor },
  style: { opaqueAsBase64String: false },
  finiteFloatsOnly: false,
  namesRelativeToRequest: false,
});
