// A read-only, bounded random-access view of the input file for the structure parsers.
import { type FileHandle, open } from 'node:fs/promises';
import type { ByteSource } from './types.js';

/** Largest single read a parser may ask for; untrusted length fields never allocate more. */
export const MAX_READ = 16 * 1024 * 1024;

export class FileByteSource implements ByteSource {
  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileByteSource> {
    const handle = await open(path, 'r');
    const { size } = await handle.stat();
    return new FileByteSource(handle, size);
  }

  async read(offset: number, length: number): Promise<Buffer> {
    if (offset < 0 || offset >= this.size || length <= 0) return Buffer.alloc(0);
    const n = Math.min(length, MAX_READ, this.size - offset);
    // Unzeroed: only the bytes actually read are returned, and zeroing 1 MiB per block walk is measurable.
    const buffer = Buffer.allocUnsafe(n);
    const { bytesRead } = await this.handle.read(buffer, 0, n, offset);
    return bytesRead === n ? buffer : buffer.subarray(0, bytesRead);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** An in-memory source, for tests and for small files already read. */
export class BufferByteSource implements ByteSource {
  constructor(private readonly buffer: Buffer) {}

  get size(): number {
    return this.buffer.length;
  }

  async read(offset: number, length: number): Promise<Buffer> {
    if (offset < 0 || offset >= this.buffer.length || length <= 0) return Buffer.alloc(0);
    return this.buffer.subarray(offset, Math.min(this.buffer.length, offset + Math.min(length, MAX_READ)));
  }
}
