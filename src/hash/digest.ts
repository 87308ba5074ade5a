// One streaming read of a file feeds every hash (SHA-256, SM3, …) and any other consumer (copy, sniffing).
import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

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
 * Consumers that return a promise (e.g. a copy writer) apply back-pressure: the next block is handed
 * out once every consumer is done with this one (consumers of one block run side by side).
 */
export async function streamFile(
  path: string,
  consumers: readonly ChunkConsumer[],
  options: StreamOptions = {},
): Promise<number> {
  const blockSize = options.blockSize ?? BLOCK_SIZE;
  const handle = await open(path, 'r');
  try {
    // Two buffers: the next block is read into one while the consumers work on the other.
    const buffers = [Buffer.allocUnsafe(blockSize), Buffer.allocUnsafe(blockSize)];
    let offset = 0;
    let turn = 0;
    let reading = handle.read(buffers[0]!, 0, blockSize, 0);
    for (;;) {
      const buffer = buffers[turn++ % 2]!;
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      const next = offset + bytesRead;
      // The other buffer's consumers have all finished with it (they were awaited last round).
      reading = handle.read(buffers[turn % 2]!, 0, blockSize, next);
      try {
        // Every consumer is started before any is awaited: a copy's write runs in the background while
        // the next consumer (the signal analysis of a WAVE) works on the same block.
        const pending: Promise<void>[] = [];
        for (const consumer of consumers) {
          const result = consumer.update(chunk, offset);
          if (result) pending.push(result);
        }
        if (pending.length > 0) await Promise.all(pending);
      } catch (error) {
        // Let the read in flight settle before the handle closes.
        await reading.catch(() => undefined);
        throw error;
      }
      offset = next;
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

/** What `inspect` needs from a set of hashes fed by `streamFile`: the digests once the read has ended. */
export interface Hasher extends ChunkConsumer {
  finish(): Promise<Record<HashAlgo, string>>;
  /** Releases what the hasher holds after a failed read (a worker thread). */
  abort?(): Promise<void>;
}

/** The in-thread hasher as a `Hasher`. */
export class InlineHasher extends MultiHasher implements Hasher {
  async finish(): Promise<Record<HashAlgo, string>> {
    return this.digests();
  }
}

/** Blocks the reader may have in flight to the worker before it waits: enough to ride out a slow block. */
const WORKER_SLOTS = 8;

/**
 * The worker's code: hashes the slots of the shared memory it is told about and hands each slot back.
 * Evaluated from a string, so it runs the same from the compiled library and from the TypeScript tests;
 * dynamic imports work whether the string is taken as a script or a module.
 */
const WORKER_CODE = `Promise.all([import('node:worker_threads'), import('node:crypto')]).then(([{ parentPort, workerData }, { createHash }]) => {
  const hashes = workerData.algos.map((algo) => [algo, createHash(algo)]);
  const memory = Buffer.from(workerData.memory);
  parentPort.on('message', (message) => {
    if (message.end) {
      const digests = {};
      for (const [algo, hash] of hashes) digests[algo] = hash.digest('hex');
      parentPort.postMessage({ digests });
      return;
    }
    const chunk = memory.subarray(message.start, message.start + message.length);
    for (const [, hash] of hashes) hash.update(chunk);
    parentPort.postMessage({ slot: message.slot });
  });
});`;

/**
 * Hashes on a worker thread, so that the slow SM3 (a quarter of SHA-256's speed) and SHA-256 run beside
 * the signal analysis on the main thread. Each block is copied into a slot of shared memory (a memcpy
 * costs a few percent of hashing it) and the slot is handed back when hashed; the reader waits only
 * when every slot is still in use. For large files only: a worker costs some 30 ms to start.
 */
export class WorkerHasher implements Hasher {
  private readonly worker: Worker;
  private readonly memory: Buffer;
  private readonly free: number[] = [];
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;
  private result: ((digests: Record<HashAlgo, string>) => void) | undefined;
  private reject: ((error: Error) => void) | undefined;

  constructor(
    algos: readonly HashAlgo[],
    private readonly slotSize = BLOCK_SIZE,
  ) {
    const shared = new SharedArrayBuffer(slotSize * WORKER_SLOTS);
    this.memory = Buffer.from(shared);
    for (let i = 0; i < WORKER_SLOTS; i++) this.free.push(i);
    this.worker = new Worker(WORKER_CODE, { eval: true, workerData: { algos: [...algos], memory: shared } });
    this.worker.on('message', (message: { slot?: number; digests?: Record<HashAlgo, string> }) => {
      if (message.digests) {
        this.result?.(message.digests);
        return;
      }
      if (message.slot !== undefined) this.free.push(message.slot);
      this.wake();
    });
    const fail = (error: Error): void => {
      this.failure ??= error;
      this.wake();
      this.reject?.(this.failure);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`hash worker exited (code ${code})`)));
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  private async slot(): Promise<number> {
    for (;;) {
      if (this.failure) throw this.failure;
      const slot = this.free.pop();
      if (slot !== undefined) return slot;
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }

  async update(chunk: Buffer): Promise<void> {
    for (let done = 0; done < chunk.length; done += this.slotSize) {
      const part = chunk.subarray(done, Math.min(chunk.length, done + this.slotSize));
      const slot = await this.slot();
      const start = slot * this.slotSize;
      part.copy(this.memory, start);
      this.worker.postMessage({ slot, start, length: part.length });
    }
  }

  /** The digests, after every block handed in so far; the worker is stopped afterwards. */
  async finish(): Promise<Record<HashAlgo, string>> {
    try {
      if (this.failure) throw this.failure;
      // Messages are handled in order: the digests come after every block posted before.
      return await new Promise<Record<HashAlgo, string>>((resolve, reject) => {
        this.result = resolve;
        this.reject = reject;
        this.worker.postMessage({ end: true });
      });
    } finally {
      this.worker.removeAllListeners('exit');
      await this.worker.terminate();
    }
  }

  /** Stops the worker without waiting for digests (after a failed read). */
  async abort(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/** The file-reading worker's code: reads the file in bounded blocks and hashes it (and its CRC-32). */
const FILE_WORKER_CODE = `Promise.all([import('node:worker_threads'), import('node:crypto'), import('node:fs'), import('node:zlib')]).then(([{ parentPort, workerData }, { createHash }, fs, zlib]) => {
  try {
    const hashes = workerData.algos.map((algo) => [algo, createHash(algo)]);
    const buffer = Buffer.allocUnsafe(workerData.blockSize);
    // Opened for writing only to flush it (some systems refuse to flush through a read-only handle).
    const fd = fs.openSync(workerData.path, workerData.sync ? 'r+' : 'r');
    let size = 0;
    let crc = 0;
    try {
      if (workerData.sync) fs.fsyncSync(fd);
      for (;;) {
        const n = fs.readSync(fd, buffer, 0, buffer.length, size);
        if (n === 0) break;
        const chunk = buffer.subarray(0, n);
        for (const [, hash] of hashes) hash.update(chunk);
        if (workerData.crc32) crc = zlib.crc32(chunk, crc);
        size += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    const digests = {};
    for (const [algo, hash] of hashes) digests[algo] = hash.digest('hex');
    parentPort.postMessage({ size, digests, crc32: crc });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});`;

/**
 * Reads and hashes a whole file on a worker thread: the read goes on while the main thread is busy
 * (pack re-reads its copy of the original while inspect's last analysis steps hold the main thread).
 * Optionally also the CRC-32 of the bytes (what a zip entry needs), and a flush to the disk first.
 */
export function hashFileOnWorker(
  path: string,
  algos: readonly HashAlgo[],
  options: { crc32?: boolean; blockSize?: number; sync?: boolean } = {},
): Promise<{ size: number; digests: Record<HashAlgo, string>; crc32: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(FILE_WORKER_CODE, {
      eval: true,
      workerData: {
        path,
        algos: [...algos],
        crc32: options.crc32 === true,
        sync: options.sync === true,
        blockSize: options.blockSize ?? BLOCK_SIZE,
      },
    });
    let done = false;
    worker.once(
      'message',
      (message: { size?: number; digests?: Record<HashAlgo, string>; crc32?: number; error?: string }) => {
        done = true;
        void worker.terminate();
        if (message.error !== undefined || !message.digests)
          reject(new Error(message.error ?? 'hash worker failed'));
        else resolve({ size: message.size ?? 0, digests: message.digests, crc32: message.crc32 ?? 0 });
      },
    );
    worker.once('error', (error) => {
      done = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`hash worker exited (code ${code})`));
    });
  });
}

/** Files from this size on are hashed on a worker thread (below it, starting one costs more than it saves). */
export const WORKER_MIN_BYTES = 16 * 1024 * 1024;

/** The hasher for a file of `size` bytes. */
export function hasherFor(algos: readonly HashAlgo[], size: number): Hasher {
  return size >= WORKER_MIN_BYTES ? new WorkerHasher(algos) : new InlineHasher(algos);
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
