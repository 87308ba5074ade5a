// The zip writer on its own: STORED entries readable by unzip, Python, Java-style stream readers and
// verify's own scanner, in the plain and the zip64 layout, with the digest of exactly the bytes written.
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { CopyWriter, verifyCopy } from '../../src/bundle/copy.js';
import { writeZip, type ZipFile } from '../../src/bundle/zip.js';
import { scanZip } from '../../src/verify/scan-zip.js';
import { HAS_PYTHON, HAS_UNZIP, removeTempDirs, runTool, sha256, tempDir } from './support.js';

afterAll(removeTempDirs);

/** A folder with small text files, an empty file and a file of several read blocks (odd length). */
function bag(): { dir: string; files: ZipFile[]; contents: Map<string, Buffer> } {
  const dir = tempDir('ae-zip-');
  const contents = new Map<string, Buffer>();
  const big = Buffer.alloc(3 * 1024 * 1024 + 12_345);
  let seed = 1;
  for (let i = 0; i < big.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    big[i] = seed >>> 24;
  }
  contents.set('data/original/录音 1.wav', big);
  contents.set('data/report/report.html', Buffer.from('<p>bericht – отчёт</p>\n'));
  contents.set('data/empty.txt', Buffer.alloc(0));
  contents.set('bagit.txt', Buffer.from('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n'));
  const mtime = new Date(2024, 4, 1, 13, 37, 42);
  const files: ZipFile[] = [];
  for (const [path, data] of contents) {
    const full = join(dir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, data);
    utimesSync(full, mtime, mtime);
    files.push({ path, size: data.length, mtime: statSync(full).mtime });
  }
  return { dir, files, contents };
}

const PYTHON_READ = [
  'import json, sys, zipfile, hashlib',
  'z = zipfile.ZipFile(sys.argv[1])',
  'bad = z.testzip()',
  'out = []',
  'for i in z.infolist():',
  '  data = z.read(i)',
  '  out.append([i.filename, i.flag_bits, i.compress_type, i.file_size, hashlib.sha256(data).hexdigest(), list(i.date_time), i.external_attr >> 16])',
  'print(json.dumps({"bad": bad, "entries": out}))',
].join('\n');

describe.each([false, true])('writeZip (zip64: %s)', (forceZip64) => {
  const { dir, files, contents } = bag();
  const dest = join(tempDir('ae-zip-out-'), 'bag.zip');
  let written: { sha256: string; size: number };

  it('returns the SHA-256 and size of the file it wrote', async () => {
    written = await writeZip(dir, 'top-evidence', files, dest, { forceZip64 });
    const bytes = readFileSync(dest);
    expect(written.size).toBe(bytes.length);
    expect(written.sha256).toBe(sha256(bytes));
  });

  it('never overwrites an existing file', async () => {
    await expect(writeZip(dir, 'top-evidence', files, dest, { forceZip64 })).rejects.toThrow(/EEXIST/);
  });

  it.skipIf(!HAS_UNZIP)('passes unzip -t', () => {
    const run = runTool('unzip', ['-t', dest]);
    expect(run.stdout).toContain('No errors detected');
    expect(run.code).toBe(0);
  });

  it.skipIf(!HAS_PYTHON)(
    'reads back every byte with Python zipfile: STORED, UTF-8 flag, local time, mode',
    () => {
      const run = runTool('python3', ['-c', PYTHON_READ, dest]);
      expect(run.stderr).toBe('');
      const out = JSON.parse(run.stdout) as {
        bad: string | null;
        entries: Array<[string, number, number, number, string, number[], number]>;
      };
      expect(out.bad).toBeNull();
      expect(out.entries.map((e) => e[0])).toEqual(files.map((f) => `top-evidence/${f.path}`));
      for (const [name, flags, method, size, digest, time, mode] of out.entries) {
        const data = contents.get(name.slice('top-evidence/'.length))!;
        // archiver flags every name that is not plain ASCII; ASCII reads the same in every zip charset.
        if (/[^\x20-\x7e]/.test(name)) expect(flags & 0x0800).toBe(0x0800);
        expect(flags & 0x0008).toBe(0); // no data descriptor
        expect(method).toBe(0);
        expect(size).toBe(data.length);
        expect(digest).toBe(sha256(data));
        expect(time).toEqual([2024, 5, 1, 13, 37, 42]);
        expect(mode).toBe(0o100644);
      }
    },
  );

  it("is hashed in place by verify's zip scanner", async () => {
    const scan = await scanZip(dest);
    const byName = new Map(scan.files.map((f) => [f.path, f]));
    for (const [path, data] of contents) {
      const entry = byName.get(path);
      expect(entry?.size).toBe(data.length);
      expect(entry?.sha256).toBe(sha256(data));
    }
    expect(scan.problems).toEqual([]);
  });
});

