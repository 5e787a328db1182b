// Public entry of the Bootstrap-Server role (Core TS 1.1.1 section 5.2.7). Re-exports only.
export { BootstrapServer, DEFAULT_BOOTSTRAP_COAPS_PORT } from './BootstrapServer.js';
export { BootstrapAuthorizer, type BootstrapSecurityOptions } from './BootstrapAuthorizer.js';
export type {
  BootstrapLimitName,
  BootstrapPackEvent,
  BootstrapServerEvents,
  BootstrapStepEvent,
} from './BootstrapServerEvents.js';
export { planBootstrapPack } from './planBootstrapPack.js';
export {
  counterSessionIds,
  resolveBootstrapOptions,
  type BootstrapServerConfig,
  type BootstrapServerOptions,
} from './BootstrapServerOptions.js';
export {
  BootstrapSession,
  codeText,
  type BootstrapSender,
  type BootstrapSessionFailure,
  type BootstrapSessionOptions,
  type BootstrapSessionRecord,
  type BootstrapStepRecord,
} from './BootstrapSession.js';
export {
  BOOTSTRAP_WRITE_FORMATS,
  bootstrapFormat,
  discoveredClient,
  isBootstrapWriteFormat,
  planBootstrap,
  stepName,
  type BootstrapStep,
  type CompletedStep,
  type DiscoveredClient,
  type PlanContext,
} from './planBootstrap.js';
export * from '../lwm2m/BootstrapConfig.js';
export {
  bootstrapConfigToJson,
  redactedBootstrapConfigJson,
  parseBootstrapConfig,
  parseBootstrapConfigFile,
  InvalidBootstrapConfigError,
} from '../lwm2m/bootstrapConfigJson.js';
export type { BootstrapConfigStore } from '../store/BootstrapConfigStore.js';
export { MemoryBootstrapConfigStore } from '../store/memory/MemoryBootstrapConfigStore.js';
