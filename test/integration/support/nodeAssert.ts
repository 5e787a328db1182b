// Assertions on LwM2M nodes (Core TS 1.1.1 section 6.1 data model) and CoAP codes for the
// end-to-end tests: readable messages with bigint and opaque values shown.
import assert from 'node:assert/strict';
import type { Lwm2mNode } from '../../../src/lwm2m/Lwm2mNode.js';
import { nodesEqual } from '../../../src/lwm2m/nodes.js';

/** A CoAP code byte as "c.dd" (RFC 7252 section 3). */
export const hex = (code: number): string => `${code >> 5}.${String(code & 31).padStart(2, '0')}`;

/** A node as JSON, bigint and bytes made printable. */
export const show = (n: Lwm2mNode | undefined): string =>
  JSON.stringify(n, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v,
  );

/** Fails unless `actual` is present and equal to `expected` (nodesEqual). */
export function assertSameNode(actual: Lwm2mNode | undefined, expected: Lwm2mNode, what: string): void {
  assert.ok(actual, `${what}: no content`);
  assert.ok(nodesEqual(actual, expected), `${what}:\n  got  ${show(actual)}\n  want ${show(expected)}`);
}
