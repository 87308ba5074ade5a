// Bad-input matrix for `inspect` and `pack`: unusable paths, damaged and disguised files, hostile names,
// links and a file that grows while it is packed. Each gets a clear message, the right exit code, no
// partial output, and an original whose bytes and mtime are unchanged.
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/bundle/evidence.js';
import type { InspectResult } from '../../src/types.js';
import { HAS_UNZIP, runTool, tempDir } from '../bundle/support.js';
import { cli, fixture } from '../helpers.js';
import {
  BIN,
  bagEntry,
  contractProblems,
  ensureBuilt,
  FFMPEG,
  fileState,
  listing,
  makeLongRecording,
  ORIGINALS,
  Prng,
  STACK_LINE,
} from './support.js';

const OLD_TIME = new Date('2022-02-03T04:05:06.789Z');

/** Puts `bytes` (or a copy of `from`) at `dir/name` with a known old mtime. */
function place(dir: string, name: string, content: Buffer | { from: string }): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  if (Buffer.isBuffer(content)) writeFileSync(path, content);
  else copyFileSync(content.from, path);
  utimesSync(path, OLD_TIME, OLD_TIME);
  return path;
}

let outCount = 0;
const freshOut = (root: string): string => join(root, `out-${++outCount}`);

interface Usable {
  inspection: InspectResult;
  zip: string;
  evidence: Evidence;
}

/**
 * `inspect --json` and `pack --out elsewhere` both succeed (exit 0) on a usable but odd input; the
 * input's bytes, mtime and folder stay as they were; the output folder holds exactly zip + sidecar.
 */
async function expectUsable(path: string, outRoot: string): Promise<Usable> {
  const before = fileState(path);
  const folderBefore = listing(dirname(path));

  const inspected = await cli(['inspect', '--json', '--', path]);
  expect(inspected.stderr).not.toMatch(STACK_LINE);
  expect(inspected.code, inspected.stderr).toBe(0);
  const inspection = JSON.parse(inspected.stdout) as InspectResult;
  expect(contractProblems(inspection)).toEqual([]);
  expect(inspection.file.size).toBe(before.size);
  expect(inspection.file.sha256).toBe(before.sha256);

  const out = freshOut(outRoot);
  const packed = await cli(['pack', '--out', out, '--', path]);
  expect(packed.stderr).not.toMatch(STACK_LINE);
  expect(packed.code, packed.stderr).toBe(0);
  // The zip, its sidecar and the editable forms beside it.
  const made = readdirSync(out)
    .sort()
    .filter((name) => !name.endsWith('-forms'));
  expect(readdirSync(out)).toHaveLength(3);
  expect(made).toHaveLength(2);
  const zip = join(out, made[0]!);
  expect(made[0]).toMatch(/-evidence\.zip$/);
  expect(made[1]).toBe(`${made[0]}.sha256`);
  expect(packed.stdout.split('\n')[0]).toBe(zip);

  expect(fileState(path)).toEqual(before);
  expect(listing(dirname(path))).toEqual(folderBefore);

  const verified = await cli(['verify', '--original', path, zip]);
  expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  const evidence = JSON.parse(await bagEntry(zip, 'meta/evidence.json')) as Evidence;
  return { inspection, zip, evidence };
}

/** Exit 2, a message naming the path, no stack, and no output folder content, for inspect and pack. */
async function expectUnusable(path: string, outRoot: string, message: RegExp): Promise<void> {
  const inspected = await cli(['inspect', '--json', '--', path]);
  expect(inspected.code).toBe(2);
  expect(inspected.stderr).toContain(path);
  expect(inspected.stderr).toMatch(message);
  expect(inspected.stderr).not.toMatch(STACK_LINE);

  const out = freshOut(outRoot);
  mkdirSync(out);
  const packed = await cli(['pack', '--out', out, '--', path]);
  expect(packed.code).toBe(2);
  expect(packed.stderr).toContain(path);
  expect(packed.stderr).toMatch(message);
  expect(packed.stderr).not.toMatch(STACK_LINE);
  expect(packed.stdout).toBe('');
  expect(readdirSync(out)).toEqual([]);
}

