// Store interfaces and their in-memory implementations (DESIGN.md: store/ layer).
export * from './RegistrationStore.js';
export * from './RegistrationPage.js';
export * from './ObservationStore.js';
export {
  MemoryRegistrationStore,
  type MemoryRegistrationStoreOptions,
} from './memory/MemoryRegistrationStore.js';
export { MemoryObservationStore } from './memory/MemoryObservationStore.js';
export * from './BootstrapConfigStore.js';
export { MemoryBootstrapConfigStore } from './memory/MemoryBootstrapConfigStore.js';
export * from './SecurityStore.js';
export { MemorySecurityStore } from './memory/MemorySecurityStore.js';
