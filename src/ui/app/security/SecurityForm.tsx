// Add or replace the credentials of one endpoint (PUT {securityPath}/{endpoint}): PSK (identity and
// key, the key typed as hex or as text sent as its UTF-8 hex), raw public key (pasted PEM, hex or
// base64, or loaded from a PEM/DER file) or X.509 (nothing to enter: the device's certificate must
// lead to the server's --ca and name the endpoint). The key field is never filled from the API.
import { useSignal } from '@preact/signals';
import { api, ApiError } from '../api.js';
import { ErrorText } from '../components/ErrorText.js';
import {
  KIND_LABELS,
  keyFileText,
  securityPath,
  textToHex,
  type SecurityInfoView,
  type SecurityKind,
} from './securityTypes.js';

/** The form; `editing` is the credential being replaced, undefined for a new endpoint. */
export function SecurityForm(props: {
  readonly editing: SecurityInfoView | undefined;
  readonly onSaved: (endpoint: string) => void;
  readonly onCancel: () => void;
}) {
  const e = props.editing;
  const endpoint = useSignal(e?.endpoint ?? '');
  const kind = useSignal<SecurityKind>(e?.kind ?? 'psk');
  const identity = useSignal(e?.kind === 'psk' ? e.psk.identity : '');
  const key = useSignal('');
  const keyAs = useSignal<'hex' | 'text'>('hex');
  const publicKey = useSignal(e?.kind === 'rpk' ? e.rpk.publicKey : '');
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);

  const body = (): Record<string, unknown> => {
    if (kind.value === 'psk')
      return {
        psk: {
          identity: identity.value,
          key: keyAs.value === 'text' ? textToHex(key.value) : key.value.replace(/\s+/g, ''),
        },
      };
    if (kind.value === 'rpk') return { rpk: { publicKey: publicKey.value.trim() } };
    return { x509: {} };
  };
  const submit = async (ev: Event) => {
    ev.preventDefault();
    busy.value = true;
    error.value = undefined;
    try {
      const ep = endpoint.value.trim();
      await api('PUT', `${securityPath()}/${encodeURIComponent(ep)}`, { body: body() });
      key.value = '';
      props.onSaved(ep);
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err);
    } finally {
      busy.value = false;
    }
  };
  const loadKeyFile = async (ev: Event) => {
    const file = (ev.currentTarget as HTMLInputElement).files?.[0];
    if (file) publicKey.value = await keyFileText(file);
  };

  return (
    <form class="panel security-form" onSubmit={submit} aria-labelledby="security-form-title">
      <h2 id="security-form-title">{e ? `Edit credentials of ${e.endpoint}` : 'Add credentials'}</h2>
      <div class="field">
        <label for="sec-endpoint">Endpoint</label>
        <input
          id="sec-endpoint"
          required
          readOnly={e !== undefined}
          value={endpoint.value}
          onInput={(ev) => (endpoint.value = ev.currentTarget.value)}
        />
      </div>
      <fieldset class="field">
        <legend>Security mode</legend>
        {(Object.keys(KIND_LABELS) as SecurityKind[]).map((k) => (
          <label key={k} class="inline">
            <input
              type="radio"
              name="sec-kind"
              value={k}
              checked={kind.value === k}
              onChange={() => (kind.value = k)}
            />
            {KIND_LABELS[k]}
          </label>
        ))}
      </fieldset>
      {kind.value === 'psk' && (
        <>
          <div class="field">
            <label for="sec-identity">PSK identity</label>
            <input
              id="sec-identity"
              required
              value={identity.value}
              onInput={(ev) => (identity.value = ev.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="sec-key">PSK key</label>
            <input
              id="sec-key"
              type="password"
              autocomplete="new-password"
              required
              value={key.value}
              onInput={(ev) => (key.value = ev.currentTarget.value)}
            />
            <label for="sec-key-as" class="inline">
              typed as
            </label>
            <select
              id="sec-key-as"
              value={keyAs.value}
              onChange={(ev) => (keyAs.value = ev.currentTarget.value as 'hex' | 'text')}
            >
              <option value="hex">hex</option>
              <option value="text">text (UTF-8)</option>
            </select>
            {e?.kind === 'psk' && (
              <p class="hint">
                A key is set ({e.psk.keyLength} bytes); keys are never shown: enter it again to save.
              </p>
            )}
          </div>
        </>
      )}
      {kind.value === 'rpk' && (
        <div class="field">
          <label for="sec-public-key">Device public key (PEM, hex or base64 DER)</label>
          <textarea
            id="sec-public-key"
            rows={4}
            required
            value={publicKey.value}
            onInput={(ev) => (publicKey.value = ev.currentTarget.value)}
          />
          <label for="sec-public-key-file">or load a key file</label>
          <input id="sec-public-key-file" type="file" accept=".pem,.der,.pub,.key" onChange={loadKeyFile} />
        </div>
      )}
      {kind.value === 'x509' && (
        <p class="hint">
          The device's certificate must lead to a CA of the server (--ca) and name the endpoint (subject
          common name, or a subjectAltName DNS/URI entry).
        </p>
      )}
      <ErrorText error={error.value} />
      <div class="buttons">
        <button type="submit" disabled={busy.value}>
          Save credentials
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
