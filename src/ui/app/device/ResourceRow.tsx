// One resource of an instance: name, id, type, units and range from the model (description on
// expand and as a tooltip), the latest value with its sparkline, and the operations the model
// allows (R: Read/Observe/Cancel, W: Write, E: Execute with optional arguments), then the resource
// instances of a multiple resource, each with its own value and operations.
import { useSignal } from '@preact/signals';
import { OpButton, OpError } from './OpButton.js';
import { deletePath, executePath } from './deviceRequests.js';
import { executable, readable, writable, type ResourceModelJson } from './modelTypes.js';
import { NodeToolbar, ReadObserveButtons } from './NodeToolbar.js';
import { resourceInstancesAt } from './recentValues.js';
import { ResourceWrite } from './ResourceWrite.js';
import { ValueCell } from './ValueCell.js';
import { observed } from './treeState.js';

const meta = (r: ResourceModelJson): string =>
  [r.type === 'none' ? '' : r.type, r.units, r.range && `[${r.range}]`, r.multiple ? 'multiple' : '']
    .filter((s) => s !== '')
    .join(' · ');

function ExecuteForm({ endpoint, path }: { readonly endpoint: string; readonly path: string }) {
  const args = useSignal('');
  const id = `x${path.replace(/\//g, '-')}`;
  return (
    <div class="execute">
      <label for={id}>Arguments</label>
      <input
        id={id}
        value={args.value}
        placeholder="0='value',1"
        onInput={(e) => (args.value = (e.currentTarget as HTMLInputElement).value)}
      />
      <OpButton
        text="Execute with arguments"
        name={`Execute with arguments ${path}`}
        onRun={() => executePath(endpoint, path, args.value, `Execute with arguments ${path}`)}
      />
    </div>
  );
}

function ResourceInstanceRow(p: {
  readonly endpoint: string;
  readonly path: string;
  readonly model: ResourceModelJson;
}) {
  const { endpoint, path, model } = p;
  return (
    <li class="ri-row">
      <span class="name">
        [{path.split('/').at(-1)}]{observed.value.has(path) && <span class="badge">observed</span>}
      </span>
      <ValueCell path={path} type={model.type} />
      <NodeToolbar endpoint={endpoint} path={path} readable={readable(model)} type={model.type}>
        <OpButton
          text="Delete"
          name={`Delete ${path}`}
          onRun={() => deletePath(endpoint, path, `Delete ${path}`)}
        />
      </NodeToolbar>
    </li>
  );
}

/** One resource row, its details on demand, and its resource instances. */
export function ResourceRow(p: {
  readonly endpoint: string;
  readonly path: string;
  readonly model: ResourceModelJson;
  /** Not in the client's model: shown raw. */
  readonly raw?: boolean;
}) {
  const { endpoint, path, model } = p;
  const open = useSignal(false);
  const ris = model.multiple ? resourceInstancesAt(path).value : [];
  const detailsId = `d${path.replace(/\//g, '-')}`;
  return (
    <li class="res">
      <div class="res-row">
        <span class="name" title={model.description || undefined}>
          {model.name} <span class="id">{model.id}</span>
          {observed.value.has(path) && <span class="badge">observed</span>}
        </span>
        {model.type === 'none' ? <span class="value-cell" /> : <ValueCell path={path} type={model.type} />}
        <span class="meta" title={p.raw ? undefined : meta(model)}>
          <span class="opsflags" aria-label={`Operations ${model.operations || 'none'}`}>
            {model.operations || '–'}
          </span>{' '}
          {p.raw ? 'not in the model' : meta(model)}
        </span>
        <span class="ops">
          {readable(model) && <ReadObserveButtons endpoint={endpoint} path={path} />}
          {executable(model) && (
            <OpButton
              text="Execute"
              name={`Execute ${path}`}
              onRun={() => executePath(endpoint, path, '', `Execute ${path}`)}
            />
          )}
          <button
            type="button"
            class="toggle"
            aria-expanded={open.value}
            aria-controls={detailsId}
            aria-label={`More on ${path}`}
            onClick={() => (open.value = !open.value)}
          >
            {open.value ? 'Less' : 'More'}
          </button>
        </span>
      </div>
      <OpError names={['Read', 'Observe', 'Cancel', 'Execute'].map((n) => `${n} ${path}`)} />
      {open.value && (
        <div class="res-details" id={detailsId}>
          {model.description && <p class="description">{model.description}</p>}
          <p class="definition">
            {model.mandatory ? 'Mandatory' : 'Optional'},{' '}
            {model.multiple ? 'multiple instances' : 'single instance'}, operations{' '}
            {model.operations || 'none'}
          </p>
          <NodeToolbar
            endpoint={endpoint}
            path={path}
            readable={false}
            type={model.type}
            extraNames={[`Write ${path}`, `Execute with arguments ${path}`]}
          />
          {writable(model) && <ResourceWrite endpoint={endpoint} path={path} model={model} />}
          {executable(model) && <ExecuteForm endpoint={endpoint} path={path} />}
        </div>
      )}
      {ris.length > 0 && (
        <ul class="ris" aria-label={`Instances of ${path}`}>
          {ris.slice(0, 200).map((ri) => (
            <ResourceInstanceRow endpoint={endpoint} path={`${path}/${ri}`} model={model} />
          ))}
        </ul>
      )}
    </li>
  );
}
