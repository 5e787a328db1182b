// Issue 12, item 1: an estimate of the heap a Registration keeps, to bound bytes per registration.
// The figures are V8's on 64-bit Node 20 (pointer compression off): a one-byte string costs a
// 16-byte header plus its characters (rounded to 8), an object or array ~16-32 bytes of header plus
// 8 per slot, and a Map entry ~40 bytes. They over- rather than under-estimate; the benchmark
// (`npm run bench -- server`) measures what a registration really costs.
import type { Registration } from '../lwm2m/Registration.js';

/** The record, its peer, its binding and the fixed fields, with the server's per-client indexes. */
const RECORD_BYTES = 1024;
const MAP_ENTRY_BYTES = 40;
const OBJECT_BYTES = 48;
const ARRAY_BYTES = 32;
/** An instance id in a grown array (slack included): the benchmark measured ~23 B per instance in all. */
const INSTANCE_BYTES = 16;

const stringBytes = (s: string): number => 16 + ((s.length + 7) & ~7);

/** Estimated bytes `reg` keeps on the heap (shared parts are counted as if they were its own). */
export function registrationBytes(reg: Registration): number {
  let n = RECORD_BYTES + stringBytes(reg.id) + stringBytes(reg.endpoint);
  if (reg.smsNumber !== undefined) n += stringBytes(reg.smsNumber);
  for (const [k, v] of Object.entries(reg.additionalAttributes)) n += stringBytes(k) + stringBytes(v) + 16;
  const links = reg.objectLinks;
  n += stringBytes(links.rootPath) + ARRAY_BYTES + 8 * links.contentFormats.length;
  for (const o of links.objects.values()) {
    n += MAP_ENTRY_BYTES + OBJECT_BYTES + ARRAY_BYTES + INSTANCE_BYTES * o.instances.length;
    if (o.version !== undefined) n += stringBytes(o.version);
  }
  return n;
}
