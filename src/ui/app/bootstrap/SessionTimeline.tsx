// The bootstrap sessions of one endpoint (all endpoints for the default config "*"), newest first:
// each step (request, discover, delete, write, read, finish) with its CoAP code and duration, and
// the failure that ended a session. Polled every second while shown (GET /bootstrap/sessions); the
// API keeps a bounded history of ended sessions. "Clear" hides the sessions shown so far.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { ErrorText } from '../components/ErrorText.js';
import type { SessionJson } from './bootstrapTypes.js';

const POLL_MS = 1000;
/** Sessions shown at most. */
const SHOWN = 20;

const time = (iso: string): string => new Date(iso).toLocaleTimeString();

function Session({ s }: { readonly s: SessionJson }) {
  return (
    <li class={`session ${s.state}`}>
      <p class="session-head">
        <strong>{s.state}</strong> · {s.endpoint} · started {time(s.startedAt)}
        {s.address ? ` from ${s.address}:${s.port ?? ''}` : ''}
        {s.format ? ` · ${s.format}` : ''}
      </p>
      <ol class="steps" aria-label={`Steps of session ${s.id}`}>
        {s.steps.map((st, i) => (
          <li key={i} class={st.ok ? 'ok-step' : 'failed-step'}>
            <span class="mono step-name">{st.name}</span>
            <span class="step-code">{st.code ?? ''}</span>
            <span class="step-ms">{Math.round(st.durationMs)} ms</span>
            <span class={st.ok ? 'ok' : 'error'}>{st.ok ? 'ok' : (st.failure ?? 'failed')}</span>
          </li>
        ))}
      </ol>
      {s.failure && (
        <p class="error">
          Failed at {s.failure.step}: {s.failure.reason}
        </p>
      )}
    </li>
  );
}

/** The timeline of `endpoint`. */
export function SessionTimeline(props: { readonly endpoint: string }) {
  const sessions = useSignal<readonly SessionJson[]>([]);
  const error = useSignal<string | undefined>(undefined);
  const hiddenBefore = useSignal<string>('');
  const refreshes = useSignal(0);

  useEffect(() => {
    let inFlight = false;
    let stopped = false;
    const poll = async () => {
      if (inFlight) return;
      inFlight = true;
      try {
        const all = await api<SessionJson[]>('GET', '/bootstrap/sessions', {
          query: { endpoint: props.endpoint === '*' ? undefined : props.endpoint },
        });
        if (!stopped) {
          sessions.value = all;
          error.value = undefined;
        }
      } catch (e) {
        if (!stopped) error.value = e instanceof ApiError ? e.message : String(e);
      } finally {
        inFlight = false;
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [props.endpoint, refreshes.value]);

  const shown = sessions.value
    .filter((s) => s.startedAt > hiddenBefore.value)
    .slice(-SHOWN)
    .reverse();
  return (
    <section class="panel timeline" aria-labelledby="bs-timeline-title">
      <h2 id="bs-timeline-title">Bootstrap sessions</h2>
      <div class="buttons">
        <button type="button" onClick={() => refreshes.value++}>
          Refresh
        </button>
        <button type="button" onClick={() => (hiddenBefore.value = new Date().toISOString())}>
          Clear
        </button>
        <span class="hint">Live: refreshed every second.</span>
      </div>
      <ErrorText error={error.value} />
      {shown.length === 0 ? (
        <p class="muted">No bootstrap session yet.</p>
      ) : (
        <ol class="sessions">
          {shown.map((s) => (
            <Session key={s.id} s={s} />
          ))}
        </ol>
      )}
    </section>
  );
}
