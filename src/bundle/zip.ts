// Serialises a finished bag folder as a zip of STORED entries, hashing the zip bytes as they are written.

import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { type Hasher, hasherFor } from '../hash/digest.js';
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
}

/** Files up to this size are read whole; larger ones are streamed in blocks of this size. */
const BLOCK = 1024 * 1024;

/**
 * Past this total the offsets or sizes may not fit 32 bits, so the archive is written as zip64 from
 * the start (every entry carries its sizes and offset in a zip64 extra field).
 */
const ZIP64_THRESHOLD = 0xffff_ffff - 64 * 1024 * 1024;

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;
const ZIP64_END_SIG = 0x06064b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
/** General purpose flag bit 11: the name is UTF-8. */
const FLAG_UTF8 = 0x0800;
/** "Version made by": Unix host (3) so readers take the mode bits, spec version 2.0 or 4.5 (zip64). */
const HOST_UNIX = 3 << 8;
/** A regular file, rw-r--r--, in the high half of the external attributes (the Unix convention). */
const EXTERNAL_ATTRS = (0o100644 << 16) >>> 0;

interface Written {
  name: Buffer;
  crc: number;
  size: number;
  offset: number;
  time: number;
  date: number;
}

/** DOS date and time in local time (2-second resolution); times before 1980 are clamped to 1980. */
function dosTime(date: Date): { time: number; date: number } {
  const year = date.getFullYear();
  if (year < 1980) return { time: 0, date: (1 << 5) | 1 };
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((Math.min(year, 2107) - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/**
 * The zip's bytes in order: each block is hashed and written at the next position. For a large zip
 * the SHA-256 runs on a worker thread beside the reads and writes.
 */
class Output {
  position = 0;
  private readonly hash: Hasher;

  constructor(
    private readonly handle: FileHandle,
    expectedSize: number,
  ) {
    this.hash = hasherFor(['sha256'], expectedSize);
  }

  async write(data: Buffer): Promise<void> {
    // The block is handed to the hasher (copied, when it is a worker) before it is written.
    await this.hash.update(data, this.position);
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, this.position + done);
      done += bytesWritten;
    }
    this.position += data.length;
  }

  async digest(): Promise<string> {
    return (await this.hash.finish()).sha256;
  }

  async abort(): Promise<void> {
    await this.hash.abort?.();
  }
}

function localHeader(entry: Written, zip64: boolean): Buffer {
  const extra = zip64 ? 20 : 0;
  const header = Buffer.alloc(30 + entry.name.length + extra);
  header.writeUInt32LE(LOCAL_SIG, 0);
  header.writeUInt16LE(zip64 ? 45 : 20, 4);
  header.writeUInt16LE(FLAG_UTF8, 6);
  header.writeUInt16LE(0, 8); // STORED
  header.writeUInt16LE(entry.time, 10);
  header.writeUInt16LE(entry.date, 12);
  header.writeUInt32LE(entry.crc, 14);
  header.writeUInt32LE(zip64 ? 0xffff_ffff : entry.size, 18);
  header.writeUInt32LE(zip64 ? 0xffff_ffff : entry.size, 22);
  header.writeUInt16LE(entry.name.length, 26);
  header.writeUInt16LE(extra, 28);
  entry.name.copy(header, 30);
  if (zip64) {
    const at = 30 + entry.name.length;
    header.writeUInt16LE(0x0001, at);
    header.writeUInt16LE(16, at + 2);
    header.writeBigUInt64LE(BigInt(entry.size), at + 4);
    header.writeBigUInt64LE(BigInt(entry.size), at + 12);
  }
  return header;
}

function centralHeader(entry: Written, zip64: boolean): Buffer {
  const extra = zip64 ? 28 : 0;
  const header = Buffer.alloc(46 + entry.name.length + extra);
  header.writeUInt32LE(CENTRAL_SIG, 0);
  header.writeUInt16LE(HOST_UNIX | (zip64 ? 45 : 20), 4);
  header.writeUInt16LE(zip64 ? 45 : 20, 6);
  header.writeUInt16LE(FLAG_UTF8, 8);
  header.writeUInt16LE(0, 10);
  header.writeUInt16LE(entry.time, 12);
  header.writeUInt16LE(entry.date, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(zip64 ? 0xffff_ffff : entry.size, 20);
  header.writeUInt32LE(zip64 ? 0xffff_ffff : entry.size, 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt16LE(extra, 30);
  header.writeUInt16LE(0, 32); // comment length
  header.writeUInt16LE(0, 34); // disk number start
  header.writeUInt16LE(0, 36); // internal attributes
  header.writeUInt32LE(EXTERNAL_ATTRS, 38);
  header.writeUInt32LE(zip64 ? 0xffff_ffff : entry.offset, 42);
  entry.name.copy(header, 46);
  if (zip64) {
    const at = 46 + entry.name.length;
    header.writeUInt16LE(0x0001, at);
    header.writeUInt16LE(24, at + 2);
    header.writeBigUInt64LE(BigInt(entry.size), at + 4);
    header.writeBigUInt64LE(BigInt(entry.size), at + 12);
    header.writeBigUInt64LE(BigInt(entry.offset), at + 20);
  }
  return header;
}

function endRecords(count: number, cdOffset: number, cdSize: number, zip64: boolean): Buffer {
  const parts: Buffer[] = [];
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(ZIP64_END_SIG, 0);
    record.writeBigUInt64LE(44n, 4); // size of the rest of this record
    record.writeUInt16LE(HOST_UNIX | 45, 12);
    record.writeUInt16LE(45, 14);
    record.writeUInt32LE(0, 16);
    record.writeUInt32LE(0, 20);
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(cdSize), 40);
    record.writeBigUInt64LE(BigInt(cdOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(ZIP64_LOCATOR_SIG, 0);
    locator.writeUInt32LE(0, 4);
    locator.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
    locator.writeUInt32LE(1, 16);
    parts.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_SIG, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(zip64 ? 0xffff : count, 8);
  end.writeUInt16LE(zip64 ? 0xffff : count, 10);
  end.writeUInt32LE(zip64 ? 0xffff_ffff : cdSize, 12);
  end.writeUInt32LE(zip64 ? 0xffff_ffff : cdOffset, 16);
  end.writeUInt16LE(0, 20);
  parts.push(end);
  return Buffer.concat(parts);
}

/** Reads `length` bytes at `position` into `buffer` (fewer only at the end of the file). */
async function readFully(
  handle: FileHandle,
  buffer: Buffer,
  length: number,
  position: number,
): Promise<number> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/** Adds one file: its CRC-32 first (the STORED header carries it), then header and bytes in one pass. */
async function addFile(
  out: Output,
  source: string,
  file: ZipFile,
  name: Buffer,
  zip64: boolean,
  scratch: readonly Buffer[],
): Promise<Written> {
  const handle = await open(source, 'r');
  try {
    const { size, mtimeMs } = await handle.stat();
    if (size !== file.size)
      throw new Error(`${file.path} changed size while it was zipped (${file.size} → ${size})`);
    const { time, date } = dosTime(file.mtime);
    const entry: Written = { name, crc: 0, size, offset: out.position, time, date };
    if (size <= BLOCK) {
      const data = Buffer.allocUnsafe(size);
      if ((await readFully(handle, data, size, 0)) !== size) throw new Error(`${file.path} ended early`);
      entry.crc = crc32(data);
      await out.write(localHeader(entry, zip64));
      await out.write(data);
      return entry;
    }
    // The STORED header carries the CRC before the bytes (a data descriptor instead is what Java's
    // ZipInputStream refuses). A copy of the original was read back when it was sealed, which gave its
    // CRC; any other large file is read twice (the second time from the page cache).
    let crc = sealedCrc32(source, size, mtimeMs);
    if (crc === undefined) {
      crc = 0;
      for (let at = 0; at < size; ) {
        const n = await readFully(handle, scratch[0]!, Math.min(BLOCK, size - at), at);
        if (n === 0) throw new Error(`${file.path} ended early`);
        crc = crc32(scratch[0]!.subarray(0, n), crc);
        at += n;
      }
    }
    entry.crc = crc;
    await out.write(localHeader(entry, zip64));
    // The next block is read while this one is hashed and written.
    let check = 0;
    let at = 0;
    let turn = 0;
    let reading = readFully(handle, scratch[0]!, Math.min(BLOCK, size), 0);
    while (at < size) {
      const n = await reading;
      if (n === 0) throw new Error(`${file.path} ended early`);
      const chunk = scratch[turn % 2]!.subarray(0, n);
      at += n;
      turn++;
      reading =
        at < size
          ? readFully(handle, scratch[turn % 2]!, Math.min(BLOCK, size - at), at)
          : Promise.resolve(0);
      check = crc32(chunk, check);
      try {
        await out.write(chunk);
      } catch (error) {
        await reading.catch(() => 0);
        throw error;
      }
    }
    // The bytes written must be the bytes the header vouches for.
    if (check !== crc) throw new Error(`${file.path} changed while it was zipped`);
    return entry;
  } finally {
    await handle.close();
  }
}

/**
 * Writes `dest` (created exclusively) holding exactly the folder `top/` with `files` of `bagDir`.
 *
 * Every entry is STORED with its CRC-32 and sizes in the local header and no data descriptor, which
 * every reader named in DESIGN.md accepts (unzip, 7-Zip, Python's zipfile, Java's ZipInputStream);
 * recordings are already compressed and the documents are small. Names are UTF-8 with the UTF-8
 * flag; entry times are local time, as unzip tools expect; past 4 GB the archive is zip64.
 */
export async function writeZip(
  bagDir: string,
  top: string,
  files: readonly ZipFile[],
  dest: string,
  options: ZipOptions = {},
): Promise<{ sha256: string; size: number }> {
  const total = files.reduce(
    (sum, file) => sum + file.size + 30 + 46 + 2 * (top.length + file.path.length) * 4,
    0,
  );
  const zip64 = options.forceZip64 === true || total > ZIP64_THRESHOLD || files.length >= 0xffff;
  const handle = await open(dest, 'wx', 0o644);
  const out = new Output(handle, total);
  try {
    const scratch = [Buffer.allocUnsafe(BLOCK), Buffer.allocUnsafe(BLOCK)];
    const written: Written[] = [];
    for (const file of files) {
      const name = Buffer.from(`${top}/${file.path}`, 'utf8');
      written.push(await addFile(out, join(bagDir, file.path), file, name, zip64, scratch));
    }
    const cdOffset = out.position;
    const central = Buffer.concat(written.map((entry) => centralHeader(entry, zip64)));
    await out.write(central);
    await out.write(endRecords(written.length, cdOffset, central.length, zip64));
    return { sha256: await out.digest(), size: out.position };
  } catch (error) {
    await out.abort();
    throw error;
  } finally {
    await handle.close();
  }
}
