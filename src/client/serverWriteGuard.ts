// LwM2M Core TS 1.1.1 Appendix E.2 (Server object: 1 Lifetime, 7 Binding), section 6.2.1.1
// (binding modes by version) and Core TS 1.2 E.2 (Lifetime 0 = no expiry): registration settings a
// server writes that this client could not honour are refused with 4.00 Bad Request instead of
// being stored and then silently bent (a "UQ" binding on a 1.1 client used to be answered 2.04,
// registered as b=U, and the client then slept while the server thought it reachable).
import { bindingModeProblem, type Lwm2mVersion } from '../lwm2m/bindingMode.js';
import { BadRequestError } from '../lwm2m/errors.js';
import type { ResourceNode } from '../lwm2m/Lwm2mNode.js';

/** Checks one resource of `objectId` a server is about to write or create; throws an Lwm2mError (4.xx) to refuse it. */
export type WriteGuard = (objectId: number, node: ResourceNode) => void;

const SERVER_OBJECT = 1;
const LIFETIME = 1;
const BINDING = 7;
/** Transport letters of a binding (Q is a mode of LwM2M 1.0, not a transport). */
const TRANSPORTS = /[UTSN]/g;

/**
 * The guard of Server object writes for a client of `version`. `supportedBindings` returns the
 * Device's Supported Binding and Modes (/3/0/16), or undefined when the client does not say: a
 * binding naming a transport it lacks is refused too.
 */
export function serverWriteGuard(
  version: Lwm2mVersion,
  supportedBindings: () => string | undefined,
): WriteGuard {
  return (objectId, node) => {
    if (objectId !== SERVER_OBJECT || node.kind !== 'resource') return;
    const value = node.value.value;
    if (node.id === LIFETIME && (typeof value === 'number' || typeof value === 'bigint'))
      return checkLifetime(value, version);
    if (node.id === BINDING && typeof value === 'string')
      return checkBinding(value, version, supportedBindings());
  };
}

function checkLifetime(lifetime: number | bigint, version: Lwm2mVersion): void {
  if (lifetime < 0) throw new BadRequestError(`lifetime ${lifetime} is negative`);
  // 0 means "no expiry" only from LwM2M 1.2 on; before, a registration always has a lifetime.
  if (Number(lifetime) === 0 && version !== '1.2')
    throw new BadRequestError(`a lifetime of 0 (no expiry) needs LwM2M 1.2; this client speaks ${version}`);
}

function checkBinding(binding: string, version: Lwm2mVersion, supported: string | undefined): void {
  const problem = bindingModeProblem(binding, version);
  if (problem !== undefined) throw new BadRequestError(problem);
  if (supported === undefined) return;
  const missing = (binding.match(TRANSPORTS) ?? []).filter((t) => !supported.includes(t));
  if (missing.length > 0)
    throw new BadRequestError(
      `binding "${binding}" needs ${missing.join(', ')}; this client supports "${supported}" (/3/0/16)`,
    );
}
