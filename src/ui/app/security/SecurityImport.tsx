// Bulk import of credentials from a CSV or JSON file: the file is sent as it is to POST
// {securityPath}?dryRun=true, whose answer (each row's action or error) is shown before anything is
// written; Import then sends it again for real (all or nothing on the server).
import { useSignal } from '@preact/signals';
import { api, ApiError } from '../api.js';
import { ErrorText } from '../components/ErrorText.js';
import { KIND_LABELS, securityPath, type ImportPreview } from './securityTypes.js';

/** A file's content and how to send it. */
interface Loaded {
  readonly name: string;
  readonly text: string;
  readonly type: 'text/csv' | 'application/json';
}

const send = <T,>(file: Loaded, dryRun: boolean): Promise<T> =>
  api<T>('POST', securityPath(), {
    query: { dryRun: dryRun ? 'true' : undefined },
    text: file.text,
    contentType: file.type,
  });

/** The import panel; `onImported` reloads the table. */
export function SecurityImport(props: { readonly onImported: () => void }) {
  const file = useSignal<Loaded | undefined>(undefined);
  const preview = useSignal<ImportPreview | undefined>(undefined);
  const result = useSignal<string | undefined>(undefined);
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);

  const choose = async (ev: Event) => {
    const f = (ev.currentTarget as HTMLInputElement).files?.[0];
    preview.value = undefined;
    result.value = undefined;
    error.value = undefined;
    if (!f) return;
    const text = await f.text();
    const json = f.name.toLowerCase().endsWith('.json') || text.trimStart().startsWith('{');
    file.value = { name: f.name, text, type: json ? 'application/json' : 'text/csv' };
    busy.value = true;
    try {
      preview.value = await send<ImportPreview>(file.value, true);
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err);
    } finally {
      busy.value = false;
    }
  };
  const run = async () => {
    if (!file.value) return;
    busy.value = true;
    error.value = undefined;
    try {
      const r = await send<{ created: number; replaced: number }>(file.value, false);
      result.value = `Imported ${file.value.name}: ${r.created} created, ${r.replaced} replaced.`;
      preview.value = undefined;
      props.onImported();
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err);
    } finally {
      busy.value = false;
    }
  };

  const p = preview.value;
  return (
    <section class="panel" aria-labelledby="sec-import-title">
      <h2 id="sec-import-title">Import</h2>
      <label for="sec-import-file">Credentials file (CSV or JSON)</label>{' '}
      <input
        id="sec-import-file"
        type="file"
        accept=".csv,.json,text/csv,application/json"
        onChange={choose}
      />
      <p class="hint">
        CSV header: endpoint,mode,identity,key,publicKey (mode psk, rpk or x509; key in hex). JSON: endpoint →
        {' {"psk": {"identity", "key"}}'}.
      </p>
      {p && (
        <>
          <table class="import-preview">
            <caption>
              Preview: {p.valid} ready, {p.invalid} with errors
            </caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Endpoint</th>
                <th scope="col">Mode</th>
                <th scope="col">Identity</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {p.rows.map((r, i) => (
                <tr key={i} class={r.error ? 'bad' : undefined}>
                  <td>{r.line ?? i + 1}</td>
                  <td class="mono">{r.endpoint}</td>
                  <td>{r.kind ? KIND_LABELS[r.kind] : ''}</td>
                  <td class="mono">{r.identity ?? ''}</td>
                  <td class={r.error ? 'error' : 'ok'}>{r.error ?? r.action}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="buttons">
            <button
              type="button"
              class="primary"
              disabled={busy.value || p.invalid > 0 || p.valid === 0}
              onClick={run}
            >
              Import {p.valid} credentials
            </button>
            <button type="button" onClick={() => (preview.value = undefined)}>
              Discard
            </button>
          </div>
        </>
      )}
      {result.value && (
        <p role="status" class="ok">
          {result.value}
        </p>
      )}
      <ErrorText error={error.value} />
    </section>
  );
}
