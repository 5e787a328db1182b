// Issue 14 item 4 (Transport TS 1.1.1 section 6.5): what a starting server does with the requests a
// previous run left pending in its QueuedRequestStore. Queued ones are held again with the deadline
// left by the wall clock; the others get their final status here.
import type { Registration } from '../lwm2m/Registration.js';
import type { QueuedRequestRecord } from '../store/QueuedRequestStore.js';
import { localFailure } from './DownlinkSender.js';
import type { QueuedRequestJournal } from './QueuedRequestJournal.js';

/** What rearm did with the entries a previous run left in the store. */
export interface RearmResult {
  readonly rearmed: number;
  readonly expired: number;
  readonly failed: number;
}

/** Where re-armed entries go. */
export interface RearmTarget {
  /** True when this run already holds entry `id`. */
  isHeld(id: string): boolean;
  /** Holds `rec` for `reg` again, `leftMs` before its deadline. */
  hold(reg: Registration, rec: QueuedRequestRecord, leftMs: number): void;
}

/**
 * Re-arms the pending entries of `journal`'s store: a `queued` one whose registration still exists
 * goes to `target`; one past its deadline becomes `expired`; one that was `sent` becomes `failed`
 * (its outcome is unknown, and sending it twice could repeat an Execute); one whose registration
 * is gone becomes `failed` too.
 */
export async function rearmQueued(
  journal: QueuedRequestJournal,
  registrationById: (id: string) => Promise<Registration | undefined>,
  target: RearmTarget,
): Promise<RearmResult> {
  const counts = { rearmed: 0, expired: 0, failed: 0 };
  for (const rec of await journal.store.pending()) {
    if (target.isHeld(rec.id)) continue;
    journal.adopt(rec.id);
    const left = rec.deadlineAt - journal.now();
    const reg = await registrationById(rec.registrationId);
    if (rec.status === 'sent') {
      counts.failed++;
      const why = 'the server restarted while the request was on the wire; its outcome is unknown';
      journal.finish(rec.id, 'failed', localFailure('timeout', why));
    } else if (left <= 0) {
      counts.expired++;
      const why = 'the client did not wake up before the deadline';
      journal.finish(rec.id, 'expired', localFailure('timeout', why));
    } else if (!reg || reg.endpoint !== rec.endpoint) {
      counts.failed++;
      const why = 'the registration ended before the request was sent';
      journal.finish(rec.id, 'failed', localFailure('deregistered', why));
    } else {
      counts.rearmed++;
      target.hold(reg, rec, left);
    }
  }
  return counts;
}
