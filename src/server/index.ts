// Public API of the LwM2M Server role (package export "./server" once wired): re-exports only.
export { Lwm2mServer } from './Lwm2mServer.js';
export type { FormatOptions, ObserveHandleOptions } from './operationOptions.js';
export {
  resolveServerOptions,
  type Lwm2mServerConfig,
  type Lwm2mServerOptions,
} from './Lwm2mServerOptions.js';
export { UplinkAuthorizer, type ServerSecurityOptions } from './UplinkAuthorizer.js';
export type * from './Lwm2mServerEvents.js';
export { Observation, type CancelOptions } from './Observation.js';
export type { SendOptions, DownlinkSender, ObserveStart, AnyObserveRequest } from './DownlinkSender.js';
export { RegistrationService, RD_PATH } from './RegistrationService.js';
export { SendService, DP_PATH } from './SendService.js';
export { RequestSender, downlinkContext } from './RequestSender.js';
export { QueueModeSender } from './QueueModeSender.js';
export { ObservationService } from './ObservationService.js';
export { ExpirySweep } from './ExpirySweep.js';
export { DEFAULT_COAPS_PORT } from './bindServerTransports.js';
export type { DtlsListenerOptions, DtlsServerCredentials } from '../transport/dtls/bindDtlsServer.js';
