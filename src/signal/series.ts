// Typed arrays that grow in chunks while the decode streams, so per-window statistics stay compact.

type TypedCtor<T> = new (length: number) => T;

/** An append-only typed array with `stride` values per entry, grown in chunks of half its size. */
export class Series<T extends Float32Array | Uint8Array | Uint16Array> {
  private data: T;
  private used = 0;

  constructor(
    private readonly ctor: TypedCtor<T>,
    private readonly stride = 1,
    initialEntries = 4096,
  ) {
    this.data = new ctor(initialEntries * stride);
  }

  /**
   * Makes room for `entries` in all (when more than there is): sized once from the expected duration,
   * the array never grows by copying. Pages never written are never resident, so a duration declared
   * too long costs address space, not memory.
   */
  reserve(entries: number): void {
    const wanted = Math.ceil(entries) * this.stride;
    if (!(wanted > this.data.length)) return;
    const grown = new this.ctor(wanted);
    grown.set(this.data.subarray(0, this.used));
    this.data = grown;
  }

  /** Entries appended so far. */
  get length(): number {
    return this.used / this.stride;
  }

  /** Reserves room for one more entry and returns its offset into `buffer`. */
  next(): number {
    if (this.used + this.stride > this.data.length) {
      // Grow by half: at most a third of the memory is spare, and no long recording doubles at once.
      const entries = Math.ceil((this.data.length / this.stride) * 1.5);
      const grown = new this.ctor(entries * this.stride);
      grown.set(this.data);
      this.data = grown;
    }
    const at = this.used;
    this.used += this.stride;
    return at;
  }

  /** Appends one value (stride-1 series). */
  push(value: number): void {
    const at = this.next();
    this.data[at] = value;
  }

  /** The live backing array: valid only until the next `next()`. */
  get buffer(): T {
    return this.data;
  }

  /** What was appended, as a view (no copy: a copy would double the memory for a moment at the end). */
  toArray(): T {
    return this.data.subarray(0, this.used) as T;
  }
}
