// A ServerPort for REST API tests: registrations held in a map, every request recorded and answered
// by a replaceable responder, observations counted, events emitted by hand.
import type { ResponseFor } from '../../src/binding/toLwm2mResponse.js';
import type {
  QueuedCancelResult,
  ServerEvent,
  ServerPort,
  ObservationStart,
  ObservationTarget,
  PortSendOptions,
} from '../../src/http/ServerPort.js';
import type { Lwm2mPath } from '../../src/lwm2m/Lwm2mPath.js';
import { objectVersions, type Registration } from '../../src/lwm2m/Registration.js';
import type { DownlinkRequest, ObserveCompositeRequest, ObserveRequest } from '../../src/lwm2m/requests.js';
import type { ResponseBase } from '../../src/lwm2m/responses.js';
import { createCoreRegistry } from '../../src/model/core/coreModels.js';
import type { ModelRegistry } from '../../src/model/ModelRegistry.js';
import type { ModelLookup } from '../../src/model/ObjectModel.js';
import { pageRegistrations } from '../../src/store/memory/pageRegistrations.js';
import type { RegistrationPage, RegistrationPageQuery } from '../../src/store/RegistrationPage.js';
import { makeRegistration } from '../store/storeFixtures.js';
import { MemoryQueuedRequestStore } from '../../src/store/memory/MemoryQueuedRequestStore.js';
import type { QueuedRequestRecord } from '../../src/store/QueuedRequestStore.js';

/** A request the fake received. */
export interface SentRequest {
  readonly endpoint: string;
  readonly request: DownlinkRequest;
  readonly options: PortSendOptions | undefined;
}

/** Answers a request; the default answers success with the code of its kind. */
export type Responder = (endpoint: string, request: DownlinkRequest) => ResponseBase;

const SUCCESS: Readonly<Record<string, number>> = {
  read: 0x45,
  discover: 0x45,
  readComposite: 0x45,
  observe: 0x45,
  observeComposite: 0x45,
  create: 0x41,
  delete: 0x42,
};

/** The default responder: 2.05 / 2.01 / 2.02 / 2.04 by kind, no content. */
export const succeed: Responder = (_ep, req) => ({ code: SUCCESS[req.kind] ?? 0x44, ok: true });

/** A fake LwM2M server behind the REST API. */
export class FakeServer implements ServerPort {
  readonly registrations = new Map<string, Registration>();
  readonly sent: SentRequest[] = [];
  readonly observations: {
    endpoint: string;
    id: string;
    kind: 'single' | 'composite';
    paths: readonly Lwm2mPath[];
  }[] = [];
  readonly cancels: { endpoint: string; target: ObservationTarget; active: boolean }[] = [];
  readonly models: ModelRegistry = createCoreRegistry();
  responder: Responder = succeed;
  /** Endpoints the fake reports as sleeping Queue Mode clients. */
  readonly sleeping = new Set<string>();
  /** The server clock, when a test sets one (registration times are on it). */
  now?: () => number;
  private readonly listeners = new Set<(event: ServerEvent) => void>();
  private nextObservation = 1;

  /** Registers a client named `endpoint` (payload with objects 1, 3 and 3303 by default). */
  addClient(endpoint: string, payload?: string): Registration {
    const reg = makeRegistration({
      id: `reg-${endpoint}`,
      endpoint,
      now: 1_000,
      ...(payload ? { payload } : {}),
    });
    this.registrations.set(endpoint, reg);
    return reg;
  }

  pageRegistrations(query: RegistrationPageQuery): Promise<RegistrationPage> {
    return pageRegistrations(this.registrations.values(), query);
  }

  isAwake(registration: Registration): boolean {
    return !this.sleeping.has(registration.endpoint);
  }

  async getRegistration(endpoint: string): Promise<Registration | undefined> {
    return this.registrations.get(endpoint);
  }

  async send<R extends DownlinkRequest>(
    endpoint: string,
    request: R,
    options?: PortSendOptions,
  ): Promise<ResponseFor<R>> {
    this.sent.push({ endpoint, request, options });
    if (!this.registrations.has(endpoint))
      return { code: 0, ok: false, failure: 'deregistered', diagnostic: 'not registered' } as ResponseFor<R>;
    return this.responder(endpoint, request) as ResponseFor<R>;
  }

  async startObservation(
    endpoint: string,
    request: ObserveRequest | ObserveCompositeRequest,
    options?: PortSendOptions,
  ): Promise<ObservationStart> {
    const response = (await this.send(endpoint, request, options)) as ObservationStart['response'];
    if (!response.ok) return { response };
    const id = `obs-${this.nextObservation++}`;
    const kind = request.kind === 'observe' ? 'single' : 'composite';
    const paths = request.kind === 'observe' ? [request.path] : request.paths;
    this.observations.push({ endpoint, id, kind, paths });
    return { id, response };
  }

  async cancelObservation(
    endpoint: string,
    target: ObservationTarget,
    options?: { active?: boolean },
  ): Promise<number> {
    this.cancels.push({ endpoint, target, active: options?.active ?? false });
    const key = target.paths.join(',');
    const before = this.observations.length;
    for (let i = this.observations.length - 1; i >= 0; i--) {
      const o = this.observations[i]!;
      if (o.endpoint === endpoint && o.kind === target.kind && o.paths.join(',') === key)
        this.observations.splice(i, 1);
    }
    return before - this.observations.length;
  }

  /** Requests held for sleeping clients (filled by hand in tests). */
  readonly queue = new MemoryQueuedRequestStore();

  queuedRequests(endpoint: string, limit?: number): Promise<QueuedRequestRecord[]> {
    return this.queue.byEndpoint(endpoint, limit);
  }

  queuedRequest(id: string): Promise<QueuedRequestRecord | undefined> {
    return this.queue.get(id);
  }

  async cancelQueuedRequest(id: string): Promise<QueuedCancelResult> {
    const { record } = await this.queue.update(id, { status: 'cancelled', updatedAt: Date.now() });
    if (record) return { cancelled: true };
    const status = (await this.queue.get(id))?.status;
    return status === undefined ? { cancelled: false } : { cancelled: false, status };
  }

  modelsFor(registration: Registration): ModelLookup {
    return this.models.forVersions(objectVersions(registration));
  }

  subscribe(listener: (event: ServerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers `event` to every subscriber. */
  emit(event: ServerEvent): void {
    for (const l of [...this.listeners]) l(event);
  }

  /** Number of current subscribers. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** The last request sent. */
  get last(): SentRequest {
    const s = this.sent.at(-1);
    if (!s) throw new Error('no request was sent');
    return s;
  }
}
