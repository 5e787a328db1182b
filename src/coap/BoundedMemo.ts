// Support for the request-building hot paths (RFC 7252 section 6.4 Uri-Path, section 5.10 options;
// LwM2M paths): results computed once per distinct input. A process sends the same few paths and
// option values over and over, but the inputs may come from the network, so the memo is bounded:
// once full it starts over, which costs at most `max` entries whatever the stream of keys.

/** A memo of `make`'s results for at most `max` keys at a time. Results must be immutable. */
export class BoundedMemo<K, V> {
  private readonly values = new Map<K, V>();

  constructor(
    private readonly max: number,
    /** Computes a value; may throw, and then nothing is kept. Pass a module-level function (no closure per call). */
    private readonly make: (key: K) => V,
  ) {}

  /** The value for `key`, computed on first use. */
  get(key: K): V {
    let value = this.values.get(key);
    if (value === undefined) {
      value = this.make(key);
      if (this.values.size >= this.max) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}
