// LwM2M Core TS 1.1.1 section 5.1.2: notification attributes are stored per LwM2M Server and path
// (Write-Attributes), and an observation at a path uses the attributes of that path merged over
// those of its ancestors (object → instance → resource → resource instance), the Server object's
// Default Minimum/Maximum Period (resources 2 and 3) filling pmin/pmax when no level sets them.
import type { Attributes } from '../lwm2m/attributes.js';
import { mergeAttributes } from '../lwm2m/attributes.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';

/** Default periods from the Server object instance of the observing server. */
export interface DefaultPeriods {
  readonly pmin?: number;
  readonly pmax?: number;
}

/** The attributes of `path` after inheritance: each level's attributes override its parent's. */
export function inheritAttributes(
  path: Lwm2mPath,
  attributesAt: (p: Lwm2mPath) => Attributes | undefined,
  defaults: DefaultPeriods = {},
): Attributes {
  const chain: Lwm2mPath[] = [];
  for (let p = path; p.length > 0; p = p.parent()) chain.unshift(p);
  let out: Attributes = {};
  if (defaults.pmin !== undefined) out.pmin = defaults.pmin;
  if (defaults.pmax !== undefined) out.pmax = defaults.pmax;
  for (const p of chain) out = mergeAttributes(out, attributesAt(p) ?? {});
  return out;
}

/** Write-Attributes storage: attributes per (Short Server ID, path). */
export class AttributeStore {
  private readonly byKey = new Map<string, Attributes>();

  /** Attributes set at exactly `path` by server `ssid`. */
  get(ssid: number, path: Lwm2mPath): Attributes | undefined {
    return this.byKey.get(`${ssid}|${path.toString()}`);
  }

  /** Applies a Write-Attributes (null removes); returns the new attributes at `path`. */
  write(ssid: number, path: Lwm2mPath, update: Attributes): Attributes {
    const key = `${ssid}|${path.toString()}`;
    const next = mergeAttributes(this.byKey.get(key) ?? {}, update);
    if (Object.keys(next).length === 0) this.byKey.delete(key);
    else this.byKey.set(key, next);
    return next;
  }

  /** Effective attributes of `path` for `ssid` (inheritance and Server defaults applied). */
  effective(ssid: number, path: Lwm2mPath, defaults?: DefaultPeriods): Attributes {
    return inheritAttributes(path, (p) => this.get(ssid, p), defaults);
  }

  /** Forgets everything under `path` (e.g. a deleted instance) for every server. */
  removeUnder(path: Lwm2mPath): void {
    const prefix = path.toString();
    for (const key of [...this.byKey.keys()]) {
      const p = key.slice(key.indexOf('|') + 1);
      if (p === prefix || p.startsWith(prefix + '/')) this.byKey.delete(key);
    }
  }
}
