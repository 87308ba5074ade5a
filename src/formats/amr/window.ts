// Sequential bounded reads over a ByteSource for frame walkers (AMR, ADTS): one block read serves many frames.
import type { ByteSource } from '../types.js';

export class ReadWindow {
  private buf: Buffer = Buffer.alloc(0);
  private base = 0;

  constructor(
    private readonly source: ByteSource,
    private readonly block = 256 * 1024,
  ) {}

  /** Bytes [pos, pos + length), fewer at the end of the file. The view is valid until the next call. */
  async bytes(pos: number, length: number): Promise<Buffer> {
    const from = pos - this.base;
    if (from >= 0 && pos + length <= this.base + this.buf.length)
      return this.buf.subarray(from, from + length);
    if (pos >= this.source.size) return Buffer.alloc(0);
    this.buf = await this.source.read(pos, Math.max(length, this.block));
    this.base = pos;
    return this.buf.subarray(0, Math.min(length, this.buf.length));
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
