// Copies the original into the bag from the single hashing read, then re-reads the copy to prove it.
import type { Stats } from 'node:fs';
import { type FileHandle, open, stat, utimes } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { AudioEvidenceError, InputError } from '../errors.js';
import {
  type ChunkConsumer,
  hashFileOnWorker,
  InlineHasher,
  streamFile,
  WORKER_MIN_BYTES,
} from '../hash/digest.js';

/** What reading the finished copy back from the disk gave. */
interface ReadBack {
  size: number;
  sha256: string;
  /** CRC-32 of the same bytes, which the zip's header carries before it writes them. */
  crc32: number;
  at: Date;
}

/** Flushes the copy to the disk and reads it back on a worker thread (started at once, see CopyWriter). */
async function readBackOnWorker(path: string): Promise<ReadBack> {
  const { size, digests, crc32: crc } = await hashFileOnWorker(path, ['sha256'], { crc32: true, sync: true });
  return { size, sha256: digests.sha256, crc32: crc, at: new Date() };
}

async function readBack(path: string): Promise<ReadBack> {
  const hasher = new InlineHasher(['sha256']);
  let crc = 0;
  const size = await streamFile(path, [
    hasher,
    {
      update(chunk) {
        crc = crc32(chunk, crc);
      },
    },
  ]);
  return { size, sha256: (await hasher.finish()).sha256, crc32: crc, at: new Date() };
}

/**
 * CRC-32 of verified copies, by path, with the size and modification time they had once sealed: the zip
 * takes a copy's CRC from here instead of reading the copy one more time (it still checks the CRC of the
 * bytes it writes, so a copy changed since would fail the zip, not slip into it).
 */
const sealedCrcs = new Map<string, { size: number; mtimeMs: number; crc32: number }>();

/** The CRC-32 of a copy read back by `verifyCopy`, when the file still has its size and time (asked once). */
export function sealedCrc32(path: string, size: number, mtimeMs: number): number | undefined {
  const known = sealedCrcs.get(path);
  sealedCrcs.delete(path);
  if (!known || known.size !== size || Math.abs(known.mtimeMs - mtimeMs) >= 1) return undefined;
  return known.crc32;
}

/**
 * A ChunkConsumer that writes every block of the single read to `dest`, created exclusively (never
 * over an existing file). Each write completes before the reader reuses its buffer. As soon as the
 * expected number of bytes is written, the copy is flushed and read back, while inspect is still
 * decoding: the read-after-write check then costs no extra time.
 */
export class CopyWriter implements ChunkConsumer {
  private handle: FileHandle | undefined;
  private written = 0;
  private early: Promise<ReadBack | { error: unknown }> | undefined;
  /** Bytes that arrived after the expected size: the source grew; the change check reports it. */
  overrun = 0;
  /** When the last block arrived: the end of the single read, for the custody log. */
  lastChunkAt: Date | undefined;

  private constructor(
    readonly dest: string,
    private readonly expectedSize: number,
    handle: FileHandle,
  ) {
    this.handle = handle;
  }

  static async create(dest: string, expectedSize: number): Promise<CopyWriter> {
    return new CopyWriter(dest, expectedSize, await open(dest, 'wx', 0o644));
  }

  async update(chunk: Buffer, offset: number): Promise<void> {
    const handle = this.handle;
    if (!handle) {
      this.overrun += chunk.length;
      return;
    }
    if (offset !== this.written) throw new Error(`copy out of order at byte ${offset}`);
    let done = 0;
    while (done < chunk.length) {
      const { bytesWritten } = await handle.write(chunk, done, chunk.length - done, offset + done);
      done += bytesWritten;
    }
    this.written += chunk.length;
    this.lastChunkAt = new Date();
    if (this.written >= this.expectedSize && !this.early) {
      // Settled into a value so a failure waits for `readBack()` instead of going unhandled.
      if (this.expectedSize >= WORKER_MIN_BYTES) {
        // A worker flushes and re-reads a large copy, started now: inspect's last analysis steps hold
        // the main thread, and a read-back driven from it would only begin once they are done.
        const handle = this.handle;
        this.handle = undefined;
        const reading = readBackOnWorker(this.dest);
        this.early = Promise.all([reading, handle?.close()])
          .then(([back]) => back)
          .catch((error: unknown) => ({ error }));
      } else {
        this.early = this.finish()
          .then(() => readBack(this.dest))
          .catch((error: unknown) => ({ error }));
      }
    }
  }

