// LwM2M Core TS 1.1.1 sections 5.4-5.5 and 6.2-6.4 (the LwM2M Server role) over Transport TS
// 1.1.1: a thin composition (STYLE.md 11) of one CoAP endpoint per transport with block-wise
// stages (RFC 7959), RegistrationService (/rd), SendService (/dp), RequestSender decorated by
// QueueModeSender, ObservationService and one ExpirySweep. Typed async API (the operations by name
// in ServerOperations.ts), typed events.
import type { CoapEndpoint, CoapEndpointStats } from '../coap/CoapEndpoint.js';
import type { ResponseFor } from '../binding/toLwm2mResponse.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { Registration } from '../lwm2m/Registration.js';
import * as requests from '../lwm2m/requests.js';
import type { DownlinkRequest } from '../lwm2m/requests.js';
import type { DatagramTransport, ReceiveBufferStatus } from '../transport/DatagramTransport.js';
import { localFailure, type SendOptions } from './DownlinkSender.js';
import type { ObserveHandleOptions } from './operationOptions.js';
import { emitGuarded } from '../binding/callListeners.js';
import { createServerEndpoint } from './createServerEndpoint.js';
import { ServerOperations } from './ServerOperations.js';
import { ExpirySweep } from './ExpirySweep.js';
import type { Lwm2mServerEvents } from './Lwm2mServerEvents.js';
import {
  resolveServerOptions,
  type Lwm2mServerConfig,
  type Lwm2mServerOptions,
} from './Lwm2mServerOptions.js';
import { Observation } from './Observation.js';
import { ObservationService } from './ObservationService.js';
import { QueueModeSender, type QueuedCancelOutcome } from './QueueModeSender.js';
import { RestoredObservations, type StoredObservation } from './RestoredObservations.js';
import { QueuedRequestJournal } from './QueuedRequestJournal.js';
import type { QueuedRequestRecord } from '../store/QueuedRequestStore.js';
import { RD_PATH, RegistrationService } from './RegistrationService.js';
import { RequestSender } from './RequestSender.js';
import { DP_PATH, SendService } from './SendService.js';
import { peerRegistryFor, serverBlock1Context, type PeerRegistry } from './KnownPeers.js';
import { LimitCounters, type LimitStatus } from '../binding/LimitCounters.js';
import { RegistrationAdmission } from './RegistrationAdmission.js';
import { resolveServerLimits, type ServerLimitName } from './ServerLimits.js';
import { defineServerLimits } from './defineServerLimits.js';
import { DEFAULT_REGISTRATION_LIMITS } from '../lwm2m/registrationRequest.js';
import { UplinkAuthorizer } from './UplinkAuthorizer.js';
import type { DtlsTransport } from '../transport/dtls/DtlsTransport.js';
import type { DtlsUsage } from '../transport/dtls/DtlsTransportOptions.js';
import { onRevokedCertificate } from '../store/dtlsCredentials.js';
import { onRevokedPsk } from '../store/pskCredentials.js';
import { bindServerTransports } from './bindServerTransports.js';
import { CoapMessageLog } from './CoapMessageLog.js';
import { tapTransport } from './tapTransport.js';

/** What a server holds now (for metrics): a snapshot, cheap enough to take per scrape. */
export interface Lwm2mServerStats {
  /** Live observations (all clients). */
  readonly observations: number;
  /** Requests waiting for a sleeping Queue Mode client. */
  readonly queuedRequests: number;
  /** Requests refused since start because a sleeping client's queue was full (maxQueuedPerClient). */
  readonly queueFullRefusals: number;
  /** One entry per transport, in the order of `address(index)`. */
  readonly coap: readonly CoapEndpointStats[];
  /**
   * Each transport's kernel receive buffer, in the same order: its size as granted and the
   * datagrams dropped when it was full (batched sockets); undefined for a transport that is no socket.
   */
  readonly receiveBuffers: readonly (ReceiveBufferStatus | undefined)[];
}

