// LwM2M meaning of RFC 6690 links: the Register/Update payload (Core TS 1.1.1 section 6.2.1,
// Transport TS 6.4.1: optional `</root>;rt="oma.lwm2m";ct=...` link, then object links with `ver`
// and object-instance links) and the Discover / Bootstrap-Discover response (section 5.4.x / 6.1.7:
// paths with their attributes). Built on coap/'s generic link-format parser.
import {
  formatLinkFormat,
  parseLinkFormat,
  type Link,
  type LinkFormatLimits,
  type LinkParam,
} from '../coap/linkFormat.js';
import { DecodeError } from '../transport/DecodeError.js';
import {
  formatAttributeValue,
  isAttributeName,
  parseAttributeValue,
  type AttributeName,
  type Attributes,
} from './attributes.js';
import { BadRequestError } from './errors.js';
import { Lwm2mPath, MAX_ID } from './Lwm2mPath.js';

/** What a Register or Update payload announces about one object. */
export interface RegisteredObject {
  /** Object version from `ver`, when the client stated one (default "1.0"). */
  readonly version?: string;
  /** Instance ids, ascending. */
  readonly instances: readonly number[];
}

/** The typed content of a Register/Update payload. */
export interface RegistrationObjects {
  /** The alternate root path, "/" when none (e.g. "/lwm2m"). */
  readonly rootPath: string;
  /** Objects by id. */
  readonly objects: ReadonlyMap<number, RegisteredObject>;
  /** Content formats announced with `ct` on the root link (1.1), empty when none. */
  readonly contentFormats: readonly number[];
}

/** One Discover entry: a path and the attributes the client reported for it. */
export interface DiscoverLink {
  readonly path: Lwm2mPath;
  readonly attributes: Attributes;
  /** Parameters that are not LwM2M attributes, as received. */
  readonly otherParams: readonly LinkParam[];
}

const ROOT_RT = 'oma.lwm2m';
const ID = /^(0|[1-9][0-9]{0,4})$/;

function parseIds(rel: string, offset: number): number[] {
  if (rel === '') return [];
  return rel.split('/').map((s) => {
    if (!ID.test(s) || Number(s) > MAX_ID)
      throw new DecodeError(`"${s.slice(0, 20)}" is not an LwM2M id`, offset);
    return Number(s);
  });
}

function parseContentFormats(p: LinkParam | undefined, offset: number): number[] {
  if (p?.value === undefined) return [];
  return p.value.split(' ').map((s) => {
    if (!/^[0-9]{1,5}$/.test(s) || Number(s) > 0xffff)
      throw new DecodeError(`ct "${s.slice(0, 20)}" is not a content format`, offset);
    return Number(s);
  });
}

function paramOf(link: Link, name: string): LinkParam | undefined {
  return link.params.find((p) => p.name === name);
}

/** Parses a Register/Update payload; throws DecodeError (offsets are character indexes). */
export function parseRegistrationPayload(
  text: string,
  limits?: Partial<LinkFormatLimits>,
): RegistrationObjects {
  const links = parseLinkFormat(text, limits);
  const rootLink = links.find((l) => paramOf(l, 'rt')?.value === ROOT_RT);
  let rootPath = rootLink ? rootLink.target : '/';
  if (!rootPath.startsWith('/'))
    throw new DecodeError(`root path "${rootPath.slice(0, 40)}" is not absolute`, 0);
  if (rootPath.length > 1 && rootPath.endsWith('/')) rootPath = rootPath.slice(0, -1);
  const prefix = rootPath === '/' ? '/' : rootPath + '/';
  const objects = new Map<number, { version?: string; instances: number[] }>();
  let contentFormats: number[] = [];
  // Links come in text order: each one's offset (for error messages) is searched from the
  // previous one's, which keeps this pass linear (a search from 0 per link took ~25 ms for a
  // 60 kB payload of 1 000 links, blocking the event loop under a flood of such Registers).
  let from = 0;
  for (const link of links) {
    const found = text.indexOf(`<${link.target}>`, from);
    const offset = Math.max(0, found);
    if (found >= 0) from = found + 1;
    if (link === rootLink || (link.target === '/' && rootPath === '/')) {
      contentFormats = parseContentFormats(paramOf(link, 'ct'), offset);
      continue;
    }
    if (!link.target.startsWith(prefix))
      throw new DecodeError(`link ${link.target.slice(0, 40)} is outside ${rootPath}`, offset);
    const ids = parseIds(link.target.slice(prefix.length), offset);
    if (ids.length < 1 || ids.length > 2)
      throw new DecodeError(`link ${link.target.slice(0, 40)} is not an object or instance`, offset);
    const entry = objects.get(ids[0]!) ?? { instances: [] };
    objects.set(ids[0]!, entry);
    const ver = paramOf(link, 'ver')?.value;
    if (ver !== undefined) {
      if (!/^[0-9]{1,3}\.[0-9]{1,3}$/.test(ver))
        throw new DecodeError(`ver "${ver.slice(0, 20)}" is not major.minor`, offset);
      entry.version = ver;
    }
    if (ids.length === 2) {
      if (entry.instances.includes(ids[1]!))
        throw new DecodeError(`instance ${link.target} listed twice`, offset);
      entry.instances.push(ids[1]!);
    }
  }
  for (const e of objects.values()) e.instances.sort((a, b) => a - b);
  return { rootPath, objects, contentFormats };
}

