// Device page panel (issue 16 item 3): the requests held for a sleeping Queue Mode client
// (Transport TS 1.1.1 section 6.5) with their status, target, times and outcome, and a Cancel
// button for those still queued. Shown when the client is in Queue Mode or has entries. Live:
// reloaded on the endpoint's queuedRequestDone, sleeping and awake events (merged), and every few
// seconds while it is shown (a request queued by another page raises no event).
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { ApiError } from '../api.js';
import { ErrorText } from '../components/ErrorText.js';
import { batched, subscribe } from '../events.js';
import type { RegistrationJson } from '../types.js';
import { cancelQueued, listQueue, outcomeText, type QueuedRequestJson } from './queueApi.js';
import './queue.css';

const POLL_MS = 3_000;
const time = (iso: string) => new Date(iso).toLocaleTimeString();

export function QueuePanel({ registration }: { readonly registration: RegistrationJson }) {
  const endpoint = registration.endpoint;
  const items = useSignal<readonly QueuedRequestJson[]>([]);
  const awake = useSignal<boolean | undefined>(undefined);
  const error = useSignal<string | undefined>(undefined);

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const r = await listQueue(endpoint);
        if (!stopped) items.value = r.items;
        error.value = undefined;
      } catch (e) {
        if (!stopped) error.value = e instanceof ApiError ? e.message : String(e);
      }
    };
    void load();
    const merged = batched<unknown>(() => void load());
    const close = subscribe({ endpoint, types: ['queuedRequestDone', 'sleeping', 'awake'] }, (e) => {
      if (e.type === 'sleeping') awake.value = false;
      if (e.type === 'awake') awake.value = true;
      merged.push(e);
    });
    const timer = registration.queueMode ? setInterval(() => void load(), POLL_MS) : undefined;
    return () => {
      stopped = true;
      close();
      merged.stop();
      if (timer !== undefined) clearInterval(timer);
    };
  }, [endpoint, registration.queueMode]);

  if (!registration.queueMode && items.value.length === 0) return null;
  const cancel = async (id: string) => {
    try {
      await cancelQueued(endpoint, id);
      items.value = items.value.map((r) => (r.id === id ? { ...r, status: 'cancelled' } : r));
    } catch (e) {
      error.value = e instanceof ApiError ? e.message : String(e);
    }
  };
  return (
    <section class="queue-panel" aria-labelledby="queue-title">
      <h2 id="queue-title">Queued requests</h2>
      <p class="muted queue-state">
        {registration.queueMode ? 'Queue Mode client' : 'Not in Queue Mode'}
        {awake.value === undefined ? '' : awake.value ? ': awake' : ': sleeping'}
        {` · ${items.value.length} entr${items.value.length === 1 ? 'y' : 'ies'}`}
      </p>
      <ErrorText error={error.value} />
      {items.value.length === 0 ? (
        <p class="muted">No request is waiting for this client.</p>
      ) : (
        <table class="queue-table">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Operation</th>
              <th scope="col">Target</th>
              <th scope="col">Created</th>
              <th scope="col">Deadline</th>
              <th scope="col">Outcome</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.value.map((r) => (
              <tr key={r.id} data-status={r.status}>
                <td>
                  <span class={`queue-status queue-${r.status}`}>{r.status}</span>
                </td>
                <td>{r.operation}</td>
                <td class="queue-target">{r.paths.join(', ')}</td>
                <td>{time(r.createdAt)}</td>
                <td>{time(r.deadlineAt)}</td>
                <td>{outcomeText(r)}</td>
                <td>
                  {r.status === 'queued' && (
                    <button
                      type="button"
                      aria-label={`Cancel ${r.operation} ${r.paths.join(', ')}`}
                      onClick={() => void cancel(r.id)}
                    >
                      Cancel
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
