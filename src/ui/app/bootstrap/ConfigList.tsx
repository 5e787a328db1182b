// The bootstrap configs, a page at a time in endpoint order (GET /bootstrap/configs?limit&after),
// filtered by endpoint prefix; each links to its editor.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { ErrorText } from '../components/ErrorText.js';
import { href } from '../router.js';
import type { ConfigEntry } from './bootstrapTypes.js';

const PAGE_SIZE = 25;

function summary(e: ConfigEntry): string {
  const security = (e.config.security ?? {}) as Record<string, { uri?: string; bootstrapServer?: boolean }>;
  const uris = Object.values(security)
    .filter((s) => !s.bootstrapServer)
    .map((s) => s.uri ?? '');
  return uris.join(', ');
}

/** The list; `reloads` changes when a config was saved or deleted. */
export function ConfigList(props: { readonly selected: string | undefined; readonly reloads: number }) {
  const prefix = useSignal('');
  /** `after` of each page shown; the last is the current one ('' first). */
  const afters = useSignal<readonly string[]>(['']);
  const items = useSignal<readonly ConfigEntry[]>([]);
  const total = useSignal<number | undefined>(undefined);
  const more = useSignal(false);
  const error = useSignal<string | undefined>(undefined);
  const after = afters.value[afters.value.length - 1] ?? '';

  useEffect(() => {
    const abort = new AbortController();
    const timer = setTimeout(() => {
      // one more than a page tells whether another follows
      let count: string | null = null;
      api<ConfigEntry[]>('GET', '/bootstrap/configs', {
        query: { limit: PAGE_SIZE + 1, after, endpointPrefix: prefix.value },
        signal: abort.signal,
        onHeaders: (h) => (count = h.get('x-total-count')),
      })
        .then((list) => {
          items.value = list.slice(0, PAGE_SIZE);
          more.value = list.length > PAGE_SIZE;
          total.value = count === null ? undefined : Number(count);
          error.value = undefined;
        })
        .catch((e: unknown) => {
          if (!abort.signal.aborted) error.value = e instanceof ApiError ? e.message : String(e);
        });
    }, 150);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [after, prefix.value, props.reloads]);

  const last = items.value[items.value.length - 1]?.endpoint;
  return (
    <section class="config-list" aria-labelledby="bs-list-title">
      <h2 id="bs-list-title">
        Configs <span class="count">{total.value ?? ''}</span>
      </h2>
      <div class="toolbar">
        <label for="bs-filter">Endpoint starts with</label>
        <input
          id="bs-filter"
          type="search"
          value={prefix.value}
          onInput={(e) => {
            prefix.value = e.currentTarget.value;
            afters.value = [''];
          }}
        />
        <a class="button primary" href={`${href('bootstrap')}?new`}>
          New config
        </a>
      </div>
      <ErrorText error={error.value} />
      <table class="bootstrap-list">
        <thead>
          <tr>
            <th scope="col">Endpoint</th>
            <th scope="col">Servers</th>
          </tr>
        </thead>
        <tbody>
          {items.value.map((e) => (
            <tr key={e.endpoint}>
              <td>
                <a
                  href={href('bootstrap', e.endpoint)}
                  aria-current={props.selected === e.endpoint ? 'page' : undefined}
                  class="mono"
                >
                  {e.endpoint}
                </a>
              </td>
              <td class="mono">{summary(e)}</td>
            </tr>
          ))}
          {items.value.length === 0 && (
            <tr>
              <td colSpan={2} class="muted">
                No configs.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <nav class="pager" aria-label="Config pages">
        <button
          type="button"
          disabled={afters.value.length < 2}
          onClick={() => (afters.value = afters.value.slice(0, -1))}
        >
          Previous
        </button>
        <span>Page {afters.value.length}</span>
        <button
          type="button"
          disabled={!more.value || last === undefined}
          onClick={() => last !== undefined && (afters.value = [...afters.value, last])}
        >
          Next
        </button>
      </nav>
    </section>
  );
}
