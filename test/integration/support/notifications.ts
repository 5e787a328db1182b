// Helpers for observation tests (RFC 7641, LwM2M Core TS 1.1.1 section 5.5): bounded waits on an
// Observation's notifications and a look at how many relations the client keeps.
import type { Lwm2mClient } from '../../../src/client/Lwm2mClient.js';
import type { Lwm2mNode, PathNode } from '../../../src/lwm2m/Lwm2mNode.js';
import type { Notification } from '../../../src/lwm2m/responses.js';
import type { Observation } from '../../../src/server/Observation.js';

/** The next notification of `obs`, or 'none' when nothing arrives within `ms` of real time. */
export async function nextNotification(
  it: AsyncIterator<Notification>,
  ms = 2_000,
): Promise<Notification | 'none'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'none'>((r) => (timer = setTimeout(() => r('none'), ms)));
  try {
    const r = await Promise.race([it.next(), late]);
    if (r === 'none') return 'none';
    return r.done ? 'none' : r.value;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * An iterator over the notifications of `obs` that follow its first value (the content of the
 * Observe's answer, which the handle yields first); it does not cancel when dropped.
 */
export async function iterate(obs: Observation): Promise<AsyncIterator<Notification>> {
  const it = obs[Symbol.asyncIterator]();
  const initial = await nextNotification(it);
  if (initial === 'none') throw new Error('the observation yielded no initial value');
  return it;
}

/** The plain value of a single-resource node, for short assertions. */
export function valueOf(n: Notification | 'none' | Lwm2mNode | readonly PathNode[] | undefined): unknown {
  if (n === undefined || n === 'none' || Array.isArray(n)) return undefined;
  const one = n as Notification | Lwm2mNode;
  const node = 'kind' in one ? one : (one.content as Lwm2mNode | undefined);
  return node?.kind === 'resource' || node?.kind === 'resourceInstance' ? node.value.value : undefined;
}

/** How many observations the client's ObserveEngine holds (test-only peek at a private field). */
export function clientObservations(client: Lwm2mClient): number {
  return (client as unknown as { observe?: { size: number } }).observe?.size ?? 0;
}

/** Lets pending I/O and promise callbacks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}
