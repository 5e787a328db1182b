// The operations every node of the tree shares (Core TS 1.1.1 5.4.1 Read, 5.4.2 Discover, 5.4.4
// Write-Attributes, 5.5 Observe and Cancel Observation), with what Discover last answered and the
// attributes form on demand. Level-specific buttons (Write, Execute, Create, Delete) come as children.
import type { ComponentChildren } from 'preact';
import { useSignal } from '@preact/signals';
import { AttributesForm } from './AttributesForm.js';
import { OpButton, OpError } from './OpButton.js';
import { cancelPath, discoverPath, observePath, readPath } from './deviceRequests.js';
import type { NodeJson } from './modelTypes.js';
import { applyDiscover, discoveredAt, observed, setObserved } from './treeState.js';

/** Props of NodeToolbar. */
export interface NodeToolbarProps {
  readonly endpoint: string;
  readonly path: string;
  /** Read and Observe apply (not on an executable resource). */
  readonly readable: boolean;
  /** The resource's data type, when known (for the attributes that apply). */
  readonly type?: string;
  /** Called with what a Read answered. */
  readonly onRead?: (node: NodeJson) => void;
  /** Names of the children's buttons, whose failures the alert line shows too. */
  readonly extraNames?: readonly string[];
  readonly children?: ComponentChildren;
}

/** Read, Observe and Cancel (active: the client is told, Core TS 5.5.3) of `path`. */
export function ReadObserveButtons(p: {
  readonly endpoint: string;
  readonly path: string;
  readonly onRead?: (node: NodeJson) => void;
}) {
  const isObserved = observed.value.has(p.path);
  return (
    <>
      <OpButton
        text="Read"
        name={`Read ${p.path}`}
        onRun={async () => {
          const node = await readPath(p.endpoint, p.path, `Read ${p.path}`);
          if (node) p.onRead?.(node);
        }}
      />
      <OpButton
        text={isObserved ? 'Observing' : 'Observe'}
        name={`Observe ${p.path}`}
        onRun={async () => {
          if (await observePath(p.endpoint, p.path, `Observe ${p.path}`)) setObserved(p.path, true);
        }}
      />
      <OpButton
        text="Cancel"
        name={`Cancel ${p.path}`}
        onRun={async () => {
          if (await cancelPath(p.endpoint, p.path, true, `Cancel ${p.path}`)) setObserved(p.path, false);
        }}
      />
    </>
  );
}

/** The shared operations of a node, its Discover answer and its attributes form. */
export function NodeToolbar(p: NodeToolbarProps) {
  const showAttributes = useSignal(false);
  const links = discoveredAt(p.path).value;
  const names = ['Read', 'Observe', 'Cancel', 'Discover', 'Write-Attributes', 'Clear attributes'].map(
    (n) => `${n} ${p.path}`,
  );
  return (
    <div class="node-tools">
      <div class="ops">
        {p.readable && (
          <ReadObserveButtons
            endpoint={p.endpoint}
            path={p.path}
            {...(p.onRead ? { onRead: p.onRead } : {})}
          />
        )}
        {p.children}
        <OpButton
          text="Discover"
          name={`Discover ${p.path}`}
          onRun={async () => {
            const found = await discoverPath(p.endpoint, p.path, `Discover ${p.path}`);
            if (found) applyDiscover(p.path, found);
          }}
        />
        <button
          type="button"
          class="toggle"
          aria-expanded={showAttributes.value}
          aria-label={`Attributes ${p.path}`}
          onClick={() => (showAttributes.value = !showAttributes.value)}
        >
          Attributes
        </button>
      </div>
      <OpError names={[...names, ...(p.extraNames ?? [])]} />
      {showAttributes.value && (
        <AttributesForm endpoint={p.endpoint} path={p.path} {...(p.type ? { type: p.type } : {})} />
      )}
      {links && (
        <ul class="discovered" aria-label={`Discovered at ${p.path}`}>
          {links.length === 0 && <li>nothing</li>}
          {links.slice(0, 500).map((l) => (
            <li>
              <code>{l.path}</code>{' '}
              {Object.entries(l.attributes)
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(' ')}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
