// Device page panel (issue 16 item 3): composite operations on named sets kept on the server.
// Pick, create, edit or delete a set; Composite Read, Write (typed values per resource path) and
// Observe with live values from the `notification` events (kind composite) of this endpoint.
// Composite operations are LwM2M 1.1+ (Core TS 1.1.1 sections 5.4.8, 5.4.9, 5.5.2): a 1.0 client
// gets a note instead of the controls.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { ApiError } from '../api.js';
import { ErrorText } from '../components/ErrorText.js';
import { batched, subscribe } from '../events.js';
import type { RegistrationJson } from '../types.js';
import {
  compositeCancel,
  compositeObserve,
  compositeRead,
  compositeWrite,
  deleteSet,
  listSets,
  nodeText,
  supportsComposite,
  type CompositeReply,
  type CompositeSet,
  type PathNodeJson,
} from './compositeApi.js';
import { CompositeSetEditor } from './CompositeSetEditor.js';
import { CompositeValues } from './CompositeValues.js';
import { writeNodes, type WriteRow } from './compositeWrite.js';
import './composite.css';

const message = (e: unknown) =>
  e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e);

export function CompositePanel({ registration }: { readonly registration: RegistrationJson }) {
  const endpoint = registration.endpoint;
  const sets = useSignal<readonly CompositeSet[]>([]);
  const selected = useSignal('');
  const editing = useSignal<'new' | 'edit' | undefined>(undefined);
  const values = useSignal<Readonly<Record<string, string>>>({});
  const rows = useSignal<Readonly<Record<string, WriteRow>>>({});
  const status = useSignal('');
  const error = useSignal<string | undefined>(undefined);
  const busy = useSignal(false);
  const observing = useSignal<{ id: string; set: CompositeSet } | undefined>(undefined);
  const supported = supportsComposite(registration.lwm2mVersion);

  const reload = async (pick?: string) => {
    try {
      const { items } = await listSets();
      sets.value = items;
      const keep = pick ?? selected.value;
      selected.value = items.some((s) => s.name === keep) ? keep : (items[0]?.name ?? '');
    } catch (e) {
      error.value = message(e);
    }
  };
  useEffect(() => {
    if (supported) void reload();
  }, [endpoint]);

  const show = (content: readonly PathNodeJson[] | undefined) => {
    if (!content) return;
    const next = { ...values.value };
    for (const { path, node } of content) next[path] = nodeText(node);
    values.value = next;
  };
  // live values of the running observation
  const obsId = observing.value?.id;
  useEffect(() => {
    if (obsId === undefined) return;
    const merge = batched<readonly PathNodeJson[]>((batches) => batches.forEach(show));
    const close = subscribe({ endpoint, types: ['notification'] }, (e) => {
      if (e.data['kind'] === 'composite' && e.data['observationId'] === obsId)
        merge.push((e.data['content'] as PathNodeJson[] | undefined) ?? []);
    });
    return () => {
      close();
      merge.stop();
    };
  }, [obsId, endpoint]);
  // a still running observation ends with the page
  useEffect(
    () => () => {
      const o = observing.peek();
      if (o) void compositeCancel(endpoint, o.set).catch(() => undefined);
    },
    [endpoint],
  );

  const set = sets.value.find((s) => s.name === selected.value);
  const run = async (what: string, op: () => Promise<string>) => {
    busy.value = true;
    error.value = undefined;
    try {
      status.value = `${what}: ${await op()}`;
    } catch (e) {
      error.value = `${what}: ${message(e)}`;
    } finally {
      busy.value = false;
    }
  };
  const replyText = (r: CompositeReply) => `${r.code ?? 'done'}${r.format ? ` (${r.format})` : ''}`;

  if (!supported)
    return (
      <section class="panel composite" aria-labelledby="composite-title">
        <h2 id="composite-title">Composite operations</h2>
        <p class="muted">
          Composite Read, Write and Observe need LwM2M 1.1 or later; this client registered with LwM2M{' '}
          {registration.lwm2mVersion ?? '1.0'}.
        </p>
      </section>
    );

  return (
    <section class="panel composite" aria-labelledby="composite-title">
      <h2 id="composite-title">Composite operations</h2>
      <div class="composite-bar">
        <label for="composite-set">Set</label>
        <select
          id="composite-set"
          value={selected.value}
          disabled={sets.value.length === 0}
          onChange={(e) => {
            selected.value = e.currentTarget.value;
            values.value = {};
          }}
        >
          {sets.value.length === 0 && <option value="">no set yet</option>}
          {sets.value.map((s) => (
            <option value={s.name}>{s.name}</option>
          ))}
        </select>
        <button type="button" onClick={() => (editing.value = 'new')}>
          New set
        </button>
        <button type="button" disabled={!set} onClick={() => (editing.value = 'edit')}>
          Edit set
        </button>
        <button
          type="button"
          disabled={!set || busy.value}
          onClick={() =>
            set &&
            confirm(`Delete the set ${set.name}?`) &&
            void run('Delete set', async () => {
              await deleteSet(set.name);
              await reload();
              return 'deleted';
            })
          }
        >
          Delete set
        </button>
      </div>
      {editing.value && (
        <CompositeSetEditor
          {...(editing.value === 'edit' && set ? { initial: set } : {})}
          onSaved={(saved) => {
            editing.value = undefined;
            void reload(saved.name);
          }}
          onCancel={() => (editing.value = undefined)}
        />
      )}
      {set?.description && <p class="muted">{set.description}</p>}
      <div class="composite-bar">
        <button
          type="button"
          disabled={!set || busy.value}
          onClick={() =>
            set &&
            void run('Composite Read', async () => {
              const r = await compositeRead(endpoint, set);
              show(r.content);
              return replyText(r);
            })
          }
        >
          Composite Read
        </button>
        {observing.value ? (
          <button
            type="button"
            disabled={busy.value}
            onClick={() => {
              const o = observing.value!;
              void run('Cancel observation', async () => {
                const r = await compositeCancel(endpoint, o.set);
                observing.value = undefined;
                return `${r.cancelled} cancelled`;
              });
            }}
          >
            Cancel observation
          </button>
        ) : (
          <button
            type="button"
            disabled={!set || busy.value}
            onClick={() =>
              set &&
              void run('Composite Observe', async () => {
                const r = await compositeObserve(endpoint, set);
                show(r.content);
                if (r.observationId) observing.value = { id: r.observationId, set };
                return `${replyText(r)}${r.observationId ? ', observing' : ''}`;
              })
            }
          >
            Composite Observe
          </button>
        )}
        <button
          type="button"
          disabled={!set || busy.value}
          onClick={() =>
            set &&
            void run('Composite Write', async () => {
              const nodes = writeNodes(rows.value);
              if (Object.keys(nodes).length === 0) throw new Error('type a value for at least one path');
              return (await compositeWrite(endpoint, set, nodes)).code ?? 'done';
            })
          }
        >
          Composite Write
        </button>
      </div>
      <p class="composite-status" role="status">
        {status.value}
      </p>
      <ErrorText error={error.value} />
      {set && (
        <CompositeValues paths={set.paths} values={values} rows={rows} live={observing.value !== undefined} />
      )}
    </section>
  );
}
