// One object instance: its operations (Read, Observe, Cancel, Discover, Attributes, Write of the
// instance, Delete) and its resources, those of the model plus any a read returned that the model
// does not know (shown raw).
import { useSignal } from '@preact/signals';
import { OpButton } from './OpButton.js';
import { deletePath } from './deviceRequests.js';
import { InstanceForm } from './InstanceForm.js';
import type { NodeJson, ObjectModelJson, ResourceModelJson } from './modelTypes.js';
import { NodeToolbar } from './NodeToolbar.js';
import { resourcesSeenAt } from './recentValues.js';
import { ResourceRow } from './ResourceRow.js';
import { instancesOf, setInstances } from './treeState.js';

/** A stand-in model of a resource the object model lacks (or of an unknown object). */
export function rawResource(node: NodeJson): ResourceModelJson {
  return {
    id: node.id,
    name: `Resource ${node.id}`,
    operations: 'R',
    multiple: node.kind === 'multipleResource',
    mandatory: false,
    type: node.type ?? 'string',
    range: '',
    units: '',
    description: '',
  };
}

/** One instance with its operations and resource rows. */
export function InstanceView(p: {
  readonly endpoint: string;
  readonly objectId: number;
  readonly instanceId: number;
  readonly model?: ObjectModelJson;
  readonly open: boolean;
}) {
  const path = `/${p.objectId}/${p.instanceId}`;
  const writing = useSignal(false);
  const known = p.model?.resources ?? [];
  // Resources a read or notification returned that the model lacks are shown raw.
  const ids = new Set(known.map((r) => r.id));
  const extra = resourcesSeenAt(path)
    .value.filter((r) => !ids.has(r.id))
    .map(rawResource);
  const resources = [...known, ...extra];
  return (
    <details class="instance" open={p.open}>
      <summary>
        Instance {p.instanceId} <code>{path}</code>
      </summary>
      <NodeToolbar
        endpoint={p.endpoint}
        path={path}
        readable={true}
        extraNames={[`Delete ${path}`, `Write ${path}`]}
      >
        {p.model && (
          <button
            type="button"
            class="toggle"
            aria-expanded={writing.value}
            aria-label={`Write form ${path}`}
            onClick={() => (writing.value = !writing.value)}
          >
            Write
          </button>
        )}
        <OpButton
          text="Delete"
          name={`Delete ${path}`}
          onRun={async () => {
            if (await deletePath(p.endpoint, path, `Delete ${path}`))
              setInstances(
                p.objectId,
                instancesOf(p.objectId).value.filter((i) => i !== p.instanceId),
              );
          }}
        />
      </NodeToolbar>
      {writing.value && p.model && (
        <InstanceForm endpoint={p.endpoint} model={p.model} mode="write" path={path} />
      )}
      {resources.length === 0 ? (
        <p class="hint">No model for this object: Read the instance to list its resources.</p>
      ) : (
        <ul class="resources" aria-label={`Resources of ${path}`}>
          {resources.map((r) => (
            <ResourceRow
              endpoint={p.endpoint}
              path={`${path}/${r.id}`}
              model={r}
              {...(known.includes(r) ? {} : { raw: true })}
            />
          ))}
        </ul>
      )}
    </details>
  );
}