  get bytesWritten(): number {
    return this.written;
  }

  /** Flushes the copy to the disk before it is re-read and sealed. */
  async finish(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (!handle) return;
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** The finished copy as read back from the disk (started early when the size was reached). */
  async readBack(): Promise<ReadBack> {
    const early = this.early;
    if (early) {
      const result = await early;
      if ('error' in result) throw result.error;
      return result;
    }
    await this.finish();
    return readBack(this.dest);
  }

  /** Closes without flushing, after a failure; the temporary folder is removed anyway. */
  async abort(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    await this.early;
  }
}

/**
 * Facts that tell whether a file changed. The status-change time (ctime) catches a writer that keeps the
 * size and puts the mtime back (no one can set ctime; reading never moves it).
 */
export function sameFile(before: Stats, after: Stats): string | undefined {
  if (before.size !== after.size) return `size ${before.size} → ${after.size} bytes`;
  // Identity before time: a file renamed over the original is best described as replaced.
  if (before.ino !== after.ino || before.dev !== after.dev) return 'replaced by another file';
  if (before.mtimeMs !== after.mtimeMs) {
    const [from, to] = [before.mtime.toISOString(), after.mtime.toISOString()];
    // Below a millisecond the ISO strings agree; show the raw times so the message shows a difference.
    return from === to
      ? `modified ${from} (${before.mtimeMs} → ${after.mtimeMs} ms)`
      : `modified ${from} → ${to}`;
  }
  if (before.ctimeMs !== after.ctimeMs)
    return `status changed ${before.ctime.toISOString()} → ${after.ctime.toISOString()} (rewritten in place, or its times or permissions were reset)`;
  return undefined;
}

/** Throws `input-changed` when the source's size, mtime or identity moved while it was read. */
export async function assertUnchanged(path: string, shown: string, before: Stats, bytesRead: number) {
  let after: Stats;
  try {
    after = await stat(path);
  } catch (cause) {
    throw new InputError('input-changed', shown, { cause, detail: 'the file disappeared' });
  }
  const change =
    sameFile(before, after) ??
    (bytesRead !== before.size ? `read ${bytesRead} of ${before.size} bytes` : undefined);
  if (change) throw new InputError('input-changed', shown, { detail: change });
}

export interface FixityResult {
  sha256: string;
  sm3: string;
  size: number;
  checkedAt: Date;
}

/**
 * Read-after-write fixity: the copy read back from the disk must have the source's size and SHA-256
 * (equal SHA-256 means equal bytes, so the source's SM3 is the copy's too). Then the copy is given
 * the source's access and modification times.
 */
export async function verifyCopy(
  copy: CopyWriter,
  expected: { sha256: string; sm3: string; size: number },
  times: { atimeMs: number; mtimeMs: number },
): Promise<FixityResult> {
  const back = await copy.readBack();
  if (back.size !== expected.size || back.sha256 !== expected.sha256) {
    const detail = `the copy read back differs from the source (size ${back.size}/${expected.size}, SHA-256 ${back.sha256}/${expected.sha256})`;
    throw new AudioEvidenceError('output-failed', detail, { params: { detail } });
  }
  // After the re-read, which may itself have touched the copy's access time. Seconds as numbers
  // keep sub-millisecond precision that Date objects would drop.
  await utimes(copy.dest, times.atimeMs / 1000, times.mtimeMs / 1000);
  const sealed = await stat(copy.dest);
  sealedCrcs.set(copy.dest, { size: sealed.size, mtimeMs: sealed.mtimeMs, crc32: back.crc32 });
  return { sha256: back.sha256, sm3: expected.sm3, size: back.size, checkedAt: back.at };
}
