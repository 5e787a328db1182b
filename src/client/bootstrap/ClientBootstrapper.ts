// LwM2M Core TS 1.1.1 sections 5.2.7 (Bootstrap interface) and 6.1 (bootstrap sequence), client
// side: a client-initiated bootstrap session. After the Client Hold Off Time (Security resource 11)
// it sends POST /bs?ep=..&pct=.. (Transport TS 6.2) to the Bootstrap-Server account's URI, serves
// the Bootstrap-Server's Write, Delete, Discover and Read with the Bootstrap-Server's rights, and
// at Bootstrap-Finish checks the configuration: 2.04 when consistent, else 4.06 with a diagnostic
// (5.2.7.6). A session that does not finish within the deadline fails. A 1.2 client may ask for
// a Bootstrap-Pack first (Core TS 1.2, GET /bspack) and falls back to the Bootstrap-Request.
import { bootstrapRequest } from '../../binding/uplinkRequests.js';
import {
  bootstrapPackRequest,
  isBootstrapPackFormat,
  parseBootstrapPackResponse,
} from '../../binding/bootstrapPack.js';
import { decodeText } from '../../binding/diagnostic.js';
import { fromCoapRequest } from '../../binding/fromCoapRequest.js';
import {
  changedResponse,
  contentResponse,
  deletedResponse,
  discoverResponse,
  type ClientResponseContext,
} from '../../binding/toCoapResponse.js';
import type { Clock, TimerHandle } from '../../coap/Clock.js';
import type { CoapEndpoint } from '../../coap/CoapEndpoint.js';
import type { CoapResponse } from '../../coap/CoapResponse.js';
import { ContentFormat } from '../../content/ContentFormat.js';
import type { IncomingRequest, OutgoingResponse } from '../../coap/Router.js';
import { MethodNotAllowedError, NotAcceptableError } from '../../lwm2m/errors.js';
import { Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import type { Lwm2mNode, ObjectInstanceNode } from '../../lwm2m/Lwm2mNode.js';
import type { BootstrapDownlinkRequest } from '../../lwm2m/requests.js';
import { ResponseCode } from '../../lwm2m/responses.js';
import type { Peer } from '../../transport/Peer.js';
import { answeredFailure, localFailure, type AttemptFailure } from '../attemptFailure.js';
import { peerOfUri } from '../coapRegistrationPort.js';
import type { ObjectTree } from '../ObjectTree.js';
import {
  applyBootstrapPack,
  fitBootstrapPack,
  instancesAfterPack,
  type FittedPack,
} from './applyBootstrapPack.js';
import { applyBootstrapRequest, isBootstrapAccount } from './applyBootstrapRequest.js';
import { checkBootstrapConsistency } from './checkBootstrapConsistency.js';

/** Where a bootstrap stands. */
export type BootstrapState = 'idle' | 'holdOff' | 'requesting' | 'running' | 'finished' | 'failed';

/** What the bootstrapper reports (the client turns these into events and actions). */
export interface BootstrapListener {
  started(reason: string): void;
  /** Bootstrap-Finish was answered 2.04; `written` lists the resource paths the server wrote. */
  finished(written: readonly Lwm2mPath[]): void;
  /** The session failed: `failure.reason` says why (with the response code or timeout, if any). */
  failed(failure: Omit<AttemptFailure, 'retryInMs'>): void;
  /** Something worth knowing that does not end the session (e.g. a Bootstrap-Pack not used). */
  warning?(e: Error): void;
}

/** Settings of a ClientBootstrapper. */
export interface ClientBootstrapperOptions {
  readonly tree: ObjectTree;
  readonly clock: Clock;
  readonly endpointName: string;
  readonly lwm2mVersion: '1.0' | '1.1' | '1.2';
  readonly coap: () => CoapEndpoint;
  readonly listener: BootstrapListener;
  /** `pct` of the Bootstrap-Request (1.1+); none for 1.0. */
  readonly preferredFormat?: number;
  /** Deadline of a whole session from the Bootstrap-Request to Bootstrap-Finish, ms. */
  readonly sessionTimeoutMs: number;
  /** Deadline of the Bootstrap-Request exchange, ms (default: CoAP's own). */
  readonly requestTimeoutMs?: number;
  /** Security Modes the client can use (checked at Bootstrap-Finish). */
  readonly supportedSecurityModes?: readonly number[];
  /** URI schemes the client has a transport for (checked at Bootstrap-Finish). */
  readonly supportedSchemes?: readonly string[];
  /**
   * LwM2M 1.2: ask for a Bootstrap-Pack (GET /bspack) before the Bootstrap-Request; an error
   * response falls back to the Bootstrap-Request. Ignored below 1.2.
   */
  readonly bootstrapPack?: boolean;
}

const isBootstrapRequest = (r: { kind: string }): r is BootstrapDownlinkRequest =>
  r.kind.startsWith('bootstrap');

/** Runs bootstrap sessions for one client. */
export class ClientBootstrapper {
  private current: BootstrapState = 'idle';
  private timer: TimerHandle | undefined;
  private deadline: TimerHandle | undefined;
  private readonly written = new Map<string, Lwm2mPath>();
  private readonly ctx: ClientResponseContext;

  constructor(private readonly o: ClientBootstrapperOptions) {
    this.ctx = { models: o.tree, lwm2mVersion: o.lwm2mVersion };
  }

  /** The state of the current (or last) session. */
  get state(): BootstrapState {
    return this.current;
  }

  /** True while a session is under way (hold-off, request or Bootstrap-Server operations). */
  get active(): boolean {
    return this.current === 'holdOff' || this.current === 'requesting' || this.current === 'running';
  }

  /** The Bootstrap-Server account's URI and Client Hold Off Time (s), if the client has one. */
  account(): { uri: string; holdOffS: number } | undefined {
    for (const id of this.o.tree.instanceIds(0)) {
      const inst = this.o.tree.get(0, id)!;
      if (!isBootstrapAccount(inst)) continue;
      const uri = inst.read(0);
      const hold = inst.read(11);
      if (uri?.kind !== 'resource' || typeof uri.value.value !== 'string') continue;
      return { uri: uri.value.value, holdOffS: hold?.kind === 'resource' ? Number(hold.value.value) : 0 };
    }
    return undefined;
  }

  /** True when `peer` is the Bootstrap-Server of the account. */
  isBootstrapPeer(peer: Peer): boolean {
    const uri = this.account()?.uri;
    if (uri === undefined) return false;
    try {
      return peerOfUri(uri).key === peer.key;
    } catch {
      return false;
    }
  }

  /** Starts a client-initiated bootstrap; false when there is no Bootstrap-Server account. */
  start(reason: string): boolean {
    if (this.active) return true;
    const account = this.account();
    if (!account) return false;
    this.current = 'holdOff';
    this.written.clear();
    this.o.listener.started(reason);
    if (account.holdOffS > 0)
      this.timer = this.o.clock.setTimer(account.holdOffS * 1000, () => void this.request(account.uri));
    else void this.request(account.uri);
    return true;
  }

  /** Cancels timers; a running session is dropped. */
  stop(): void {
    this.clearTimers();
    if (this.active) this.current = 'idle';
  }

  /** Serves one request from the Bootstrap-Server (Transport TS 6.2); throws Lwm2mError (4.xx). */
  async handle(req: IncomingRequest): Promise<OutgoingResponse> {
    const request = fromCoapRequest(req, { models: this.o.tree, bootstrap: true });
    if (!isBootstrapRequest(request)) throw new MethodNotAllowedError('not a Bootstrap interface request');
    if (!this.active) {
      // A Bootstrap-Server may start on its own (server-initiated bootstrap, 5.2.7 / 6.1).
      this.current = 'running';
      this.written.clear();
      this.armDeadline();
      this.o.listener.started('server-initiated bootstrap');
    }
    if (request.kind === 'bootstrapFinish') return this.finish();
    if (request.kind === 'bootstrapRead' && this.o.lwm2mVersion === '1.0')
      throw new MethodNotAllowedError('LwM2M 1.0 has no Bootstrap-Read');
    const result = applyBootstrapRequest(this.o.tree, request, this.o.lwm2mVersion);
    switch (result.kind) {
      case 'changed':
        if (request.kind === 'bootstrapWrite') this.recordWrite(request.path, request.node);
        return changedResponse();
      case 'deleted':
        return deletedResponse();
      case 'links':
        return discoverResponse(result.links);
      case 'node':
        return contentResponse(result.path, result.content, req.accept, this.ctx);
    }
  }

  private async request(uri: string): Promise<void> {
    this.timer = undefined;
    this.current = 'requesting';
    this.armDeadline();
    if (this.o.bootstrapPack && this.o.lwm2mVersion === '1.2' && (await this.requestPack(uri))) return;
    const pct = this.o.lwm2mVersion === '1.0' ? undefined : this.o.preferredFormat;
    const timeout = this.o.requestTimeoutMs === undefined ? {} : { timeoutMs: this.o.requestTimeoutMs };
    try {
      const res = await this.o.coap().request(peerOfUri(uri), {
        ...bootstrapRequest(this.o.endpointName, pct),
        ...timeout,
      });
      if (this.current !== 'requesting') return;
      if (res.code !== ResponseCode.CHANGED)
        return this.fail(answeredFailure('bootstrap', res.code, decodeText(res.payload)));
      this.current = 'running';
    } catch (e) {
      if (this.current === 'requesting') this.fail(localFailure('bootstrap', e));
    }
  }

  /**
   * Core TS 1.2 Bootstrap-Pack-Request: GET /bspack?ep=.. with Accept (the `pct` when it can carry
   * a pack, else SenML CBOR). A 2.05 pack is fitted to the models and the configuration it would
   * leave checked as at Bootstrap-Finish (which a pack does without) before it is applied. True
   * when the session ended here (bootstrapped, or no answer at all), false when the client must go
   * on with the Bootstrap-Request: after an error code (e.g. 5.01 from a server without packs, 4.05
   * from one that wants no pack) or an unsuccessful pack (Core TS 1.2: undecodable, unfit or
   * inconsistent), which leaves the client unchanged and is reported as a warning.
   */
  private async requestPack(uri: string): Promise<boolean> {
    const pct = this.o.preferredFormat;
    const accept = pct !== undefined && isBootstrapPackFormat(pct) ? pct : ContentFormat.SENML_CBOR;
    const timeout = this.o.requestTimeoutMs === undefined ? {} : { timeoutMs: this.o.requestTimeoutMs };
    let res: CoapResponse;
    try {
      res = await this.o.coap().request(peerOfUri(uri), {
        ...bootstrapPackRequest(this.o.endpointName, accept),
        ...timeout,
      });
    } catch (e) {
      if (this.current === 'requesting') this.fail(localFailure('bootstrapPack', e));
      return true;
    }
    if (this.current !== 'requesting') return true;
    let fitted: FittedPack;
    try {
      const result = parseBootstrapPackResponse(res, this.o.tree, accept);
      if (!result.ok) return false;
      fitted = fitBootstrapPack(this.o.tree, result.objects);
    } catch (e) {
      return this.packUnused(`unusable Bootstrap-Pack: ${(e as Error).message}`);
    }
    const tree = this.o.tree;
    const problems = this.problems(
      instancesAfterPack(tree, fitted.objects, 0),
      instancesAfterPack(tree, fitted.objects, 1),
    );
    if (problems.length > 0)
      return this.packUnused(`inconsistent configuration from the Bootstrap-Pack: ${problems.join('; ')}`);
    const written = applyBootstrapPack(tree, fitted.objects);
    if (fitted.ignored.length > 0)
      this.o.listener.warning?.(new Error(`Bootstrap-Pack: ignored unknown ${fitted.ignored.join(', ')}`));
    this.clearTimers();
    this.current = 'finished';
    setImmediate(() => this.o.listener.finished(written));
    return true;
  }

  /** Reports why a pack was not used; false: the Bootstrap-Request follows (Core TS 1.2). */
  private packUnused(reason: string): false {
    this.o.listener.warning?.(new Error(`${reason}; falling back to the Bootstrap-Request`));
    return false;
  }

  /** What makes the configuration unusable (Core TS 1.1.1 5.2.7.6); empty when it is consistent. */
  private problems(security = this.instances(0), servers = this.instances(1)): string[] {
    return checkBootstrapConsistency(security, servers, {
      ...(this.o.supportedSecurityModes ? { supportedSecurityModes: this.o.supportedSecurityModes } : {}),
      ...(this.o.supportedSchemes ? { supportedSchemes: this.o.supportedSchemes } : {}),
    });
  }

  /** Bootstrap-Finish (5.2.7.6): 2.04 for a usable configuration, else 4.06 with the reasons. */
  private finish(): OutgoingResponse {
    const problems = this.problems();
    if (problems.length > 0) {
      const reason = `inconsistent configuration: ${problems.join('; ')}`;
      this.fail({ operation: 'bootstrap', reason });
      throw new NotAcceptableError(reason.slice(0, 900));
    }
    this.clearTimers();
    this.current = 'finished';
    const written = [...this.written.values()];
    // The 2.04 goes out first; then the client persists the state and registers.
    setImmediate(() => this.o.listener.finished(written));
    return changedResponse();
  }

  private instances(objectId: number): ObjectInstanceNode[] {
    const tree = this.o.tree;
    return tree.getObject(objectId)
      ? tree.instanceIds(objectId).map((i) => tree.readInstance(objectId, i))
      : [];
  }

  private recordWrite(path: Lwm2mPath, node: Lwm2mNode): void {
    const add = (p: Lwm2mPath): void => void this.written.set(p.toString(), p);
    if (node.kind === 'object')
      for (const i of node.instances)
        for (const r of i.resources) add(Lwm2mPath.of(path.objectId!, i.id, r.id));
    else if (node.kind === 'instance') for (const r of node.resources) add(path.child(r.id));
    else add(path);
  }

  private armDeadline(): void {
    this.deadline?.cancel();
    this.deadline = this.o.clock.setTimer(this.o.sessionTimeoutMs, () => {
      this.deadline = undefined;
      if (this.active)
        this.fail({
          operation: 'bootstrap',
          reason: `bootstrap did not finish within ${this.o.sessionTimeoutMs} ms`,
        });
    });
  }

  private fail(failure: Omit<AttemptFailure, 'retryInMs'>): void {
    this.clearTimers();
    this.current = 'failed';
    this.o.listener.failed(failure);
  }

  private clearTimers(): void {
    this.timer?.cancel();
    this.deadline?.cancel();
    this.timer = undefined;
    this.deadline = undefined;
  }
}
