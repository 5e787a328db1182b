// LwM2M Core TS 1.1.1 section 5.2.7 (Bootstrap Interface) over Transport TS 1.1.1 section 6.2:
// the Bootstrap-Server role. It answers POST /bs?ep=..&pct=.. with 2.04 Changed (4.00 for no
// ep, an unusable pct or an endpoint it has no config for), then runs a BootstrapSession against
// the client. A LwM2M 1.2 client's GET /bspack?ep=.. gets the same config as one Bootstrap-Pack.
// A thin composition (STYLE.md 11): CoAP endpoints, the config store, the sessions.
// Events are user code: a listener that throws is reported as a 'warning' and never breaks a session.
import { EventEmitter } from 'node:events';
import { bootstrapAcceptedResponse } from '../binding/toUplinkResponse.js';
import { failureResponse } from '../binding/failureResponse.js';
import { fromUplinkRequest } from '../binding/fromUplinkRequest.js';
import { toCoapRequest } from '../binding/toCoapRequest.js';
import { toLwm2mResponse } from '../binding/toLwm2mResponse.js';
import { BOOTSTRAP_PACK_PATH, BOOTSTRAP_PATH } from '../binding/uriPath.js';
import {
  BOOTSTRAP_PACK_FORMATS,
  bootstrapPackResponse,
  isBootstrapPackFormat,
} from '../binding/bootstrapPack.js';
import { ContentFormat } from '../content/ContentFormat.js';
import { emitGuarded } from '../binding/callListeners.js';
import { LimitCounters, type LimitStatus } from '../binding/LimitCounters.js';
import { CoapEndpoint } from '../coap/CoapEndpoint.js';
import { Router, type IncomingRequest, type OutgoingResponse } from '../coap/Router.js';
import {
  BadRequestError,
  MethodNotAllowedError,
  NotAcceptableError,
  NotFoundError,
} from '../lwm2m/errors.js';
import type { ObjectNode } from '../lwm2m/Lwm2mNode.js';
import type { Peer } from '../transport/Peer.js';
import type { DatagramTransport, ReceiveBufferStatus } from '../transport/DatagramTransport.js';
import { bindUdp } from '../transport/udp/bindUdp.js';
import { grantedReceiveBufferBytes } from '../transport/udp/receiveBufferBytes.js';
import type { BootstrapLimitName, BootstrapServerEvents } from './BootstrapServerEvents.js';
import {
  resolveBootstrapOptions,
  resumedSessionIds,
  type BootstrapServerConfig,
  type BootstrapServerOptions,
} from './BootstrapServerOptions.js';
import { BootstrapSession, type BootstrapSender, type BootstrapSessionRecord } from './BootstrapSession.js';
import { BOOTSTRAP_WRITE_FORMATS, isBootstrapWriteFormat } from './planBootstrap.js';
import { planBootstrapPack } from './planBootstrapPack.js';
import { BootstrapAuthorizer } from './BootstrapAuthorizer.js';
import { bindDtlsServer } from '../transport/dtls/bindDtlsServer.js';
import type { DtlsTransport } from '../transport/dtls/DtlsTransport.js';
import type { DtlsUsage } from '../transport/dtls/DtlsTransportOptions.js';
import { dtlsCredentialsOf } from '../store/dtlsCredentials.js';
import { onRevokedPsk } from '../store/pskCredentials.js';

/** Default UDP port of a Bootstrap-Server over DTLS (5784, beside the plain 5783). */
export const DEFAULT_BOOTSTRAP_COAPS_PORT = 5784;

