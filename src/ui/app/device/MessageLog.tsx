// Device page panel (issue 16 item 3): the CoAP messages to and from this client. While the panel
// is open the server records them (a watch, renewed before it expires, ended when the panel
// closes); the table shows the last ones, newest first (capped), with direction arrows, a colour
// per message type, a filter and Clear. Live entries come from the `coapMessage` events.
import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { ApiError } from '../api.js';
import { ErrorText } from '../components/ErrorText.js';
import { batched, subscribe } from '../events.js';
import type { RegistrationJson } from '../types.js';
import {
  clearMessages,
  loadMessages,
  matches,
  unwatchMessages,
  watchMessages,
  type CoapMessageJson,
} from './messageLogApi.js';
import './messageLog.css';

/** Rows kept by the page (the server keeps 200 per client by default). */
const MAX_ROWS = 500;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** Local time as HH:MM:SS.mmm. */
const time = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
};

export function MessageLog({ registration }: { readonly registration: RegistrationJson }) {
  const endpoint = registration.endpoint;
  const open = useSignal(false);
  const rows = useSignal<readonly CoapMessageJson[]>([]);
  const filter = useSignal('');
  const error = useSignal<string | undefined>(undefined);
  const fail = (e: unknown) => (error.value = e instanceof ApiError ? e.message : String(e));

  useEffect(() => {
    if (!open.value) return;
    let stopped = false;
    let renew: ReturnType<typeof setTimeout> | undefined;
    const merged = batched<CoapMessageJson>((items) => {
      const known = rows.value.length ? rows.value[0]!.seq : 0;
      const fresh = items.filter((m) => m.seq > known).reverse();
      rows.value = [...fresh, ...rows.value].slice(0, MAX_ROWS);
    });
    const close = subscribe({ endpoint, types: ['coapMessage'] }, (e) =>
      merged.push(e.data as unknown as CoapMessageJson),
    );
    const watch = async () => {
      try {
        const w = await watchMessages(endpoint);
        error.value = undefined;
        if (!stopped) renew = setTimeout(() => void watch(), Math.min(w.expiresInMs / 2, 60_000));
      } catch (e) {
        fail(e);
      }
    };
    void (async () => {
      await watch();
      try {
        const { items } = await loadMessages(endpoint);
        if (!stopped) rows.value = [...items].reverse().slice(0, MAX_ROWS);
      } catch (e) {
        fail(e);
      }
    })();
    return () => {
      stopped = true;
      if (renew !== undefined) clearTimeout(renew);
      close();
      merged.stop();
      void unwatchMessages(endpoint).catch(() => undefined);
    };
  }, [open.value, endpoint]);

  const shown = rows.value.filter((m) => matches(m, filter.value));
  return (
    <section class="message-log" aria-labelledby="message-log-title">
      <h2 id="message-log-title">
        <button type="button" aria-expanded={open.value} onClick={() => (open.value = !open.value)}>
          {open.value ? '▾' : '▸'} CoAP message log
        </button>
      </h2>
      {open.value && (
        <>
          <div class="message-log-bar">
            <label for="message-filter">Filter</label>
            <input
              id="message-filter"
              type="search"
              placeholder="type, code, token, path…"
              value={filter.value}
              onInput={(e) => (filter.value = e.currentTarget.value)}
            />
            <button
              type="button"
              onClick={() => void clearMessages(endpoint).then(() => (rows.value = []), fail)}
            >
              Clear
            </button>
            <span class="muted">
              {shown.length} of {rows.value.length} messages · recording while open
            </span>
          </div>
          <ErrorText error={error.value} />
          <div class="message-log-scroll">
            <table class="message-log-table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Dir</th>
                  <th scope="col">Type</th>
                  <th scope="col">Code</th>
                  <th scope="col">MID</th>
                  <th scope="col">Token</th>
                  <th scope="col">Options</th>
                  <th scope="col">Bytes</th>
                  <th scope="col">RTT</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((m) => (
                  <tr key={m.seq} class={`coap-${m.type === '?' ? 'invalid' : m.type.toLowerCase()}`}>
                    <td>{time(m.at)}</td>
                    <td>
                      <span
                        class={`dir dir-${m.direction}`}
                        title={m.direction === 'in' ? 'from the client' : 'to the client'}
                      >
                        {m.direction === 'in' ? '←' : '→'}
                        <span class="visually-hidden">
                          {m.direction === 'in' ? ' from client' : ' to client'}
                        </span>
                      </span>
                    </td>
                    <td>
                      <span class="coap-type">{m.type}</span>
                    </td>
                    <td>{m.codeName || m.code}</td>
                    <td>{m.messageId}</td>
                    <td class="mono">{m.token}</td>
                    <td class="mono message-options">{m.options}</td>
                    <td>{m.payloadBytes}</td>
                    <td>{m.rttMs === undefined ? '' : `${Math.round(m.rttMs)} ms`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
