// RFC 7252 sections 4.2 and 4.8: retransmission timeouts of CON messages and the deadlines of
// exchanges, kept in one queue per endpoint. An endpoint with thousands of requests in flight
// would otherwise arm one Node timer (plus a closure and a handle) per CON and per exchange; here
// the entries themselves sit in a binary min-heap and a single Clock timer is armed for the
// earliest one (STYLE.md 5: the injected Clock drives it, so tests still advance time by hand).
import type { Clock, TimerHandle } from './Clock.js';

/** An object with a deadline; the queue maintains the three fields, the owner implements `onDeadline`. */
export interface Deadline {
  /** Clock time it falls due at (set by `schedule`). */
  deadlineAt: number;
  /** Insertion order, to run equal deadlines in the order they were scheduled. */
  deadlineSeq: number;
  /** Position in the heap; -1 when not queued. */
  deadlineSlot: number;
  /** Runs once when due (the entry is already out of the queue). */
  onDeadline(): void;
}

/** A min-heap of deadlines driven by one Clock timer. */
export class DeadlineQueue {
  private readonly heap: Deadline[] = [];
  private seq = 0;
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;

  constructor(private readonly clock: Clock) {}

  /** Number of queued deadlines. */
  get size(): number {
    return this.heap.length;
  }

  /** The time of the clock that drives this queue: what `schedule` counts from. */
  now(): number {
    return this.clock.now();
  }

  /** Whether `d` is queued. */
  has(d: Deadline): boolean {
    return d.deadlineSlot >= 0;
  }

  /** Queues `d` to run `ms` after `now` (the clock's time; moving it if it was queued already). */
  schedule(d: Deadline, ms: number, now = this.clock.now()): void {
    this.cancel(d);
    d.deadlineAt = now + Math.max(0, ms);
    d.deadlineSeq = this.seq++;
    d.deadlineSlot = this.heap.length;
    this.heap.push(d);
    this.up(d.deadlineSlot);
    const first = this.heap[0]!.deadlineAt;
    if (first < this.timerAt) this.arm(first);
  }

  /**
   * Removes `d` if queued. The armed timer is left, even when the queue empties: firing early
   * finds nothing due and re-arms (or stays idle). Disarming on empty made a peer with one
   * request at a time create and clear a Node timer per request (each a TimersList entry and
   * garbage that survived scavenges in a CON loop measured for issue 4).
   */
  cancel(d: Deadline): void {
    const i = d.deadlineSlot;
    if (i < 0) return;
    d.deadlineSlot = -1;
    const last = this.heap.pop()!;
    if (i < this.heap.length) {
      this.heap[i] = last;
      last.deadlineSlot = i;
      this.down(i);
      this.up(last.deadlineSlot);
    }
  }

  /** Forgets every deadline and stops the timer. */
  clear(): void {
    for (const d of this.heap) d.deadlineSlot = -1;
    this.heap.length = 0;
    this.disarm();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    try {
      const now = this.clock.now();
      while (this.heap.length > 0 && this.heap[0]!.deadlineAt <= now) {
        const d = this.heap[0]!;
        this.cancel(d);
        d.onDeadline();
      }
    } finally {
      // Re-armed even if a callback threw, so the other deadlines still run.
      if (this.heap.length > 0 && this.timer === undefined) this.arm(this.heap[0]!.deadlineAt);
    }
  };

  private arm(at: number): void {
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.clock.setTimer(at - this.clock.now(), this.fire);
  }

  private disarm(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private before(a: Deadline, b: Deadline): boolean {
    return a.deadlineAt < b.deadlineAt || (a.deadlineAt === b.deadlineAt && a.deadlineSeq < b.deadlineSeq);
  }

  private up(i: number): void {
    const h = this.heap;
    const d = h[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent]!;
      if (!this.before(d, p)) break;
      h[i] = p;
      p.deadlineSlot = i;
      i = parent;
    }
    h[i] = d;
    d.deadlineSlot = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const d = h[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= h.length) break;
      if (child + 1 < h.length && this.before(h[child + 1]!, h[child]!)) child++;
      const c = h[child]!;
      if (!this.before(c, d)) break;
      h[i] = c;
      c.deadlineSlot = i;
      i = child;
    }
    h[i] = d;
    d.deadlineSlot = i;
  }
}
