// LwM2M Core TS 1.1.1 section 5.1.2 (and 1.2 section 5.1.1 for edge): the pure decision whether a
// new value is worth a notification, and when. Rules:
//  - gt / lt: a numeric value crossing the threshold, in either direction;
//  - st: a numeric value that moved by at least st since the last notified value;
//  - gt, lt and st are ignored on non-numeric values (then any change counts); when one of them
//    applies, only those conditions count (a change that crosses nothing and steps less is silent);
//  - edge (1.2, booleans): 1 notifies on false→true only, 0 on true→false only; an edge is a
//    change from the value seen at the previous evaluation, not from the last notified one (else
//    a suppressed falling edge would make every later rising edge look like no change);
//  - otherwise any change of the observed node counts;
//  - pmin: no notification sooner than pmin seconds after the previous one (it is delayed);
//  - pmax: a notification at the latest pmax seconds after the previous one, changed or not;
//    pmax is ignored when 0 or smaller than pmin.
import type { Attributes } from '../lwm2m/attributes.js';
import type { Lwm2mNode } from '../lwm2m/Lwm2mNode.js';
import type { Lwm2mValue } from '../lwm2m/Lwm2mValue.js';
import { nodesEqual } from '../lwm2m/nodes.js';

/** What to do about a value: notify now, notify after `delayMs` (pmin), or not at all. */
export type NotifyDecision =
  | { readonly notify: 'now' }
  | { readonly notify: 'later'; readonly delayMs: number }
  | { readonly notify: 'no' };

function numeric(v: Lwm2mValue): number | undefined {
  if (v.type === 'integer' || v.type === 'unsignedInteger' || v.type === 'float') return Number(v.value);
  return undefined;
}

function leafValue(n: Lwm2mNode | undefined): Lwm2mValue | undefined {
  return n && (n.kind === 'resource' || n.kind === 'resourceInstance') ? n.value : undefined;
}

const crosses = (threshold: number, a: number, b: number): boolean => a > threshold !== b > threshold;

/**
 * True when the change from `previous` (last notified) to `current` meets the attributes'
 * conditions; `seen` is the value of the previous evaluation, which edge compares with
 * (default: `previous`).
 */
export function valueTriggers(
  previous: Lwm2mNode | undefined,
  current: Lwm2mNode,
  attrs: Attributes,
  seen: Lwm2mNode | undefined = previous,
): boolean {
  if (previous === undefined) return true;
  const pv = leafValue(previous);
  const cv = leafValue(current);
  if (pv && cv) {
    const a = numeric(pv);
    const b = numeric(cv);
    const { gt, lt, st } = attrs;
    const conditional = typeof gt === 'number' || typeof lt === 'number' || typeof st === 'number';
    if (a !== undefined && b !== undefined && conditional) {
      return (
        (typeof gt === 'number' && crosses(gt, a, b)) ||
        (typeof lt === 'number' && crosses(lt, a, b)) ||
        (typeof st === 'number' && Math.abs(b - a) >= st)
      );
    }
    const sv = leafValue(seen) ?? pv;
    if (sv.type === 'boolean' && cv.type === 'boolean' && typeof attrs.edge === 'boolean') {
      return sv.value !== cv.value && cv.value === attrs.edge;
    }
  }
  return !nodesEqual(previous, current);
}

/** The pmax in force (seconds), or undefined when absent, 0, or below pmin. */
export function effectivePmax(attrs: Attributes): number | undefined {
  const { pmin, pmax } = attrs;
  if (typeof pmax !== 'number' || pmax <= 0) return undefined;
  if (typeof pmin === 'number' && pmax < pmin) return undefined;
  return pmax;
}

/**
 * Decides about a new value `current` given the last notified `previous`, the attributes in force
 * and the milliseconds elapsed since the last notification.
 */
export function shouldNotify(
  previous: Lwm2mNode | undefined,
  current: Lwm2mNode,
  attrs: Attributes,
  elapsedMs: number,
): NotifyDecision {
  if (!valueTriggers(previous, current, attrs)) return { notify: 'no' };
  const pminMs = typeof attrs.pmin === 'number' ? attrs.pmin * 1000 : 0;
  return elapsedMs >= pminMs ? { notify: 'now' } : { notify: 'later', delayMs: pminMs - elapsedMs };
}

/** Milliseconds until pmax forces a notification (from the last one), or undefined without pmax. */
export function pmaxDelay(attrs: Attributes, elapsedMs: number): number | undefined {
  const pmax = effectivePmax(attrs);
  return pmax === undefined ? undefined : Math.max(0, pmax * 1000 - elapsedMs);
}

/** Milliseconds to wait before the next evaluation is allowed (epmin), 0 when allowed now. */
export function epminDelay(attrs: Attributes, sinceEvaluationMs: number): number {
  const epmin = typeof attrs.epmin === 'number' ? attrs.epmin * 1000 : 0;
  return Math.max(0, epmin - sinceEvaluationMs);
}
