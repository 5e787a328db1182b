// One object the client announced: name, id and version (the model's, and the one announced when it
// differs), the object-level operations (Read, Observe, Cancel, Discover, Attributes, Create), and
// its instances. An object without a model is shown raw, by id.
import { useSignal } from '@preact/signals';
import { InstanceForm } from './InstanceForm.js';
import { InstanceView } from './InstanceView.js';
import type { ClientObjectJson } from './modelTypes.js';
import { NodeToolbar } from './NodeToolbar.js';
import { instancesOf, setInstances } from './treeState.js';

/** Instances shown open by default when an object has at most this many. */
const OPEN_UP_TO = 4;
/** Instances rendered at most (the rest are listed by id). */
const MAX_SHOWN = 100;

/** One announced object with its operations and instances. */
export function ObjectView({
  endpoint,
  object,
}: {
  readonly endpoint: string;
  readonly object: ClientObjectJson;
}) {
  const creating = useSignal(false);
  const model = object.model;
  const ids = instancesOf(object.id).value;
  const path = `/${object.id}`;
  const version =
    model === undefined
      ? (object.version ?? '')
      : object.version !== undefined && object.version !== model.version
        ? `v${model.version} (announced ${object.version})`
        : `v${model.version}`;
  return (
    <details class="object" open>
      <summary>
        <span class="object-name">{model?.name ?? 'Unknown object'}</span> <code>{path}</code>{' '}
        <span class="version">{version}</span>
      </summary>
      {model?.description && <p class="description">{model.description}</p>}
      <NodeToolbar endpoint={endpoint} path={path} readable={true} extraNames={[`Create instance ${path}`]}>
        {model && (model.multiple || ids.length === 0) && (
          <button
            type="button"
            class="toggle"
            aria-expanded={creating.value}
            aria-label={`Create instance form ${path}`}
            onClick={() => (creating.value = !creating.value)}
          >
            Create instance
          </button>
        )}
      </NodeToolbar>
      {creating.value && model && (
        <InstanceForm
          endpoint={endpoint}
          model={model}
          mode="create"
          path={path}
          onCreated={(created) => {
            const id = created === undefined ? undefined : Number(created.split('/')[2]);
            if (id !== undefined && Number.isInteger(id))
              setInstances(object.id, [...instancesOf(object.id).value, id]);
          }}
        />
      )}
      {ids.length === 0 && <p class="hint">No instance.</p>}
      {ids.slice(0, MAX_SHOWN).map((i) => (
        <InstanceView
          key={i}
          endpoint={endpoint}
          objectId={object.id}
          instanceId={i}
          {...(model ? { model } : {})}
          open={ids.length <= OPEN_UP_TO}
        />
      ))}
      {ids.length > MAX_SHOWN && (
        <p class="hint">
          {ids.length - MAX_SHOWN} more instances: {ids.slice(MAX_SHOWN, MAX_SHOWN + 50).join(', ')}
          {ids.length > MAX_SHOWN + 50 ? '…' : ''}
        </p>
      )}
    </details>
  );
}
