// The rows of the client list: pages of GET /api/clients fetched by cursor as the operator scrolls
// (never more than MAX_LOADED rows), and the live events merged in place: an update replaces its
// row, a de-registration or expiry marks it, sleeping/awake flags it; registrations of clients not
// on the list are counted ("N new — refresh") so rows never jump under the operator's pointer.
// The total is re-asked of the server (a one-item page) at most once a second while events come.
import { batch, signal } from '@preact/signals';
import { api, ApiError, type Query } from '../api.js';
import type { ServerEventMessage } from '../events.js';
import type { ClientPage, RegistrationJson } from '../types.js';

/** Clients fetched per page. */
export const PAGE_SIZE = 200;
/** Most rows held by the page; past them the operator is asked to narrow the filter. */
export const MAX_LOADED = 20_000;
/** Least time between two total queries caused by events, ms. */
const TOTAL_INTERVAL_MS = 1_000;

export interface ClientRow {
  readonly reg: RegistrationJson;
  /** Set when the client left after the row was loaded. */
  readonly gone?: 'deregistered' | 'expired';
  /** Known from sleeping/awake events since the row was loaded (else the page's `sleeping`). */
  readonly asleep?: boolean;
}

const message = (e: unknown): string => (e instanceof ApiError ? e.message : String(e));

export class ClientListState {
  readonly rows = signal<readonly ClientRow[]>([]);
  readonly total = signal<number | undefined>(undefined);
  readonly loading = signal(false);
  readonly error = signal<string | undefined>(undefined);
  /** Changes of clients that are not among the loaded rows, since the last reset. */
  readonly unseen = signal({ registered: 0, removed: 0 });
  /** Time the last reset took until its first page was in (ms), for the operator and the benchmark. */
  readonly firstPageMs = signal<number | undefined>(undefined);
  private query: Query = {};
  private next: string | undefined;
  private done = false;
  private generation = 0;
  private controller: AbortController | undefined;
  private index = new Map<string, number>();
  private totalTimer: ReturnType<typeof setTimeout> | undefined;
  private lastTotalAt = 0;

  /** True while more rows can be fetched. */
  get hasMore(): boolean {
    return !this.done && this.rows.value.length < MAX_LOADED;
  }

  /** Starts over with `query` (filters and sort): the first page replaces every row. */
  reset(query: Query): void {
    this.controller?.abort();
    this.controller = undefined;
    this.generation++;
    this.query = query;
    this.next = undefined;
    this.done = false;
    this.index = new Map();
    batch(() => {
      this.rows.value = [];
      this.unseen.value = { registered: 0, removed: 0 };
      this.error.value = undefined;
      this.loading.value = false;
      this.firstPageMs.value = undefined;
    });
    void this.loadMore();
  }

  /** Fetches the next page when row `last` (the last one on screen) is near the end of the rows. */
  ensureLoaded(last: number): void {
    if (last >= this.rows.value.length - PAGE_SIZE / 4) void this.loadMore();
  }

  private async loadMore(): Promise<void> {
    if (this.loading.value || !this.hasMore) return;
    const generation = this.generation;
    const first = this.rows.value.length === 0;
    const started = performance.now();
    const controller = new AbortController();
    this.controller = controller;
    this.loading.value = true;
    try {
      const page = await api<ClientPage>('GET', '/clients', {
        query: { ...this.query, limit: PAGE_SIZE, cursor: this.next },
        signal: controller.signal,
      });
      if (generation !== this.generation) return;
      const rows = [...this.rows.value];
      for (const reg of page.items) {
        if (this.index.has(reg.endpoint)) continue; // moved past the cursor meanwhile
        this.index.set(reg.endpoint, rows.length);
        rows.push({ reg });
      }
      this.next = page.next;
      this.done = page.next === undefined;
      batch(() => {
        this.rows.value = rows;
        this.total.value = page.total;
        this.error.value = undefined;
        if (first) this.firstPageMs.value = performance.now() - started;
      });
    } catch (e) {
      if (generation === this.generation && !controller.signal.aborted) this.error.value = message(e);
    } finally {
      if (generation === this.generation) this.loading.value = false;
    }
  }

  /** Merges a batch of registration events (see the file comment). */
  apply(events: readonly ServerEventMessage[]): void {
    let rows: ClientRow[] | undefined;
    let { registered, removed } = this.unseen.value;
    let countChanged = false;
    const set = (i: number, row: ClientRow): void => {
      rows ??= [...this.rows.value];
      rows[i] = row;
    };
    for (const e of events) {
      const i = this.index.get(e.data.endpoint);
      const row = i === undefined ? undefined : (rows ?? this.rows.value)[i];
      const reg = e.data['registration'] as RegistrationJson | undefined;
      switch (e.type) {
        case 'registered':
          countChanged = true;
          if (row && reg) set(i!, { reg });
          else registered++;
          break;
        case 'updated':
          // the event's registration has no `sleeping`: the row keeps what it knew (awake/sleeping events update it)
          if (row && reg) set(i!, { ...row, reg: { ...reg, sleeping: row.asleep ?? row.reg.sleeping } });
          break;
        case 'deregistered':
        case 'expired':
          countChanged = true;
          removed++;
          if (row) set(i!, { ...row, gone: e.type });
          break;
        case 'sleeping':
        case 'awake':
          if (row) set(i!, { ...row, asleep: e.type === 'sleeping' });
          break;
        default:
          break;
      }
    }
    batch(() => {
      if (rows) this.rows.value = rows;
      this.unseen.value = { registered, removed };
    });
    if (countChanged) this.scheduleTotal();
  }

  private scheduleTotal(): void {
    if (this.totalTimer !== undefined) return;
    const wait = Math.max(0, this.lastTotalAt + TOTAL_INTERVAL_MS - Date.now());
    this.totalTimer = setTimeout(() => {
      this.totalTimer = undefined;
      this.lastTotalAt = Date.now();
      const generation = this.generation;
      api<ClientPage>('GET', '/clients', { query: { ...this.query, limit: 1 } })
        .then((p) => {
          if (generation === this.generation) this.total.value = p.total;
        })
        .catch((e: unknown) => (this.error.value = message(e)));
    }, wait);
  }

  /** Stops fetching (the page is left). */
  dispose(): void {
    this.generation++;
    this.controller?.abort();
    if (this.totalTimer !== undefined) clearTimeout(this.totalTimer);
    this.totalTimer = undefined;
  }
}
