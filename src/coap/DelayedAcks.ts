// RFC 7252 section 5.2.2: CON requests whose response is not ready yet. Each gets an empty ACK
// once it has waited `delayMs` unanswered; one timer serves them all, since they are kept in
// arrival order and share one delay.
//
// Every incoming CON request passes through here, so the queue allocates nothing per request: a
// ring of parallel arrays in arrival order, and a SlotTable from key to ring position so that an
// answered request's entry is cleared at once (a Map would keep it reachable: see ValueTable.ts).
import type { Peer } from '../transport/Peer.js';
import type { Clock, TimerHandle } from './Clock.js';
import { SlotTable } from './SlotTable.js';

/** Called when a waiting request is due for its empty ACK. */
export type AckDue = (key: number, peer: Peer, messageId: number) => void;

const MIN_CAPACITY = 16;

/** CON requests waiting for their response, by numeric (peer, MID) key (PeerIndex), in arrival order. */
export class DelayedAcks {
  private readonly index = new SlotTable();
  private capacity = MIN_CAPACITY;
  private keys = new Float64Array(MIN_CAPACITY);
  private dues = new Float64Array(MIN_CAPACITY);
  private mids = new Uint16Array(MIN_CAPACITY);
  /** The peer of each ring slot; undefined marks a slot answered (or never used). */
  private peers: (Peer | undefined)[] = new Array<Peer | undefined>(MIN_CAPACITY).fill(undefined);
  /** Ring position of the oldest slot, and slots in use from there (answered ones included). */
  private head = 0;
  private used = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly delayMs: number,
    private readonly onDue: AckDue,
  ) {}

  /** Number of requests waiting. */
  get size(): number {
    return this.index.size;
  }

  /** Starts the wait of request `key`. */
  add(key: number, peer: Peer, messageId: number): void {
    this.delete(key);
    if (this.used === this.capacity) this.compact();
    const pos = (this.head + this.used) & (this.capacity - 1);
    this.keys[pos] = key;
    this.dues[pos] = this.clock.now() + this.delayMs;
    this.mids[pos] = messageId;
    this.peers[pos] = peer;
    this.used++;
    this.index.set(key, pos);
    this.timer ??= this.clock.setTimer(this.delayMs, this.fire);
  }

  /** Whether `key` still waits (its response can go piggybacked). */
  has(key: number): boolean {
    return this.index.get(key) >= 0;
  }

  /** Ends the wait of `key` (its response is going out). */
  delete(key: number): void {
    const pos = this.index.get(key);
    if (pos < 0) return;
    this.index.delete(key);
    this.peers[pos] = undefined;
  }

  /** Forgets every waiting request and stops the timer. */
  clear(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.index.clear();
    this.peers.fill(undefined);
    this.head = 0;
    this.used = 0;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    const now = this.clock.now();
    const mask = this.capacity - 1;
    while (this.used > 0) {
      const pos = this.head;
      const peer = this.peers[pos];
      if (peer !== undefined && this.dues[pos]! > now) {
        this.timer = this.clock.setTimer(this.dues[pos]! - now, this.fire);
        return;
      }
      this.head = (pos + 1) & mask;
      this.used--;
      if (peer === undefined) continue; // answered in time
      const key = this.keys[pos]!;
      this.peers[pos] = undefined;
      this.index.delete(key);
      this.onDue(key, peer, this.mids[pos]!);
    }
  };

  /** The ring is full: keeps the waiting entries in order, from position 0, doubling if they need it. */
  private compact(): void {
    const waiting = this.index.size;
    const capacity = waiting * 2 > this.capacity ? this.capacity * 2 : this.capacity;
    const keys = new Float64Array(capacity);
    const dues = new Float64Array(capacity);
    const mids = new Uint16Array(capacity);
    const peers = new Array<Peer | undefined>(capacity).fill(undefined);
    let n = 0;
    for (let i = 0; i < this.used; i++) {
      const pos = (this.head + i) & (this.capacity - 1);
      const peer = this.peers[pos];
      if (peer === undefined) continue;
      keys[n] = this.keys[pos]!;
      dues[n] = this.dues[pos]!;
      mids[n] = this.mids[pos]!;
      peers[n] = peer;
      this.index.set(keys[n]!, n);
      n++;
    }
    this.keys = keys;
    this.dues = dues;
    this.mids = mids;
    this.peers = peers;
    this.capacity = capacity;
    this.head = 0;
    this.used = n;
  }
}
