// LwM2M Core TS 1.1.1 section 5.2.3.3 step 3 (6.1.x in 1.1.1's numbering) and Appendix E.1,
// Security resource 12 (Bootstrap-Server Account Timeout): after a successful bootstrap the client
// purges the Bootstrap-Server account once that many seconds have passed; 0 or absent means the
// account is kept for ever. Finding the timeout and purging (in the tree and the saved state).
import type { ObjectTree } from '../ObjectTree.js';
import { isBootstrapAccount } from './applyBootstrapRequest.js';
import type { ClientStateStore } from './ClientStateStore.js';
import { snapshotClientState } from './clientStateSnapshot.js';

/** The Bootstrap-Server account's Security instance and its timeout (s), when it has one above 0. */
export function bootstrapAccountTimeout(
  tree: ObjectTree,
): { instanceId: number; timeoutS: number } | undefined {
  if (!tree.getObject(0)) return undefined;
  for (const id of tree.instanceIds(0)) {
    const inst = tree.get(0, id)!;
    if (!isBootstrapAccount(inst)) continue;
    const r = inst.read(12);
    const timeoutS = r?.kind === 'resource' ? Number(r.value.value) : 0;
    return timeoutS > 0 ? { instanceId: id, timeoutS } : undefined;
  }
  return undefined;
}

/**
 * Deletes the Bootstrap-Server account (Security instance `instanceId`) from the tree and from the
 * saved state, keeping everything else the state holds (the other Security instances are taken
 * from the tree).
 */
export async function purgeBootstrapAccount(
  tree: ObjectTree,
  instanceId: number,
  store?: ClientStateStore,
): Promise<void> {
  const inst = tree.get(0, instanceId);
  if (!inst || !isBootstrapAccount(inst)) return;
  tree.delete(0, instanceId);
  if (!store) return;
  const saved = await store.load();
  const security = snapshotClientState(tree).objects['0'] ?? [];
  await store.save(
    saved ? { ...saved, objects: { ...saved.objects, 0: security } } : snapshotClientState(tree),
  );
}
