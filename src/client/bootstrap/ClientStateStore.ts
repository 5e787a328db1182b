// LwM2M Core TS 1.1.1 section 6.1 (bootstrap sequence): what a client keeps across restarts so
// that, once bootstrapped, it registers straight away instead of bootstrapping again. The state is
// plain JSON (SenML JSON records per object, RFC 8428 / Core TS 7.4.5) behind a small interface.

/** The persisted configuration of a client. */
export interface ClientState {
  readonly version: 1;
  /** Whole objects (Security, Server, Access Control) as SenML JSON records, by object id. */
  readonly objects: Readonly<Record<string, readonly unknown[]>>;
  /** Resources the Bootstrap-Server wrote in other objects, by instance path ('/3/0'), as SenML JSON. */
  readonly instances: Readonly<Record<string, readonly unknown[]>>;
}

/** Where a client keeps its state; load() answers undefined before the first save. */
export interface ClientStateStore {
  load(): Promise<ClientState | undefined>;
  save(state: ClientState): Promise<void>;
  clear(): Promise<void>;
}

/** A ClientStateStore in memory (tests, or a client that shares one store between runs). */
export class MemoryClientStateStore implements ClientStateStore {
  private state: ClientState | undefined;
  /** Number of save() calls. */
  saves = 0;

  async load(): Promise<ClientState | undefined> {
    return this.state;
  }

  async save(state: ClientState): Promise<void> {
    this.saves++;
    this.state = structuredClone(state);
  }

  async clear(): Promise<void> {
    this.state = undefined;
  }
}
