// The server's live events (GET /api/events, Server-Sent Events) for the pages. EventSource sends
// the session cookie (same origin) and reconnects by itself; `subscribe` returns a function that
// closes the stream. Pages merge bursts themselves (see `batched`) so a storm of registrations
// re-renders at most every few hundred ms.
import { apiUrl } from './api.js';

/** Event types of GET /api/events. */
export const EVENT_TYPES = [
  'registered',
  'updated',
  'deregistered',
  'expired',
  'sleeping',
  'awake',
  'notification',
  'send',
  'queuedRequestDone',
  'coapMessage',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One event: its type, SSE id and JSON data (always with `endpoint`). */
export interface ServerEventMessage {
  readonly type: EventType;
  readonly id: string;
  readonly data: { readonly endpoint: string; readonly [k: string]: unknown };
}

/** Opens the stream of `types` (all when empty), of one endpoint when given. */
export function subscribe(
  filter: { readonly endpoint?: string; readonly types?: readonly EventType[] },
  onEvent: (e: ServerEventMessage) => void,
  onState?: (open: boolean) => void,
): () => void {
  const types = filter.types && filter.types.length > 0 ? filter.types : EVENT_TYPES;
  const source = new EventSource(
    apiUrl('/events', {
      endpoint: filter.endpoint,
      types: filter.types && filter.types.length > 0 ? filter.types.join(',') : undefined,
    }),
  );
  const listener = (ev: MessageEvent<string>) => {
    try {
      onEvent({
        type: ev.type as EventType,
        id: ev.lastEventId,
        data: JSON.parse(ev.data) as ServerEventMessage['data'],
      });
    } catch {
      // a frame that is not JSON: ignored
    }
  };
  for (const t of types) source.addEventListener(t, listener as EventListener);
  source.onopen = () => onState?.(true);
  source.onerror = () => onState?.(false);
  return () => source.close();
}

/**
 * Calls `flush` with the items pushed since the last call, at most every `ms` (default 250):
 * live updates merged so that rendering keeps up whatever the event rate. Returns push and stop.
 */
export function batched<T>(flush: (items: T[]) => void, ms = 250): { push(item: T): void; stop(): void } {
  let items: T[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    push(item) {
      items.push(item);
      timer ??= setTimeout(() => {
        timer = undefined;
        const out = items;
        items = [];
        flush(out);
      }, ms);
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      items = [];
    },
  };
}
