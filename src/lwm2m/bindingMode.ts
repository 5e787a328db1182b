// LwM2M Core TS 1.0.2 section 5.3.1.1 and Core TS 1.1.1 section 6.2.1.1: the Binding Mode
// (`b` of Register/Update, Server object resource 1/x/7). LwM2M 1.0 allows exactly U, UQ, S, SQ,
// US and UQS (Q = Queue Mode of the letter before it); 1.1 removed Q (queue mode became the `Q`
// parameter) and added T (TCP) and N (Non-IP); 1.2 keeps the 1.1 letters.
import { BadRequestError } from './errors.js';

/** An LwM2M enabler version a client can register with. */
export type Lwm2mVersion = '1.0' | '1.1' | '1.2';

/** The LwM2M versions this stack speaks, oldest first. */
export const LWM2M_VERSIONS: readonly Lwm2mVersion[] = Object.freeze(['1.0', '1.1', '1.2']);

/** A parsed Binding Mode: the raw letters plus one flag per transport. Instances are shared and frozen. */
export interface BindingMode {
  /** The letters as received, e.g. "UQS". */
  readonly raw: string;
  readonly udp: boolean;
  readonly tcp: boolean;
  readonly sms: boolean;
  readonly nonIp: boolean;
  /** LwM2M 1.0 only: the Q letter (UQ/UQS: UDP in queue mode; SQ: SMS in queue mode). */
  readonly queue: boolean;
}

/** The binding a client has when `b` is absent (Core TS section 6.2.1: default "U"). */
export const DEFAULT_BINDING_RAW = 'U';

const BINDINGS_1_0 = new Set(['U', 'UQ', 'S', 'SQ', 'US', 'UQS']);
const LETTERS_1_1 = new Set(['U', 'T', 'S', 'N']);
// Parsed modes are interned per version: a fleet of 100k clients shares a handful of objects.
const cache = new Map<string, BindingMode>();

function build(raw: string): BindingMode {
  return Object.freeze({
    raw,
    udp: raw.includes('U'),
    tcp: raw.includes('T'),
    sms: raw.includes('S'),
    nonIp: raw.includes('N'),
    queue: raw.includes('Q'),
  });
}

/** Why `raw` is not a valid Binding Mode for `version`, or undefined when it is valid. */
export function bindingModeProblem(raw: string, version: Lwm2mVersion): string | undefined {
  if (raw === '') return 'binding mode b is empty';
  if (version === '1.0') {
    if (BINDINGS_1_0.has(raw)) return undefined;
    if (/^[UTSN]+$/.test(raw))
      return `binding mode "${raw}" needs LwM2M 1.1 (1.0 allows U, UQ, S, SQ, US, UQS)`;
    return `binding mode "${raw.slice(0, 16)}" is not one of U, UQ, S, SQ, US, UQS (LwM2M 1.0)`;
  }
  const seen = new Set<string>();
  for (const c of raw) {
    if (c === 'Q')
      return `binding mode "${raw.slice(0, 16)}": Q was removed in LwM2M 1.1, use the Q parameter`;
    if (!LETTERS_1_1.has(c))
      return `binding mode "${raw.slice(0, 16)}": "${c}" is not one of U, T, S, N (LwM2M ${version})`;
    if (seen.has(c)) return `binding mode "${raw.slice(0, 16)}" repeats "${c}"`;
    seen.add(c);
  }
  return undefined;
}

/** Parses a Binding Mode for a client of `version`; throws BadRequestError when it is not valid. */
export function parseBindingMode(raw: string, version: Lwm2mVersion): BindingMode {
  const key = `${version}|${raw}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const problem = bindingModeProblem(raw, version);
  if (problem !== undefined) throw new BadRequestError(problem);
  const mode = build(raw);
  cache.set(key, mode);
  return mode;
}
