// The REST API of the LwM2M server: re-exports only.
export { createHttpApi, type HttpApiOptions } from './createHttpApi.js';
export type { EventStreamOptions } from './events.js';
export * from './ServerPort.js';
export * from './nodeJson.js';
export { instanceFromJson, nodeFromJson, valueFromJson } from './nodeFromJson.js';
export { FORMAT_NAMES, formatFromName, formatName } from './formatNames.js';
export { coapCodeText, httpStatusForCoapCode, httpStatusForFailure } from './lwm2mReply.js';
export { registrationToJson, type RegistrationJson } from './registrationJson.js';
