// The form that creates or edits a named composite set (name, paths one per line, description,
// format); saving is a PUT /api/composite-sets/{name}, which checks the paths.
import { useSignal } from '@preact/signals';
import { ApiError } from '../api.js';
import { ErrorText } from '../components/ErrorText.js';
import { saveSet, type CompositeSet } from './compositeApi.js';
import { FORMATS } from './requestSettings.js';

export function CompositeSetEditor(props: {
  readonly initial?: CompositeSet;
  readonly onSaved: (set: CompositeSet) => void;
  readonly onCancel: () => void;
}) {
  const { initial } = props;
  const name = useSignal(initial?.name ?? '');
  const paths = useSignal(initial?.paths.join('\n') ?? '');
  const description = useSignal(initial?.description ?? '');
  const format = useSignal(initial?.format ?? '');
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    busy.value = true;
    error.value = undefined;
    try {
      const saved = await saveSet({
        name: name.value.trim(),
        paths: paths.value
          .split(/[\s,]+/)
          .map((p) => p.trim())
          .filter((p) => p !== ''),
        ...(description.value.trim() ? { description: description.value.trim() } : {}),
        ...(format.value ? { format: format.value } : {}),
      });
      props.onSaved(saved);
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err);
    } finally {
      busy.value = false;
    }
  };
  return (
    <form
      class="composite-editor"
      onSubmit={submit}
      aria-label={initial ? `Edit set ${initial.name}` : 'New set'}
    >
      <label for="composite-set-name">Set name</label>
      <input
        id="composite-set-name"
        required
        maxLength={64}
        pattern="[A-Za-z0-9._ \-]{1,64}"
        readOnly={initial !== undefined}
        value={name.value}
        onInput={(e) => (name.value = e.currentTarget.value)}
      />
      <label for="composite-set-paths">Paths (one per line)</label>
      <textarea
        id="composite-set-paths"
        required
        rows={4}
        placeholder={'/3/0/0\n/3/0/9'}
        value={paths.value}
        onInput={(e) => (paths.value = e.currentTarget.value)}
      />
      <label for="composite-set-description">Description</label>
      <input
        id="composite-set-description"
        maxLength={500}
        value={description.value}
        onInput={(e) => (description.value = e.currentTarget.value)}
      />
      <label for="composite-set-format">Format</label>
      <select
        id="composite-set-format"
        value={format.value}
        onChange={(e) => (format.value = e.currentTarget.value)}
      >
        <option value="">server's choice</option>
        {FORMATS.map((f) => (
          <option value={f}>{f}</option>
        ))}
      </select>
      <div class="composite-buttons">
        <button type="submit" disabled={busy.value}>
          Save set
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
      <ErrorText error={error.value} />
    </form>
  );
}
