// LwM2M Transport TS 1.1.1 section 6 (Uri-Path of every operation) and Core TS 1.1.1 section
// 6.2.1 (the alternate root path a client announces with `</root>;rt="oma.lwm2m"`): LwM2M paths
// as CoAP Uri-Path segments, with or without the client's alternate root path.
import { BoundedMemo } from '../coap/BoundedMemo.js';
import { NotFoundError } from '../lwm2m/errors.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';

/** Uri-Path of the bootstrap interface: Bootstrap-Request and Bootstrap-Finish (Transport TS 6.2). */
export const BOOTSTRAP_PATH = 'bs';
/** Uri-Path of the Bootstrap-Pack-Request (Transport TS 1.2, LwM2M 1.2): GET /bspack?ep=.. */
export const BOOTSTRAP_PACK_PATH = 'bspack';
/** Uri-Path of the registration interface (Transport TS 6.3): /rd and /rd/{id}. */
export const REGISTRATION_PATH = 'rd';
/** Uri-Path of Send (Transport TS 6.5, LwM2M 1.1). */
export const SEND_PATH = 'dp';

/** The segments of an alternate root path ('/lwm2m' → ['lwm2m'], '/' or undefined → []). */
export function rootSegments(rootPath: string | undefined): string[] {
  if (rootPath === undefined) return [];
  const s = rootPath.replace(/^\/+/, '').replace(/\/+$/, '');
  return s === '' ? [] : s.split('/');
}

/**
 * `path` below the alternate root path as one Uri-Path string ('/lwm2m/3/0/1'), the form whose
 * CoAP options coap/options.ts builds once per distinct path (the downlink hot path).
 */
export function toUriPathText(path: Lwm2mPath, rootPath?: string): string {
  const root =
    rootPath === undefined || rootPath === '/' || rootPath === '' ? '' : rootPrefixes.get(rootPath);
  const p = path.toString();
  return root === '' ? p : p === '/' ? root : root + p;
}

/** '/' + the root path's segments ('' when it has none), per distinct root path. */
const rootPrefixes = new BoundedMemo<string, string>(256, (rootPath) => {
  const segments = rootSegments(rootPath);
  return segments.length === 0 ? '' : '/' + segments.join('/');
});

/** Uri-Path segments of `path` below the alternate root path. */
export function toUriPath(path: Lwm2mPath, rootPath?: string): string[] {
  return [...rootSegments(rootPath), ...path.toArray().map(String)];
}

/**
 * The segments of `segments` below the alternate root path; throws NotFoundError (4.04) when the
 * request does not address anything under that root.
 */
export function stripRootPath(segments: readonly string[], rootPath?: string): string[] {
  const root = rootSegments(rootPath);
  for (let i = 0; i < root.length; i++) {
    if (segments[i] !== root[i])
      throw new NotFoundError(`/${segments.join('/').slice(0, 60)} is outside the root path ${rootPath}`);
  }
  return segments.slice(root.length);
}
