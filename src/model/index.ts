// Public API of model/: object and resource models (Core TS 1.1.1 Appendix D), the model
// registry, the DDF loader and the built-in core objects.
export type { ModelLookup, ObjectModel, Operations, ResourceModel, ResourceType } from './ObjectModel.js';
export { DdfError } from './DdfError.js';
export type { DdfErrorLocation } from './DdfError.js';
export { parseDdf } from './ddfLoader.js';
export { MAX_DDF_ID } from './ddfValues.js';
export { ModelRegistry, compareVersions } from './ModelRegistry.js';
export type { AddModelOptions } from './ModelRegistry.js';
export { ModelRegistryError } from './ModelRegistryError.js';
export type { ModelRegistryErrorCode } from './ModelRegistryError.js';
export { defineObject, objectUrn, olderVersion, resourceRow } from './core/defineObject.js';
export type { Instances, ObjectHeader, Requirement, VersionChanges } from './core/defineObject.js';
export * from './core/index.js';
