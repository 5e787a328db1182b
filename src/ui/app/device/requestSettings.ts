// Settings of the requests a device page sends (issue 16 item 3: "format and timeout per
// request"): the content format asked of the client (the server chooses when unset), the deadline
// in seconds (?timeout=, at most 300) and whether to wait for a sleeping client or queue the
// request and return at once (?wait=false → 202). Kept in localStorage; shared by every panel.
import { signal, effect } from '@preact/signals';
import type { Query } from '../api.js';

/** Content formats the REST API names (GET/PUT ?format=). */
export const FORMATS = [
  'tlv',
  'senml-json',
  'senml-cbor',
  'lwm2m-cbor',
  'json',
  'cbor',
  'text',
  'opaque',
] as const;
export type FormatName = (typeof FORMATS)[number];

export interface RequestSettings {
  /** undefined: the server picks the format from what the client announced. */
  readonly format?: FormatName;
  /** Deadline, seconds (0.001..300). */
  readonly timeoutS: number;
  /** false: a sleeping client's request is queued and answered 202 at once. */
  readonly wait: boolean;
}

const KEY = 'lwm2m-request-settings';
const DEFAULTS: RequestSettings = { timeoutS: 10, wait: true };

function load(): RequestSettings {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<RequestSettings> | null;
    if (v === null || typeof v !== 'object') return DEFAULTS;
    const timeoutS =
      typeof v.timeoutS === 'number' && v.timeoutS > 0 && v.timeoutS <= 300 ? v.timeoutS : DEFAULTS.timeoutS;
    const format = FORMATS.find((f) => f === v.format);
    return { timeoutS, wait: v.wait !== false, ...(format ? { format } : {}) };
  } catch {
    return DEFAULTS;
  }
}

export const requestSettings = signal<RequestSettings>(load());
effect(() => localStorage.setItem(KEY, JSON.stringify(requestSettings.value)));

/** The query of a request under the current settings (`withFormat`: the operation takes ?format=). */
export function settingsQuery(withFormat: boolean): Query {
  const s = requestSettings.value;
  return {
    timeout: s.timeoutS,
    ...(s.wait ? {} : { wait: false }),
    ...(withFormat && s.format ? { format: s.format } : {}),
  };
}