/** An LwM2M Bootstrap-Server. */
export class BootstrapServer extends EventEmitter<BootstrapServerEvents> {
  /** The settings in force. */
  readonly config: BootstrapServerConfig;
  private readonly endpoints: CoapEndpoint[];
  /** Sessions by id, oldest first, not yet in the session store: running ones, and ended ones being stored. */
  private readonly live = new Map<string, BootstrapSession>();
  /** The running session of each endpoint name. */
  private readonly running = new Map<string, BootstrapSession>();
  /** Sessions started and not yet stored (stop() waits for them). */
  private readonly runs = new Set<Promise<void>>();
  private readonly authorizer: BootstrapAuthorizer | undefined;
  /** The DTLS transport of the `dtls` option (the last of the transports), if any. */
  private readonly dtls: DtlsTransport | undefined;
  private readonly unwatchCredentials: () => void;
  private readonly counters: LimitCounters<BootstrapLimitName>;
  private stopped = false;

  private constructor(
    config: BootstrapServerConfig,
    private readonly transports: readonly DatagramTransport[],
    dtls: DtlsTransport | undefined,
  ) {
    super();
    this.config = config;
    this.authorizer = config.security ? new BootstrapAuthorizer(config.security) : undefined;
    this.dtls = dtls;
    this.counters = new LimitCounters<BootstrapLimitName>(config.clock, (e) => this.publish('limit', e));
    // the kernel does not tell how full a receive buffer is: usage stays 0
    this.counters.define('udpReceiveBuffer', grantedReceiveBufferBytes(transports));
    for (const transport of transports)
      transport.onReceiveDrops?.((dropped) => this.counters.hit('udpReceiveBuffer', undefined, dropped));
    // removed or changed credentials end their live sessions (issue 13 item 4)
    this.unwatchCredentials =
      dtls && config.security
        ? onRevokedPsk(config.security.store, (identity) => dtls.closeIdentity(identity))
        : () => undefined;
    this.endpoints = transports.map((transport) => {
      const router = new Router();
      // Block-wise transfer is the endpoint's own (sized by `coap.blockwise` and the datagram):
      // one stage only, so a large Bootstrap-Write is cut once, in the configured block size.
      const endpoint: CoapEndpoint = new CoapEndpoint(transport, {
        ...config.coap,
        clock: config.clock,
        random: config.random,
        router,
      });
      router.use([BOOTSTRAP_PATH], (req) => this.handle(req, endpoint));
      router.use([BOOTSTRAP_PACK_PATH], (req) => this.handlePack(req));
      return endpoint;
    });
  }

  /**
   * Binds the transports (default: UDP on `address`:`port`, port 5783), and with `dtls` a DTLS
   * one after them (default port 5784), and starts serving.
   */
  static async start(options: BootstrapServerOptions = {}): Promise<BootstrapServer> {
    const resolved = resolveBootstrapOptions(options);
    const config: BootstrapServerConfig =
      options.sessionIds === undefined
        ? { ...resolved, sessionIds: await resumedSessionIds(resolved.sessionStore) }
        : resolved;
    const { dtls, security } = config;
    if (dtls && !security)
      throw new TypeError(
        'the dtls option needs security.store: the PSKs and raw public keys of handshakes come from it',
      );
    const transports = config.transports ?? [
      await bindUdp(
        {
          address: config.address,
          port: config.port,
          receiveBufferBytes: config.udpReceiveBufferBytes,
          sendThread: config.udpSendThread,
        },
        config.udpSocket,
      ),
    ];
    if (!dtls || !security) return new BootstrapServer(config, transports, undefined);
    let secured: DtlsTransport;
    try {
      secured = await bindDtlsServer(
        dtls,
        {
          address: config.address,
          port: DEFAULT_BOOTSTRAP_COAPS_PORT,
          clock: config.clock,
          udpSocket: config.udpSocket,
          receiveBufferBytes: config.udpReceiveBufferBytes,
          sendThread: config.udpSendThread,
        },
        dtlsCredentialsOf(security.store),
      );
    } catch (e) {
      if (!config.transports) await Promise.all(transports.map((t) => t.close()));
      throw e;
    }
    return new BootstrapServer(config, [...transports, secured], secured);
  }

