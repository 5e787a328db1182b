// A RegistrationStore without the optional synchronous answers (hasPeerNow, sizeNow,
// getByEndpointNow), as a store kept outside the process would be: what the server does then
// must be tested too, since the stores of this package all offer them.
import type { MemoryRegistrationStore } from '../../src/store/memory/MemoryRegistrationStore.js';
import type { RegistrationStore } from '../../src/store/RegistrationStore.js';

/** `inner` without its optional synchronous answers. */
export function withoutSyncAnswers(inner: MemoryRegistrationStore): RegistrationStore {
  return {
    observations: inner.observations,
    add: (reg) => inner.add(reg),
    update: (id, updater) => inner.update(id, updater),
    remove: (id) => inner.remove(id),
    getById: (id) => inner.getById(id),
    getByEndpoint: (ep) => inner.getByEndpoint(ep),
    getByPeer: (key) => inner.getByPeer(key),
    all: () => inner.all(),
    page: (query) => inner.page(query),
    size: () => inner.size(),
    nextExpiry: () => inner.nextExpiry(),
    removeExpired: (now, grace, limit) => inner.removeExpired(now, grace, limit),
  };
}
