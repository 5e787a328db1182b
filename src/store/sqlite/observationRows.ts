// An ObservationRecord as one row of the observations table: registration id and token (a blob,
// indexed for the lookup of a notification's token) as columns, the rest as JSON with a
// wall-clock creation time (ms since 1970, as the record has it).
import type { Attributes } from '../../lwm2m/attributes.js';
import { Lwm2mPath } from '../../lwm2m/Lwm2mPath.js';
import type { ObservationRecord } from '../ObservationStore.js';

interface StoredObservation {
  k: 'single' | 'composite';
  p: string[];
  cf?: number;
  at?: Attributes;
  t: number;
}

/** The JSON column of `obs`. */
export function encodeObservation(obs: ObservationRecord): string {
  const stored: StoredObservation = { k: obs.kind, p: obs.paths.map(String), t: obs.createdAt };
  if (obs.contentFormat !== undefined) stored.cf = obs.contentFormat;
  if (obs.attributes !== undefined) stored.at = obs.attributes;
  return JSON.stringify(stored);
}

/** The ObservationRecord of one row; throws when the row is not valid. */
export function decodeObservation(
  registrationId: string,
  token: Uint8Array,
  record: string,
): ObservationRecord {
  const s = JSON.parse(record) as StoredObservation;
  return {
    registrationId,
    token: Uint8Array.from(token),
    kind: s.k,
    paths: s.p.map((p) => Lwm2mPath.parse(p)),
    ...(s.cf === undefined ? {} : { contentFormat: s.cf }),
    ...(s.at === undefined ? {} : { attributes: s.at }),
    createdAt: s.t,
  };
}
