// Which events the page asks the server for (GET /api/events ?types= and ?endpoint=): one
// checkbox per type and an endpoint name, debounced.
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { EVENT_TYPES, type EventType } from '../events.js';

export interface EventFilter {
  readonly types: readonly EventType[];
  /** Exact endpoint name; '' for every endpoint. */
  readonly endpoint: string;
}

export const ALL_EVENTS: EventFilter = { types: EVENT_TYPES, endpoint: '' };
const DEBOUNCE_MS = 300;

export function EventFilters(props: {
  readonly filter: EventFilter;
  readonly onChange: (f: EventFilter) => void;
}) {
  const { filter, onChange } = props;
  const endpoint = useSignal(filter.endpoint);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(filter);
  latest.current = filter;
  useEffect(() => () => clearTimeout(timer.current), []);
  const toggle = (t: EventType, on: boolean): void =>
    onChange({
      ...filter,
      types: EVENT_TYPES.filter((x) => (x === t ? on : filter.types.includes(x))),
    });
  return (
    <form class="event-filters" aria-label="Filter events" onSubmit={(e) => e.preventDefault()}>
      <fieldset>
        <legend>Types</legend>
        {EVENT_TYPES.map((t) => (
          <label key={t}>
            <input
              type="checkbox"
              checked={filter.types.includes(t)}
              onChange={(e) => toggle(t, (e.currentTarget as HTMLInputElement).checked)}
            />{' '}
            {t}
          </label>
        ))}
        <button type="button" onClick={() => onChange({ ...filter, types: EVENT_TYPES })}>
          All
        </button>
      </fieldset>
      <span class="field">
        <label for="ev-endpoint">Endpoint (exact name)</label>
        <input
          id="ev-endpoint"
          type="search"
          autocomplete="off"
          spellcheck={false}
          maxLength={255}
          placeholder="every endpoint"
          value={endpoint.value}
          onInput={(e) => {
            const v = (e.currentTarget as HTMLInputElement).value;
            endpoint.value = v;
            clearTimeout(timer.current);
            timer.current = setTimeout(
              () => onChange({ ...latest.current, endpoint: v.trim() }),
              DEBOUNCE_MS,
            );
          }}
        />
      </span>
    </form>
  );
}
