// The device page's object tree (issue 16 item 3): built from the models the client's announced
// objects and versions resolve to (GET /api/clients/{ep}/models), with every per-node operation
// (see NodeToolbar, ResourceRow, InstanceView, ObjectView), live values from this endpoint's
// notifications (GET /api/events, merged every 250 ms), instances refreshed on registration
// updates, and DDF upload.
import { batch, useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { ErrorText } from '../components/ErrorText.js';
import { batched, subscribe, type ServerEventMessage } from '../events.js';
import type { RegistrationJson } from '../types.js';
import { clearResults } from './deviceRequests.js';
import type { ClientModelsJson, ClientObjectJson, NodeJson } from './modelTypes.js';
import { ModelUpload } from './ModelUpload.js';
import { ObjectView } from './ObjectView.js';
import { clearRecent, nodePath, recordNode } from './recentValues.js';
import { clearTreeState, setInstances, setObserved } from './treeState.js';
import './objectTree.css';

interface ObservationsJson {
  readonly items: readonly { kind: string; paths: readonly string[] }[];
}

/** Records the values of a notification's data (single: one node; composite: path+node pairs). */
function recordNotification(data: ServerEventMessage['data'], at: number): void {
  const content = data['content'];
  const paths = data['paths'];
  if (Array.isArray(content)) {
    for (const item of content as { path?: string; node?: NodeJson }[])
      if (typeof item.path === 'string' && item.node) recordNode(item.path, item.node, 'notification', at);
  } else if (content && typeof content === 'object' && Array.isArray(paths) && typeof paths[0] === 'string') {
    const node = content as NodeJson;
    recordNode(nodePath(paths[0], node), node, 'notification', at);
  }
}

/** The object tree panel of the device page of `registration`. */
export function ObjectTree({ registration }: { readonly registration: RegistrationJson }) {
  const endpoint = registration.endpoint;
  const objects = useSignal<readonly ClientObjectJson[] | undefined>(undefined);
  const error = useSignal<string | undefined>(undefined);
  const live = useSignal(false);

  const load = async (): Promise<void> => {
    try {
      const res = await api<ClientModelsJson>('GET', `/clients/${encodeURIComponent(endpoint)}/models`);
      batch(() => {
        for (const o of res.objects) setInstances(o.id, o.instances);
        objects.value = res.objects;
      });
      error.value = undefined;
    } catch (e) {
      error.value = e instanceof ApiError ? e.message : String(e);
    }
  };

  useEffect(() => {
    clearRecent();
    clearResults();
    clearTreeState();
    objects.value = undefined;
    void load();
    void api<ObservationsJson>('GET', `/clients/${encodeURIComponent(endpoint)}/observations`)
      .then((r) => {
        for (const o of r.items) if (o.kind === 'single' && o.paths[0]) setObserved(o.paths[0], true);
      })
      .catch(() => undefined); // a server without the route: nothing marked
    const merged = batched<ServerEventMessage>((events) =>
      batch(() => {
        let reload = false;
        for (const e of events) {
          if (e.type === 'notification') recordNotification(e.data, Date.now());
          else reload = true;
        }
        if (reload) void load();
      }),
    );
    const stop = subscribe(
      { endpoint, types: ['notification', 'updated', 'registered'] },
      (e) => merged.push(e),
      (open) => (live.value = open),
    );
    return () => {
      stop();
      merged.stop();
    };
  }, [endpoint]);

  return (
    <section class="object-tree" aria-labelledby="object-tree-title">
      <div class="tree-head">
        <h2 id="object-tree-title">Objects</h2>
        <span class={`live-state${live.value ? ' on' : ''}`}>{live.value ? 'live' : 'not live'}</span>
      </div>
      <ModelUpload onUploaded={() => void load()} />
      <ErrorText error={error.value} />
      {objects.value === undefined && !error.value && <p class="loading">Loading models…</p>}
      {objects.value?.map((o) => (
        <ObjectView key={o.id} endpoint={endpoint} object={o} />
      ))}
    </section>
  );
}
