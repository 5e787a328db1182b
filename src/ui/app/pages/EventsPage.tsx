// The live event stream (issue 16 item 6): every type of GET /api/events, filtered by type and
// endpoint on the server, merged every 250 ms, newest first and at most MAX_EVENTS; pause holds
// new events in a bounded buffer (overflow counted), export downloads the shown events as JSON
// lines.
import { useSignal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { batched, EVENT_TYPES, subscribe, type ServerEventMessage } from '../events.js';
import { EventLog, MAX_EVENTS, toJsonLines } from '../eventsPage/EventLog.js';
import { EventList } from '../eventsPage/EventList.js';
import { ALL_EVENTS, EventFilters, type EventFilter } from '../eventsPage/EventFilters.js';
import '../eventsPage/events.css';

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function EventsPage() {
  const log = useMemo(() => new EventLog(), []);
  const filter = useSignal<EventFilter>(ALL_EVENTS);
  /** What the open stream carries (undefined while connecting or closed). */
  const live = useSignal<string | undefined>(undefined);

  useEffect(() => {
    const f = filter.value;
    log.retain((e) => f.types.includes(e.type) && (f.endpoint === '' || e.data.endpoint === f.endpoint));
    live.value = undefined;
    if (f.types.length === 0) return undefined;
    const carries = `receiving ${f.types.length} of ${EVENT_TYPES.length} event types${f.endpoint === '' ? '' : ` of ${f.endpoint}`}`;
    const merge = batched<ServerEventMessage>((events) => log.add(events));
    const close = subscribe(
      { types: f.types, ...(f.endpoint === '' ? {} : { endpoint: f.endpoint }) },
      (e) => merge.push(e),
      (open) => (live.value = open ? carries : undefined),
    );
    return () => {
      merge.stop();
      close();
    };
  }, [filter.value]);

  const shown = log.shown.value;
  const paused = log.paused.value;
  return (
    <main class="events-page">
      <h1>
        Events <span class="count">{shown.length > 0 ? `${shown.length} shown` : ''}</span>
        <span class={`live ${live.value ? 'on' : 'off'}`} title={live.value ?? 'not connected'}>
          {live.value ? 'live' : 'offline'}
        </span>
      </h1>
      <EventFilters filter={filter.value} onChange={(f) => (filter.value = f)} />
      <div class="event-tools">
        <button type="button" aria-pressed={paused} onClick={() => (paused ? log.resume() : log.pause())}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button
          type="button"
          disabled={shown.length === 0}
          onClick={() =>
            download(
              `lwm2m-events-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`,
              toJsonLines(shown),
            )
          }
        >
          Export
        </button>
        <button type="button" onClick={() => log.clear()}>
          Clear
        </button>
        <span class="event-status" aria-live="polite">
          {paused
            ? `Paused: ${log.held.value.length} held${log.dropped.value > 0 ? `, ${log.dropped.value} dropped` : ''}`
            : `The last ${MAX_EVENTS.toLocaleString('en')} events are kept.`}
        </span>
        {filter.value.types.length === 0 && <span class="muted">Pick at least one type.</span>}
      </div>
      <EventList events={shown} />
    </main>
  );
}