describe.skipIf(!HAS_UNZIP)('bad-input matrix', () => {
  let root: string;
  beforeAll(() => {
    ensureBuilt();
    root = tempDir('ae-bad-input-');
  });

  describe('unusable input: exit 2, nothing written', () => {
    it('a missing path', async () => {
      await expectUnusable(join(root, 'missing', 'nothing-here.m4a'), root, /not found/i);
    });

    it('a directory', async () => {
      const folder = join(root, 'a folder.m4a');
      mkdirSync(folder);
      await expectUnusable(folder, root, /no recordings found in this folder/i);
      expect(readdirSync(folder)).toEqual([]);
    });

    it('a broken symbolic link', async () => {
      const link = join(root, 'dangling.m4a');
      symlinkSync(join(root, 'gone.m4a'), link);
      await expectUnusable(link, root, /not found/i);
    });

    it('a named pipe (never opened, so nothing waits on a writer)', async () => {
      const fifo = join(root, 'pipe.m4a');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      await expectUnusable(fifo, root, /not a file/i);
    });

    it.skipIf(process.getuid?.() === 0)('a file without read permission', async () => {
      const locked = place(join(root, 'locked'), 'locked.m4a', { from: fixture('originals/rec-a.m4a') });
      chmodSync(locked, 0o000);
      await expectUnusable(locked, root, /cannot read/i);
    });

    it('a device (/dev/null)', async () => {
      await expectUnusable('/dev/null', root, /not a file/i);
    });

    it('one missing file among good ones: the others are still handled, exit 2', async () => {
      const good = place(join(root, 'mixed'), 'good.amr', { from: fixture('originals/rec-a.amr') });
      const missing = join(root, 'mixed', 'absent.amr');
      const inspected = await cli(['inspect', '--json', good, missing]);
      expect(inspected.code).toBe(2);
      expect(inspected.stderr).toContain(missing);
      const results = JSON.parse(inspected.stdout) as InspectResult[];
      expect(results.map((r) => r.file.name)).toEqual(['good.amr']);
      const out = freshOut(root);
      const packed = await cli(['pack', '--out', out, missing, good]);
      expect(packed.code).toBe(2);
      expect(readdirSync(out).sort()).toEqual([
        'good-evidence-forms',
        'good-evidence.zip',
        'good-evidence.zip.sha256',
      ]);
    });
  });

  describe('odd but usable files are inspected and packed (exit 0), damage as a finding', () => {
    it('a 0-byte file', async () => {
      const { inspection, evidence } = await expectUsable(
        place(join(root, 'zero'), 'empty.m4a', Buffer.alloc(0)),
        root,
      );
      expect(inspection.findings.map((f) => f.id)).toContain('empty-file');
      expect(evidence.items[0]!.size).toBe(0);
    });

    it('a 1-byte file', async () => {
      const { inspection } = await expectUsable(
        place(join(root, 'one'), 'one.mp3', Buffer.from([0xff])),
        root,
      );
      expect(inspection.findings.map((f) => f.id)).toContain('not-audio');
    });

    const prng = new Prng(0x5eed);
    for (const ext of ['m4a', 'mp3', 'wav', 'amr', 'aac', 'flac', 'opus', 'ogg', '3gp', 'silk']) {
      it(`random bytes named .${ext}`, async () => {
        const path = place(join(root, 'random'), `noise.${ext}`, prng.bytes(8192));
        const { inspection } = await expectUsable(path, root);
        expect(inspection.summary.verdict).not.toBe('no-signs-found');
      });
    }

    it('a PDF renamed .m4a', async () => {
      const pdf = Buffer.from(
        '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
      );
      const { inspection } = await expectUsable(place(join(root, 'pdf'), 'contract.m4a', pdf), root);
      expect(inspection.findings.map((f) => f.id)).toContain('not-audio');
      expect(inspection.format.extensionMatches).toBe(false);
    });

    it('a PNG renamed .m4a (made by ffmpeg)', async () => {
      const png = join(root, 'frame.png');
      const made = spawnSync(FFMPEG, [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        'color=c=red:s=32x32',
        '-frames:v',
        '1',
        png,
      ]);
      expect(made.status).toBe(0);
      const { inspection } = await expectUsable(place(join(root, 'png'), 'image.m4a', { from: png }), root);
      expect(inspection.findings.map((f) => f.id)).toContain('not-audio');
      expect(inspection.format.extensionMatches).toBe(false);
    });
  });

  describe('recordings truncated at many offsets are still packed, with the damage as a finding', () => {
    const cases = ORIGINALS.flatMap((original) => {
      const size = readFileSync(original).length;
      const offsets = [
        4,
        16,
        64,
        300,
        Math.floor(size * 0.1),
        Math.floor(size / 2),
        Math.floor(size * 0.9),
        size - 1,
      ];
      return offsets.map((offset) => [basename(original), offset, original] as const);
    });
    it.each(cases)('%s cut at byte %i', async (name, offset, original) => {
      const bytes = readFileSync(original).subarray(0, offset);
      const path = place(join(root, 'cut', `${offset}`), name, bytes);
      const { inspection, evidence } = await expectUsable(path, root);
      // A cut file must never look clean: the cut, or at least the damage it caused, is reported.
      expect(inspection.summary.verdict, JSON.stringify(inspection.findings.map((f) => f.id))).not.toBe(
        'no-signs-found',
      );
      expect(evidence.items[0]!.findings.map((f) => f.id)).toEqual(inspection.findings.map((f) => f.id));
    });
  });

  describe('names', () => {
    it('a very long name (≈240 bytes of UTF-8 with Chinese)', async () => {
      const name = `${'会议录音'.repeat(19)}-final.m4a`;
      expect(Buffer.byteLength(name)).toBeGreaterThanOrEqual(235);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      const path = place(join(root, 'long'), name, { from: fixture('originals/rec-a.m4a') });
      const { inspection, evidence, zip } = await expectUsable(path, root);
      expect(inspection.file.name).toBe(name);
      expect(evidence.items[0]!.originalName).toBe(name);
      expect(Buffer.byteLength(basename(`${zip}.sha256`))).toBeLessThanOrEqual(255);
    });

    it('the longest name the file system allows (255 bytes)', async () => {
      const name = `${'录'.repeat(83)}ab.m4a`;
      expect(Buffer.byteLength(name)).toBe(255);
      const path = place(join(root, 'longest'), name, { from: fixture('originals/rec-a.m4a') });
      const { evidence, zip } = await expectUsable(path, root);
      expect(evidence.items[0]!.originalName).toBe(name);
      expect(Buffer.byteLength(basename(`${zip}.sha256`))).toBeLessThanOrEqual(255);
    });

    it('a leading dash, given after -- and as ./-name', async () => {
      const dir = join(root, 'dash');
      const path = place(dir, '-rf --version.m4a', { from: fixture('originals/rec-a.m4a') });
      const { inspection, zip } = await expectUsable(path, root);
      expect(inspection.file.name).toBe('-rf --version.m4a');
      expect(inspection.media.duration.decoded).toBeGreaterThan(19.9);
      expect(basename(zip)).toBe('-rf --version-evidence.zip');
      // Relative "./-name" from the folder: the process's cwd is not changed in-process, so via the binary.
      const run = spawnSync(process.execPath, [BIN, 'inspect', '--json', './-rf --version.m4a'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      expect((JSON.parse(run.stdout) as InspectResult).media.duration.decoded).toBeGreaterThan(19.9);
    });

    it('a leading dash without -- is refused as an unknown option (exit 2), nothing written', async () => {
      const dir = join(root, 'dash-bare');
      place(dir, '-x.m4a', { from: fixture('originals/rec-a.m4a') });
      const before = listing(dir);
      const run = await cli(['pack', '-x.m4a']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/unknown option/i);
      expect(listing(dir)).toEqual(before);
    });

    const hostile: Array<[string, string]> = [
      ['CR and LF', 'line\r\nbreak\nname.m4a'],
      ['percent signs', '100%25 sure %0A.m4a'],
      ['colon, star, question mark', 'a:b*c?d.m4a'],
      ['quotes and angle brackets', `"quoted" 'single' <tag>|pipe.m4a`],
      ['a backslash and a tab', 'back\\slash\tand tab.m4a'],
      ['terminal escapes and a right-to-left override', '\u001b[31mred\u001b[0m \u202egpj.m4a'],
      ['trailing spaces and dots', 'ends in dots. . .m4a'],
      ['a Windows device name', 'CON.m4a'],
    ];
    it.each(hostile)('%s', async (_label, name) => {
      const path = place(join(root, 'names', String(++outCount)), name, {
        from: fixture('originals/rec-a.mp3'),
      });
      const { inspection, evidence, zip } = await expectUsable(path, root);
      expect(inspection.file.name).toBe(name);
      expect(evidence.items[0]!.originalName).toBe(name);
      const bagPath = evidence.items[0]!.bagPath;
      expect(bagPath).not.toMatch(/[\r\n%\\:*?"<>|\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
      // The zip's own name is portable too, and every line of bag-info.txt is one "Label: value".
      expect(basename(zip)).not.toMatch(/[\r\n%\\:*?"<>|\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
      const info = await bagEntry(zip, 'bag-info.txt');
      for (const line of info.split('\n').filter(Boolean)) expect(line).toMatch(/^[A-Za-z0-9-]+: |^\s/);
      expect(info).toContain('Original-Filename: ');
      expect(info).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    });
  });

  it('a symbolic link is followed, and both paths are recorded', async () => {
    const target = place(join(root, 'real'), 'target.m4a', { from: fixture('originals/rec-a.m4a') });
    const linkDir = join(root, 'links');
    mkdirSync(linkDir);
    const link = join(linkDir, 'the link.m4a');
    symlinkSync(target, link);
    const { inspection, evidence } = await expectUsable(link, root);
    expect(inspection.file.path).toBe(link);
    expect(inspection.file['realPath']).toBe(target);
    expect(evidence.items[0]!.source).toEqual({ path: link, linkPath: link, realPath: target });
    expect(evidence.items[0]!.originalName).toBe('the link.m4a');
  });

  describe('a file that grows while it is packed', () => {
    let long: string;
    beforeAll(() => {
      // Thirty minutes of the fixture, stream-copied: instant to make, a few seconds for pack to read,
      // copy and decode, so appends from a timer land while the run is under way.
      long = join(root, 'growing', 'recording.m4a');
      mkdirSync(dirname(long));
      expect(makeLongRecording(long)).toBe(0);
    });

    for (const zip of [true, false]) {
      it(`fails naming the change and leaves nothing (${zip ? 'zip' : '--no-zip'})`, async () => {
        const out = freshOut(root);
        const timer = setInterval(() => appendFileSync(long, Buffer.alloc(4096, 1)), 5);
        let run: Awaited<ReturnType<typeof cli>>;
        try {
          run = await cli(['pack', '--out', out, ...(zip ? [] : ['--no-zip']), long]);
        } finally {
          clearInterval(timer);
        }
        expect([1, 2]).toContain(run.code);
        expect(run.stderr).toMatch(/changed while it was being packed/);
        expect(run.stderr).toContain(long);
        expect(run.stderr).not.toMatch(STACK_LINE);
        expect(run.stdout).toBe('');
        expect(readdirSync(out)).toEqual([]);
        expect(readdirSync(dirname(long))).toEqual([basename(long)]);
      });
    }

    /** Runs pack on a fresh copy of the long file and does `change` to it once pack is copying it. */
    async function packWhile(name: string, change: (path: string) => void) {
      const path = join(root, 'changing', name);
      mkdirSync(dirname(path), { recursive: true });
      copyFileSync(long, path);
      const out = freshOut(root);
      mkdirSync(out);
      let done = false;
      const watcher = setInterval(() => {
        const temp = readdirSync(out).find((entry) => entry.startsWith('.') && entry.includes('.tmp-'));
        if (!done && temp && existsSync(join(out, temp, 'bag/data/original', name))) {
          done = true;
          change(path);
        }
      }, 2);
      try {
        const run = await cli(['pack', '--out', out, path]);
        expect(done).toBe(true);
        return { run, out, path };
      } finally {
        clearInterval(watcher);
      }
    }

    it('a file deleted while it is packed: fails naming the change, leaves nothing', async () => {
      const { run, out, path } = await packWhile('deleted.m4a', (p) => unlinkSync(p));
      expect([1, 2]).toContain(run.code);
      expect(run.stderr).toMatch(/changed while it was being packed \(the file disappeared\)/);
      expect(run.stderr).toContain(path);
      expect(run.stderr).not.toMatch(STACK_LINE);
      expect(readdirSync(out)).toEqual([]);
    });

    it('a file changed in place with its size and mtime put back while it is packed', async () => {
      const { run, out } = await packWhile('rewritten.m4a', (p) => {
        // touch -r keeps the nanoseconds that a round trip through JavaScript numbers would lose.
        const reference = `${p}.times`;
        writeFileSync(reference, '');
        expect(spawnSync('touch', ['-r', p, reference]).status).toBe(0);
        const fd = openSync(p, 'r+');
        try {
          writeSync(fd, Buffer.from([0x00]), 0, 1, 1000);
        } finally {
          closeSync(fd);
        }
        expect(spawnSync('touch', ['-r', reference, p]).status).toBe(0);
      });
      expect([1, 2]).toContain(run.code);
      expect(run.stderr).toMatch(/changed while it was being packed/);
      expect(readdirSync(out)).toEqual([]);
    });

    it('a file replaced by an identical copy (same bytes, size and mtime) while it is packed', async () => {
      const { run, out } = await packWhile('replaced.m4a', (p) => {
        const info = statSync(p);
        copyFileSync(p, `${p}.new`);
        utimesSync(`${p}.new`, info.atimeMs / 1000, info.mtimeMs / 1000);
        renameSync(`${p}.new`, p);
      });
      expect([1, 2]).toContain(run.code);
      expect(run.stderr).toMatch(/changed while it was being packed \(replaced by another file\)/);
      expect(readdirSync(out)).toEqual([]);
    });
  });

  it('escape sequences and bidi overrides in a path never reach the terminal raw', async () => {
    const terminalUnsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    const dir = join(root, 'terminal');
    const missing = join(dir, '\u001b[2J\u001b]0;owned\u0007 \u202egpj.m4a');
    for (const args of [
      ['inspect', missing],
      ['pack', '--out', join(dir, 'out'), missing],
    ]) {
      const run = await cli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('\\u001b[2J\\u001b]0;owned\\u0007 \\u202egpj.m4a');
      expect(run.stderr).not.toMatch(terminalUnsafe);
    }
    // The same name on a real file, met while walking a folder.
    place(dir, '\u001b[31mred\u202ex.amr', { from: fixture('originals/rec-a.amr') });
    for (const args of [
      ['inspect', dir],
      ['pack', '--out', join(dir, '..', 'terminal-out'), dir],
    ]) {
      const run = await cli(args);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).not.toMatch(terminalUnsafe);
    }
  });

  it('messages follow the user language (zh-CN)', async () => {
    const missing = join(root, '不存在的录音.m4a');
    const run = await cli(['pack', missing], { LANG: 'zh_CN.UTF-8' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`找不到文件：${missing}`);
    expect(extname(missing)).toBe('.m4a');
  });
});

describe.skipIf(!HAS_UNZIP)('unzip -t on a bundle made from a damaged file', () => {
  it('passes', async () => {
    const root = tempDir('ae-bad-zip-');
    const path = place(root, 'cut.wav', readFileSync(fixture('originals/rec-a.wav')).subarray(0, 5000));
    const out = join(root, 'out');
    expect((await cli(['pack', '--out', out, path])).code).toBe(0);
    const test = runTool('unzip', ['-t', join(out, 'cut-evidence.zip')]);
    expect(test.code, test.stdout).toBe(0);
  });
});
