// LwM2M Core TS 1.1.1 section 6.3.6 (Create: when the payload names no Object Instance, the
// client assigns the id) read with sections 7.4.3-7.4.6 and 1.2 section 7.4.7 (data formats):
// which content formats can leave the instance id out of a Create payload.
//
// TLV can (7.4.3: resource TLVs at the payload's top level, no enclosing Object Instance TLV).
// SenML JSON/CBOR and LwM2M JSON name every record by its full path "/{Object}/{Instance}/…" (7.4.4-7.4.6),
// and LwM2M CBOR nests ids from the object down (1.2 7.4.7): none defines an id-less form. The
// question was raised with OMA (OMA_LwM2M_for_Developers issue 422) and the published TSs give no
// answer. Leshan refuses such a Create in every format but TLV ("Missing object instance id for
// CREATE request … using … content format", leshan issue 917 still open), and Wakaama reads a name
// "5700" under base name "/3303/" as instance 5700 (wakaama issue 434): inventing a form would be
// misread by real peers, so these codecs refuse it and a server sends such a Create as TLV.
import { UnsupportedContentFormatError } from '../lwm2m/errors.js';
import { NO_INSTANCE_ID, type Lwm2mNode } from '../lwm2m/Lwm2mNode.js';
import type { Lwm2mPath } from '../lwm2m/Lwm2mPath.js';
import { ContentFormat } from './ContentFormat.js';

/** True when `node` at `path` is a Create payload leaving an instance id to the client (NO_INSTANCE_ID). */
export function isIdlessCreate(path: Lwm2mPath, node: Lwm2mNode): boolean {
  return path.length === 1 && node.kind === 'object' && node.instances.some((i) => i.id === NO_INSTANCE_ID);
}

/** True when `format` can carry a Create without an instance id (TLV only, see the module comment). */
export function carriesIdlessCreate(format: number): boolean {
  // Not contentCodecs' canonicalFormat: the codecs import this module, which would make a cycle.
  return format === ContentFormat.TLV || format === ContentFormat.LEGACY_TLV;
}

/** The error an encoder of another format throws for an id-less Create payload. */
export function idlessCreateError(format: number): UnsupportedContentFormatError {
  return new UnsupportedContentFormatError(
    `content format ${format} cannot carry a Create without an instance id ` +
      '(only TLV can leave it out, Core TS 1.1.1 6.3.6 and 7.4.3); give the id or use TLV',
  );
}

/**
 * The format a server sends a Create in: `wanted`, unless the Create leaves the instance id out
 * and `wanted` cannot carry that: then TLV, the one format that can. It is sent even to a client
 * whose `ct` did not list TLV: `ct` is read as its preference, not as the complete list of what
 * it supports (see formatSelection.ts), and its own answer (4.15 at worst) says more than a
 * local refusal would.
 */
export function createFormat(wanted: number, path: Lwm2mPath, node: Lwm2mNode): number {
  return !isIdlessCreate(path, node) || carriesIdlessCreate(wanted) ? wanted : ContentFormat.TLV;
}
