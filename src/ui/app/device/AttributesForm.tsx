// Write-Attributes (Core TS 1.1.1 section 5.4.4; the attributes of 5.1.2, epmin/epmax 1.1, edge, con
// and hqmax 1.2) with plain-language labels. An empty field leaves that attribute as it is; "Clear
// all" sends every name bare, which removes them on the client.
import { useSignal } from '@preact/signals';
import { OpButton } from './OpButton.js';
import { writeAttributesPath } from './deviceRequests.js';

/** The attributes, their labels and inputs. */
export const ATTRIBUTES = [
  { name: 'pmin', label: 'Minimum period (s) between notifications', kind: 'number' },
  { name: 'pmax', label: 'Maximum period (s) between notifications', kind: 'number' },
  { name: 'gt', label: 'Notify when the value rises above', kind: 'number' },
  { name: 'lt', label: 'Notify when the value falls below', kind: 'number' },
  { name: 'st', label: 'Notify when the value changes by at least', kind: 'number' },
  { name: 'epmin', label: 'Minimum period (s) between evaluations', kind: 'number' },
  { name: 'epmax', label: 'Maximum period (s) between evaluations', kind: 'number' },
  { name: 'edge', label: 'Notify on an edge of a boolean', kind: 'edge' },
  { name: 'con', label: 'Confirmable notifications', kind: 'con' },
  { name: 'hqmax', label: 'Historical notifications kept at most', kind: 'number' },
] as const;

const safeId = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_');
const NUMERIC = new Set(['integer', 'unsignedInteger', 'float']);

/**
 * The attributes that apply at `path` (Core TS 1.2 5.1.2): gt, lt and st on numeric resources and
 * edge on boolean ones only (any, when the type is unknown); the others at every level.
 */
export function attributesFor(
  path: string,
  type: string | undefined,
): readonly (typeof ATTRIBUTES)[number][] {
  const depth = path.split('/').filter((s) => s !== '').length;
  return ATTRIBUTES.filter((a) => {
    if (a.name === 'gt' || a.name === 'lt' || a.name === 'st')
      return depth >= 3 && (type === undefined || NUMERIC.has(type));
    if (a.name === 'edge') return depth >= 3 && (type === undefined || type === 'boolean');
    return true;
  });
}

/** The Write-Attributes form of `path`: the attributes that apply there, set or cleared. */
export function AttributesForm({
  endpoint,
  path,
  type,
}: {
  readonly endpoint: string;
  readonly path: string;
  /** The resource's data type, when known. */
  readonly type?: string;
}) {
  const shown = attributesFor(path, type);
  const values = useSignal<Record<string, string>>({});
  const set = (name: string, v: string) => (values.value = { ...values.value, [name]: v });
  const given = () => Object.fromEntries(Object.entries(values.value).filter(([, v]) => v.trim() !== ''));
  return (
    <fieldset class="attributes">
      <legend>Notification attributes of {path}</legend>
      <div class="attr-grid">
        {shown.map((a) => {
          const id = `attr${safeId(path)}-${a.name}`;
          const onInput = (e: Event) => set(a.name, (e.currentTarget as HTMLInputElement).value);
          return (
            <div class="attr">
              <label for={id}>
                {a.label} <code>{a.name}</code>
              </label>
              {a.kind === 'number' ? (
                <input
                  id={id}
                  type="number"
                  step="any"
                  value={values.value[a.name] ?? ''}
                  onInput={onInput}
                />
              ) : (
                <select id={id} value={values.value[a.name] ?? ''} onChange={onInput}>
                  <option value="">leave unset</option>
                  <option value="1">{a.kind === 'edge' ? 'rising (1)' : 'yes (1)'}</option>
                  <option value="0">{a.kind === 'edge' ? 'falling (0)' : 'no (0)'}</option>
                </select>
              )}
            </div>
          );
        })}
      </div>
      <OpButton
        text="Set attributes"
        name={`Write-Attributes ${path}`}
        onRun={async () => {
          const attrs = given();
          if (Object.keys(attrs).length === 0) return;
          await writeAttributesPath(endpoint, path, attrs, [], `Write-Attributes ${path}`);
        }}
      />
      <OpButton
        text="Clear all"
        name={`Clear attributes ${path}`}
        onRun={async () => {
          const ok = await writeAttributesPath(
            endpoint,
            path,
            {},
            shown.map((a) => a.name),
            `Clear attributes ${path}`,
          );
          if (ok) values.value = {};
        }}
      />
    </fieldset>
  );
}
