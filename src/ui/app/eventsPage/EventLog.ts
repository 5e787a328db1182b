// The events the events page holds: the newest MAX_EVENTS shown (oldest dropped), and while
// paused a buffer of at most MAX_EVENTS more; what overflows it is counted, not kept.
import { batch, signal } from '@preact/signals';
import type { ServerEventMessage } from '../events.js';

/** Events shown, and events held while paused (each). */
export const MAX_EVENTS = 1000;

/** An event as received, with the browser's receipt time and a sequence number. */
export interface LoggedEvent {
  readonly seq: number;
  readonly receivedAt: number;
  readonly event: ServerEventMessage;
}

export class EventLog {
  /** Newest first. */
  readonly shown = signal<readonly LoggedEvent[]>([]);
  readonly paused = signal(false);
  /** Held while paused, oldest first. */
  readonly held = signal<readonly LoggedEvent[]>([]);
  /** Received while paused with the buffer full. */
  readonly dropped = signal(0);
  private seq = 0;

  constructor(private readonly max = MAX_EVENTS) {}

  /** Adds a batch of events (oldest first). */
  add(events: readonly ServerEventMessage[], now = Date.now()): void {
    const logged = events.map((event) => ({ seq: ++this.seq, receivedAt: now, event }));
    if (this.paused.value) {
      const all = [...this.held.value, ...logged];
      const over = Math.max(0, all.length - this.max);
      batch(() => {
        this.held.value = over > 0 ? all.slice(over) : all;
        if (over > 0) this.dropped.value += over;
      });
      return;
    }
    this.shown.value = [...logged.reverse(), ...this.shown.value].slice(0, this.max);
  }

  pause(): void {
    this.paused.value = true;
  }

  /** Shows what was held and keeps showing new events. */
  resume(): void {
    batch(() => {
      const held = [...this.held.value].reverse();
      this.shown.value = [...held, ...this.shown.value].slice(0, this.max);
      this.held.value = [];
      this.dropped.value = 0;
      this.paused.value = false;
    });
  }

  /** Keeps only the events `keep` accepts (the filters changed). */
  retain(keep: (e: ServerEventMessage) => boolean): void {
    batch(() => {
      this.shown.value = this.shown.value.filter((l) => keep(l.event));
      this.held.value = this.held.value.filter((l) => keep(l.event));
    });
  }

  clear(): void {
    batch(() => {
      this.shown.value = [];
      this.held.value = [];
      this.dropped.value = 0;
    });
  }
}

/** The shown events as JSON lines (oldest first): receipt time, type, SSE id and data. */
export function toJsonLines(shown: readonly LoggedEvent[]): string {
  return [...shown]
    .reverse()
    .map((l) =>
      JSON.stringify({
        receivedAt: new Date(l.receivedAt).toISOString(),
        type: l.event.type,
        id: l.event.id,
        data: l.event.data,
      }),
    )
    .map((line) => `${line}\n`)
    .join('');
}
