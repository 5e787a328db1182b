// LwM2M Core TS 1.1.1 sections 5.4 (Device Management and Service Enablement) and 5.5
// (Information Reporting): the typed operations an LwM2M Server offers on a registered client.
// Each builds its request (lwm2m/requests.ts) and hands it to send(), or for Observe to
// startObservation(); Lwm2mServer provides both.
import { EventEmitter } from 'node:events';
import type { ResponseFor } from '../binding/toLwm2mResponse.js';
import type { Attributes } from '../lwm2m/attributes.js';
import type { Lwm2mNode, ObjectInstanceNode, PathNode } from '../lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { Lwm2mValue } from '../lwm2m/Lwm2mValue.js';
import * as requests from '../lwm2m/requests.js';
import type { DownlinkRequest, PathInput } from '../lwm2m/requests.js';
import type { SendOptions } from './DownlinkSender.js';
import type { Lwm2mServerEvents } from './Lwm2mServerEvents.js';
import type { Observation } from './Observation.js';
import {
  composite,
  pick,
  valueNode,
  type FormatOptions,
  type ObserveHandleOptions,
} from './operationOptions.js';

/** The operations of Core TS 5.4-5.5 by name, over the server's send() and observations. */
export abstract class ServerOperations extends EventEmitter<Lwm2mServerEvents> {
  /** Sends any downlink request to `ep`; resolves with its typed response (never rejects for protocol outcomes). */
  abstract send<R extends DownlinkRequest>(
    ep: string,
    req: R,
    options?: SendOptions,
  ): Promise<ResponseFor<R>>;

  /** Starts an observation of `ep` with `req`; its handle reports the response and the notifications. */
  protected abstract startObservation(
    ep: string,
    req: requests.ObserveRequest | requests.ObserveCompositeRequest,
    o: SendOptions & ObserveHandleOptions,
  ): Observation;

  /** Read (Core TS 5.4.1). */
  read(ep: string, path: PathInput, o: FormatOptions = {}): Promise<ResponseFor<requests.ReadRequest>> {
    // Not an async function: one that returns send()'s promise resolves its own with it, two
    // more microtask turns and objects per Read, the busiest operation (issue 17).
    let req: requests.ReadRequest;
    try {
      req = requests.read(path, pick(o));
    } catch (e) {
      return Promise.reject(e); // a bad path rejects, as from an async function
    }
    return this.send(ep, req, o);
  }

  /** Discover (5.4.2), with the 1.2 depth parameter. */
  async discover(ep: string, path: PathInput, o: SendOptions & { depth?: number } = {}) {
    return this.send(ep, requests.discover(path, o.depth === undefined ? {} : { depth: o.depth }), o);
  }

  /** Write (5.4.3): a node, or a value for a resource or resource instance; replace unless `mode: 'update'`. */
  async write(
    ep: string,
    path: PathInput,
    content: Lwm2mNode | Lwm2mValue,
    o: FormatOptions & { mode?: 'replace' | 'update' } = {},
  ) {
    const p = typeof path === 'string' ? Lwm2mPath.parse(path) : path;
    const node = 'kind' in content ? content : valueNode(p, content);
    return this.send(ep, requests.write(p, node, { ...pick(o), mode: o.mode ?? 'replace' }), o);
  }

  /** Write-Attributes (5.4.4). */
  async writeAttributes(ep: string, path: PathInput, attributes: Attributes, o: SendOptions = {}) {
    return this.send(ep, requests.writeAttributes(path, attributes), o);
  }

  /** Execute (5.4.5) with optional arguments. */
  async execute(ep: string, path: PathInput, args?: string, o: SendOptions = {}) {
    return this.send(ep, requests.execute(path, args), o);
  }

  /** Create (5.4.6); an instance with id NO_INSTANCE_ID (65535) lets the client choose it. */
  async create(
    ep: string,
    path: PathInput,
    instances: ObjectInstanceNode | readonly ObjectInstanceNode[],
    o: FormatOptions = {},
  ) {
    const list = Array.isArray(instances) ? instances : [instances as ObjectInstanceNode];
    return this.send(ep, requests.create(path, list, pick(o)), o);
  }

  /** Delete (5.4.7). */
  async delete(ep: string, path: PathInput, o: SendOptions = {}) {
    return this.send(ep, requests.del(path), o);
  }

  /** Read-Composite (5.4.8, 1.1). */
  async readComposite(
    ep: string,
    paths: readonly PathInput[],
    o: FormatOptions & { requestFormat?: number } = {},
  ) {
    return this.send(ep, requests.readComposite(paths, composite(o)), o);
  }

  /** Write-Composite (5.4.9, 1.1). */
  async writeComposite(ep: string, nodes: readonly PathNode[], o: FormatOptions = {}) {
    return this.send(ep, requests.writeComposite(nodes, pick(o)), o);
  }

  /** Observe (5.5.1): iterate the handle for notifications; cancel() it to end the observation. */
  observe(ep: string, path: PathInput, o: FormatOptions & ObserveHandleOptions = {}): Observation {
    return this.startObservation(ep, requests.observe(path, pick(o)), o);
  }

  /** Observe-Composite (5.5.2, 1.1). */
  observeComposite(
    ep: string,
    paths: readonly PathInput[],
    o: FormatOptions & ObserveHandleOptions & { requestFormat?: number } = {},
  ): Observation {
    return this.startObservation(ep, requests.observeComposite(paths, composite(o)), o);
  }
}