describe('a sealed copy of the original', () => {
  /** Copies `data` into `dir/data/original/rec.wav` the way pack does, sealing it with its read-back. */
  async function sealed(data: Buffer): Promise<{ dir: string; file: ZipFile; path: string }> {
    const dir = tempDir('ae-zip-sealed-');
    mkdirSync(join(dir, 'data/original'), { recursive: true });
    writeFileSync(join(dir, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    const path = join(dir, 'data/original/rec.wav');
    const copy = await CopyWriter.create(path, data.length);
    for (let at = 0; at < data.length; at += 1 << 20)
      await copy.update(data.subarray(at, at + (1 << 20)), at);
    await copy.finish();
    const when = Date.UTC(2024, 0, 2, 3, 4, 6);
    await verifyCopy(
      copy,
      { sha256: sha256(data), sm3: 'x', size: data.length },
      { atimeMs: when, mtimeMs: when },
    );
    const { size, mtime } = statSync(path);
    return { dir, path, file: { path: 'data/original/rec.wav', size, mtime } };
  }

  const data = Buffer.alloc(2 * 1024 * 1024 + 5);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 9)) & 0xff;

  it.skipIf(!HAS_PYTHON)('is zipped with the CRC its read-back gave', async () => {
    const { dir, file } = await sealed(data);
    const dest = join(tempDir('ae-zip-out-'), 'sealed.zip');
    await writeZip(dir, 'top', [file], dest);
    const run = runTool('python3', ['-c', PYTHON_READ, dest]);
    const out = JSON.parse(run.stdout) as {
      bad: string | null;
      entries: Array<[string, number, number, number, string]>;
    };
    expect(out.bad).toBeNull();
    expect(out.entries[0]![4]).toBe(sha256(data));
  });

  it('fails the zip, rather than vouching for other bytes, when the copy changed after it was sealed', async () => {
    const { dir, file, path } = await sealed(data);
    // Same size, same time, one byte different: only the CRC of the bytes written can tell.
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.from([data[1000]! ^ 0xff]), 0, 1, 1000);
    closeSync(fd);
    utimesSync(path, file.mtime, file.mtime);
    const dest = join(tempDir('ae-zip-out-'), 'changed.zip');
    await expect(writeZip(dir, 'top', [{ ...file, mtime: statSync(path).mtime }], dest)).rejects.toThrow(
      /changed/,
    );
  });
});

describe('a write that fails while the zip is written (issue 13, case 2)', () => {
  it('rejects with the write error (a full disk), with no unhandled rejection, and closes the file', async () => {
    const { dir, files } = bag();
    const dest = join(tempDir('ae-zip-'), 'out.zip');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let closed = false;
    try {
      const error = await writeZip(dir, 'top-evidence', files, dest, {
        output: (handle) => {
          let written = 0;
          return new Writable({
            write(chunk: Buffer, _encoding, callback) {
              written += chunk.length;
              if (written < 64 * 1024) return callback();
              const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
                code: 'ENOSPC',
              });
              callback(full);
            },
            destroy(error, callback) {
              void handle.close().then(() => {
                closed = true;
                callback(error);
              });
            },
          });
        },
      }).catch((e: unknown) => e);
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
      expect(closed).toBe(true);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
