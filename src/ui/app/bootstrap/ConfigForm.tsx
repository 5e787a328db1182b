// The form tab of the config editor: the Bootstrap-Server account (at most one), the LwM2M Server
// accounts (one or more) and the paths to delete before the writes (Core TS 1.1.1 5.2.7.5).
import { AccountFields } from './AccountFields.js';
import { newAccount, type AccountForm, type ConfigForm as Form } from './configModel.js';

/** The form of `form`; every change calls `onChange` with the new form. */
export function ConfigForm(props: { readonly form: Form; readonly onChange: (f: Form) => void }) {
  const { form, onChange } = props;
  const setAccount = (i: number, patch: Partial<AccountForm>) =>
    onChange({ ...form, accounts: form.accounts.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  const remove = (i: number) => onChange({ ...form, accounts: form.accounts.filter((_, j) => j !== i) });
  const add = (bootstrapServer: boolean) =>
    onChange({ ...form, accounts: [...form.accounts, newAccount(form, bootstrapServer)] });
  const hasBootstrap = form.accounts.some((a) => a.bootstrapServer);
  let serverNumber = 0;
  return (
    <div class="config-form">
      {form.accounts.map((a, i) => (
        <AccountFields
          key={a.securityId}
          a={a}
          title={
            a.bootstrapServer
              ? `Bootstrap-Server account (/0/${a.securityId})`
              : `LwM2M Server account ${++serverNumber} (/0/${a.securityId}${a.serverId === undefined ? '' : `, /1/${a.serverId}`})`
          }
          onChange={(patch) => setAccount(i, patch)}
          onRemove={() => remove(i)}
        />
      ))}
      <div class="buttons">
        <button type="button" onClick={() => add(false)}>
          Add an LwM2M Server account
        </button>
        {!hasBootstrap && (
          <button type="button" onClick={() => add(true)}>
            Add a Bootstrap-Server account
          </button>
        )}
      </div>
      <div class="field">
        <label for="bs-delete">Paths to delete first (one per line, e.g. /0 or /1/0)</label>
        <textarea
          id="bs-delete"
          rows={2}
          class="mono"
          value={form.deletePaths}
          onInput={(e) => onChange({ ...form, deletePaths: e.currentTarget.value })}
        />
      </div>
      <p class="hint">
        ACLs, object values and other settings are edited in the JSON tab; the form keeps them.
      </p>
    </div>
  );
}