  /**
   * Aborts running sessions (they fail with 'server stopped'), closes every endpoint and resolves
   * once the aborted sessions are in the session store (so its file may be closed next).
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unwatchCredentials();
    for (const s of this.running.values()) s.abort('server stopped');
    await Promise.all(this.endpoints.map((e) => e.close()));
    await Promise.all(this.runs);
  }

  /** Local address of transport `index` (default the first). */
  address(index = 0): { address: string; port: number; family: 'IPv4' | 'IPv6' } {
    return this.endpoints[index]!.address();
  }

  /**
   * Each transport's kernel receive buffer (as Lwm2mServer.stats().receiveBuffers): granted size
   * and drops; undefined for a transport that is no socket.
   */
  receiveBuffers(): (ReceiveBufferStatus | undefined)[] {
    return this.transports.map((t) => t.receiveBuffer?.());
  }

  /** Each bound this server counts (README "Limits"): its maximum, use now and hits since start. */
  limits(): Record<BootstrapLimitName, LimitStatus> {
    return this.counters.snapshot();
  }

  /** Counters and holdings of the DTLS transport of the `dtls` option (for metrics), or undefined without one. */
  dtlsUsage(): DtlsUsage | undefined {
    return this.dtls?.usage();
  }

  /** Local address of the DTLS transport of the `dtls` option, or undefined without one. */
  secureAddress(): { address: string; port: number; family: 'IPv4' | 'IPv6' } | undefined {
    return this.dtls ? this.endpoints[this.endpoints.length - 1]!.address() : undefined;
  }

  /** Ended sessions of the session store (oldest first), then running ones (in the order they started). */
  async sessions(): Promise<BootstrapSessionRecord[]> {
    const stored = await this.config.sessionStore.list();
    const ids = new Set(stored.map((r) => r.id));
    const live = [...this.live.values()].map((s) => s.record).filter((r) => !ids.has(r.id));
    return [...stored, ...live];
  }

  /** Core TS 1.1.1 5.2.7.1 / Transport TS 6.2: Bootstrap-Request. */
  private async handle(req: IncomingRequest, endpoint: CoapEndpoint): Promise<OutgoingResponse> {
    const uplink = fromUplinkRequest(req, { models: this.config.models });
    if (uplink.kind !== 'bootstrapRequest') throw new NotFoundError('a Bootstrap-Server serves /bs only');
    const { endpoint: name, preferredFormat } = uplink;
    await this.authorizer?.check(name, req.peer); // Transport TS 5.2, before the config is read
    if (preferredFormat !== undefined && !isBootstrapWriteFormat(preferredFormat))
      throw new BadRequestError(
        `pct ${preferredFormat} is not a format for Bootstrap-Write (use one of ${BOOTSTRAP_WRITE_FORMATS.join(', ')})`,
      );
    const config = await this.config.configStore.get(name);
    if (!config) throw new BadRequestError(`no bootstrap configuration for ${name.slice(0, 100)}`);
    if (this.stopped) throw new BadRequestError('the bootstrap server is stopping');
    const session = new BootstrapSession({
      id: this.config.sessionIds(),
      endpoint: name,
      address: req.peer.address,
      port: req.peer.port,
      config,
      plan: { models: this.config.models, ...(preferredFormat === undefined ? {} : { preferredFormat }) },
      send: this.sender(endpoint, req.peer, preferredFormat === undefined ? '1.0' : '1.1'),
      clock: this.config.clock,
      wallClock: this.config.wallClock,
      stepTimeoutMs: this.config.stepTimeoutMs,
      onStep: (step) => this.publish('step', { session: session.record, step }),
    });
    this.running.get(name)?.abort('superseded by a new Bootstrap-Request');
    this.running.set(name, session);
    this.live.set(session.record.id, session);
    // The 2.04 goes out when this handler resolves; the first request follows it (Transport TS 6.2).
    const run = new Promise<void>((resolve) =>
      setImmediate(() =>
        this.runSession(session)
          .catch((e: unknown) => this.publish('warning', e as Error))
          .finally(resolve),
      ),
    );
    this.runs.add(run);
    void run.then(() => this.runs.delete(run));
    return bootstrapAcceptedResponse();
  }

