// The shown events, newest first: one fixed-height summary line each (time, type, endpoint, what
// happened), its full JSON in a <details> opened by keyboard or pointer and rendered only while
// open. An item re-renders only when it opens or closes, so a batch of new events costs the new
// lines, not a thousand.
import { Component } from 'preact';
import { useSignal } from '@preact/signals';
import { href } from '../router.js';
import type { LoggedEvent } from './EventLog.js';
import { eventSummary } from './eventSummary.js';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
function timeOf(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

interface ItemProps {
  readonly logged: LoggedEvent;
  readonly open: boolean;
  readonly onToggle: (seq: number, open: boolean) => void;
}

class EventItem extends Component<ItemProps> {
  override shouldComponentUpdate(next: ItemProps): boolean {
    return next.open !== this.props.open || next.logged !== this.props.logged;
  }

  override render({ logged: l, open, onToggle }: ItemProps) {
    const ep = l.event.data.endpoint;
    return (
      <li class={`event t-${l.event.type}`}>
        <details
          open={open}
          onToggle={(e) => {
            const now = (e.currentTarget as HTMLDetailsElement).open;
            if (now !== open) onToggle(l.seq, now);
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
          {open && (
            <div class="event-json">
              <a href={href('clients', ep)}>Device page of {ep}</a>
              <pre>{JSON.stringify(l.event.data, null, 2)}</pre>
            </div>
          )}
        </details>
      </li>
    );
  }
}

export function EventList({ events }: { readonly events: readonly LoggedEvent[] }) {
  const open = useSignal<ReadonlySet<number>>(new Set());
  if (events.length === 0) return <p class="muted">No event yet.</p>;
  const toggle = (seq: number, now: boolean): void => {
    const next = new Set(open.value);
    if (now) next.add(seq);
    else next.delete(seq);
    open.value = next;
  };
  return (
    <ol class="event-list" aria-label="Events, newest first">
      {events.map((l) => (
        <EventItem key={l.seq} logged={l} open={open.value.has(l.seq)} onToggle={toggle} />
      ))}
    </ol>
  );
}
