// One streaming read of a file feeds every hash (SHA-256, SM3, …) and any other consumer (copy, sniffing).
import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';

export const HASH_ALGOS = ['sha256', 'sm3', 'sha512', 'md5'] as const;
export type HashAlgo = (typeof HASH_ALGOS)[number];

/** Something that sees every byte of the file, in order, exactly once. */
export interface ChunkConsumer {
  update(chunk: Buffer, offset: number): void | Promise<void>;
}

export interface StreamOptions {
  /** Bytes per read; bounded so that memory never depends on the file size. */
  blockSize?: number;
  onProgress?: (bytesRead: number) => void;
}

export const BLOCK_SIZE = 1024 * 1024;

/**
 * Reads `path` once, read-only, handing each block to every consumer. Returns the number of bytes read.
 * Consumers that return a promise (e.g. a copy writer) apply back-pressure.
 */
export async function streamFile(
  path: string,
  consumers: readonly ChunkConsumer[],
  options: StreamOptions = {},
): Promise<number> {
  const blockSize = options.blockSize ?? BLOCK_SIZE;
  const handle = await open(path, 'r');
  try {
    // Two buffers so a consumer may keep a reference while the next block is read.
    const buffers = [Buffer.allocUnsafe(blockSize), Buffer.allocUnsafe(blockSize)];
    let offset = 0;
    let turn = 0;
    for (;;) {
      const buffer = buffers[turn++ % 2]!;
      const { bytesRead } = await handle.read(buffer, 0, blockSize, offset);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      for (const consumer of consumers) {
        const pending = consumer.update(chunk, offset);
        if (pending) await pending;
      }
      offset += bytesRead;
      options.onProgress?.(offset);
    }
    return offset;
  } finally {
    await handle.close();
  }
}

/** A set of hashes fed by `streamFile`. */
export class MultiHasher implements ChunkConsumer {
  private readonly hashes: Map<HashAlgo, Hash>;

  constructor(algos: readonly HashAlgo[]) {
    this.hashes = new Map(algos.map((algo) => [algo, createHash(algo)]));
  }

  update(chunk: Buffer): void {
    for (const hash of this.hashes.values()) hash.update(chunk);
  }

  digests(): Record<HashAlgo, string> {
    const out = {} as Record<HashAlgo, string>;
    for (const [algo, hash] of this.hashes) out[algo] = hash.digest('hex');
    return out;
  }
}

/** Parses "--algo sha256,sm3" into known algorithm names; throws on an unknown one. */
export function parseAlgos(list: string): HashAlgo[] {
  const algos = list
    .split(',')
    .map((a) => a.trim().toLowerCase().replace('-', ''))
    .filter(Boolean);
  for (const algo of algos) {
    if (!(HASH_ALGOS as readonly string[]).includes(algo)) throw new Error(`unknown hash algorithm: ${algo}`);
  }
  return [...new Set(algos)] as HashAlgo[];
}

/** Hashes one file with the given algorithms in a single read. */
export async function hashFile(
  path: string,
  algos: readonly HashAlgo[] = ['sha256', 'sm3'],
  options: StreamOptions = {},
): Promise<{ size: number; digests: Record<HashAlgo, string> }> {
  const hasher = new MultiHasher(algos);
  const size = await streamFile(path, [hasher], options);
  return { size, digests: hasher.digests() };
}
