// The client list as a virtualized table: every row is ROW_HEIGHT px, only the rows on screen
// (plus OVERSCAN above and below) are in the DOM, spacer rows stand for the others, and column
// widths are fixed (table-layout: fixed) so live updates never move anything. Scrolling near the
// end of the loaded rows fetches the next page (ClientListState.ensureLoaded).
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { href } from '../router.js';
import type { ClientListState, ClientRow } from './ClientListState.js';
import type { ClientSort, SortField } from './clientQuery.js';
import { clockTime, expiresIn, securityLabel, securityModeOf } from './format.js';

/** User Timing mark set once the client list first shows rows (see the test of 100k clients). */
export const FIRST_ROWS_MARK = 'lwm2m:clients-first-rows';

/** Height of a row, px (clients.css sets the same). */
export const ROW_HEIGHT = 32;
/** Rows rendered beyond each edge of the visible window. */
export const OVERSCAN = 12;

const COLUMNS: readonly { readonly label: string; readonly sort?: SortField; readonly cls: string }[] = [
  { label: 'Endpoint', sort: 'endpoint', cls: 'c-endpoint' },
  { label: 'Binding', cls: 'c-binding' },
  { label: 'Queue', cls: 'c-queue' },
  { label: 'Security', cls: 'c-security' },
  { label: 'Version', cls: 'c-version' },
  { label: 'Address', cls: 'c-address' },
  { label: 'Registered', sort: 'registeredAt', cls: 'c-time' },
  { label: 'Last seen', sort: 'lastUpdate', cls: 'c-time' },
  { label: 'Expires', cls: 'c-expires' },
  { label: 'Details', cls: 'c-details' },
];

function queueText(row: ClientRow): string {
  if (!row.reg.queueMode) return 'no';
  const asleep = row.asleep ?? row.reg.sleeping;
  return asleep === undefined ? 'yes' : asleep ? 'sleeping' : 'awake';
}

function Row(props: {
  readonly row: ClientRow;
  readonly index: number;
  readonly now: number;
  readonly selected: boolean;
  readonly onSelect: (endpoint: string) => void;
}) {
  const { reg, gone } = props.row;
  return (
    <tr
      class={`row${gone ? ' gone' : ''}${props.selected ? ' selected' : ''}`}
      aria-rowindex={props.index + 2}
    >
      <td class="c-endpoint" title={reg.endpoint}>
        <a href={href('clients', reg.endpoint)}>{reg.endpoint}</a>
      </td>
      <td>{reg.binding}</td>
      <td>{queueText(props.row)}</td>
      <td>{securityLabel(securityModeOf(reg))}</td>
      <td>{reg.lwm2mVersion ?? '1.0'}</td>
      <td title={`${reg.address}:${reg.port}`}>
        {reg.address.includes(':') ? `[${reg.address}]` : reg.address}:{reg.port}
      </td>
      <td class="tabular">{clockTime(reg.registeredAt, props.now)}</td>
      <td class="tabular">{clockTime(reg.lastUpdate, props.now)}</td>
      <td class="tabular">{gone ?? expiresIn(reg.expiresAt, props.now)}</td>
      <td>
        <button
          type="button"
          class="link"
          aria-label={`Details of ${reg.endpoint}`}
          aria-pressed={props.selected}
          onClick={() => props.onSelect(reg.endpoint)}
        >
          Details
        </button>
      </td>
    </tr>
  );
}

export function ClientTable(props: {
  readonly list: ClientListState;
  readonly sort: ClientSort;
  readonly onSort: (s: ClientSort) => void;
  readonly selected: string | undefined;
  readonly onSelect: (endpoint: string) => void;
  readonly now: number;
}) {
  const { list, sort } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const scrollTop = useSignal(0);
  const viewport = useSignal(600);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    viewport.value = el.clientHeight;
    const ro = new ResizeObserver(() => (viewport.value = el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // a new query starts at the top
  useEffect(() => {
    if (list.rows.value.length === 0 && scroller.current) {
      scroller.current.scrollTop = 0;
      scrollTop.value = 0;
    }
  }, [list.rows.value.length === 0]);
  // The first rows on screen since the page opened, as a User Timing mark (Preact runs effects
  // after the browser paints): what the UI's first-paint figure measures, from navigation start.
  const hasRows = list.rows.value.length > 0;
  useEffect(() => {
    if (hasRows && performance.getEntriesByName(FIRST_ROWS_MARK).length === 0)
      performance.mark(FIRST_ROWS_MARK);
  }, [hasRows]);
  const frame = useRef(0);
  const onScroll = (): void => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      scrollTop.value = scroller.current?.scrollTop ?? 0;
    });
  };
  const rows = list.rows.value;
  // The browser clamps scrollTop when the rows shrink (a new filter), but its scroll event comes
  // a frame later: clamp here too, so a short list never renders an empty window.
  const top = Math.min(scrollTop.value, Math.max(0, rows.length * ROW_HEIGHT - viewport.value));
  const start = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const end = Math.min(rows.length, Math.ceil((top + viewport.value) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => list.ensureLoaded(end), [end, rows.length]);
  const more = list.hasMore;
  const total = list.total.value;
  return (
    <div
      class="clients-scroll"
      ref={scroller}
      onScroll={onScroll}
      tabIndex={0}
      role="region"
      aria-label="Client list, scroll for more"
    >
      <table class="clients-table" aria-label="Registered clients" aria-rowcount={(total ?? rows.length) + 1}>
        <colgroup>
          {COLUMNS.map((c) => (
            <col class={c.cls} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((c) => {
              if (!c.sort) return <th scope="col">{c.label}</th>;
              const active = sort.field === c.sort;
              const field = c.sort;
              return (
                <th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button
                    type="button"
                    class="sort"
                    onClick={() =>
                      props.onSort({ field, descending: active ? !sort.descending : field !== 'endpoint' })
                    }
                  >
                    {c.label}
                    <span class="arrow" aria-hidden="true">
                      {active ? (sort.descending ? '▼' : '▲') : ''}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          <tr class="spacer" aria-hidden="true" style={{ height: `${start * ROW_HEIGHT}px` }} />
          {rows.slice(start, end).map((row, k) => (
            <Row
              key={row.reg.endpoint}
              row={row}
              index={start + k}
              now={props.now}
              selected={props.selected === row.reg.endpoint}
              onSelect={props.onSelect}
            />
          ))}
          <tr class="spacer" aria-hidden="true" style={{ height: `${(rows.length - end) * ROW_HEIGHT}px` }} />
          {more && rows.length > 0 && (
            <tr class="row more">
              <td colSpan={COLUMNS.length} class="muted">
                {list.loading.value ? 'Loading more…' : 'Scroll for more'}
              </td>
            </tr>
          )}
          {!more && !list.loading.value && rows.length === 0 && (
            <tr class="row">
              <td colSpan={COLUMNS.length} class="muted">
                No client matches.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
