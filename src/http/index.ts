// The REST API of the LwM2M server: re-exports only.
export { createHttpApi, type HttpApiOptions } from './createHttpApi.js';
export type { EventStreamOptions } from './events.js';
export * from './ServerPort.js';
export * from './nodeJson.js';
export { instanceFromJson, nodeFromJson, valueFromJson } from './nodeFromJson.js';
export { FORMAT_NAMES, formatFromName, formatName } from './formatNames.js';
export { coapCodeText, httpStatusForCoapCode, httpStatusForFailure } from './lwm2mReply.js';
export { registrationToJson, type RegistrationJson } from './registrationJson.js';
export type { ApiAccessOptions, GuardRouteConfig } from './apiGuard.js';
export { hashApiKey, newApiKey, parseApiKeys } from './apiKeys.js';
export type { EventStreamStats } from './EventFanout.js';
export { MAX_PAGE_LIMIT } from './clientList.js';
export type { SecurityInfoView } from './securityJson.js';
export { MAX_SECURITY_PAGE_LIMIT } from './securityRoutes.js';
