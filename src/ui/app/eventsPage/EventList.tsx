// The shown events, newest first: one fixed-height summary line each (time, type, endpoint, what
// happened), its full JSON in a <details> opened by keyboard or pointer and rendered only while
// open, so a thousand events stay light.
import { useSignal } from '@preact/signals';
import { href } from '../router.js';
import type { LoggedEvent } from './EventLog.js';
import { eventSummary } from './eventSummary.js';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
function timeOf(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function EventList({ events }: { readonly events: readonly LoggedEvent[] }) {
  const open = useSignal<ReadonlySet<number>>(new Set());
  if (events.length === 0) return <p class="muted">No event yet.</p>;
  return (
    <ol class="event-list" aria-label="Events, newest first">
      {events.map((l) => {
        const isOpen = open.value.has(l.seq);
        const ep = l.event.data.endpoint;
        return (
          <li key={l.seq} class={`event t-${l.event.type}`}>
            <details
              open={isOpen}
              onToggle={(e) => {
                const now = (e.currentTarget as HTMLDetailsElement).open;
                if (now === isOpen) return;
                const next = new Set(open.value);
                if (now) next.add(l.seq);
                else next.delete(l.seq);
                open.value = next;
              }}
            >
              <summary>
                <time class="tabular" dateTime={new Date(l.receivedAt).toISOString()}>
                  {timeOf(l.receivedAt)}
                </time>
                <span class="type">{l.event.type}</span>
                <span class="endpoint" title={ep}>
                  {ep}
                </span>
                <span class="summary">{eventSummary(l.event)}</span>
              </summary>
              {isOpen && (
                <div class="event-json">
                  <a href={href('clients', ep)}>Device page of {ep}</a>
                  <pre>{JSON.stringify(l.event.data, null, 2)}</pre>
                </div>
              )}
            </details>
          </li>
        );
      })}
    </ol>
  );
}
