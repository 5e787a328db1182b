// LwM2M Core TS 1.1.1 (Client role): an LwM2M Client composed of small services: the object tree
// (ObjectTree), registration to every server account (RegistrationEngine), the DM and Information
// Reporting interfaces (DeviceManagement + createDmHandler), notifications (ObserveEngine) and
// Send (SendService), over one CoapEndpoint. Applications set values; notifications follow.
import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../coap/Clock.js';
import { CoapEndpoint } from '../coap/CoapEndpoint.js';
import { Router } from '../coap/Router.js';
import { ContentFormat } from '../content/ContentFormat.js';
import { FORMATS_BY_VERSION } from '../content/formatSelection.js';
import { BadRequestError } from '../lwm2m/errors.js';
import { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { ObjectModel } from '../model/ObjectModel.js';
import type { DatagramTransport } from '../transport/DatagramTransport.js';
import { UdpTransport, type UdpBindOptions } from '../transport/udp/UdpTransport.js';
import { AttributeStore } from './attributeInheritance.js';
import { coapRegistrationPort, peerOfUri } from './coapRegistrationPort.js';
import { createDmHandler, type DmRequestEvent } from './createDmHandler.js';
import { DeclaredInstance, plainToResource, type PlainResource, type PlainValue } from './declareInstance.js';
import { DeviceManagement, type DmCaller } from './DeviceManagement.js';
import type { ObjectInstance } from './ObjectInstance.js';
import { ObjectTree } from './ObjectTree.js';
import { ObserveEngine } from './ObserveEngine.js';
import { deviceInstance, type DeviceOptions } from './objects/deviceInstance.js';
import { securityInstance } from './objects/securityInstance.js';
import { serverInstance, type ServerInstanceOptions } from './objects/serverInstance.js';
import { registrationObjectsOf, type RegistrationParams, type UpdatePlan } from './planRegistrationUpdate.js';
import { RegistrationEngine } from './RegistrationEngine.js';
import { SendService, type SendOptions } from './SendService.js';
import { serverAccounts, type ServerAccount } from './serverAccounts.js';

/** One LwM2M Server the client registers to (a Security and a Server instance are made for it). */
export interface ServerConfig extends Omit<ServerInstanceOptions, 'id' | 'model'> {
  readonly uri: string;
}

/** Options of Lwm2mClient. */
export interface Lwm2mClientOptions {
  /** Endpoint Client Name. */
  readonly endpoint: string;
  readonly servers?: readonly ServerConfig[];
  /** Device object settings (used unless `objects` holds a Device instance). */
  readonly device?: DeviceOptions;
  /** More instances (any object). */
  readonly objects?: readonly ObjectInstance[];
  /** Objects supported with no instance yet (announced, and creatable by servers). */
  readonly models?: readonly ObjectModel[];
  readonly lwm2mVersion?: '1.0' | '1.1' | '1.2';
  readonly queueMode?: boolean;
  /** Queue mode awake time, ms (default 93 000). */
  readonly awakeTimeMs?: number;
  /** Answer DM requests from any peer (default: only when there is no server account). */
  readonly serveAnyPeer?: boolean;
  readonly transport?: DatagramTransport;
  readonly bind?: UdpBindOptions;
  readonly clock?: Clock;
  /** Per-exchange timeout of registration requests, ms (default: CoAP's own). */
  readonly requestTimeoutMs?: number;
}

/** Typed events of Lwm2mClient. */
export interface Lwm2mClientEvents {
  registered: [{ ssid: number; location: readonly string[] }];
  updated: [{ ssid: number; plan: UpdatePlan }];
  deregistered: [{ ssid: number }];
  registrationFailed: [{ ssid: number; reason: string }];
  bootstrapRequired: [{ reason: string }];
  sleeping: [{ ssid: number }];
  request: [DmRequestEvent];
  reboot: [];
  factoryReset: [];
}

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
  private readonly sender: SendService;
  /** Formats announced with `ct` (1.1+): all this client encodes but the mandatory text/opaque. */
  private readonly announcedFormats: readonly number[];

  constructor(private readonly options: Lwm2mClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.version = options.lwm2mVersion ?? '1.1';
    this.dm = new DeviceManagement(this.tree, this.attributes);
    this.announcedFormats =
      this.version === '1.0'
        ? []
        : FORMATS_BY_VERSION[this.version].filter(
            (f) => f !== ContentFormat.TEXT && f !== ContentFormat.OPAQUE,
          );
    for (const m of options.models ?? []) this.tree.addObject(m);
    (options.servers ?? []).forEach((s, i) => {
      this.tree.add(securityInstance({ id: i, uri: s.uri, ssid: s.ssid }));
      this.tree.add(
        serverInstance(
          { ...s, id: i },
          {
            updateTrigger: (ssid) => this.registration?.triggerUpdate(ssid),
            disable: (ssid) => void setImmediate(() => void this.disable(ssid)),
            bootstrapTrigger: () =>
              this.emit('bootstrapRequired', { reason: 'Bootstrap-Request Trigger executed' }),
          },
        ),
      );
    });
    const objects = options.objects ?? [];
    if (!objects.some((o) => o.model.id === 3))
      this.tree.add(
        deviceInstance({
          ...options.device,
          onReboot: () => (options.device?.onReboot?.(), this.emit('reboot')),
          onFactoryReset: () => (options.device?.onFactoryReset?.(), this.emit('factoryReset')),
        }),
      );
    for (const o of objects) this.tree.add(o);
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

  /** Binds the transport, serves DM requests and registers to every server account. */
  async start(): Promise<void> {
    if (this.coap) return;
    const transport = this.options.transport ?? (await UdpTransport.bind(this.options.bind ?? {}));
    const router = new Router();
    // Block-wise transfers (RFC 7959, 4.13 past the limits) are on by default in CoapEndpoint.
    const coap = new CoapEndpoint(transport, { clock: this.clock, router });
    this.coap = coap;
    const registration = new RegistrationEngine({
      clock: this.clock,
      port: coapRegistrationPort(coap, this.options.requestTimeoutMs),
      paramsOf: (a) => this.paramsOf(a),
      awakeTimeMs: this.options.awakeTimeMs,
      listener: {
        registered: (a, location) => this.emit('registered', { ssid: a.ssid, location }),
        updated: (a, plan) => this.emit('updated', { ssid: a.ssid, plan }),
        deregistered: (a) => this.emit('deregistered', { ssid: a.ssid }),
        registrationFailed: (a, reason) => this.emit('registrationFailed', { ssid: a.ssid, reason }),
        bootstrapRequired: () => this.emit('bootstrapRequired', { reason: 'every server account failed' }),
        reachable: (a) => this.observe?.flush(a.ssid),
        sleeping: (a) => this.emit('sleeping', { ssid: a.ssid }),
      },
    });
    this.registration = registration;
    const observe = new ObserveEngine({
      clock: this.clock,
      read: (p) => this.tree.read(p),
      attributes: (ssid, p) => {
        const a = registration.account(ssid);
        return this.attributes.effective(ssid, p, { pmin: a?.defaultPmin, pmax: a?.defaultPmax });
      },
      isReachable: (ssid) => ssid === 0 || registration.isReachable(ssid),
      storesWhenOffline: (ssid) => registration.account(ssid)?.storeNotifications ?? false,
      wake: (ssid) => registration.wake(ssid),
    });
    this.observe = observe;
    router.use(
      '',
      createDmHandler({
        tree: this.tree,
        dm: this.dm,
        observe,
        lwm2mVersion: this.version,
        callerOf: (peer) => this.callerOf(peer.key),
        acceptObservation: (req) => coap.acceptObservation(req),
        onRequest: (e) => this.emit('request', e),
      }),
    );
    this.tree.onChange((c) => {
      observe.changed(c.path);
      if (c.kind === 'structure') registration.triggerUpdate();
      else if (c.path.objectId === 1) for (const a of serverAccounts(this.tree)) registration.refresh(a);
    });
    registration.start(serverAccounts(this.tree));
  }

  /** De-registers from every server and closes the endpoint. */
  async stop(): Promise<void> {
    const coap = this.coap;
    if (!coap) return;
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
    return this.sender.send(paths, opts);
  }

  /** Short Server IDs and whether each is registered and awake. */
  status(): { ssid: number; state: string | undefined; reachable: boolean }[] {
    const r = this.registration;
    return serverAccounts(this.tree).map((a) => ({
      ssid: a.ssid,
      state: r?.stateOf(a.ssid),
      reachable: r?.isReachable(a.ssid) ?? false,
    }));
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
      objects: registrationObjectsOf(this.tree, this.announcedFormats),
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
    const any = this.options.serveAnyPeer ?? accounts.length === 0;
    return any ? { ssid: 0, enforceAcl: false } : undefined;
  }

  private sendTarget(ssid?: number): ServerAccount | undefined {
    const r = this.registration;
    return serverAccounts(this.tree).find(
      (a) => (ssid === undefined || a.ssid === ssid) && r?.isReachable(a.ssid),
    );
  }

  private emit<K extends keyof Lwm2mClientEvents>(event: K, ...args: Lwm2mClientEvents[K]): void {
    this.events.emit(event, ...args);
  }
}