/**
 * Formats a Register/Update payload: the root link when there is an alternate root path or
 * content formats to announce, then per object (by id) `</o>` with `ver` when known or when it
 * has no instance, and `</o/i>` for each instance.
 */
export function formatRegistrationPayload(reg: RegistrationObjects): string {
  const links: Link[] = [];
  const root = reg.rootPath === '' ? '/' : reg.rootPath;
  if (root !== '/' || reg.contentFormats.length > 0) {
    const params: LinkParam[] = [{ name: 'rt', value: ROOT_RT, quoted: true }];
    if (reg.contentFormats.length === 1) params.push({ name: 'ct', value: String(reg.contentFormats[0]) });
    else if (reg.contentFormats.length > 1)
      params.push({ name: 'ct', value: reg.contentFormats.join(' '), quoted: true });
    links.push({ target: root, params });
  }
  const prefix = root === '/' ? '/' : root + '/';
  for (const id of [...reg.objects.keys()].sort((a, b) => a - b)) {
    const o = reg.objects.get(id)!;
    if (o.version !== undefined || o.instances.length === 0) {
      links.push({
        target: `${prefix}${id}`,
        params: o.version === undefined ? [] : [{ name: 'ver', value: o.version }],
      });
    }
    for (const i of o.instances) links.push({ target: `${prefix}${id}/${i}`, params: [] });
  }
  return formatLinkFormat(links);
}

/** Parses a Discover or Bootstrap-Discover response into paths with typed attributes; throws DecodeError. */
export function parseDiscoverResponse(text: string, limits?: Partial<LinkFormatLimits>): DiscoverLink[] {
  return parseLinkFormat(text, limits).map((link) => {
    const offset = Math.max(0, text.indexOf(`<${link.target}>`));
    if (!link.target.startsWith('/'))
      throw new DecodeError(`link ${link.target.slice(0, 40)} is not an absolute path`, offset);
    const ids = parseIds(
      link.target.length > 1 && link.target.endsWith('/') ? link.target.slice(1, -1) : link.target.slice(1),
      offset,
    );
    if (ids.length > 4)
      throw new DecodeError(`link ${link.target.slice(0, 40)} is deeper than a resource instance`, offset);
    const path = Lwm2mPath.of(...ids);
    const attributes: Record<string, unknown> = {};
    const otherParams: LinkParam[] = [];
    for (const p of link.params) {
      if (!isAttributeName(p.name)) {
        otherParams.push(p);
        continue;
      }
      if (p.name in attributes)
        throw new DecodeError(`attribute ${p.name} repeated on ${link.target}`, offset);
      try {
        attributes[p.name] = parseAttributeValue(p.name, p.value);
      } catch (e) {
        if (e instanceof BadRequestError) throw new DecodeError(e.message, offset);
        throw e;
      }
    }
    return { path, attributes: attributes as Attributes, otherParams };
  });
}

/** Formats Discover entries as link format (attributes after the path, `uri` quoted, other params last). */
export function formatDiscoverResponse(entries: readonly DiscoverLink[]): string {
  return formatLinkFormat(
    entries.map((e) => {
      const params: LinkParam[] = [];
      for (const [name, v] of Object.entries(e.attributes) as [AttributeName, unknown][]) {
        if (v === undefined) continue;
        const value = formatAttributeValue(v as number | boolean | string | null);
        params.push(
          value === undefined ? { name } : name === 'uri' ? { name, value, quoted: true } : { name, value },
        );
      }
      return { target: e.path.toString(), params: [...params, ...e.otherParams] };
    }),
  );
}
