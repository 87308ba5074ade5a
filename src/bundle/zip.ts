// Serialises a finished bag folder as a zip with archiver, hashing the zip bytes as they are written.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { type FileHandle, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Transform, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { sealedCrc32 } from './copy.js';

export interface ZipFile {
  /** Path relative to the bag root, with `/`. */
  path: string;
  size: number;
  mtime: Date;
}

export interface ZipOptions {
  /** Write zip64 records even for a small archive (tests exercise the zip64 layout with it). */
  forceZip64?: boolean;
  /** The stream the zip bytes go to, made from the open file (tests pass one that fails, like a full disk). */
  output?: (handle: FileHandle) => Writable;
}

/** Files up to this size are handed to archiver as Buffers, which lets it STORE them with known sizes. */
const BUFFER_LIMIT = 8 * 1024 * 1024;

/**
 * Past this total the offsets or sizes may not fit 32 bits (deflate can add a little to incompressible
 * audio), so the archive is written as zip64 from the start.
 */
const ZIP64_THRESHOLD = 0xffff_ffff - 64 * 1024 * 1024;

/** The copy's bytes differ from the ones its read-back sealed: the zip must not vouch for them. */
function changedSinceSealed(path: string): Error {
  return new Error(`${path} changed after it was copied and verified; the zip was not written`);
}

/** Passes bytes through while computing their CRC-32 (native zlib), checked at the end when expected. */
class CrcCheck extends Transform {
  private crc = 0;

  constructor(
    private readonly expected: number | undefined,
    private readonly path: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.crc = crc32(chunk, this.crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(
      this.expected !== undefined && this.crc !== this.expected ? changedSinceSealed(this.path) : null,
    );
  }
}

/**
 * Writes `dest` (created exclusively) holding exactly the folder `top/` with `files` of `bagDir`.
 *
 * Entry methods, chosen for every reader named in DESIGN.md: archiver streams large entries with a
 * data descriptor, and Java's ZipInputStream refuses a STORED entry that has one. So small files are
 * STORED from a Buffer (sizes known up front, no descriptor) and large ones are DEFLATED at level 0
 * (stored blocks inside deflate: any reader accepts it, it costs no compression time, and recordings
 * are already compressed). Names are UTF-8; archiver sets the UTF-8 flag on every non-ASCII name.
 * Entry times are written as local time, as unzip tools expect. A copy of the original whose bytes no
 * longer match the CRC-32 its read-back sealed fails the zip instead of slipping into it.
 */
export async function writeZip(
  bagDir: string,
  top: string,
  files: readonly ZipFile[],
  dest: string,
  options: ZipOptions = {},
): Promise<{ sha256: string; size: number }> {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  // Loaded when a zip is written: archiver and its stream libraries cost every other command (inspect,
  // verify) a noticeable part of its start-up otherwise.
  const { ZipArchive } = await import('archiver');
  const archive = new ZipArchive({
    zlib: { level: 0 },
    forceLocalTime: true,
    forceZip64: options.forceZip64 === true || total > ZIP64_THRESHOLD,
  });
  const hash = createHash('sha256');
  let size = 0;
  const tap = new PassThrough();
  tap.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  // Created exclusively before anything is queued: an existing file is never overwritten.
  const handle = await open(dest, 'wx', 0o644);
  const output = options.output?.(handle) ?? createWriteStream('', { fd: handle, flush: false });
  let failure: unknown;
  // Handled from the start: a write that fails (a full disk) while entries are still being queued
  // must stop the archive and reach the caller, never become an unhandled rejection.
  const written = pipeline(archive, tap, output).catch((error: unknown) => {
    failure ??= error;
    archive.abort();
  });
  archive.on('error', (error: unknown) => {
    failure ??= error;
  });
  try {
    for (const file of files) {
      // The output already failed: queueing more would only read files for nothing.
      if (failure) break;
      const source = join(bagDir, file.path);
      const name = `${top}/${file.path}`;
      const { mtimeMs } = await stat(source);
      const sealed = sealedCrc32(source, file.size, mtimeMs);
      const entry = { name, date: file.mtime, mode: 0o644 };
      if (file.size <= BUFFER_LIMIT) {
        const bytes = await readFile(source);
        if (sealed !== undefined && crc32(bytes) !== sealed) throw changedSinceSealed(source);
        archive.append(bytes, { ...entry, store: true });
      } else {
        const checked = createReadStream(source).pipe(new CrcCheck(sealed, source));
        checked.on('error', (error) => {
          failure ??= error;
          archive.abort();
        });
        archive.append(checked, { ...entry, store: false });
      }
    }
    if (!failure) {
      const finalized = archive.finalize();
      // The output may fail while the archive finishes: then `written` settles and finalize never does.
      finalized.catch(() => undefined);
      await Promise.race([finalized, written]);
    }
    await written;
  } catch (error) {
    archive.abort();
    await written;
    throw failure ?? error;
  }
  if (failure) throw failure;
  return { sha256: hash.digest('hex'), size };
}
