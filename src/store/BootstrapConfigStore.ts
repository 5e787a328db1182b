// LwM2M Core TS 1.1.1 section 5.2.7 (Bootstrap Interface): the store of bootstrap configurations
// by endpoint name, with an optional default (endpoint "*") for endpoints it does not list.
// Interface only; writes return what changed (STYLE.md 10) and the contract suite
// test/store/bootstrapConfigStoreContract.ts proves every implementation.
import type { BootstrapConfig } from '../lwm2m/BootstrapConfig.js';

export { DEFAULT_CONFIG_ENDPOINT } from '../lwm2m/BootstrapConfig.js';

/** What BootstrapConfigStore.put changed. */
export interface BootstrapConfigPutResult {
  /** The config this one replaced, if any. */
  readonly previous?: BootstrapConfig;
}

/** What BootstrapConfigStore.delete changed. */
export interface BootstrapConfigDeleteResult {
  /** The removed config, or undefined when there was none. */
  readonly removed?: BootstrapConfig;
}

/** One stored config and the endpoint it belongs to ("*" for the default). */
export interface BootstrapConfigEntry {
  readonly endpoint: string;
  readonly config: BootstrapConfig;
}

/**
 * Bootstrap configs by endpoint name. The name "*" (DEFAULT_CONFIG_ENDPOINT) holds the default.
 * Every method is async so SQLite and Redis implementations fit. Stored configs are copies: a
 * caller changing its object later does not change the store.
 */
export interface BootstrapConfigStore {
  /** The config for `endpoint`: its own, else the default, else undefined. */
  get(endpoint: string): Promise<BootstrapConfig | undefined>;
  /** The config stored under exactly `endpoint` (no fallback to the default). */
  getExact(endpoint: string): Promise<BootstrapConfig | undefined>;
  /** Stores `config` for `endpoint` ("*" sets the default), replacing any previous one. */
  put(endpoint: string, config: BootstrapConfig): Promise<BootstrapConfigPutResult>;
  /** Removes the config of `endpoint` ("*" removes the default). */
  delete(endpoint: string): Promise<BootstrapConfigDeleteResult>;
  /** Every stored config, ordered by endpoint name. */
  list(): Promise<BootstrapConfigEntry[]>;
}
