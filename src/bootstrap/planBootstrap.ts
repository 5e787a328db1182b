// LwM2M Core TS 1.1.1 section 5.2.7 (Bootstrap Interface: Bootstrap-Discover, -Read, -Write,
// -Delete, -Finish) and 5.2.5 (bootstrap sequence): the pure planner (STYLE.md 14). Given a
// config and the steps done so far it returns the next requests; BootstrapSession runs them.
import { ContentFormat } from '../content/ContentFormat.js';
import { getNodeCodec } from '../content/contentCodecs.js';
import { DEFAULT_DELETE_PATHS, type BootstrapConfig } from '../lwm2m/BootstrapConfig.js';
import {
  aclInstanceNode,
  bootstrapObjectNodes,
  securityInstanceNode,
  serverInstanceNode,
} from '../lwm2m/bootstrapNodes.js';
import type { DiscoverLink } from '../lwm2m/linkFormat.js';
import { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import { validateBootstrapConfig } from '../lwm2m/validateBootstrapConfig.js';
import {
  bootstrapDelete,
  bootstrapDiscover,
  bootstrapFinish,
  bootstrapRead,
  bootstrapWrite,
  type BootstrapDownlinkRequest,
} from '../lwm2m/requests.js';
import type { ResponseBase } from '../lwm2m/responses.js';
import type { ModelLookup } from '../model/ObjectModel.js';

/** One request of a bootstrap session and its name in reports ('delete /0', 'write /0/1', 'finish'). */
export interface BootstrapStep {
  readonly name: string;
  readonly request: BootstrapDownlinkRequest;
}

/** A step that was answered, with the response (links for a Bootstrap-Discover). */
export interface CompletedStep {
  readonly step: BootstrapStep;
  readonly response: ResponseBase & { readonly links?: readonly DiscoverLink[] };
}

/** What the planner knows besides the config. */
export interface PlanContext {
  readonly models: ModelLookup;
  /** The client's `pct` from its Bootstrap-Request (1.1+). */
  readonly preferredFormat?: number;
}

/**
 * Formats a Bootstrap-Write can carry an object instance in (Core TS 1.1.1 7.4): TLV, SenML
 * JSON/CBOR, LwM2M JSON/CBOR. A `pct` outside this list is refused with 4.00.
 */
export const BOOTSTRAP_WRITE_FORMATS: readonly number[] = Object.freeze([
  ContentFormat.SENML_JSON,
  ContentFormat.SENML_CBOR,
  ContentFormat.TLV,
  ContentFormat.LWM2M_JSON,
  ContentFormat.LWM2M_CBOR,
]);

/** True when `format` can carry a Bootstrap-Write of an object instance. */
export const isBootstrapWriteFormat = (format: number): boolean =>
  BOOTSTRAP_WRITE_FORMATS.includes(format) && getNodeCodec(format) !== undefined;

/** The format of the writes: the config's, else the client's `pct`, else TLV (every 1.0 client reads it). */
export function bootstrapFormat(config: BootstrapConfig, preferredFormat?: number): number {
  return config.contentFormat ?? preferredFormat ?? ContentFormat.TLV;
}

/** The name of a step in reports. */
export function stepName(req: BootstrapDownlinkRequest): string {
  switch (req.kind) {
    case 'bootstrapDiscover':
      return `discover ${req.path.toString()}`;
    case 'bootstrapRead':
      return `read ${req.path.toString()}`;
    case 'bootstrapWrite':
      return `write ${req.path.toString()}`;
    case 'bootstrapDelete':
      return `delete ${req.path.toString()}`;
    case 'bootstrapFinish':
      return 'finish';
  }
}

const step = (request: BootstrapDownlinkRequest): BootstrapStep => ({ name: stepName(request), request });

/** What a Bootstrap-Discover of '/' told: the client's LwM2M version and objects. */
export interface DiscoveredClient {
  /** From `</>;lwm2m=1.x`, when given. */
  readonly lwm2mVersion?: string;
  readonly objectIds: ReadonlySet<number>;
}

/** Reads the links of a Bootstrap-Discover of '/' (Core TS 1.1.1 5.2.7.2). */
export function discoveredClient(links: readonly DiscoverLink[]): DiscoveredClient {
  const root = links.find((l) => l.path.length === 0);
  const objectIds = new Set(links.filter((l) => l.path.length > 0).map((l) => l.path.objectId!));
  return root?.attributes.lwm2m === undefined
    ? { objectIds }
    : { lwm2mVersion: root.attributes.lwm2m, objectIds };
}

/**
 * The next requests of a session after `done` (empty when the session is complete):
 * 1. with `config.discover`, first a Bootstrap-Discover of '/';
 * 2. then Bootstrap-Delete of each delete path, Bootstrap-Write of Security, Server, Access
 *    Control and other object instances (in id order), an optional Bootstrap-Read of /1 (not for
 *    a client that discovered itself as LwM2M 1.0: 1.0 has no Bootstrap-Read), and Bootstrap-Finish.
 * When a discover result is known, writes to objects the client does not have are left out.
 * Throws BadRequestError when the config's `objects` do not fit the models, and
 * InvalidBootstrapConfigError for a config that deletes the server accounts and writes nothing.
 */
export function planBootstrap(
  config: BootstrapConfig,
  ctx: PlanContext,
  done: readonly CompletedStep[] = [],
): BootstrapStep[] {
  if (done.some((d) => d.step.request.kind === 'bootstrapFinish')) return [];
  validateBootstrapConfig(config); // a store of the user's own may hold one that skipped the checks
  const discovery = done.find((d) => d.step.request.kind === 'bootstrapDiscover');
  if (config.discover && !discovery) return [step(bootstrapDiscover('/'))];
  if (done.length > (discovery ? 1 : 0)) return []; // the main round ran without a Finish: nothing more
  const client = discovery ? discoveredClient(discovery.response.links ?? []) : undefined;
  const has = (objectId: number): boolean => client === undefined || client.objectIds.has(objectId);
  const format = bootstrapFormat(config, ctx.preferredFormat);
  const steps: BootstrapStep[] = [];
  for (const p of config.delete ?? DEFAULT_DELETE_PATHS) steps.push(step(bootstrapDelete(p)));
  const write = (objectId: number, id: number, node: Parameters<typeof bootstrapWrite>[1]): void => {
    if (has(objectId)) steps.push(step(bootstrapWrite(Lwm2mPath.of(objectId, id), node, { format })));
  };
  for (const [id, s] of sortedEntries(config.security)) write(0, id, securityInstanceNode(id, s));
  for (const [id, s] of sortedEntries(config.servers)) write(1, id, serverInstanceNode(id, s));
  for (const [id, a] of sortedEntries(config.acl ?? {})) write(2, id, aclInstanceNode(id, a));
  for (const w of bootstrapObjectNodes(config.objects ?? {}, ctx.models))
    write(w.path.objectId!, w.path.instanceId!, w.node);
  if (config.readServers && client?.lwm2mVersion !== '1.0') steps.push(step(bootstrapRead('/1', { format })));
  steps.push(step(bootstrapFinish()));
  return steps;
}

function sortedEntries<T>(record: Readonly<Record<number, T>>): [number, T][] {
  return Object.entries(record)
    .map(([k, v]): [number, T] => [Number(k), v])
    .sort((a, b) => a[0] - b[0]);
}
