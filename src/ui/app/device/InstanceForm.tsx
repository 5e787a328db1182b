// A typed form of an object instance's resources: Create (Core TS 1.1.1 5.4.6: every resource that
// holds a value may be given, the mandatory ones must; the instance id is optional, the client picks
// one when it is left out) or Write of the instance (5.4.3: its writable resources, as a replace of
// the whole instance or an update of the given resources only). Empty fields are left out.
import { useSignal } from '@preact/signals';
import { ErrorText } from '../components/ErrorText.js';
import { OpButton } from './OpButton.js';
import { createInstance, writePath } from './deviceRequests.js';
import type { ObjectModelJson } from './modelTypes.js';
import { writable } from './modelTypes.js';
import { ValueInput } from './ValueInput.js';
import { parseValue, type OpaqueEncoding } from './valueText.js';

/** Props of InstanceForm. */
export interface InstanceFormProps {
  readonly endpoint: string;
  readonly model: ObjectModelJson;
  /** 'create' on the object, or 'write' on the instance at `path`. */
  readonly mode: 'create' | 'write';
  /** "/o" for create, "/o/i" for write. */
  readonly path: string;
  /** Called with the new instance's path ("/o/i") after a Create (undefined when the client did not say). */
  readonly onCreated?: (path: string | undefined) => void;
}

/** The Create form of an object, or the Write form of one of its instances. */
export function InstanceForm(p: InstanceFormProps) {
  const texts = useSignal<Record<number, string>>({});
  const opaque = useSignal<Record<number, OpaqueEncoding>>({});
  const instanceId = useSignal('');
  const replace = useSignal(false);
  const error = useSignal<string | undefined>(undefined);
  const fields = p.model.resources.filter(
    (r) => !r.multiple && r.type !== 'none' && (p.mode === 'create' || writable(r)),
  );
  const prefix = `${p.mode}${p.path.replace(/\//g, '-')}`;
  const key = p.mode === 'create' ? `Create instance ${p.path}` : `Write ${p.path}`;

  const submit = async () => {
    const resources: { id: number; value: string | number | boolean }[] = [];
    for (const r of fields) {
      const text = texts.value[r.id] ?? '';
      if (text.trim() === '') continue;
      const v = parseValue(r.type, text, r.range, opaque.value[r.id] ?? 'hex');
      if (!v.ok) return void (error.value = `${r.name}: ${v.error}`);
      resources.push({ id: r.id, value: v.value });
    }
    const missing =
      p.mode === 'create' ? fields.filter((r) => r.mandatory && !resources.some((x) => x.id === r.id)) : [];
    if (missing.length > 0)
      return void (error.value = `give ${missing.map((r) => r.name).join(', ')} (mandatory)`);
    if (resources.length === 0 && p.mode === 'write') return void (error.value = 'give at least one value');
    error.value = undefined;
    if (p.mode === 'write') {
      await writePath(p.endpoint, p.path, { resources }, replace.value, key);
      return;
    }
    const id = instanceId.value.trim();
    if (id !== '' && !/^\d{1,5}$/.test(id)) return void (error.value = 'instance id must be 0..65534');
    const created = await createInstance(
      p.endpoint,
      p.model.id,
      { ...(id === '' ? {} : { id: Number(id) }), resources },
      key,
    );
    if (created !== false) {
      texts.value = {};
      p.onCreated?.(created ?? (id === '' ? undefined : `${p.path}/${id}`));
    }
  };

  return (
    <fieldset class="instance-form">
      <legend>{p.mode === 'create' ? `New instance of ${p.model.name}` : `Write ${p.path}`}</legend>
      {p.mode === 'create' && (
        <div class="field">
          <label for={`${prefix}-id`}>Instance id (empty: the client chooses)</label>
          <input
            id={`${prefix}-id`}
            inputMode="numeric"
            value={instanceId.value}
            onInput={(e) => (instanceId.value = (e.currentTarget as HTMLInputElement).value)}
          />
        </div>
      )}
      {fields.map((r) => (
        <div class="field">
          <label for={`${prefix}-${r.id}`}>
            {r.name} ({r.id}){r.mandatory && p.mode === 'create' ? ' *' : ''}
            {r.units && <span class="units"> {r.units}</span>}
          </label>
          <ValueInput
            id={`${prefix}-${r.id}`}
            label={`${r.name} (${r.id})`}
            type={r.type}
            range={r.range}
            text={texts.value[r.id] ?? ''}
            onText={(t) => (texts.value = { ...texts.value, [r.id]: t })}
            opaque={opaque.value[r.id] ?? 'hex'}
            onOpaque={(e) => (opaque.value = { ...opaque.value, [r.id]: e })}
          />
        </div>
      ))}
      {fields.length === 0 && <p>No resource to give.</p>}
      {p.mode === 'write' && (
        <label>
          <input type="checkbox" checked={replace.value} onChange={() => (replace.value = !replace.value)} />{' '}
          Replace the instance (resources left out are removed)
        </label>
      )}
      <OpButton text={p.mode === 'create' ? 'Create' : 'Write instance'} name={key} onRun={submit} />
      <ErrorText error={error.value} />
    </fieldset>
  );
}
