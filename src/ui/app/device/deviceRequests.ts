// The operations of the object tree as REST calls (README "REST API", nodeRoutes.ts on the server),
// each under the request settings (format, timeout, queue if sleeping) and each recording its last
// outcome under a key (the button's label), so that every button shows what its last call did.
import { signal, type Signal } from '@preact/signals';
import { api, ApiError, type Query } from '../api.js';
import { settingsQuery } from './requestSettings.js';
import type { DiscoverLinkJson, NodeJson } from './modelTypes.js';
import { nodePath, recordNode } from './recentValues.js';

/** What a call did: its CoAP code, "queued <id>" or the error, with the time. */
export interface OpResult {
  readonly ok: boolean;
  /** Short text: "2.05", "queued q-12", "4.04", "504 timeout". */
  readonly text: string;
  /** The API's message on failure. */
  readonly message?: string;
  readonly at: number;
}

const results = new Map<string, Signal<OpResult | undefined>>();

/** The last outcome of the call named `key` (e.g. "Read /3/0/1"). */
export function resultOf(key: string): Signal<OpResult | undefined> {
  let s = results.get(key);
  if (!s) results.set(key, (s = signal<OpResult | undefined>(undefined)));
  return s;
}

/** Forgets every outcome (another device opened). */
export function clearResults(): void {
  results.clear();
}

interface Coded {
  readonly code?: string;
  readonly status?: string;
  readonly id?: string;
}

/** Runs `call`, records its outcome under `key`; resolves with its body, undefined on failure or when queued. */
export async function runOp<T extends Coded>(key: string, call: () => Promise<T>): Promise<T | undefined> {
  const s = resultOf(key);
  try {
    const body = await call();
    if (body?.status === 'queued') {
      s.value = { ok: true, text: `queued ${body.id ?? ''}`.trim(), at: Date.now() };
      return undefined;
    }
    s.value = { ok: true, text: body?.code ?? 'done', at: Date.now() };
    return body;
  } catch (e) {
    const text =
      e instanceof ApiError
        ? (e.coapCode ?? `${e.status} ${e.error}`)
        : e instanceof Error
          ? e.name
          : 'error';
    const message = e instanceof Error ? e.message : String(e);
    s.value = { ok: false, text, message, at: Date.now() };
    return undefined;
  }
}

const base = (endpoint: string, path: string): string => `/clients/${encodeURIComponent(endpoint)}${path}`;

/** Read (GET): records the values read. */
export async function readPath(endpoint: string, path: string, key: string): Promise<NodeJson | undefined> {
  const res = await runOp(key, () =>
    api<Coded & { content?: NodeJson }>('GET', base(endpoint, path), { query: settingsQuery(true) }),
  );
  if (res?.content) recordNode(nodePath(path, res.content), res.content, 'read');
  return res?.content;
}

/** Write (PUT): `body` is a node or a bare value; `replace` false is a partial update. */
export async function writePath(
  endpoint: string,
  path: string,
  body: unknown,
  replace: boolean,
  key: string,
): Promise<boolean> {
  const query: Query = { ...settingsQuery(true), ...(replace ? {} : { replace: false }) };
  return (await runOp(key, () => api<Coded>('PUT', base(endpoint, path), { query, body }))) !== undefined;
}

/** Execute (POST on a resource) with optional arguments (Core TS 1.1.1 5.4.5 grammar, checked by the server). */
export async function executePath(endpoint: string, path: string, args: string, key: string): Promise<void> {
  await runOp(key, () =>
    api<Coded>('POST', base(endpoint, path), {
      query: settingsQuery(false),
      ...(args.trim() === '' ? {} : { body: { arguments: args.trim() } }),
    }),
  );
}

/** Observe (POST .../observe): records the first value. */
export async function observePath(endpoint: string, path: string, key: string): Promise<boolean> {
  const res = await runOp(key, () =>
    api<Coded & { content?: NodeJson }>('POST', `${base(endpoint, path)}/observe`, {
      query: settingsQuery(true),
    }),
  );
  if (res?.content) recordNode(nodePath(path, res.content), res.content, 'notification');
  return res !== undefined;
}

/** Cancel Observation (DELETE .../observe), active (the client is told) or passive. */
export async function cancelPath(
  endpoint: string,
  path: string,
  active: boolean,
  key: string,
): Promise<boolean> {
  const res = await runOp(key, async () => {
    const r = await api<{ cancelled: number }>('DELETE', `${base(endpoint, path)}/observe`, {
      query: { ...settingsQuery(false), ...(active ? { active: true } : {}) },
    });
    return { code: `cancelled ${r.cancelled}` };
  });
  return res !== undefined;
}

/** Discover (GET .../discover): the links with their attributes. */
export async function discoverPath(
  endpoint: string,
  path: string,
  key: string,
): Promise<readonly DiscoverLinkJson[] | undefined> {
  const res = await runOp(key, () =>
    api<Coded & { links: DiscoverLinkJson[] }>('GET', `${base(endpoint, path)}/discover`, {
      query: settingsQuery(false),
    }),
  );
  return res?.links;
}

/**
 * Write-Attributes (PUT .../attributes, Core TS 1.1.1 5.4.4): `set` name=value pairs, `clear`
 * names sent bare (an attribute without a value removes it, Core TS 5.1.2).
 */
export async function writeAttributesPath(
  endpoint: string,
  path: string,
  set: Readonly<Record<string, string>>,
  clear: readonly string[],
  key: string,
): Promise<boolean> {
  const items = [
    ...Object.entries(set).map(([k, v]) => `${k}=${encodeURIComponent(v)}`),
    ...clear,
    ...Object.entries(settingsQuery(false)).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`),
  ];
  const res = await runOp(key, () =>
    api<Coded>('PUT', `${base(endpoint, path)}/attributes?${items.join('&')}`),
  );
  return res !== undefined;
}

/** Create (POST on an object): resolves with the new instance's path ("/o/i") when the client says. */
export async function createInstance(
  endpoint: string,
  objectId: number,
  instance: unknown,
  key: string,
): Promise<string | undefined | false> {
  const res = await runOp(key, () =>
    api<Coded & { location?: string }>('POST', base(endpoint, `/${objectId}`), {
      query: settingsQuery(true),
      body: instance,
    }),
  );
  return res === undefined ? false : res.location;
}

/** Delete (DELETE) an instance or a resource instance. */
export async function deletePath(endpoint: string, path: string, key: string): Promise<boolean> {
  return (
    (await runOp(key, () => api<Coded>('DELETE', base(endpoint, path), { query: settingsQuery(false) }))) !==
    undefined
  );
}
