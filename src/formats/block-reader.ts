// Sequential reading of a ByteSource in large blocks, so walks over thousands of small frames stay fast.
import type { ByteSource } from './types.js';

/** Default block: large enough that a frame walk awaits once per MiB, small enough to keep memory flat. */
export const BLOCK_SIZE = 1 << 20;

/**
 * Holds one window of the file. Callers check `has(offset, length)` synchronously and only await
 * `fill` when the window must move, so the common case costs no promise at all.
 */
export class BlockReader {
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    readonly source: ByteSource,
    private readonly blockSize = BLOCK_SIZE,
  ) {}

  get size(): number {
    return this.source.size;
  }

  /** The buffered bytes; valid until the next `fill`. */
  get buffer(): Buffer {
    return this.window;
  }

  /** File offset of `buffer[0]`. */
  get start(): number {
    return this.windowStart;
  }

  /** True when [offset, offset + length), clipped to the file, is inside the window. */
  has(offset: number, length: number): boolean {
    const end = Math.min(offset + length, this.source.size);
    return offset >= this.windowStart && end <= this.windowStart + this.window.length;
  }

  /** Moves the window to start at `offset`, holding at least `length` bytes when the file has them. */
  async fill(offset: number, length: number): Promise<void> {
    this.window = await this.source.read(offset, Math.max(length, this.blockSize));
    this.windowStart = offset;
  }

  /** Ensures [offset, offset + length) is buffered; returns the index of `offset` in `buffer`. */
  async at(offset: number, length: number): Promise<number> {
    if (!this.has(offset, length)) await this.fill(offset, length);
    return offset - this.windowStart;
  }

  /** Bytes [offset, offset + length) as a copy-free view (shorter at the end of the file). */
  async bytes(offset: number, length: number): Promise<Buffer> {
    const i = await this.at(offset, length);
    return this.window.subarray(i, i + length);
  }
}

/** Offsets of `needle` anywhere in [from, to), scanning in blocks; at most `limit` hits. */
export async function findAll(
  source: ByteSource,
  needle: Buffer,
  from: number,
  to: number,
  limit = 16,
): Promise<number[]> {
  const hits: number[] = [];
  const block = 1024 * 1024;
  let pos = from;
  while (pos < to && hits.length < limit) {
    const buf = await source.read(pos, Math.min(block + needle.length - 1, to - pos));
    if (buf.length < needle.length) break;
    let i = buf.indexOf(needle);
    while (i >= 0 && hits.length < limit) {
      hits.push(pos + i);
      i = buf.indexOf(needle, i + 1);
    }
    // Overlap by needle length - 1 so a match across blocks is not missed, and always move forward.
    pos += Math.max(1, buf.length - needle.length + 1);
  }
  return hits;
}
