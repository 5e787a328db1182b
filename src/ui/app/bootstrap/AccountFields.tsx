// One account of the bootstrap config form: a Security instance (URI, mode, identity, keys and
// certificates, typed in hex or loaded from PEM/DER files) and, for an LwM2M Server, its Server
// instance (Short Server ID, lifetime, binding). Key fields are never filled from the API: an
// empty key with a stored one keeps it.
import { ErrorText } from '../components/ErrorText.js';
import { useSignal } from '@preact/signals';
import { fileToHex, SECURITY_MODES, type SecurityModeName } from './bootstrapTypes.js';
import type { AccountForm } from './configModel.js';

type Change = (patch: Partial<AccountForm>) => void;

function FileButton(props: {
  readonly id: string;
  readonly label: string;
  readonly onHex: (hex: string) => void;
}) {
  const error = useSignal<string | undefined>(undefined);
  return (
    <>
      <label for={props.id} class="file-label">
        {props.label}
      </label>
      <input
        id={props.id}
        type="file"
        accept=".pem,.der,.crt,.cer,.key,.pub"
        onChange={(ev) => {
          const file = ev.currentTarget.files?.[0];
          if (file)
            fileToHex(file)
              .then((hex) => {
                error.value = undefined;
                props.onHex(hex);
              })
              .catch((e: unknown) => (error.value = `${file.name}: ${String(e)}`));
        }}
      />
      <ErrorText error={error.value} />
    </>
  );
}

function HexField(props: {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onChange: (hex: string) => void;
  readonly fileLabel: string;
  readonly secret?: boolean;
  readonly hint?: string;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.secret ? (
        <input
          id={props.id}
          type="password"
          autocomplete="new-password"
          class="mono"
          value={props.value}
          onInput={(e) => props.onChange(e.currentTarget.value)}
        />
      ) : (
        <textarea
          id={props.id}
          rows={2}
          class="mono"
          value={props.value}
          onInput={(e) => props.onChange(e.currentTarget.value)}
        />
      )}
      <FileButton id={`${props.id}-file`} label={props.fileLabel} onHex={props.onChange} />
      {props.hint && <p class="hint">{props.hint}</p>}
    </div>
  );
}

/** The fields of `a`; `title` names the account (its fieldset's legend). */
export function AccountFields(props: {
  readonly a: AccountForm;
  readonly title: string;
  readonly onChange: Change;
  readonly onRemove: () => void;
}) {
  const { a, onChange } = props;
  const id = (f: string) => `acc-${a.securityId}-${f}`;
  const keyKept =
    a.secretKeyLength !== undefined && a.secretKey === ''
      ? `A key is stored (${a.secretKeyLength} bytes) and kept; keys are never shown. Type or load one to replace it.`
      : undefined;
  const mode = a.securityMode;
  return (
    <fieldset class="account">
      <legend>{props.title}</legend>
      <div class="field">
        <label for={id('uri')}>URI</label>
        <input
          id={id('uri')}
          required
          size={40}
          placeholder="coaps://lwm2m.example.com:5684"
          value={a.uri}
          onInput={(e) => onChange({ uri: e.currentTarget.value })}
        />
      </div>
      <div class="field">
        <label for={id('mode')}>Security mode</label>
        <select
          id={id('mode')}
          value={mode}
          onChange={(e) => onChange({ securityMode: e.currentTarget.value as SecurityModeName })}
        >
          {SECURITY_MODES.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        {!a.bootstrapServer && (
          <>
            <label for={id('ssid')}>Short Server ID</label>
            <input
              id={id('ssid')}
              type="number"
              min={1}
              max={65534}
              required
              value={a.shortServerId}
              onInput={(e) => onChange({ shortServerId: e.currentTarget.value })}
            />
          </>
        )}
      </div>
      {mode === 'psk' && (
        <>
          <div class="field">
            <label for={id('identity')}>PSK identity</label>
            <input
              id={id('identity')}
              value={a.identity}
              onInput={(e) => onChange({ identity: e.currentTarget.value })}
            />
            <label for={id('identity-as')} class="inline">
              as
            </label>
            <select
              id={id('identity-as')}
              value={a.identityAs}
              onChange={(e) => onChange({ identityAs: e.currentTarget.value as 'text' | 'hex' })}
            >
              <option value="text">text</option>
              <option value="hex">hex</option>
            </select>
          </div>
          <HexField
            id={id('key')}
            label="PSK key (hex)"
            secret
            value={a.secretKey}
            onChange={(secretKey) => onChange({ secretKey })}
            fileLabel="or load the key file"
            {...(keyKept ? { hint: keyKept } : {})}
          />
        </>
      )}
      {(mode === 'rpk' || mode === 'x509') && (
        <>
          <HexField
            id={id('client-cert')}
            label={mode === 'rpk' ? 'Client public key (hex DER)' : 'Client certificate (hex DER)'}
            value={a.identity}
            onChange={(identity) => onChange({ identity, identityAs: 'hex' })}
            fileLabel={mode === 'rpk' ? 'or load the public key file' : 'or load the certificate file'}
          />
          <HexField
            id={id('private-key')}
            label="Client private key (hex DER)"
            secret
            value={a.secretKey}
            onChange={(secretKey) => onChange({ secretKey })}
            fileLabel="or load the private key file"
            {...(keyKept ? { hint: keyKept } : {})}
          />
          <HexField
            id={id('server-key')}
            label={mode === 'rpk' ? 'Server public key (hex DER)' : 'Server certificate (hex DER)'}
            value={a.serverPublicKey}
            onChange={(serverPublicKey) => onChange({ serverPublicKey })}
            fileLabel={mode === 'rpk' ? 'or load the server key file' : 'or load the server certificate file'}
          />
        </>
      )}
      {!a.bootstrapServer && (
        <div class="field">
          <label for={id('lifetime')}>Lifetime (s)</label>
          <input
            id={id('lifetime')}
            type="number"
            min={0}
            required
            value={a.lifetime}
            onInput={(e) => onChange({ lifetime: e.currentTarget.value })}
          />
          <label for={id('binding')}>Binding</label>
          <input
            id={id('binding')}
            size={6}
            pattern="[UMHTSNQ]{1,6}"
            required
            value={a.binding}
            onInput={(e) => onChange({ binding: e.currentTarget.value })}
          />
        </div>
      )}
      <button type="button" onClick={props.onRemove}>
        Remove this account
      </button>
    </fieldset>
  );
}
