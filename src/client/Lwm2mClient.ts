// LwM2M Core TS 1.1.1 (Client role): an LwM2M Client composed of small services: the object tree
// (ObjectTree), registration to every server account (RegistrationEngine), the DM and Information
// Reporting interfaces (DeviceManagement + createDmHandler), notifications (ObserveEngine) and
// Send (SendService), over one CoapEndpoint on one socket: plain CoAP to coap:// accounts, DTLS
// PSK to coaps:// ones (PlainAndDtlsTransport, credentials from /0: accountSecurity.ts).
// Applications set values; notifications follow.
// Bootstrap (Core TS 6.1, 5.2.7): requests from the Bootstrap-Server go to a ClientBootstrapper; a
// client with no LwM2M Server account, whose registrations all failed, or whose Bootstrap-Request
// Trigger (/1/x/9) ran, bootstraps; the bootstrapped state is saved to a ClientStateStore.
import { EventEmitter } from 'node:events';
import { emitGuarded } from '../binding/callListeners.js';
import type { Lwm2mClientOptions } from './Lwm2mClientOptions.js';
import type { Lwm2mClientEvents } from './Lwm2mClientEvents.js';
import { systemClock, type Clock } from '../coap/Clock.js';
import { CoapEndpoint } from '../coap/CoapEndpoint.js';
import { Router } from '../coap/Router.js';
import { BadRequestError } from '../lwm2m/errors.js';
import { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import { DEVICE_1_0 } from '../model/core/device.js';
import { SECURITY_1_0, SECURITY_1_1 } from '../model/core/security.js';
import { SERVER_1_0, SERVER_1_1 } from '../model/core/server.js';
import { UdpTransport } from '../transport/udp/UdpTransport.js';
import { AnswerFirst } from './AnswerFirst.js';
import { announcedContentFormats } from './announcedFormats.js';
import { AttributeStore } from './attributeInheritance.js';
import { BootstrapControl, DEFAULT_BOOTSTRAP_RETRY } from './bootstrap/BootstrapControl.js';
import type { BootstrapState } from './bootstrap/ClientBootstrapper.js';
import { applyFactoryBootstrap } from './bootstrap/factoryBootstrap.js';
import { coapRegistrationPort, peerOfUri } from './coapRegistrationPort.js';
import { createDmHandler } from './createDmHandler.js';
import { DeclaredInstance, plainToResource, type PlainResource, type PlainValue } from './declareInstance.js';
import { DeviceManagement, type DmCaller } from './DeviceManagement.js';
import { ObjectTree } from './ObjectTree.js';
import { ObserveEngine } from './ObserveEngine.js';
import { deviceInstance } from './objects/deviceInstance.js';
import { securityInstance } from './objects/securityInstance.js';
import { emptyServerInstance, serverInstance, type ServerActions } from './objects/serverInstance.js';
import { registrationObjectsOf, type RegistrationParams } from './planRegistrationUpdate.js';
import { QueueModeTransport, registrationGate } from './QueueModeTransport.js';
import { RegistrationEngine } from './RegistrationEngine.js';
import { SendService, type SendOptions } from './SendService.js';
import { serverWriteGuard } from './serverWriteGuard.js';
import { DATAGRAM_SCHEMES, requireScheme } from './transportSchemes.js';
import {
  certificateFromSecurityObject,
  credentialResources,
  pskFromSecurityObject,
  requireUsableSecurity,
} from './accountSecurity.js';
import { PlainAndDtlsTransport } from '../transport/PlainAndDtlsTransport.js';
import { serverAccounts, type ServerAccount } from './serverAccounts.js';
import { DEFAULT_DECODE_LIMITS } from '../content/decodeLimits.js';
import { COMPOSITE_FORMATS_BY_VERSION } from '../content/formatSelection.js';

/** Default of Lwm2mClientOptions.maxRequestBodyBytes: room for a firmware package. */
const DEFAULT_MAX_REQUEST_BODY_BYTES = 16 * 1024 * 1024;

export type { BootstrapServerAccount, Lwm2mClientOptions, ServerConfig } from './Lwm2mClientOptions.js';
export type { Lwm2mClientEvents } from './Lwm2mClientEvents.js';

/** An LwM2M Client. */
export class Lwm2mClient {
  readonly tree = new ObjectTree();
  readonly attributes = new AttributeStore();
  private readonly events = new EventEmitter();
  private readonly clock: Clock;
  private readonly dm: DeviceManagement;
  private readonly version: '1.0' | '1.1' | '1.2';
  private coap: CoapEndpoint | undefined;
  private observe: ObserveEngine | undefined;
  private registration: RegistrationEngine | undefined;
  private readonly bootstrapControl: BootstrapControl;
  private readonly sender: SendService;
  /** Reactions to a server's request (Updates, re-registration) wait for its answer to leave. */
  private readonly answerFirst = new AnswerFirst();
  /** URI schemes this client has a transport for: coap, and coaps over DTLS PSK (accountSecurity). */
  private readonly schemes: readonly string[] = DATAGRAM_SCHEMES;
  /** Formats announced with `ct` (1.1+): see announcedContentFormats. */
  private readonly announcedFormats: readonly number[];

  constructor(private readonly options: Lwm2mClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.version = options.lwm2mVersion ?? '1.1';
    if (options.bootstrapPack && this.version !== '1.2')
      throw new RangeError(
        `bootstrapPack needs lwm2mVersion 1.2 (the Bootstrap-Pack is 1.2), not ${this.version}`,
      );
    this.dm = new DeviceManagement(
      this.tree,
      this.attributes,
      serverWriteGuard(this.version, () => this.supportedBindings()),
    );
    this.announcedFormats = announcedContentFormats(
      this.version,
      options.announceContentFormats,
      options.preferredFormat,
    );
    for (const m of options.models ?? []) this.tree.addObject(m);
    const actions: ServerActions = {
      // Core TS E.2 resource 8: the Update follows the 2.04 of the Execute.
      updateTrigger: (ssid) => this.answerFirst.defer(() => this.registration?.triggerUpdate(ssid)),
      disable: (ssid) => void setImmediate(() => void this.disable(ssid)),
      bootstrapTrigger: () => {
        const reason = 'Bootstrap-Request Trigger executed';
        this.emit('bootstrapRequired', { reason });
        // The 2.04 of the Execute goes out first (Core TS 1.1.1 E.2, resource 9).
        setImmediate(() => void this.bootstrapControl.start(reason));
      },
    };
    // Security and Server are mandatory objects; Server instances a Bootstrap-Server creates get
    // the same executable actions as configured ones.
    // A 1.0 client holds (and announces) the 1.0 versions of the core objects.
    const v10 = this.version === '1.0';
    if (!this.tree.getObject(0)) this.tree.addObject(v10 ? SECURITY_1_0 : SECURITY_1_1);
    const serverModel = this.tree.getObject(1) ?? (v10 ? SERVER_1_0 : SERVER_1_1);
    this.tree.addObject(serverModel, (model, id) => emptyServerInstance(model, id, actions));
    const servers = options.servers ?? [];
    servers.forEach((s, i) => {
      const credentials = credentialResources(s.psk, s.certificate, `servers[${i}]`);
      const sec = { id: i, uri: s.uri, ssid: s.ssid, model: this.tree.getObject(0)!, ...credentials };
      this.tree.add(securityInstance(sec));
      this.tree.add(serverInstance({ ...s, id: i, model: serverModel }, actions));
    });
    if (options.bootstrapServer) {
      const { uri, holdOffS, psk, certificate } = options.bootstrapServer;
      const id = servers.length;
      this.tree.add(
        securityInstance({
          id,
          uri,
          bootstrap: true,
          model: this.tree.getObject(0)!,
          ...(holdOffS !== undefined ? { holdOffS } : {}),
          ...credentialResources(psk, certificate, 'bootstrapServer'),
        }),
      );
    }
    this.bootstrapControl = new BootstrapControl({
      tree: this.tree,
      clock: this.clock,
      endpointName: options.endpoint,
      lwm2mVersion: this.version,
      ...(options.stateStore ? { stateStore: options.stateStore } : {}),
      ...(options.bootstrapTimeoutMs !== undefined ? { sessionTimeoutMs: options.bootstrapTimeoutMs } : {}),
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.bootstrapFormat !== undefined ? { preferredFormat: options.bootstrapFormat } : {}),
      ...(options.bootstrapRetry !== undefined
        ? { retry: { ...DEFAULT_BOOTSTRAP_RETRY, ...options.bootstrapRetry } }
        : {}),
      supportedSchemes: this.schemes,
      ...(options.bootstrapPack ? { bootstrapPack: true } : {}),
      registration: () => this.registration,
      observe: () => this.observe,
      events: {
        started: (reason) => this.emit('bootstrapStarted', { reason }),
        attemptFailed: (failure) => this.emit('bootstrapAttemptFailed', failure),
        failed: (reason) => this.emit('bootstrapFailed', { reason }),
        bootstrapped: () => this.emit('bootstrapped'),
        accountPurged: () => this.emit('bootstrapAccountPurged'),
        warning: (e) => this.emit('warning', e),
      },
    });
    const objects = options.objects ?? [];
    if (!objects.some((o) => o.model.id === 3))
      this.tree.add(
        deviceInstance({
          ...(v10 ? { model: DEVICE_1_0 } : {}),
          ...options.device,
          onReboot: () => {
            options.device?.onReboot?.();
            this.emit('reboot');
            this.answerFirst.defer(() => this.reregister());
          },
          onFactoryReset: () => (options.device?.onFactoryReset?.(), this.emit('factoryReset')),
        }),
      );
    for (const o of objects) this.tree.add(o);
    // Factory bootstrap (Core TS 6.1.1) once every object is declared.
    if (options.factoryConfig) applyFactoryBootstrap(this.tree, options.factoryConfig);
    this.sender = new SendService(
      this.tree,
      () => this.endpoint,
      (ssid) => this.sendTarget(ssid),
    );
  }

  /** Subscribes to a typed event. */
  on<K extends keyof Lwm2mClientEvents>(event: K, listener: (...args: Lwm2mClientEvents[K]) => void): this {
    this.events.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Unsubscribes. */
  off<K extends keyof Lwm2mClientEvents>(event: K, listener: (...args: Lwm2mClientEvents[K]) => void): this {
    this.events.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** The CoAP endpoint (after start). */
  get endpoint(): CoapEndpoint {
    if (!this.coap) throw new BadRequestError('the client is not started');
    return this.coap;
  }

  /** Binds the transport, serves DM requests and registers to every server account (or bootstraps). */
  async start(): Promise<void> {
    if (this.coap) return;
    await this.bootstrapControl.restore();
    if (this.coap) return;
    this.requireSchemes();
    const inner = this.options.transport ?? (await UdpTransport.bind(this.options.bind ?? {}));
    // coap:// peers in plain text, coaps:// ones over DTLS with their Security instance's PSK
    const bound = new PlainAndDtlsTransport(inner, {
      ...this.options.dtls,
      role: 'client',
      psk: pskFromSecurityObject(this.tree),
      certificate: certificateFromSecurityObject(this.tree, this.options.trustAnchors),
    });
    // Queue mode (Core TS 6.5): while asleep for a server nothing from it is received, and every
    // datagram exchanged with it restarts the awake time (see QueueModeTransport).
    const transport = new QueueModeTransport(
      bound,
      registrationGate(() => this.registration),
    );
    const router = new Router();
    // Block-wise transfers (RFC 7959, 4.13 past the limits) are on by default in CoapEndpoint.
    const maxBody = this.options.maxRequestBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES;
    const coap = new CoapEndpoint(transport, {
      clock: this.clock,
      ...(this.options.transmission ? { params: this.options.transmission } : {}),
      router,
      blockwise: { limits: { maxBodyBytes: maxBody, maxTotalBytes: Math.max(32 << 20, 2 * maxBody) } },
    });
    this.coap = coap;
    const registration = new RegistrationEngine({
      clock: this.clock,
      port: coapRegistrationPort(coap, this.options.requestTimeoutMs, this.schemes, (a) => {
        const inst = this.tree.get(0, a.securityInstance);
        if (inst) requireUsableSecurity(inst, `server account ${a.ssid}`);
      }),
      paramsOf: (a) => this.paramsOf(a),
      awakeTimeMs: this.options.awakeTimeMs,
      listener: {
        registered: (a, location) => this.emit('registered', { ssid: a.ssid, location }),
        updated: (a, plan) => this.emit('updated', { ssid: a.ssid, plan }),
        deregistered: (a) => this.emit('deregistered', { ssid: a.ssid }),
        registrationFailed: (a, reason) => this.emit('registrationFailed', { ssid: a.ssid, reason }),
        attemptFailed: (_a, failure) => this.emit('registrationAttemptFailed', failure),
        bootstrapRequired: () => {
          this.emit('bootstrapRequired', { reason: 'every server account failed' });
          this.bootstrapControl.registrationsFailed();
        },
        reachable: (a) => this.observe?.flush(a.ssid),
        sleeping: (a) => this.emit('sleeping', { ssid: a.ssid }),
      },
    });
    this.registration = registration;
    const observe = new ObserveEngine({
      clock: this.clock,
      // Notifications carry what the observing server may read (Core TS 7.3, 5.4.1).
      read: (ssid, p) => this.dm.read(p, this.callerOfServer(ssid)),
      attributes: (ssid, p) => {
        const a = registration.account(ssid);
        return this.attributes.effective(ssid, p, { pmin: a?.defaultPmin, pmax: a?.defaultPmax });
      },
      isReachable: (ssid) => ssid === 0 || registration.isReachable(ssid),
      storesWhenOffline: (ssid) => registration.account(ssid)?.storeNotifications ?? false,
      wake: (ssid) => registration.wake(ssid),
      lost: (ssid) => registration.lost(ssid),
      maxStoredNotifications: this.options.maxStoredNotifications,
    });
    this.observe = observe;
    const dmHandler = createDmHandler({
      tree: this.tree,
      dm: this.dm,
      observe,
      lwm2mVersion: this.version,
      callerOf: (peer) => this.callerOf(peer.key),
      acceptObservation: (req) => coap.acceptObservation(req),
      onRequest: (e) => this.emit('request', e),
      limits: { ...DEFAULT_DECODE_LIMITS, maxValueBytes: maxBody },
      preferredFormat: this.options.preferredFormat,
      answerFirst: this.answerFirst,
    });
    router.use('', this.bootstrapControl.attach(coap, dmHandler));
    this.tree.onChange((c) => {
      observe.changed(c.path);
      // The Update a server's Write/Create/Delete causes goes out after the answer (AnswerFirst).
      if (c.kind === 'structure') this.answerFirst.defer(() => registration.triggerUpdate());
      else if (c.path.objectId === 1)
        this.answerFirst.defer(() => {
          for (const a of serverAccounts(this.tree)) registration.refresh(a);
        });
    });
    // Core TS 6.1: with no LwM2M Server account the client bootstraps.
    if (!this.bootstrapControl.startIfUnconfigured()) registration.start(serverAccounts(this.tree));
  }

  /** Starts a client-initiated bootstrap now (de-registering first); false without a Bootstrap-Server account. */
  async bootstrap(reason = 'requested by the application'): Promise<boolean> {
    return this.bootstrapControl.start(reason);
  }

  /** Where the bootstrap stands ('idle' before any). */
  get bootstrapState(): BootstrapState {
    return this.bootstrapControl.state;
  }

  /** De-registers from every server and closes the endpoint. */
  async stop(): Promise<void> {
    const coap = this.coap;
    if (!coap) return;
    this.bootstrapControl.stop();
    await this.registration?.stop();
    this.observe?.close();
    this.coap = undefined;
    await coap.close();
  }

  /** Sets a resource (or resource instance) from a plain or typed value; observers get notified. */
  set(path: string | Lwm2mPath, value: PlainResource): void {
    const p = typeof path === 'string' ? Lwm2mPath.parse(path) : path;
    if (p.length < 3) throw new BadRequestError(`set() needs a resource path, got ${p}`);
    const inst = this.tree.require(p.objectId!, p.instanceId!);
    const rm = inst.model.resources.get(p.resourceId!);
    if (!rm) throw new BadRequestError(`object ${p.objectId} has no resource ${p.resourceId}`);
    if (p.isResourceInstance()) {
      const node = plainToResource(rm, new Map([[p.resourceInstanceId!, value as PlainValue]]));
      if (node.kind === 'multipleResource') this.tree.writeResourceInstance(p, node.instances[0]!);
    } else if (inst instanceof DeclaredInstance) inst.set(p.resourceId!, value);
    else if (typeof value !== 'function') this.tree.writeResource(p, plainToResource(rm, value), 'replace');
  }

  /** Sends the values at `paths` to a server (LwM2M 1.1 Send). */
  send(paths: readonly (string | Lwm2mPath)[], opts?: SendOptions): Promise<void> {
    const preferred = this.options.preferredFormat;
    // Send carries several paths: the preferred format is used only when it can (SenML, LwM2M CBOR).
    const usable = preferred !== undefined && COMPOSITE_FORMATS_BY_VERSION[this.version].includes(preferred);
    return this.sender.send(
      paths,
      opts?.format === undefined && usable ? { ...opts, format: preferred } : opts,
    );
  }

  /** Short Server IDs and whether each is registered and reachable (awake, not offline). */
  status(): { ssid: number; state: string | undefined; reachable: boolean }[] {
    const r = this.registration;
    return serverAccounts(this.tree).map((a) => ({
      ssid: a.ssid,
      state: r?.stateOf(a.ssid),
      reachable: r?.isReachable(a.ssid) ?? false,
    }));
  }

  /**
   * Notifications for server `ssid` stored while it is offline or asleep, and dropped since start
   * (store full, or Notification Storing (/1/x/6) off while offline).
   */
  notificationBacklog(ssid: number): { stored: number; dropped: number } {
    return { stored: this.observe?.storedCount(ssid) ?? 0, dropped: this.observe?.droppedCount(ssid) ?? 0 };
  }

  /**
   * Device Reboot (/3/0/4, Core TS E.4), once its 2.04 has left: the client starts over as a
   * rebooted device would, without its observations, and registers anew to every server (what the
   * application's onReboot may do besides is its own).
   */
  private reregister(): void {
    const registration = this.registration;
    if (!registration) return;
    for (const a of registration.accounts()) this.observe?.removeServer(a.ssid);
    registration.registerAgain();
  }

  /** The Device's Supported Binding and Modes (/3/0/16), when it has one. */
  private supportedBindings(): string | undefined {
    const r = this.tree.get(3, 0)?.read(16);
    return r?.kind === 'resource' && typeof r.value.value === 'string' ? r.value.value : undefined;
  }

  /**
   * Refuses to start with an account (server or bootstrap) whose URI scheme has no transport, or
   * whose Security Mode does not fit it (accountSecurity.ts).
   */
  private requireSchemes(): void {
    for (const id of this.tree.instanceIds(0)) {
      const inst = this.tree.get(0, id)!;
      const uri = inst.read(0);
      if (uri?.kind !== 'resource' || typeof uri.value.value !== 'string') continue;
      const bs = inst.read(1);
      const what =
        bs?.kind === 'resource' && bs.value.value === true ? 'the Bootstrap-Server account' : `/0/${id}`;
      requireScheme(uri.value.value, this.schemes, what);
      requireUsableSecurity(inst, what);
    }
  }

  private async disable(ssid: number): Promise<void> {
    this.observe?.removeServer(ssid);
    await this.registration?.disable(ssid);
  }

  private paramsOf(a: ServerAccount): RegistrationParams {
    return {
      endpoint: this.options.endpoint,
      lifetime: a.lifetime,
      binding: a.binding,
      lwm2mVersion: this.version,
      queueMode: this.options.queueMode === true || a.bindingQueue,
      objects: registrationObjectsOf(this.tree, this.announcedFormats, this.version),
    };
  }

  private callerOf(peerKey: string): DmCaller | undefined {
    const accounts = serverAccounts(this.tree);
    for (const a of accounts) {
      let key: string;
      try {
        key = peerOfUri(a.uri).key;
      } catch {
        continue;
      }
      if (key === peerKey) return { ssid: a.ssid, enforceAcl: accounts.length > 1 };
    }
    // A client waiting for its Bootstrap-Server answers no one else (Core TS 6.1).
    const any = this.options.serveAnyPeer ?? (accounts.length === 0 && !this.options.bootstrapServer);
    return any ? { ssid: 0, enforceAcl: false } : undefined;
  }

  /** The DM caller standing for server `ssid` (0: no server account, no access control). */
  private callerOfServer(ssid: number): DmCaller {
    if (ssid === 0) return { ssid, enforceAcl: false };
    return { ssid, enforceAcl: serverAccounts(this.tree).length > 1 };
  }

  private sendTarget(ssid?: number): ServerAccount | undefined {
    const r = this.registration;
    return serverAccounts(this.tree).find(
      (a) => (ssid === undefined || a.ssid === ssid) && r?.isReachable(a.ssid),
    );
  }

  /** Listeners are user code: one that throws or rejects becomes a 'warning' (callListeners). */
  private emit<K extends keyof Lwm2mClientEvents>(event: K, ...args: Lwm2mClientEvents[K]): void {
    emitGuarded(this.events, event, args);
  }
}