/** An LwM2M server: accepts registrations and manages the registered clients. */
export class Lwm2mServer extends ServerOperations {
  /** The settings in force. */
  readonly config: Lwm2mServerConfig;
  /** The CoAP messages of the watched clients (issue 16: the web UI's message log). */
  readonly messageLog: CoapMessageLog;
  private readonly endpoints: CoapEndpoint[];
  /** Registration id → transport index, kept only when there are several transports. */
  private readonly transportOf = new Map<string, number>();
  private readonly registrationService: RegistrationService;
  private readonly queue: QueueModeSender;
  private readonly observations: ObservationService;
  private readonly restored: RestoredObservations;
  private readonly sweep: ExpirySweep;
  private readonly counters: LimitCounters<ServerLimitName>;
  private readonly knownPeers: PeerRegistry;
  /** The DTLS transport of the `dtls` option (the last of the transports), if any. */
  private readonly dtls: DtlsTransport | undefined;
  private readonly unwatchCredentials: () => void;
  private stopped = false;

  private constructor(
    config: Lwm2mServerConfig,
    private readonly transports: readonly DatagramTransport[],
    dtls: DtlsTransport | undefined,
    messageLog: CoapMessageLog,
  ) {
    super();
    this.config = config;
    this.messageLog = messageLog;
    this.dtls = dtls;
    // Credentials removed or changed: their live sessions end (issue 13 item 4), so the next
    // request of that device needs a handshake with what is configured now.
    const unwatchPsk =
      dtls && config.security
        ? onRevokedPsk(config.security.store, (identity) => dtls.closeIdentity(identity))
        : () => undefined;
    // raw public keys and certificates: the registered session made with them (issue 15)
    const unwatchCertificates =
      dtls && config.security
        ? onRevokedCertificate(config.security.store, config.store, (peer) => dtls.disconnect(peer))
        : () => undefined;
    this.unwatchCredentials = () => {
      unwatchPsk();
      unwatchCertificates();
    };
    const { clock, store, models } = config;
    this.knownPeers = peerRegistryFor(store);
    const warn = (e: Error): void => this.publish('warning', e);
    const limits = resolveServerLimits(config.limits);
    this.counters = new LimitCounters(clock, (e) => this.publish('limit', e), limits.limitEventIntervalMs);
    const onLimit = (name: ServerLimitName, source: string): void =>
      this.counters.hit(name, source || undefined);
    const admission = new RegistrationAdmission(limits, store, clock, onLimit);
    const authorizer = config.security ? new UplinkAuthorizer(config.security) : undefined;
    this.registrationService = new RegistrationService({
      store,
      wallClock: config.wallClock,
      ids: config.registrationIds,
      limits: config.registrationLimits,
      models,
      admission,
      ...(authorizer ? { authorizer } : {}),
      listener: {
        registered: (e, transport) => {
          if (e.previous) this.ended(e.previous.id);
          this.knownPeers.set(e.registration);
          this.track(e.registration.id, transport);
          this.publish('registered', e);
          this.queue.heard(e.registration);
        },
        updated: (e, transport) => {
          const sameTransport = (this.transportOf.get(e.registration.id) ?? 0) === transport;
          this.knownPeers.set(e.registration);
          this.track(e.registration.id, transport);
          this.observations.updated(e.registration, sameTransport);
          this.publish('updated', e);
          this.queue.heard(e.registration);
        },
        deregistered: (e) => {
          this.ended(e.registration.id);
          this.publish('deregistered', e);
        },
        rejected: (e) => this.publish('registrationRejected', e),
      },
    });
    const sender = new RequestSender({
      models,
      clock,
      requestTimeoutMs: config.requestTimeoutMs,
      // One transport (no DTLS port): every registration is on it, and no lookup per request.
      endpointFor: (reg) =>
        this.endpoints[this.transportOf.size === 0 ? 0 : (this.transportOf.get(reg.id) ?? 0)]!,
      onAnswer: (reg) => this.queue.heard(reg),
    });
    this.queue = new QueueModeSender(sender, {
      clock,
      awakeWindowMs: config.awakeWindowMs,
      queuedRequestTimeoutMs: config.queuedRequestTimeoutMs,
      maxQueuedPerClient: config.maxQueuedPerClient,
      onAwake: (registration) => this.publish('awake', { registration }),
      onSleeping: (registration) => this.publish('sleeping', { registration }),
      journal: new QueuedRequestJournal(config.queuedRequestStore, {
        wallClock: () => config.wallClock.now(),
        // On a later turn: a listener added right after `await Lwm2mServer.start()` also sees the
        // entries rearm() settled at start (expired while the server was down).
        onDone: (record) => void setImmediate(() => this.publish('queuedRequestDone', { record })),
        onError: warn,
      }),
    });
    this.observations = new ObservationService({
      store,
      sender: this.queue,
      models,
      clock,
      wallClock: config.wallClock,
      onNotification: (e) => this.publish('notification', e),
      onHeard: (reg) => this.queue.heard(reg),
      onError: warn,
      maxObservationsPerClient: limits.maxObservationsPerClient,
      maxNotificationsPerSecond: limits.maxNotificationsPerSecond,
      onLimit,
      onReplaced: (old) => this.restored.replaced(old),
    });
    this.restored = new RestoredObservations({
      store,
      models,
      onNotification: (e) => this.publish('notification', e),
      onHeard: (reg) => this.queue.heard(reg),
      admit: (reg) => this.observations.admitNotification(reg),
      onError: warn,
    });
    const sendService = new SendService({
      store,
      models,
      onSend: (e) => this.publish('send', e),
      onHeard: (reg) => this.queue.heard(reg),
      ...(authorizer ? { authorizer } : {}),
    });
    const rdMaxBytes = { ...DEFAULT_REGISTRATION_LIMITS, ...config.registrationLimits }.maxPayloadLength;
    const block1Context = serverBlock1Context(this.knownPeers, RD_PATH, rdMaxBytes);
    this.endpoints = transports.map((transport, index) =>
      createServerEndpoint(
        transport,
        config,
        {
          [RD_PATH]: (req) => this.registrationService.handle(req, index),
          [DP_PATH]: (req) => sendService.handle(req),
        },
        { onLimit, block1Context, onUnmatchedResponse: (res) => this.restored.accept(res) },
      ),
    );
    defineServerLimits(this.counters, limits, config, {
      endpoints: () => this.endpoints,
      transports: () => this.transports,
      registrations: () => this.knownPeers.size,
      trackedSources: () => admission.trackedSources,
      observations: () => this.observations.size,
    });
    for (const transport of transports)
      transport.onReceiveDrops?.((dropped) => this.counters.hit('udpReceiveBuffer', undefined, dropped));
    this.sweep = new ExpirySweep({
      store,
      clock,
      wallClock: config.wallClock,
      graceMs: config.expiryGraceMs,
      intervalMs: config.expirySweepIntervalMs,
      onExpired: (e) => {
        this.ended(e.registration.id);
        this.publish('expired', e);
      },
      onError: warn,
    });
    this.sweep.start();
  }

