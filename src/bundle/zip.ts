// Serialises a finished bag folder as a zip with archiver, hashing the zip bytes as they are written.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipArchive } from 'archiver';

export interface ZipFile {
  /** Path relative to the bag root, with `/`. */
  path: string;
  size: number;
  mtime: Date;
}

/** Files up to this size are handed to archiver as Buffers, which lets it STORE them with known sizes. */
const BUFFER_LIMIT = 8 * 1024 * 1024;

/**
 * Past this total the offsets or sizes may not fit 32 bits (deflate can add a little to incompressible
 * audio), so the archive is written as zip64 from the start.
 */
const ZIP64_THRESHOLD = 0xffff_ffff - 64 * 1024 * 1024;

/**
 * Writes `dest` (created exclusively) holding exactly the folder `top/` with `files` of `bagDir`.
 *
 * Entry methods, chosen for every reader named in DESIGN.md: archiver streams large entries with a
 * data descriptor, and Java's ZipInputStream refuses a STORED entry that has one. So small files are
 * STORED from a Buffer (sizes known up front, no descriptor) and large ones are DEFLATED at level 0
 * (stored blocks inside deflate: any reader accepts it, it costs no compression time, and recordings
 * are already compressed). Names are UTF-8; archiver sets the UTF-8 flag on every non-ASCII name.
 * Entry times are written as local time, as unzip tools expect.
 */
export async function writeZip(
  bagDir: string,
  top: string,
  files: readonly ZipFile[],
  dest: string,
): Promise<{ sha256: string; size: number }> {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const archive = new ZipArchive({
    zlib: { level: 0 },
    forceLocalTime: true,
    forceZip64: total > ZIP64_THRESHOLD,
  });
  const hash = createHash('sha256');
  let size = 0;
  const tap = new PassThrough();
  tap.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  const output = createWriteStream(dest, { flags: 'wx' });
  const written = pipeline(archive, tap, output);
  try {
    for (const file of files) {
      const source = join(bagDir, file.path);
      const name = `${top}/${file.path}`;
      if (file.size <= BUFFER_LIMIT) {
        archive.append(await readFile(source), { name, date: file.mtime, store: true });
      } else {
        archive.append(createReadStream(source), { name, date: file.mtime, store: false });
      }
    }
    await archive.finalize();
  } catch (error) {
    archive.abort();
    await written.catch(() => undefined);
    throw error;
  }
  await written;
  return { sha256: hash.digest('hex'), size };
}
