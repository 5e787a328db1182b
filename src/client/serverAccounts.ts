// LwM2M Core TS 1.1.1 sections 6.2 (6.2.1.1 for resources 13-20) and E.1/E.2: the LwM2M Server
// accounts of a client, each a Security instance (object 0, not a bootstrap server) and the Server
// instance (object 1) with the same Short Server ID, with the registration settings they hold.
import type { ObjectInstanceNode, ResourceNode } from '../lwm2m/Lwm2mNode.js';
import { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import type { Lwm2mValue } from '../lwm2m/Lwm2mValue.js';
import { DEFAULT_LIFETIME_S } from '../lwm2m/Registration.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './planRetry.js';
import type { ObjectTree } from './ObjectTree.js';

/** One LwM2M Server account. */
export interface ServerAccount {
  readonly ssid: number;
  /** LwM2M Server URI, e.g. coap://127.0.0.1:5683. */
  readonly uri: string;
  readonly securityInstance: number;
  readonly serverInstance: number;
  /** Lifetime, seconds (Server resource 1). */
  readonly lifetime: number;
  /** Binding letters (Server resource 7) without Q. */
  readonly binding: string;
  /** Queue mode asked for by a legacy "UQ" binding value. */
  readonly bindingQueue: boolean;
  /** Server resource 6. */
  readonly storeNotifications: boolean;
  /** Server resource 5, seconds (default 86400). */
  readonly disableTimeoutS: number;
  /** Server resources 2 and 3. */
  readonly defaultPmin?: number;
  readonly defaultPmax?: number;
  readonly retry: RetryPolicy;
  /** Server resource 13, Registration Priority Order: sequenced registration when present. */
  readonly priorityOrder?: number;
  /** Server resource 14, Initial Registration Delay Timer, seconds. */
  readonly initialDelayS?: number;
  /** Server resource 15, Registration Failure Block (default false). */
  readonly failureBlock?: boolean;
}

/** Default Disable Timeout (Server resource 5 description), seconds. */
export const DEFAULT_DISABLE_TIMEOUT_S = 86_400;

function value(r: ResourceNode | undefined): Lwm2mValue['value'] | undefined {
  return r?.kind === 'resource' ? r.value.value : undefined;
}

function numberAt(inst: ObjectInstanceNode, id: number): number | undefined {
  const v = value(inst.resources.find((r) => r.id === id));
  return typeof v === 'number' || typeof v === 'bigint' ? Number(v) : undefined;
}

function readAll(tree: ObjectTree, objectId: number): readonly ObjectInstanceNode[] {
  if (!tree.getObject(objectId)) return [];
  const node = tree.read(Lwm2mPath.of(objectId));
  return node.kind === 'object' ? node.instances : [];
}

/** The server accounts of the tree, by ascending Short Server ID. */
export function serverAccounts(tree: ObjectTree): ServerAccount[] {
  const servers = readAll(tree, 1);
  const out: ServerAccount[] = [];
  for (const sec of readAll(tree, 0)) {
    const at = (id: number): Lwm2mValue['value'] | undefined => value(sec.resources.find((r) => r.id === id));
    if (at(1) === true) continue; // a bootstrap server account
    const ssid = numberAt(sec, 10);
    const uri = at(0);
    const srv = servers.find((s) => numberAt(s, 0) === ssid);
    if (ssid === undefined || typeof uri !== 'string' || !srv) continue;
    const rawBinding = value(srv.resources.find((r) => r.id === 7));
    const binding = typeof rawBinding === 'string' ? rawBinding : 'U';
    const pmin = numberAt(srv, 2);
    const pmax = numberAt(srv, 3);
    const priorityOrder = numberAt(srv, 13);
    const initialDelayS = numberAt(srv, 14);
    out.push({
      ssid,
      uri,
      securityInstance: sec.id,
      serverInstance: srv.id,
      lifetime: numberAt(srv, 1) ?? DEFAULT_LIFETIME_S,
      binding: binding.replace('Q', ''),
      bindingQueue: binding.includes('Q'),
      storeNotifications: value(srv.resources.find((r) => r.id === 6)) === true,
      disableTimeoutS: numberAt(srv, 5) ?? DEFAULT_DISABLE_TIMEOUT_S,
      ...(pmin !== undefined ? { defaultPmin: pmin } : {}),
      ...(pmax !== undefined ? { defaultPmax: pmax } : {}),
      ...(priorityOrder !== undefined ? { priorityOrder } : {}),
      ...(initialDelayS !== undefined ? { initialDelayS } : {}),
      ...(value(srv.resources.find((r) => r.id === 15)) === true ? { failureBlock: true } : {}),
      retry: {
        retryCount: numberAt(srv, 17) ?? DEFAULT_RETRY_POLICY.retryCount,
        retryTimerS: numberAt(srv, 18) ?? DEFAULT_RETRY_POLICY.retryTimerS,
        sequenceDelayS: numberAt(srv, 19) ?? DEFAULT_RETRY_POLICY.sequenceDelayS,
        sequenceRetryCount: numberAt(srv, 20) ?? DEFAULT_RETRY_POLICY.sequenceRetryCount,
      },
    });
  }
  return out.sort((a, b) => a.ssid - b.ssid);
}
