// LwM2M Core TS 1.1.1 section 7.3 / 1.2 section 7.3 (content formats): the names the REST API
// accepts in `?format=` and the Content-Format number each one stands for.
import { ContentFormat } from '../content/ContentFormat.js';
import { BadRequestError } from '../lwm2m/errors.js';

/** `?format=` names and their Content-Format numbers. */
export const FORMAT_NAMES: Readonly<Record<string, number>> = Object.freeze({
  text: ContentFormat.TEXT,
  opaque: ContentFormat.OPAQUE,
  cbor: ContentFormat.CBOR,
  'senml-json': ContentFormat.SENML_JSON,
  'senml-cbor': ContentFormat.SENML_CBOR,
  tlv: ContentFormat.TLV,
  json: ContentFormat.LWM2M_JSON,
  'lwm2m-cbor': ContentFormat.LWM2M_CBOR,
});

/** The name of a Content-Format number, or the number as text when it has no name. */
export function formatName(format: number): string {
  for (const [name, n] of Object.entries(FORMAT_NAMES)) if (n === format) return name;
  if (format === ContentFormat.LEGACY_TLV) return 'tlv';
  if (format === ContentFormat.LEGACY_JSON) return 'json';
  return String(format);
}

/** The Content-Format of `?format=`: undefined when absent; BadRequestError for an unknown name. */
export function formatFromName(name: string | undefined): number | undefined {
  if (name === undefined || name === '') return undefined;
  const format = Object.prototype.hasOwnProperty.call(FORMAT_NAMES, name) ? FORMAT_NAMES[name] : undefined;
  if (format === undefined)
    throw new BadRequestError(
      `unknown format "${name.slice(0, 40)}"; use one of ${Object.keys(FORMAT_NAMES).join(', ')}`,
    );
  return format;
}
