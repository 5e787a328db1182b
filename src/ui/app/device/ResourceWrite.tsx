// Write of one resource (Core TS 1.1.1 5.4.3): a typed input for a single-instance resource, or a
// list of resource instances to add to and remove from for a multiple one, written as a replace
// (the list becomes the resource) or an update (the listed instances are merged in).
import { useSignal } from '@preact/signals';
import { ErrorText } from '../components/ErrorText.js';
import { OpButton } from './OpButton.js';
import { writePath } from './deviceRequests.js';
import type { ResourceModelJson } from './modelTypes.js';
import { recentAt, resourceInstancesAt } from './recentValues.js';
import { ValueInput } from './ValueInput.js';
import { parseValue, type OpaqueEncoding } from './valueText.js';

const fieldId = (path: string): string => `w${path.replace(/\//g, '-')}`;

interface Row {
  readonly id: string;
  readonly text: string;
}

/** The Write form of one resource (single value, or the list of a multiple resource). */
export function ResourceWrite(p: {
  readonly endpoint: string;
  readonly path: string;
  readonly model: ResourceModelJson;
}) {
  const { endpoint, path, model } = p;
  const text = useSignal('');
  const opaque = useSignal<OpaqueEncoding>('hex');
  const error = useSignal<string | undefined>(undefined);
  const initial = (): Row[] =>
    resourceInstancesAt(path).value.map((id) => ({
      id: String(id),
      text: String(recentAt(`${path}/${id}`).value.at(-1)?.value ?? ''),
    }));
  const rows = useSignal<Row[]>(model.multiple ? initial() : []);
  const replace = useSignal(true);
  const key = `Write ${path}`;

  const writeSingle = async () => {
    const v = parseValue(model.type, text.value, model.range, opaque.value);
    if (!v.ok) return void (error.value = `${model.name}: ${v.error}`);
    error.value = undefined;
    await writePath(endpoint, path, { id: model.id, value: v.value }, true, key);
  };
  const writeMultiple = async () => {
    const instances: { id: number; value: string | number | boolean }[] = [];
    for (const r of rows.value) {
      const id = Number(r.id);
      if (!Number.isInteger(id) || id < 0 || id > 65534)
        return void (error.value = `instance id "${r.id}" must be 0..65534`);
      const v = parseValue(model.type, r.text, model.range, opaque.value);
      if (!v.ok) return void (error.value = `${model.name} [${r.id}]: ${v.error}`);
      instances.push({ id, value: v.value });
    }
    error.value = undefined;
    await writePath(endpoint, path, { id: model.id, instances }, replace.value, key);
  };

  if (!model.multiple)
    return (
      <div class="write">
        <label for={fieldId(path)}>New value</label>
        <ValueInput
          id={fieldId(path)}
          label={`New value of ${path}`}
          type={model.type}
          range={model.range}
          text={text.value}
          onText={(t) => (text.value = t)}
          opaque={opaque.value}
          onOpaque={(e) => (opaque.value = e)}
        />
        <OpButton text="Write" name={key} onRun={writeSingle} />
        <ErrorText error={error.value} />
      </div>
    );

  const setRow = (i: number, row: Row) => (rows.value = rows.value.map((r, j) => (j === i ? row : r)));
  return (
    <fieldset class="write multi">
      <legend>Resource instances of {path}</legend>
      {rows.value.map((r, i) => (
        <div class="multi-row">
          <input
            class="ri-id"
            aria-label={`Instance id ${i + 1} of ${path}`}
            value={r.id}
            inputMode="numeric"
            onInput={(e) => setRow(i, { ...r, id: (e.currentTarget as HTMLInputElement).value })}
          />
          <ValueInput
            id={`${fieldId(path)}-${i}`}
            label={`Value ${i + 1} of ${path}`}
            type={model.type}
            range={model.range}
            text={r.text}
            onText={(t) => setRow(i, { ...r, text: t })}
            opaque={opaque.value}
            onOpaque={(e) => (opaque.value = e)}
          />
          <button
            type="button"
            aria-label={`Remove instance ${i + 1} of ${path}`}
            onClick={() => (rows.value = rows.value.filter((_, j) => j !== i))}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() => {
          const next = Math.max(-1, ...rows.value.map((r) => Number(r.id) || 0)) + 1;
          rows.value = [...rows.value, { id: String(next), text: '' }];
        }}
      >
        Add instance
      </button>
      <label>
        <input type="checkbox" checked={replace.value} onChange={() => (replace.value = !replace.value)} />{' '}
        Replace (unlisted instances are removed)
      </label>
      <OpButton text="Write" name={key} onRun={writeMultiple} />
      <ErrorText error={error.value} />
    </fieldset>
  );
}
