// Issue 12 item 7: one subscription to the server for every open event stream. Each event is
// turned into an SSE frame (W3C HTML Living Standard section 9.2) at most once, whatever the number
// of streams, and only when one of them wants it; every stream then gets the same string. Each
// stream's unsent bytes are bounded: a reader that falls behind is disconnected and counted, never
// buffered without limit.
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

/** Fans the server's events out to the open streams. */
export class EventFanout implements EventStreamStats {
  private readonly streams = new Set<EventSubscriber>();
  private unsubscribe: (() => void) | undefined;
  private seq = 0;
  private droppedCount = 0;

  /**
   * @param serialize the `data:` JSON of an event (called once per event delivered)
   * @param maxBuffered unsent bytes a stream may hold before it is dropped
   * @param onDrop told of each dropped stream (for a log line)
   */
  constructor(
    private readonly server: Pick<ServerPort, 'subscribe'>,
    private readonly serialize: (event: ServerEvent) => string,
    private readonly maxBuffered: number,
    private readonly onDrop: (buffered: number) => void = () => undefined,
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

  /** Removes a stream; the last one unsubscribes from the server. */
  remove(stream: EventSubscriber): void {
    this.streams.delete(stream);
    if (this.streams.size === 0 && this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = undefined;
    }
  }

  /** Writes `chunk` (a frame or a comment) to `stream`, or drops the stream if it fell behind. */
  write(stream: EventSubscriber, chunk: string): void {
    const buffered = stream.buffered();
    if (buffered > this.maxBuffered) {
      this.droppedCount++;
      this.remove(stream);
      this.onDrop(buffered);
      stream.drop();
      return;
    }
    stream.write(chunk);
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
