// Public API of the LwM2M Client role (LwM2M Core TS 1.1.1): the client, its object interface,
// the standard objects and the pure planners other tools (simulator, CLI) build on.
export {
  Lwm2mClient,
  type Lwm2mClientEvents,
  type Lwm2mClientOptions,
  type ServerConfig,
} from './Lwm2mClient.js';
export type { InstanceChangeListener, ObjectInstance, WriteMode } from './ObjectInstance.js';
export {
  DeclaredInstance,
  assertResourceMatchesModel,
  declareInstance,
  plainToResource,
  type DeclareOptions,
  type PlainResource,
  type PlainValue,
} from './declareInstance.js';
export { ObjectTree, type InstanceFactory, type TreeChange } from './ObjectTree.js';
export { AttributeStore, inheritAttributes, type DefaultPeriods } from './attributeInheritance.js';
export {
  effectivePmax,
  epminDelay,
  pmaxDelay,
  shouldNotify,
  valueTriggers,
  type NotifyDecision,
} from './shouldNotify.js';
export {
  ObserveEngine,
  type ObservationSpec,
  type ObservedContent,
  type ObserveEnginePorts,
} from './ObserveEngine.js';
export {
  AccessRight,
  aclEntries,
  isAllowed,
  rightsOf,
  type AccessOperation,
  type AclEntry,
} from './accessControl.js';
export { DeviceManagement, type DmCaller, type DmResult } from './DeviceManagement.js';
export { createDmHandler, type DmHandlerDeps, type DmRequestEvent } from './createDmHandler.js';
export {
  planRegistrationUpdate,
  registrationObjectsOf,
  updateDelayMs,
  type RegistrationParams,
  type UpdatePlan,
} from './planRegistrationUpdate.js';
export { DEFAULT_RETRY_POLICY, planRetry, type RetryPolicy, type RetryStep } from './planRetry.js';
export {
  RegistrationEngine,
  type RegistrationListener,
  type RegistrationPort,
  type RegistrationReply,
} from './RegistrationEngine.js';
export { coapRegistrationPort, peerOfUri } from './coapRegistrationPort.js';
export {
  DATAGRAM_SCHEMES,
  PLAIN_SCHEMES,
  UnsupportedSchemeError,
  requireScheme,
  schemeProblem,
} from './transportSchemes.js';
export {
  SUPPORTED_SECURITY_MODES,
  UnusableSecurityError,
  certificateFromSecurityObject,
  pskFromSecurityObject,
  securityProblem,
} from './accountSecurity.js';
export {
  CertificateMaterialError,
  clientCertificateOf,
  type CertificateResources,
  type ClientCertificateConfig,
} from './certificateCredentials.js';
export { PlainAndDtlsTransport, isSecuredPeer, securedPeer } from '../transport/PlainAndDtlsTransport.js';
export {
  answeredFailure,
  localFailure,
  type AttemptFailure,
  type AttemptOperation,
} from './attemptFailure.js';
export { announcedContentFormats, type ContentFormatAnnouncement } from './announcedFormats.js';
export { serverAccounts, type ServerAccount } from './serverAccounts.js';
export { SendService, type SendOptions } from './SendService.js';
export { securityInstance, type SecurityInstanceOptions } from './objects/securityInstance.js';
export { serverInstance, type ServerActions, type ServerInstanceOptions } from './objects/serverInstance.js';
export { accessControlInstance, type AccessControlOptions } from './objects/accessControlInstance.js';
export { deviceInstance, type DeviceOptions } from './objects/deviceInstance.js';
export {
  connectivityMonitoringInstance,
  connectivityStatistics,
  locationInstance,
  type ConnectivityMonitoringOptions,
  type ConnectivityStatistics,
  type LocationOptions,
} from './objects/connectivityInstances.js';
export { type BootstrapServerAccount } from './Lwm2mClient.js';
export {
  ClientBootstrapper,
  type BootstrapListener,
  type BootstrapState,
  type ClientBootstrapperOptions,
} from './bootstrap/ClientBootstrapper.js';
export { checkBootstrapConsistency, type ConsistencyOptions } from './bootstrap/checkBootstrapConsistency.js';
export {
  applyBootstrapRequest,
  bootstrapDiscoverLinks,
  isBootstrapAccount,
  type BootstrapResult,
} from './bootstrap/applyBootstrapRequest.js';
export {
  MemoryClientStateStore,
  type ClientState,
  type ClientStateStore,
} from './bootstrap/ClientStateStore.js';
export { FileClientStateStore } from './bootstrap/FileClientStateStore.js';
export { restoreClientState, snapshotClientState } from './bootstrap/clientStateSnapshot.js';
export {
  applyFactoryBootstrap,
  loadClientConfigFile,
  parseClientConfig,
  type ClientConfigFile,
} from './bootstrap/factoryBootstrap.js';