  /**
   * Binds the transports (default: UDP on `address`:`port`), and with `dtls` a DTLS one after
   * them (default port 5684), and starts serving.
   */
  static async start(options: Lwm2mServerOptions = {}): Promise<Lwm2mServer> {
    const config = resolveServerOptions(options);
    const { transports, dtls } = await bindServerTransports(config);
    const log = new CoapMessageLog(config.messageLog, config.clock, config.wallClock);
    const tapped = transports.map((t) => tapTransport(t, log));
    const server = new Lwm2mServer(config, tapped, dtls, log);
    // a watched client that registers again or moves (NAT) is followed: listened to only while watching
    const follow = ({ registration }: { registration: Registration }): void =>
      log.moved(registration.endpoint, registration.peer.key);
    log.onActiveChange((active) => {
      if (active) server.on('registered', follow).on('updated', follow);
      else server.off('registered', follow).off('updated', follow);
    });
    await server.restore();
    await server.queue.rearm((id) => config.store.getById(id));
    return server;
  }

  /**
   * Takes up what the store holds from a previous run (issue 14): each registration's peer (and
   * its DTLS transport when it has an authenticated identity), and its stored observations, whose
   * notifications are then recognized (RestoredObservations). Expiry resumes on the next sweep.
   */
  private async restore(): Promise<void> {
    const secured = this.dtls ? this.endpoints.length - 1 : 0;
    for await (const reg of this.config.store.all()) {
      this.knownPeers.set(reg);
      if (reg.peer.identity) this.track(reg.id, secured);
      await this.restored.load(reg);
    }
  }