  /**
   * Core TS 1.2 / Transport TS 1.2: Bootstrap-Pack-Request (GET /bspack?ep=..), answered 2.05
   * with the pack of the endpoint's config in the Accept'ed format (4.06 for one that cannot
   * carry a pack), else the config's format when it can, else SenML CBOR; 4.00 as for /bs; 4.05
   * when the `bootstrapPack` option is off.
   * A session still running for the endpoint is superseded: the pack replaces it.
   */
  private async handlePack(req: IncomingRequest): Promise<OutgoingResponse> {
    const uplink = fromUplinkRequest(req, { models: this.config.models });
    if (uplink.kind !== 'bootstrapPackRequest') throw new NotFoundError('no Bootstrap-Pack here');
    const { endpoint: name, accept } = uplink;
    await this.authorizer?.check(name, req.peer);
    // Core TS 1.2: a Bootstrap-Server that wants no pack used answers "method not allowed".
    if (!this.config.bootstrapPack)
      throw new MethodNotAllowedError('this Bootstrap-Server does not send Bootstrap-Packs: use POST /bs');
    if (accept !== undefined && !isBootstrapPackFormat(accept))
      throw new NotAcceptableError(
        `a Bootstrap-Pack is sent in ${BOOTSTRAP_PACK_FORMATS.join(', ')}, not ${accept}`,
      );
    const config = await this.config.configStore.get(name);
    if (!config) throw new BadRequestError(`no bootstrap configuration for ${name.slice(0, 100)}`);
    if (this.stopped) throw new BadRequestError('the bootstrap server is stopping');
    const { models } = this.config;
    let objects: ObjectNode[];
    try {
      objects = planBootstrapPack(config, { models });
    } catch (e) {
      this.publish('warning', e as Error); // the operator's config is at fault, not the client
      throw e;
    }
    const own = config.contentFormat;
    const format =
      accept ?? (own !== undefined && isBootstrapPackFormat(own) ? own : ContentFormat.SENML_CBOR);
    const response = bootstrapPackResponse(objects, format, models);
    this.running.get(name)?.abort('superseded by a Bootstrap-Pack-Request');
    this.publish('packSent', {
      endpoint: name,
      address: req.peer.address,
      port: req.peer.port,
      format,
      objectIds: objects.map((o) => o.id),
      bytes: response.payload?.length ?? 0,
      at: this.config.wallClock.now(),
    });
    return response;
  }

  /** Runs `session`, hands its record to the session store, then tells listeners; never rejects. */
  private async runSession(session: BootstrapSession): Promise<void> {
    this.publish('sessionStarted', session.record);
    const record = await session.run();
    if (this.running.get(record.endpoint) === session) this.running.delete(record.endpoint);
    try {
      await this.config.sessionStore.put(record);
    } catch (e) {
      const what = `bootstrap session ${record.id} of ${record.endpoint.slice(0, 100)}`;
      this.publish('warning', new Error(`${what} not stored: ${(e as Error).message}`, { cause: e }));
    }
    this.live.delete(record.id);
    this.publish(record.state === 'finished' ? 'sessionFinished' : 'sessionFailed', record);
  }

  /** Emits `name` with each listener on its own; one that throws or rejects becomes a 'warning' (never recursively). */
  private publish<K extends keyof BootstrapServerEvents>(name: K, ...args: BootstrapServerEvents[K]): void {
    emitGuarded(this, name, args);
  }

  private sender(endpoint: CoapEndpoint, peer: Peer, lwm2mVersion: '1.0' | '1.1'): BootstrapSender {
    const { models } = this.config;
    return async (request, signal) => {
      try {
        const coap = toCoapRequest(request, { models, lwm2mVersion });
        const res = await endpoint.request(peer, { ...coap, signal });
        return toLwm2mResponse(request, res, models);
      } catch (e) {
        return failureResponse(e);
      }
    };
  }
}
