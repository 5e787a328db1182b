// Issue 12 item 7: one subscription to the server for every open event stream. Each event is
// turned into an SSE frame (W3C HTML Living Standard section 9.2) at most once, whatever the number
// of streams, and only when one of them wants it; every stream then gets the same string. Each
// stream's unsent bytes are bounded: a reader that falls behind is disconnected and counted, never
// buffered without limit. Writes are coalesced: what a stream is due collects and goes out in one
// write per flush (by default every 20 ms), so the cost of an event is one serialization and an
// append per stream, not a socket write per stream (with 200 streams, a write per event and stream
// held ingestion to ~170 events/s).
import type { ServerEvent, ServerPort } from './ServerPort.js';

/** One open event stream. */
export interface EventSubscriber {
  /** True when this stream wants `event` (its ?endpoint= and ?types= filters). */
  wants(event: ServerEvent): boolean;
  /** Bytes written and not yet taken by the reader. */
  buffered(): number;
  write(frame: string): void;
  /** Ends the stream because its reader fell behind. */
  drop(): void;
}

/** Counters of the event streams, for logs and metrics. */
export interface EventStreamStats {
  /** Open streams. */
  readonly subscribers: number;
  /** Streams dropped because their reader fell behind, since start. */
  readonly dropped: number;
  /** Events turned into frames, since start (once per event, not per stream). */
  readonly serialized: number;
}

/** One SSE frame; JSON never holds a raw newline, so `data:` is one line. */
export function sseFrame(id: number, event: string, json: string): string {
  return `id: ${id}\nevent: ${event}\ndata: ${json}\n\n`;
}

/** Default delay between a chunk becoming due and its write: the batching window of every stream. */
export const EVENT_FLUSH_MS = 20;

/** Runs `flush` once, later: the batching window (tests pass one that runs it at once or on demand). */
export type FlushScheduler = (flush: () => void) => void;

const afterWindow: FlushScheduler = (flush) => void setTimeout(flush, EVENT_FLUSH_MS).unref();

/** Chunks a stream is due and their size. */
interface Pending {
  chunks: string[];
  bytes: number;
}

/** Fans the server's events out to the open streams. */
export class EventFanout implements EventStreamStats {
  private readonly streams = new Set<EventSubscriber>();
  private readonly pending = new Map<EventSubscriber, Pending>();
  private flushScheduled = false;
  private unsubscribe: (() => void) | undefined;
  private seq = 0;
  private droppedCount = 0;

  /**
   * @param serialize the `data:` JSON of an event (called once per event delivered)
   * @param maxBuffered unsent bytes a stream may hold before it is dropped
   * @param onDrop told of each dropped stream (for a log line)
   * @param schedule when due chunks are written (default: EVENT_FLUSH_MS later)
   */
  constructor(
    private readonly server: Pick<ServerPort, 'subscribe'>,
    private readonly serialize: (event: ServerEvent) => string,
    private readonly maxBuffered: number,
    private readonly onDrop: (buffered: number) => void = () => undefined,
    private readonly schedule: FlushScheduler = afterWindow,
  ) {}

  get subscribers(): number {
    return this.streams.size;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  get serialized(): number {
    return this.seq;
  }

  /** Adds a stream; the first one subscribes to the server. */
  add(stream: EventSubscriber): void {
    this.streams.add(stream);
    this.unsubscribe ??= this.server.subscribe((event) => this.deliver(event));
  }

  /** Removes a stream (what it was due is discarded); the last one unsubscribes from the server. */
  remove(stream: EventSubscriber): void {
    this.streams.delete(stream);
    this.pending.delete(stream);
    if (this.streams.size === 0 && this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = undefined;
    }
  }

  /**
   * Queues `chunk` (a frame or a comment) for `stream`, or drops the stream if what it has not
   * taken yet (in its socket and queued here) passed the bound.
   */
  write(stream: EventSubscriber, chunk: string): void {
    let due = this.pending.get(stream);
    const buffered = stream.buffered() + (due?.bytes ?? 0);
    if (buffered > this.maxBuffered) {
      this.droppedCount++;
      this.remove(stream);
      this.onDrop(buffered);
      stream.drop();
      return;
    }
    if (!due) this.pending.set(stream, (due = { chunks: [], bytes: 0 }));
    due.chunks.push(chunk);
    due.bytes += chunk.length;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.schedule(() => this.flush());
    }
  }

  /** Writes what every stream is due, one write per stream. */
  flush(): void {
    this.flushScheduled = false;
    for (const [stream, due] of this.pending) stream.write(due.chunks.join(''));
    this.pending.clear();
  }

  private deliver(event: ServerEvent): void {
    let frame: string | undefined;
    for (const stream of [...this.streams]) {
      if (!stream.wants(event)) continue;
      frame ??= sseFrame(++this.seq, event.type, this.serialize(event));
      this.write(stream, frame);
    }
  }
}
