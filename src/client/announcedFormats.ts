// LwM2M Core TS 1.1.1 section 6.2.1 / Transport TS 1.1.1 section 6.4.1 (the `ct` parameter of the
// root link in a Register payload, 1.1+) and RFC 7252 section 7.2.1 (`ct` may be one number or a
// quoted, space-separated list). What a client announces there.
//
// Interoperability: RFC 7252 allows `ct="60 11542 …"`, but widely deployed servers (Eclipse
// Wakaama's among them) accept only one unquoted value and answer 4.00 Bad Request to the list,
// so by default the client announces one format, the one it prefers for multi-value content; the
// full list is an option for servers that read it. A 1.0 client sends no root `ct` (1.0 has none).
import { ContentFormat } from '../content/ContentFormat.js';
import { FORMATS_BY_VERSION, preferredFormat } from '../content/formatSelection.js';
import { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';

/** Which content formats a Register announces: the preferred multi-value one, or every one. */
export type ContentFormatAnnouncement = 'preferred' | 'all';

/** Multi-value (tree) formats: those a `ct` on the root link is about (text/opaque are mandatory). */
const TREE_FORMATS: readonly number[] = [
  ContentFormat.TLV,
  ContentFormat.LWM2M_JSON,
  ContentFormat.SENML_JSON,
  ContentFormat.SENML_CBOR,
  ContentFormat.LWM2M_CBOR,
];

/**
 * The `ct` values of a Register for a client of `version`: none for 1.0; with 'preferred' (the
 * default) one value, `preferred` when it is a multi-value format of that version, else the one the
 * formatSelection policy picks for an object (SenML CBOR); with 'all' every format the client
 * encodes but the mandatory text/plain and application/octet-stream.
 */
export function announcedContentFormats(
  version: '1.0' | '1.1' | '1.2',
  mode: ContentFormatAnnouncement = 'preferred',
  preferred?: number,
): number[] {
  if (version === '1.0') return [];
  const formats = FORMATS_BY_VERSION[version];
  if (mode === 'all') return formats.filter((f) => f !== ContentFormat.TEXT && f !== ContentFormat.OPAQUE);
  if (preferred !== undefined && TREE_FORMATS.includes(preferred) && formats.includes(preferred))
    return [preferred];
  return [preferredFormat({ lwm2mVersion: version, operation: 'read', path: Lwm2mPath.of(3) })];
}
