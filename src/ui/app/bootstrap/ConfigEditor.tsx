// The bootstrap config editor: a form for the common parts and a JSON tab for the full config,
// both saved with PUT /bootstrap/configs/{endpoint}, whose validation error is shown as it is.
// Switching tabs converts one into the other; JSON that does not parse stays in its tab.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { ErrorText } from '../components/ErrorText.js';
import { navigate } from '../router.js';
import { configPath, type ConfigJson } from './bootstrapTypes.js';
import { ConfigForm } from './ConfigForm.js';
import { configOf, formOf, newAccount, type ConfigForm as Form } from './configModel.js';

const EMPTY: Form = { accounts: [], deletePaths: '', rest: {}, orphanServers: {} };

/** The editor of `endpoint`'s config, or of a new one when `endpoint` is undefined. */
export function ConfigEditor(props: { readonly endpoint: string | undefined; readonly onSaved: () => void }) {
  const isNew = props.endpoint === undefined;
  const endpoint = useSignal(props.endpoint ?? '');
  const form = useSignal<Form | undefined>(undefined);
  const tab = useSignal<'form' | 'json'>('form');
  const json = useSignal('');
  const error = useSignal<string | undefined>(undefined);
  const status = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);

  const load = async () => {
    error.value = undefined;
    if (props.endpoint === undefined) {
      form.value = { ...EMPTY, accounts: [newAccount(EMPTY)] };
      return;
    }
    try {
      form.value = formOf(await api<ConfigJson>('GET', configPath(props.endpoint)));
    } catch (e) {
      error.value = e instanceof ApiError ? e.message : String(e);
    }
  };
  useEffect(() => {
    void load();
  }, [props.endpoint]);

  const showTab = (next: 'form' | 'json') => {
    if (next === tab.value || !form.value) return;
    if (next === 'json') json.value = JSON.stringify(configOf(form.value), null, 2);
    else {
      try {
        form.value = formOf(JSON.parse(json.value) as ConfigJson);
      } catch (e) {
        error.value = `The JSON does not parse: ${(e as Error).message}`;
        return;
      }
    }
    error.value = undefined;
    tab.value = next;
  };

  const save = async (ev: Event) => {
    ev.preventDefault();
    if (!form.value) return;
    error.value = undefined;
    status.value = undefined;
    let body: unknown;
    if (tab.value === 'json') {
      try {
        body = JSON.parse(json.value);
      } catch (e) {
        error.value = `The JSON does not parse: ${(e as Error).message}`;
        return;
      }
    } else body = configOf(form.value);
    const ep = endpoint.value.trim();
    busy.value = true;
    try {
      const r = await api<{ replaced: boolean }>('PUT', configPath(ep), { body });
      status.value = r.replaced ? `Saved the config of ${ep}.` : `Created the config of ${ep}.`;
      props.onSaved();
      if (isNew) navigate('bootstrap', ep);
      else {
        // show what the server kept (keys become their lengths again)
        form.value = formOf(await api<ConfigJson>('GET', configPath(ep)));
        if (tab.value === 'json') json.value = JSON.stringify(configOf(form.value), null, 2);
      }
    } catch (e) {
      error.value = e instanceof ApiError ? e.message : String(e);
    } finally {
      busy.value = false;
    }
  };

  const remove = async () => {
    if (props.endpoint === undefined || !confirm(`Delete the bootstrap config of ${props.endpoint}?`)) return;
    try {
      await api('DELETE', configPath(props.endpoint));
      props.onSaved();
      navigate('bootstrap');
    } catch (e) {
      error.value = e instanceof ApiError ? e.message : String(e);
    }
  };

  return (
    <form class="panel config-editor" onSubmit={save} aria-labelledby="bs-editor-title">
      <h2 id="bs-editor-title">{isNew ? 'New bootstrap config' : `Bootstrap config of ${props.endpoint}`}</h2>
      <div class="field">
        <label for="bs-endpoint">Endpoint ("*" for the default config)</label>
        <input
          id="bs-endpoint"
          required
          readOnly={!isNew}
          value={endpoint.value}
          onInput={(e) => (endpoint.value = e.currentTarget.value)}
        />
      </div>
      <div role="tablist" aria-label="Editor" class="tabs">
        {(['form', 'json'] as const).map((t) => (
          <button
            type="button"
            role="tab"
            id={`bs-tab-${t}`}
            aria-selected={tab.value === t}
            aria-controls={`bs-panel-${t}`}
            onClick={() => showTab(t)}
          >
            {t === 'form' ? 'Form' : 'JSON'}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`bs-panel-${tab.value}`} aria-labelledby={`bs-tab-${tab.value}`}>
        {form.value && tab.value === 'form' && (
          <ConfigForm form={form.value} onChange={(f) => (form.value = f)} />
        )}
        {tab.value === 'json' && (
          <div class="field">
            <label for="bs-json" class="sr-only">
              Config JSON
            </label>
            <textarea
              id="bs-json"
              class="mono json-editor"
              rows={20}
              spellcheck={false}
              value={json.value}
              onInput={(e) => (json.value = e.currentTarget.value)}
            />
          </div>
        )}
      </div>
      <ErrorText error={error.value} />
      <p role="status" class="status-line ok">
        {status.value ?? ''}
      </p>
      <div class="buttons">
        <button type="submit" disabled={busy.value || !form.value}>
          Save config
        </button>
        {!isNew && (
          <button type="button" onClick={() => void remove()}>
            Delete config
          </button>
        )}
      </div>
    </form>
  );
}
