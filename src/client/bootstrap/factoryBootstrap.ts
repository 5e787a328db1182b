// LwM2M Core TS 1.1.1 section 6.1.1 (Factory Bootstrap): a client configured before deployment
// with its Bootstrap-Server and/or LwM2M Server accounts. The client config file is the JSON of a
// BootstrapConfig (the bootstrap server's format: security, servers, acl, objects) plus the
// client's `endpoint` name; its instances are written into the tree as a Bootstrap-Write would.
import { readFile } from 'node:fs/promises';
import type { BootstrapConfig } from '../../lwm2m/BootstrapConfig.js';
import { InvalidBootstrapConfigError, parseBootstrapConfig } from '../../lwm2m/bootstrapConfigJson.js';
import {
  aclInstanceNode,
  bootstrapObjectNodes,
  securityInstanceNode,
  serverInstanceNode,
} from '../../lwm2m/bootstrapNodes.js';
import { Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import { ACCESS_CONTROL_1_1 } from '../../model/core/accessControl.js';
import type { ModelLookup } from '../../model/ObjectModel.js';
import type { ObjectTree } from '../ObjectTree.js';
import { bootstrapWrite } from './applyBootstrapRequest.js';

/** A client config file: the endpoint name and the factory bootstrap information. */
export interface ClientConfigFile {
  readonly endpoint?: string;
  readonly config: BootstrapConfig;
}

/** Reads a client config from parsed JSON; throws InvalidBootstrapConfigError naming the field. */
export function parseClientConfig(json: unknown, models?: ModelLookup): ClientConfigFile {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new InvalidBootstrapConfigError('', 'must be a JSON object');
  const { endpoint, ...rest } = json as Record<string, unknown>;
  if (
    endpoint !== undefined &&
    (typeof endpoint !== 'string' || endpoint.length === 0 || endpoint.length > 255)
  )
    throw new InvalidBootstrapConfigError('endpoint', 'must be a name of 1 to 255 characters');
  const config = parseBootstrapConfig(rest, models);
  return endpoint === undefined ? { config } : { endpoint, config };
}

/** Reads and parses the client config file at `path`. */
export async function loadClientConfigFile(path: string, models?: ModelLookup): Promise<ClientConfigFile> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InvalidBootstrapConfigError('', `${path} is not JSON: ${(e as Error).message}`);
  }
  return parseClientConfig(json, models);
}

/** Writes the config's Security, Server, Access Control and other instances into `tree`. */
export function applyFactoryBootstrap(tree: ObjectTree, config: BootstrapConfig): void {
  const writeAll = <T>(
    objectId: number,
    entries: Readonly<Record<number, T>> | undefined,
    node: (id: number, v: T) => Parameters<typeof bootstrapWrite>[2],
  ): void => {
    for (const [id, v] of Object.entries(entries ?? {}))
      bootstrapWrite(tree, Lwm2mPath.of(objectId, Number(id)), node(Number(id), v as T));
  };
  writeAll(0, config.security, securityInstanceNode);
  writeAll(1, config.servers, serverInstanceNode);
  if (config.acl && Object.keys(config.acl).length > 0 && !tree.getObject(2))
    tree.addObject(ACCESS_CONTROL_1_1);
  writeAll(2, config.acl, aclInstanceNode);
  for (const w of bootstrapObjectNodes(config.objects ?? {}, tree)) bootstrapWrite(tree, w.path, w.node);
}
