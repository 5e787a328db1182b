// The registered clients (issue 16 item 2): server-side filters and sort (GET /api/clients), a
// virtualized list fetched a page at a time, live registration events merged every 250 ms, and
// the details of the selected registration beside the list.
import { useSignal } from '@preact/signals';
import { useEffect, useMemo } from 'preact/hooks';
import { batched, subscribe, type ServerEventMessage } from '../events.js';
import { ErrorText } from '../components/ErrorText.js';
import { ClientListState, MAX_LOADED } from '../clients/ClientListState.js';
import { ClientFilters } from '../clients/ClientFilters.js';
import { ClientTable } from '../clients/ClientTable.js';
import { listQuery, NO_FILTER, type ClientFilter, type ClientSort } from '../clients/clientQuery.js';
import { RegistrationDetails } from '../clients/RegistrationDetails.js';
import '../clients/clients.css';

const LIVE_TYPES = ['registered', 'updated', 'deregistered', 'expired', 'sleeping', 'awake'] as const;

export function ClientsPage() {
  const list = useMemo(() => new ClientListState(), []);
  const filter = useSignal<ClientFilter>(NO_FILTER);
  const sort = useSignal<ClientSort>({ field: 'endpoint', descending: false });
  const selected = useSignal<string | undefined>(undefined);
  const live = useSignal(false);
  const now = useSignal(Date.now());

  useEffect(() => {
    const tick = setInterval(() => (now.value = Date.now()), 1000);
    const merge = batched<ServerEventMessage>((events) => list.apply(events));
    const close = subscribe(
      { types: LIVE_TYPES },
      (e) => merge.push(e),
      (open) => (live.value = open),
    );
    return () => {
      clearInterval(tick);
      merge.stop();
      close();
      list.dispose();
    };
  }, []);
  useEffect(() => list.reset(listQuery(filter.value, sort.value)), [filter.value, sort.value]);

  const rows = list.rows.value;
  const total = list.total.value;
  const { registered, removed } = list.unseen.value;
  const chosen =
    selected.value === undefined ? undefined : rows.find((r) => r.reg.endpoint === selected.value);
  return (
    <main class="clients-page">
      <h1>
        Clients{' '}
        <span class="count" aria-live="polite">
          {total === undefined ? '' : `${total.toLocaleString('en')} ${total === 1 ? 'client' : 'clients'}`}
        </span>
        <span class={`live ${live.value ? 'on' : 'off'}`}>{live.value ? 'live' : 'offline'}</span>
      </h1>
      <ClientFilters filter={filter.value} onChange={(f) => (filter.value = f)} />
      <div class="clients-status" aria-live="polite">
        {registered + removed > 0 && (
          <>
            <span>
              {registered > 0 && `${registered} new`}
              {registered > 0 && removed > 0 && ', '}
              {removed > 0 && `${removed} removed`} since the list was loaded
            </span>{' '}
            <button type="button" onClick={() => list.reset(listQuery(filter.value, sort.value))}>
              Refresh
            </button>
          </>
        )}
        {!list.hasMore && rows.length >= MAX_LOADED && (
          <span class="muted">
            Showing the first {MAX_LOADED.toLocaleString('en')}; narrow the filter to see the others.
          </span>
        )}
      </div>
      <ErrorText error={list.error.value} />
      <div class={`clients-body${chosen ? ' with-details' : ''}`}>
        <ClientTable
          list={list}
          sort={sort.value}
          onSort={(s) => (sort.value = s)}
          selected={selected.value}
          onSelect={(ep) => (selected.value = selected.value === ep ? undefined : ep)}
          now={now.value}
        />
        {chosen && (
          <aside>
            <button type="button" class="close" onClick={() => (selected.value = undefined)}>
              Close details
            </button>
            <RegistrationDetails registration={chosen.reg} {...(chosen.gone ? { gone: chosen.gone } : {})} />
          </aside>
        )}
      </div>
    </main>
  );
}
