// Issue 12 item 7: the event streams share one subscription; each event becomes one frame, however
// many streams want it; a stream that falls behind is dropped and counted, the others go on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventFanout, type EventSubscriber } from '../../src/http/EventFanout.js';
import type { ServerEvent } from '../../src/http/ServerPort.js';
import { FakeServer } from './FakeServer.js';

class MemoryStream implements EventSubscriber {
  readonly frames: string[] = [];
  pending = 0;
  dropped = false;
  constructor(private readonly endpoint?: string) {}
  wants(event: ServerEvent): boolean {
    return this.endpoint === undefined || event.endpoint === this.endpoint;
  }
  buffered(): number {
    return this.pending;
  }
  write(frame: string): void {
    this.frames.push(frame);
  }
  drop(): void {
    this.dropped = true;
  }
}

/** `now` writes what is due at once (one write per chunk); `manual` waits for fanout.flush(). */
function setup(maxBuffered = 1 << 20, flushing: 'now' | 'manual' = 'now') {
  const fake = new FakeServer();
  const reg = fake.addClient('dev1');
  let serialized = 0;
  const fanout = new EventFanout(
    fake,
    (e) => {
      serialized++;
      return JSON.stringify({ endpoint: e.endpoint });
    },
    maxBuffered,
    undefined,
    flushing === 'now' ? (flush) => flush() : () => undefined,
  );
  const updated = (endpoint = 'dev1'): ServerEvent => ({ type: 'updated', endpoint, registration: reg });
  return { fake, fanout, updated, serializations: () => serialized };
}

describe('EventFanout', () => {
  it('serializes each event once for 200 streams, which all get the same frame', () => {
    const { fake, fanout, updated, serializations } = setup();
    const streams = Array.from({ length: 200 }, () => new MemoryStream());
    for (const s of streams) fanout.add(s);
    assert.equal(fake.listenerCount, 1, 'one subscription for every stream');
    for (let i = 0; i < 50; i++) fake.emit(updated());
    assert.equal(serializations(), 50);
    assert.equal(fanout.serialized, 50);
    for (const s of streams) assert.equal(s.frames.length, 50);
    assert.equal(streams[0]!.frames[49], 'id: 50\nevent: updated\ndata: {"endpoint":"dev1"}\n\n');
    assert.ok(streams.every((s) => s.frames[7] === streams[0]!.frames[7]));
  });

  it('coalesces: 50 events reach each of 200 streams in one write per flush', () => {
    const { fake, fanout, updated, serializations } = setup(1 << 20, 'manual');
    const streams = Array.from({ length: 200 }, () => new MemoryStream());
    for (const s of streams) fanout.add(s);
    for (let i = 0; i < 50; i++) fake.emit(updated());
    assert.equal(serializations(), 50);
    assert.ok(
      streams.every((s) => s.frames.length === 0),
      'nothing written before the flush',
    );
    fanout.flush();
    for (const s of streams) assert.equal(s.frames.length, 1, 'one write per stream');
    const frames = streams[0]!.frames[0]!.split('\n\n').filter((f) => f !== '');
    assert.equal(frames.length, 50);
    assert.equal(frames[49], 'id: 50\nevent: updated\ndata: {"endpoint":"dev1"}');
    fake.emit(updated());
    fanout.flush();
    assert.equal(streams[0]!.frames.length, 2, 'the next window is a new write');
  });

  it('counts queued bytes toward the bound: a stream is dropped before its flush', () => {
    const { fake, fanout, updated } = setup(100, 'manual');
    const s = new MemoryStream();
    fanout.add(s);
    for (let i = 0; i < 5 && !s.dropped; i++) fake.emit(updated());
    assert.equal(s.dropped, true, 'dropped while its frames were still queued');
    fanout.flush();
    assert.equal(s.frames.length, 0, 'nothing queued for a dropped stream is written');
  });

  it('does not serialize an event that no stream wants', () => {
    const { fake, fanout, updated, serializations } = setup();
    const only = new MemoryStream('dev2');
    fanout.add(only);
    fake.emit(updated('dev1'));
    assert.equal(serializations(), 0);
    fake.emit(updated('dev2'));
    assert.equal(serializations(), 1);
    assert.equal(only.frames.length, 1);
  });

  it('drops and counts a stream that falls behind; the others go on; the last one unsubscribes', () => {
    const { fake, fanout, updated } = setup(1000);
    const slow = new MemoryStream();
    const fast = new MemoryStream();
    fanout.add(slow);
    fanout.add(fast);
    slow.pending = 1001;
    fake.emit(updated());
    assert.equal(slow.dropped, true);
    assert.equal(slow.frames.length, 0);
    assert.equal(fast.frames.length, 1);
    assert.equal(fanout.dropped, 1);
    assert.equal(fanout.subscribers, 1);
    fake.emit(updated());
    assert.equal(fast.frames.length, 2);
    fanout.remove(fast);
    assert.equal(fake.listenerCount, 0);
  });
});
