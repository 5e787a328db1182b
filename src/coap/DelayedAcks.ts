// RFC 7252 section 5.2.2: CON requests whose response is not ready yet. Each gets an empty ACK
// once it has waited `delayMs` unanswered; one timer serves them all, since they are kept in
// arrival order and share one delay.
import type { Peer } from '../transport/Peer.js';
import type { Clock, TimerHandle } from './Clock.js';

interface Waiting {
  readonly peer: Peer;
  readonly messageId: number;
  readonly due: number;
}

/** Called when a waiting request is due for its empty ACK. */
export type AckDue = (key: number, peer: Peer, messageId: number) => void;

/** CON requests waiting for their response, by numeric (peer, MID) key (PeerIndex), in arrival order. */
export class DelayedAcks {
  private readonly waiting = new Map<number, Waiting>();
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly delayMs: number,
    private readonly onDue: AckDue,
  ) {}

  /** Number of requests waiting. */
  get size(): number {
    return this.waiting.size;
  }

  /** Starts the wait of request `key`. */
  add(key: number, peer: Peer, messageId: number): void {
    this.waiting.set(key, { peer, messageId, due: this.clock.now() + this.delayMs });
    this.timer ??= this.clock.setTimer(this.delayMs, this.fire);
  }

  /** Whether `key` still waits (its response can go piggybacked). */
  has(key: number): boolean {
    return this.waiting.has(key);
  }

  /** Ends the wait of `key` (its response is going out). */
  delete(key: number): void {
    this.waiting.delete(key);
  }

  /** Forgets every waiting request and stops the timer. */
  clear(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.waiting.clear();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = this.clock.now();
    for (const [key, w] of this.waiting) {
      if (w.due > now) {
        this.timer = this.clock.setTimer(w.due - now, this.fire);
        return;
      }
      this.waiting.delete(key);
      this.onDue(key, w.peer, w.messageId);
    }
  };
}
