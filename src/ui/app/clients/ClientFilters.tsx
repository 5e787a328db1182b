// The filter bar of the client list. Text fields are debounced (DEBOUNCE_MS after the last key)
// so typing an endpoint prefix asks the server once, not once per key; choices apply at once.
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { LAST_SEEN_CHOICES, NO_FILTER, type ClientFilter } from './clientQuery.js';

export const DEBOUNCE_MS = 60;

type Change = (f: ClientFilter) => void;

function Choice<K extends keyof ClientFilter>(props: {
  readonly id: string;
  readonly label: string;
  readonly field: K;
  readonly filter: ClientFilter;
  readonly onChange: Change;
  readonly options: readonly { readonly value: ClientFilter[K]; readonly label: string }[];
}) {
  return (
    <span class="field">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.filter[props.field]}
        onChange={(e) =>
          props.onChange({ ...props.filter, [props.field]: (e.currentTarget as HTMLSelectElement).value })
        }
      >
        {props.options.map((o) => (
          <option value={o.value}>{o.label}</option>
        ))}
      </select>
    </span>
  );
}

export function ClientFilters({
  filter,
  onChange,
}: {
  readonly filter: ClientFilter;
  readonly onChange: Change;
}) {
  const prefix = useSignal(filter.endpointPrefix);
  const objectId = useSignal(filter.objectId);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(filter);
  latest.current = filter;
  useEffect(() => () => clearTimeout(timer.current), []);
  const typed = (p: string, o: string): void => {
    prefix.value = p;
    objectId.value = o;
    clearTimeout(timer.current);
    timer.current = setTimeout(
      () => onChange({ ...latest.current, endpointPrefix: p, objectId: o }),
      DEBOUNCE_MS,
    );
  };
  const objectInvalid = objectId.value.trim() !== '' && !/^\d{1,5}$/.test(objectId.value.trim());
  return (
    <form
      class="client-filters"
      role="search"
      aria-label="Filter clients"
      onSubmit={(e) => e.preventDefault()}
    >
      <span class="field">
        <label for="f-prefix">Endpoint starts with</label>
        <input
          id="f-prefix"
          type="search"
          autocomplete="off"
          spellcheck={false}
          maxLength={255}
          value={prefix.value}
          onInput={(e) => typed((e.currentTarget as HTMLInputElement).value, objectId.value)}
        />
      </span>
      <span class="field">
        <label for="f-object">Object id</label>
        <input
          id="f-object"
          class="narrow"
          inputMode="numeric"
          autocomplete="off"
          maxLength={5}
          aria-invalid={objectInvalid}
          value={objectId.value}
          onInput={(e) => typed(prefix.value, (e.currentTarget as HTMLInputElement).value)}
        />
      </span>
      <Choice
        id="f-binding"
        label="Binding"
        field="binding"
        filter={filter}
        onChange={onChange}
        options={[
          { value: '', label: 'any' },
          { value: 'U', label: 'UDP (U)' },
          { value: 'T', label: 'TCP (T)' },
          { value: 'S', label: 'SMS (S)' },
          { value: 'N', label: 'Non-IP (N)' },
          { value: 'Q', label: 'Queue (Q)' },
        ]}
      />
      <Choice
        id="f-queue"
        label="Queue mode"
        field="queueMode"
        filter={filter}
        onChange={onChange}
        options={[
          { value: '', label: 'any' },
          { value: 'true', label: 'yes' },
          { value: 'false', label: 'no' },
        ]}
      />
      <Choice
        id="f-security"
        label="Security"
        field="securityMode"
        filter={filter}
        onChange={onChange}
        options={[
          { value: '', label: 'any' },
          { value: 'none', label: 'none' },
          { value: 'psk', label: 'PSK' },
          { value: 'rpk', label: 'RPK' },
          { value: 'x509', label: 'X.509' },
        ]}
      />
      <Choice
        id="f-seen"
        label="Last seen"
        field="lastSeen"
        filter={filter}
        onChange={onChange}
        options={LAST_SEEN_CHOICES}
      />
      <button
        type="button"
        onClick={() => {
          clearTimeout(timer.current);
          prefix.value = '';
          objectId.value = '';
          onChange(NO_FILTER);
        }}
      >
        Clear filters
      </button>
    </form>
  );
}
