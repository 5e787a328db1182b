// W3C HTML section 9.2 (Server-Sent Events) from the reading side, for tests of GET /api/events on
// a real socket: collects every `event:` + `data:` frame as it arrives, so a test waits for the
// frame it expects (waitFor) instead of reading a fixed number of chunks. Closed by closeAfter.
import { closeAfter } from './closeAfter.js';
import { waitUntil } from './waitUntil.js';

/** One SSE frame: its `event:` name and its `data:` parsed as JSON. */
export interface SseFrame {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

/** An open event stream and the frames received so far. */
export class SseReader {
  readonly frames: SseFrame[] = [];
  private text = '';
  private connected = false;
  private ended: Error | undefined;

  private constructor(private readonly abort: AbortController) {}

  /** Opens `url` (expects 200) and reads it in the background until closed. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const abort = new AbortController();
    const res = await fetch(url, { signal: abort.signal, headers });
    if (res.status !== 200 || !res.body) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
    const reader = new SseReader(abort);
    closeAfter(reader);
    void reader.pump(res.body.getReader());
    // The server writes `: connected` once the stream is subscribed: events after it are seen.
    await waitUntil(() => reader.connected || reader.ended !== undefined, 'the `: connected` comment');
    if (reader.ended) throw reader.ended;
    return reader;
  }

  /** Resolves with the first frame `match` accepts; fails naming `what` after `ms`. */
  async waitFor(match: (f: SseFrame) => boolean, what: string, ms?: number): Promise<SseFrame> {
    let found: SseFrame | undefined;
    await waitUntil(
      () => {
        if (this.ended)
          throw new Error(`event stream ended while waiting for ${what}: ${this.ended.message}`);
        return (found = this.frames.find(match)) !== undefined;
      },
      `${what} on the event stream`,
      ms,
    );
    return found!;
  }

  close(): void {
    this.abort.abort();
  }

  private async pump(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error('the server ended the stream');
        this.text += decoder.decode(value, { stream: true });
        this.parse();
      }
    } catch (e) {
      this.ended = e as Error;
    }
  }

  /** Moves every complete frame (blank-line terminated) out of the text. */
  private parse(): void {
    for (let end = this.text.indexOf('\n\n'); end >= 0; end = this.text.indexOf('\n\n')) {
      const block = this.text.slice(0, end);
      this.text = this.text.slice(end + 2);
      let event: string | undefined;
      let data: string | undefined;
      for (const line of block.split('\n')) {
        if (line === ': connected') this.connected = true;
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data = line.slice(6);
      }
      if (event !== undefined && data !== undefined)
        this.frames.push({ event, data: JSON.parse(data) as Record<string, unknown> });
    }
  }
}
