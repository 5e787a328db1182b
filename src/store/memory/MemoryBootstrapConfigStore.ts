// LwM2M Core TS 1.1.1 section 5.2.7: BootstrapConfigStore in memory (the default store of the
// bootstrap server), one Map of endpoint name → config copy.
import type { BootstrapConfig } from '../../lwm2m/BootstrapConfig.js';
import { DEFAULT_CONFIG_ENDPOINT } from '../../lwm2m/BootstrapConfig.js';
import { validateBootstrapConfig } from '../../lwm2m/validateBootstrapConfig.js';
import type {
  BootstrapConfigDeleteResult,
  BootstrapConfigEntry,
  BootstrapConfigPutResult,
  BootstrapConfigStore,
} from '../BootstrapConfigStore.js';

/**
 * A BootstrapConfigStore in one Map; `initial` entries are stored as by put(), which refuses a
 * config that deletes the server accounts and writes nothing (InvalidBootstrapConfigError).
 */
export class MemoryBootstrapConfigStore implements BootstrapConfigStore {
  private readonly configs = new Map<string, BootstrapConfig>();

  constructor(initial: Iterable<readonly [string, BootstrapConfig]> = []) {
    for (const [endpoint, config] of initial) {
      validateBootstrapConfig(config);
      this.configs.set(endpoint, structuredClone(config));
    }
  }

  get(endpoint: string): Promise<BootstrapConfig | undefined> {
    const c = this.configs.get(endpoint) ?? this.configs.get(DEFAULT_CONFIG_ENDPOINT);
    return Promise.resolve(c && structuredClone(c));
  }

  getExact(endpoint: string): Promise<BootstrapConfig | undefined> {
    const c = this.configs.get(endpoint);
    return Promise.resolve(c && structuredClone(c));
  }

  put(endpoint: string, config: BootstrapConfig): Promise<BootstrapConfigPutResult> {
    try {
      validateBootstrapConfig(config);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const previous = this.configs.get(endpoint);
    this.configs.set(endpoint, structuredClone(config));
    return Promise.resolve(previous ? { previous } : {});
  }

  delete(endpoint: string): Promise<BootstrapConfigDeleteResult> {
    const removed = this.configs.get(endpoint);
    this.configs.delete(endpoint);
    return Promise.resolve(removed ? { removed } : {});
  }

  list(): Promise<BootstrapConfigEntry[]> {
    const names = [...this.configs.keys()].sort();
    return Promise.resolve(
      names.map((endpoint) => ({ endpoint, config: structuredClone(this.configs.get(endpoint)!) })),
    );
  }
}
