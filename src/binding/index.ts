// Public entry of the binding layer (LwM2M Transport TS 1.1.1 section 6): LwM2M operations to and
// from CoAP messages, for server, bootstrap server and client. Re-exports only.
export {
  chooseCompositeFormat,
  chooseFallbackFormat,
  chooseFormat,
  shapeAt,
  type FormatContext,
} from './chooseFormat.js';
export { decodeNotification } from './decodeNotification.js';
export { failureResponse } from './failureResponse.js';
export { fromCoapRequest, type ClientRequestContext } from './fromCoapRequest.js';
export { fromUplinkRequest, type UplinkContext, type UplinkRequest } from './fromUplinkRequest.js';
export { decodeNodeBody, decodeNodesBody, decodePathsBody, decodeTimestampedBody } from './requestBody.js';
export {
  changedResponse,
  compositeContentResponse,
  contentResponse,
  createdResponse,
  deletedResponse,
  discoverResponse,
  type ClientResponseContext,
} from './toCoapResponse.js';
export { toCoapRequest, type DownlinkContext } from './toCoapRequest.js';
export { decodeFailure, toLwm2mResponse, type ResponseByKind, type ResponseFor } from './toLwm2mResponse.js';
export {
  bootstrapAcceptedResponse,
  deregisteredResponse,
  registeredResponse,
  sendAcceptedResponse,
  updatedResponse,
} from './toUplinkResponse.js';
export {
  bootstrapRequest,
  deregisterRequest,
  parseRegisterResponse,
  registerRequest,
  sendRequest,
  updateRequest,
  type RegisterParams,
  type RegisterResult,
  type UpdateParams,
} from './uplinkRequests.js';
export {
  BOOTSTRAP_PATH,
  REGISTRATION_PATH,
  rootSegments,
  SEND_PATH,
  stripRootPath,
  toUriPath,
} from './uriPath.js';