  /** Stops the sweep, fails queued requests, forgets observations and closes every endpoint. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unwatchCredentials();
    this.sweep.stop();
    this.queue.close();
    this.observations.close();
    await Promise.all(this.endpoints.map((e) => e.close()));
  }

  /** Local address of transport `index` (default the first). */
  address(index = 0): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return this.endpoints[index]!.address();
  }

  /** Counters and holdings of the DTLS transport of the `dtls` option (for metrics), or undefined without one. */
  dtlsUsage(): DtlsUsage | undefined {
    return this.dtls?.usage();
  }

  /** Local address of the DTLS transport of the `dtls` option, or undefined without one. */
  secureAddress(): { address: string; port: number; family: 'IPv4' | 'IPv6' } | undefined {
    return this.dtls ? this.endpoints[this.endpoints.length - 1]!.address() : undefined;
  }

  /** Counters and buffer sizes of the server and its CoAP endpoints. */
  stats(): Lwm2mServerStats {
    return {
      observations: this.observations.size,
      queuedRequests: this.queue.queuedCount,
      queueFullRefusals: this.queue.refusedCount,
      coap: this.endpoints.map((e) => e.stats()),
      receiveBuffers: this.transports.map((t) => t.receiveBuffer?.()),
    };
  }

  /**
   * Every bound of README "Limits" by name: its maximum, what is in use now (for
   * `registrationRate` the source addresses tracked, for `observationsPerClient` all live
   * observations, summed over transports for `peers` and `blockwiseBytes`) and its hits so far.
   */
  limits(): Record<ServerLimitName, LimitStatus> {
    return this.counters.snapshot();
  }

  /** Every registration. */
  registrations(): AsyncIterable<Registration> {
    return this.config.store.all();
  }

  /** The registration of endpoint `ep`. */
  getRegistration(ep: string): Promise<Registration | undefined> {
    return this.config.store.getByEndpoint(ep);
  }

  /** Whether `reg` can be reached now (false for a sleeping Queue Mode client). */
  isAwake(reg: Registration): boolean {
    return this.queue.isAwake(reg);
  }

  /**
   * The observations stored for `ep` (undefined when it is not registered), oldest first: those
   * started in this run, and those a previous run on the same store started (`restored`: no
   * Observation handle; their notifications arrive as `notification` events).
   */
  async observationsOf(ep: string): Promise<StoredObservation[] | undefined> {
    const reg = await this.getRegistration(ep);
    if (!reg) return undefined;
    const records = await this.config.store.observations.byRegistration(reg.id);
    return records.map((record) => ({ record, restored: this.restored.has(record.token) }));
  }

  /**
   * Cancels the restored observations of `ep` on exactly `target` (kind and paths), passively
   * (RFC 7641 3.6): forgotten and removed from the store, so the client's next notification is
   * answered with RST. Resolves to the number cancelled.
   */
  async cancelRestoredObservations(
    ep: string,
    target: { readonly kind: 'single' | 'composite'; readonly paths: readonly Lwm2mPath[] },
  ): Promise<number> {
    const reg = await this.getRegistration(ep);
    return reg ? (await this.restored.cancel(reg.id, target)).length : 0;
  }

  /** Requests held for sleeping client `ep` (queued, sent and recent finished ones), newest first. */
  queuedRequests(ep: string, limit?: number): Promise<QueuedRequestRecord[]> {
    return this.config.queuedRequestStore.byEndpoint(ep, limit);
  }

  /** Cancels the held request `id` if it is still queued, else says where it is. */
  cancelQueuedRequest(id: string): Promise<QueuedCancelOutcome> {
    return this.queue.cancelQueued(id);
  }

  /** Test helper (STYLE.md 15): resolves once `ep` is registered; rejects after `timeoutMs` of real time. */
  async waitForRegistration(ep: string, timeoutMs = 5_000): Promise<Registration> {
    return new Promise((resolve, reject) => {
      const done = (registration: Registration): void => {
        clearTimeout(timer);
        this.off('registered', onRegistered);
        resolve(registration);
      };
      const onRegistered = ({ registration }: { registration: Registration }): void => {
        if (registration.endpoint === ep) done(registration);
      };
      const timer = setTimeout(() => {
        this.off('registered', onRegistered);
        reject(new Error(`endpoint ${ep} did not register within ${timeoutMs} ms`));
      }, timeoutMs);
      // Listen first, then look: a registration in between is not missed.
      this.on('registered', onRegistered);
      this.getRegistration(ep).then((known) => known && done(known), reject);
    });
  }

  /** Sends any downlink request to `ep`; resolves with its typed response (never rejects for protocol outcomes). */
  send<R extends DownlinkRequest>(ep: string, req: R, options?: SendOptions): Promise<ResponseFor<R>> {
    const { store } = this.config;
    // A store that holds its registrations in memory answers at once: no promise and no
    // microtask turn per request for the lookup (issue 17).
    if (store.getByEndpointNow) return this.sendTo(store.getByEndpointNow(ep), ep, req, options);
    return this.getRegistration(ep).then((reg) => this.sendTo(reg, ep, req, options));
  }

  private async sendTo<R extends DownlinkRequest>(
    reg: Registration | undefined,
    ep: string,
    req: R,
    options: SendOptions | undefined,
  ): Promise<ResponseFor<R>> {
    const response = reg
      ? await this.queue.send(reg, req, options)
      : (localFailure('deregistered', `no registration for endpoint ${ep}`) as ResponseFor<R>);
    if (this.listenerCount('response') > 0) this.publish('response', { request: req, response });
    return response;
  }

  protected startObservation(
    ep: string,
    req: requests.ObserveRequest | requests.ObserveCompositeRequest,
    o: SendOptions & ObserveHandleOptions,
  ): Observation {
    const handle = new Observation(o.buffer);
    void handle.response.then((response) => this.publish('response', { request: req, response }));
    void (async () => {
      const reg = await this.getRegistration(ep);
      if (!reg) return handle.refused(localFailure('deregistered', `no registration for endpoint ${ep}`));
      await this.observations.start(reg, req, handle, o);
    })().catch((e: unknown) => {
      this.publish('warning', e instanceof Error ? e : new Error(String(e)));
      handle.refused(localFailure('cancelled', 'observation could not start'));
    });
    return handle;
  }

  /** Emits `name` from protocol handling: a listener's failure becomes a 'warning', never the protocol's. */
  private publish<K extends keyof Lwm2mServerEvents>(name: K, ...args: Lwm2mServerEvents[K]): void {
    emitGuarded(this, name, args);
  }

  private track(id: string, transport: number): void {
    if (this.endpoints.length > 1) this.transportOf.set(id, transport);
  }

  /** A registration ended or was replaced: drop its live observations and queued requests. */
  private ended(id: string): void {
    this.knownPeers.delete(id);
    this.transportOf.delete(id);
    this.observations.dropRegistration(id);
    this.restored.forget(id);
    this.queue.remove(id);
  }
}
