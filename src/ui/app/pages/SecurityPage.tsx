// Credentials per endpoint (issue 16 item 4): the server-side listing filtered by endpoint prefix
// and mode, a page at a time; add, edit and delete (SecurityForm); bulk import with a preview
// (SecurityImport) and export as CSV or JSON without keys (GET {securityPath}?export=). On a
// standalone bootstrap server the same routes live under /bootstrap/security (session features).
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, ApiError, apiUrl } from '../api.js';
import { ErrorText } from '../components/ErrorText.js';
import { SecurityForm } from '../security/SecurityForm.js';
import { SecurityImport } from '../security/SecurityImport.js';
import { SecurityTable } from '../security/SecurityTable.js';
import {
  KIND_LABELS,
  securityPath,
  type SecurityInfoPage,
  type SecurityInfoView,
  type SecurityKind,
} from '../security/securityTypes.js';
import '../security/security.css';

const PAGE_SIZE = 50;

export function SecurityPage() {
  const prefix = useSignal('');
  const kind = useSignal<SecurityKind | ''>('');
  /** Cursors of the pages shown so far; the last is the current page's ('' for the first). */
  const cursors = useSignal<readonly string[]>(['']);
  const page = useSignal<SecurityInfoPage | undefined>(undefined);
  const error = useSignal<string | undefined>(undefined);
  const editing = useSignal<SecurityInfoView | 'new' | undefined>(undefined);
  const reloads = useSignal(0);
  const status = useSignal<string | undefined>(undefined);
  const cursor = cursors.value[cursors.value.length - 1] ?? '';

  useEffect(() => {
    const abort = new AbortController();
    // a burst of keystrokes in the filter sends one request
    const timer = setTimeout(() => {
      api<SecurityInfoPage>('GET', securityPath(), {
        query: { limit: PAGE_SIZE, cursor, endpointPrefix: prefix.value, kind: kind.value },
        signal: abort.signal,
      })
        .then((p) => {
          page.value = p;
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
  }, [prefix.value, kind.value, cursor, reloads.value]);

  const firstPage = () => (cursors.value = ['']);
  const reload = () => reloads.value++;
  const remove = async (c: SecurityInfoView) => {
    if (!confirm(`Delete the credentials of ${c.endpoint}?`)) return;
    try {
      await api('DELETE', `${securityPath()}/${encodeURIComponent(c.endpoint)}`);
      status.value = `Deleted the credentials of ${c.endpoint}.`;
      reload();
    } catch (e) {
      error.value = e instanceof ApiError ? e.message : String(e);
    }
  };
  const filters = { endpointPrefix: prefix.value, kind: kind.value };
  const next = page.value?.next;

  return (
    <main>
      <h1>
        Security <span class="count">{page.value ? `${page.value.total} endpoints` : ''}</span>
      </h1>
      <div class="toolbar">
        <label for="sec-filter">Endpoint starts with</label>
        <input
          id="sec-filter"
          type="search"
          value={prefix.value}
          onInput={(e) => {
            prefix.value = e.currentTarget.value;
            firstPage();
          }}
        />
        <label for="sec-mode">Mode</label>
        <select
          id="sec-mode"
          value={kind.value}
          onChange={(e) => {
            kind.value = e.currentTarget.value as SecurityKind | '';
            firstPage();
          }}
        >
          <option value="">any</option>
          {(Object.keys(KIND_LABELS) as SecurityKind[]).map((k) => (
            <option value={k}>{KIND_LABELS[k]}</option>
          ))}
        </select>
        <button type="button" class="primary" onClick={() => (editing.value = 'new')}>
          Add credentials
        </button>
        <a
          class="button"
          href={apiUrl(securityPath(), { ...filters, export: 'csv' })}
          download="credentials.csv"
        >
          Export CSV
        </a>
        <a
          class="button"
          href={apiUrl(securityPath(), { ...filters, export: 'json' })}
          download="credentials.json"
        >
          Export JSON
        </a>
      </div>
      {editing.value !== undefined && (
        <SecurityForm
          key={editing.value === 'new' ? 'new' : editing.value.endpoint}
          editing={editing.value === 'new' ? undefined : editing.value}
          onSaved={(ep) => {
            editing.value = undefined;
            status.value = `Saved the credentials of ${ep}.`;
            reload();
          }}
          onCancel={() => (editing.value = undefined)}
        />
      )}
      <p role="status" class="status-line">
        {status.value ?? ''}
      </p>
      <ErrorText error={error.value} />
      <SecurityTable
        page={page.value}
        pageNumber={cursors.value.length}
        onEdit={(c) => (editing.value = c)}
        onDelete={(c) => void remove(c)}
        {...(cursors.value.length > 1
          ? { onPrevious: () => (cursors.value = cursors.value.slice(0, -1)) }
          : {})}
        {...(next !== undefined ? { onNext: () => (cursors.value = [...cursors.value, next]) } : {})}
      />
      <SecurityImport onImported={reload} />
    </main>
  );
}
