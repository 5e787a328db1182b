// DDF upload (issue 16 item 3): a DDF file (OMA LwM2M Core TS Appendix D) chosen here goes to
// POST /api/models, which adds its objects to the running server; the tree then reloads its models.
import { useSignal } from '@preact/signals';
import { api, ApiError } from '../api.js';
import { ErrorText } from '../components/ErrorText.js';

interface Added {
  readonly added: readonly { id: number; name: string; version: string }[];
}

/** Largest file sent (the server refuses more than 1 MiB). */
const MAX_BYTES = 1 << 20;

/** The DDF file input; `onUploaded` runs after the server took the file. */
export function ModelUpload({ onUploaded }: { readonly onUploaded: () => void }) {
  const status = useSignal<string | undefined>(undefined);
  const error = useSignal<string | undefined>(undefined);
  const replace = useSignal(false);
  const upload = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    status.value = undefined;
    error.value = undefined;
    if (file.size > MAX_BYTES) {
      error.value = `${file.name} is larger than 1 MiB`;
      return;
    }
    try {
      const res = await api<Added>('POST', '/models', {
        text: await file.text(),
        contentType: 'application/xml',
        query: replace.value ? { replace: true } : {},
      });
      status.value = `Added ${res.added.map((m) => `${m.name} (${m.id}) v${m.version}`).join(', ')}`;
      onUploaded();
    } catch (e) {
      error.value = e instanceof ApiError ? e.message : String(e);
    } finally {
      input.value = '';
    }
  };
  return (
    <div class="model-upload">
      <label for="ddf-upload">Upload a DDF model (XML)</label>
      <input
        id="ddf-upload"
        type="file"
        accept=".xml,application/xml,text/xml"
        onChange={(e) => void upload(e.currentTarget as HTMLInputElement)}
      />
      <label>
        <input type="checkbox" checked={replace.value} onChange={() => (replace.value = !replace.value)} />{' '}
        Replace known versions
      </label>
      <output class="upload-status" aria-label="Upload result">
        {status.value ?? ''}
      </output>
      <ErrorText error={error.value} />
    </div>
  );
}
