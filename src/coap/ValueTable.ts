// Support for the per-message state of RFC 7252 sections 4 and 5.3.2 (outstanding CONs, exchanges
// by token): a map from SlotKey to values for entries that are added and removed at a high rate.
//
// Why not a Map: V8's Map keeps removed entries' values reachable from its retired hash tables
// for a while, and a long-lived Map's tables live in the old generation. Each young value put in
// and taken out again then survives the next scavenges and is promoted, with everything it
// references (an exchange: its request, response, promise and callbacks). Measured on the server
// benchmark: 2.5 to 3.5 MB promoted per scavenge during reads, and the old generation filling up
// and marked over and over. Here the key index is a SlotTable (flat arrays, slots overwritten on
// delete) and the values sit in a plain array whose slot is cleared on delete, so nothing a
// finished message used stays reachable.
import { SlotTable, type SlotKey } from './SlotTable.js';

export type { SlotKey };

/** Values by key; deleting clears every reference the table held to the value. */
export class ValueTable<V> {
  private readonly index = new SlotTable();
  private readonly slots: (V | undefined)[] = [];
  private readonly free: number[] = [];

  /** Number of entries. */
  get size(): number {
    return this.index.size;
  }

  /** The value of `key`, if any. */
  get(key: SlotKey): V | undefined {
    const slot = this.index.get(key);
    return slot < 0 ? undefined : this.slots[slot];
  }

  /** Whether `key` has a value. */
  has(key: SlotKey): boolean {
    return this.index.get(key) >= 0;
  }

  /** Sets the value of `key`. */
  set(key: SlotKey, value: V): void {
    let slot = this.index.get(key);
    if (slot < 0) {
      slot = this.free.pop() ?? this.slots.length;
      this.index.set(key, slot);
    }
    this.slots[slot] = value;
  }

  /** Removes `key`; true if it was there. */
  delete(key: SlotKey): boolean {
    const slot = this.index.get(key);
    if (slot < 0) return false;
    this.index.delete(key);
    this.slots[slot] = undefined;
    this.free.push(slot);
    return true;
  }

  /** A snapshot of every value (in no particular order). */
  values(): V[] {
    const out: V[] = [];
    for (const v of this.slots) if (v !== undefined) out.push(v);
    return out;
  }

  /** Removes every entry. */
  clear(): void {
    this.index.clear();
    this.slots.length = 0;
    this.free.length = 0;
  }
}
