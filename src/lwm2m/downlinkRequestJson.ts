// LwM2M Core TS 1.1.1 sections 5.4 and 5.5: a DownlinkRequest as plain JSON and back, so a request
// queued for a sleeping client can be stored and sent after a restart (issue 14). The reader is
// strict: it rebuilds the request through the factories of requests.ts, so a stored request is
// validated exactly as a new one is; anything else throws StoredJsonError.
import { formatAttributes, parseAttributes } from './attributes.js';
import { Lwm2mError } from './errors.js';
import { InvalidPathError, Lwm2mPath } from './Lwm2mPath.js';
import type { PathNode } from './Lwm2mNode.js';
import * as requests from './requests.js';
import type { DownlinkRequest } from './requests.js';
import {
  arrayOf,
  bad,
  bytesOfHex,
  hexOf,
  instanceFromJson,
  intOf,
  nodeFromJson,
  nodeToJson,
  objectOf,
  stringOf,
  StoredJsonError,
  type Json,
} from './nodeStoreJson.js';

const path = (p: Lwm2mPath): string => p.toString();
const opt = <K extends string, V>(key: K, v: V | undefined): Partial<Record<K, V>> =>
  (v === undefined ? {} : { [key]: v }) as Partial<Record<K, V>>;

/** `req` as JSON; downlinkRequestFromJson gives it back. */
export function downlinkRequestToJson(req: DownlinkRequest): Json {
  switch (req.kind) {
    case 'read':
    case 'observe':
      return { kind: req.kind, path: path(req.path), ...opt('format', req.format) };
    case 'discover':
      return { kind: 'discover', path: path(req.path), ...opt('depth', req.depth) };
    case 'write':
      return {
        kind: 'write',
        path: path(req.path),
        mode: req.mode,
        node: nodeToJson(req.node),
        ...opt('format', req.format),
      };
    case 'writeAttributes':
      return { kind: 'writeAttributes', path: path(req.path), attributes: formatAttributes(req.attributes) };
    case 'execute':
      return { kind: 'execute', path: path(req.path), ...opt('arguments', req.arguments) };
    case 'create':
      return {
        kind: 'create',
        path: path(req.path),
        instances: req.instances.map(nodeToJson),
        ...opt('format', req.format),
      };
    case 'delete':
      return { kind: 'delete', path: path(req.path) };
    case 'readComposite':
    case 'observeComposite':
      return {
        kind: req.kind,
        paths: req.paths.map(path),
        ...opt('requestFormat', req.requestFormat),
        ...opt('format', req.format),
      };
    case 'writeComposite':
      return {
        kind: 'writeComposite',
        nodes: req.nodes.map((n) => ({ path: path(n.path), node: nodeToJson(n.node) })),
        ...opt('format', req.format),
      };
    case 'cancelObservation':
      return { kind: 'cancelObservation', path: path(req.path), token: hexOf(req.token) };
    case 'cancelCompositeObservation':
      return {
        kind: 'cancelCompositeObservation',
        paths: req.paths.map(path),
        token: hexOf(req.token),
        ...opt('requestFormat', req.requestFormat),
      };
  }
}

const formatOf = (v: unknown, what: string): number | undefined =>
  v === undefined ? undefined : intOf(v, 0, 65535, what);
const pathOf = (v: unknown): Lwm2mPath => Lwm2mPath.parse(stringOf(v, 'path'));
const pathsOf = (v: unknown): Lwm2mPath[] => arrayOf(v, 'paths').map(pathOf);
const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function tokenOf(v: unknown): Uint8Array {
  const token = bytesOfHex(v, 'token');
  // RFC 7252 section 5.3.1: a token is 0 to 8 bytes.
  if (token.length > 8) bad('token: longer than 8 bytes');
  return token;
}

function build(o: Record<string, unknown>): DownlinkRequest {
  const format = formatOf(o['format'], 'format');
  const requestFormat = formatOf(o['requestFormat'], 'requestFormat');
  switch (o['kind']) {
    case 'read':
      return requests.read(pathOf(o['path']), defined({ format }));
    case 'observe':
      return requests.observe(pathOf(o['path']), defined({ format }));
    case 'discover': {
      const depth = o['depth'] === undefined ? undefined : intOf(o['depth'], 0, 3, 'depth');
      return requests.discover(pathOf(o['path']), defined({ depth }));
    }
    case 'write': {
      const mode: 'replace' | 'update' = o['mode'] === 'update' ? 'update' : 'replace';
      if (o['mode'] !== mode) return bad('write: mode is replace or update');
      return requests.write(pathOf(o['path']), nodeFromJson(o['node']), defined({ mode, format }));
    }
    case 'writeAttributes': {
      const items = arrayOf(o['attributes'], 'attributes').map((s) => stringOf(s, 'attribute'));
      return requests.writeAttributes(pathOf(o['path']), parseAttributes(items));
    }
    case 'execute':
      return requests.execute(
        pathOf(o['path']),
        o['arguments'] === undefined ? undefined : stringOf(o['arguments'], 'arguments'),
      );
    case 'create': {
      const instances = arrayOf(o['instances'], 'instances').map((x) => instanceFromJson(x));
      return requests.create(pathOf(o['path']), instances, defined({ format }));
    }
    case 'delete':
      return requests.del(pathOf(o['path']));
    case 'readComposite':
      return requests.readComposite(pathsOf(o['paths']), defined({ requestFormat, format }));
    case 'observeComposite':
      return requests.observeComposite(pathsOf(o['paths']), defined({ requestFormat, format }));
    case 'writeComposite': {
      const nodes: PathNode[] = arrayOf(o['nodes'], 'nodes').map((x) => {
        const n = objectOf(x, 'nodes item');
        return { path: pathOf(n['path']), node: nodeFromJson(n['node']) };
      });
      return requests.writeComposite(nodes, defined({ format }));
    }
    case 'cancelObservation':
      return {
        kind: 'cancelObservation',
        path: requests.observe(pathOf(o['path'])).path,
        token: tokenOf(o['token']),
      };
    case 'cancelCompositeObservation':
      return {
        kind: 'cancelCompositeObservation',
        paths: requests.observeComposite(pathsOf(o['paths'])).paths,
        token: tokenOf(o['token']),
        ...defined({ requestFormat }),
      };
    default:
      return bad('unknown request kind');
  }
}

/** The request of downlinkRequestToJson's output; throws StoredJsonError for anything else. */
export function downlinkRequestFromJson(json: unknown): DownlinkRequest {
  try {
    return build(objectOf(json, 'request'));
  } catch (e) {
    // The factories' own validation errors (a path, node or argument that does not fit).
    if (e instanceof Lwm2mError || e instanceof InvalidPathError) throw new StoredJsonError(e.message);
    throw e;
  }
}
