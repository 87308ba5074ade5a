// Issue 13, "Hardening, round two": one regression test per case that is about the whole command (the
// unit-level cases live beside their module's tests). Each would fail before its fix.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandInputs } from '../../src/batch/expand.js';
import type { Evidence } from '../../src/bundle/evidence.js';
import { pack } from '../../src/bundle/pack.js';
import { run } from '../../src/cli.js';
import { AudioEvidenceError } from '../../src/errors.js';
import { hash } from '../../src/index.js';
import { verify } from '../../src/verify/verify.js';
import { HAS_SHA256SUM, removeTempDirs, tempDir, writeRawZip } from '../bundle/support.js';
import { cli, fixture, HAS_SAMPLES, SAMPLES } from '../helpers.js';
import { BIN, bagEntry, ensureBuilt, FFMPEG, readZip, STACK_LINE, within } from './support.js';

beforeAll(ensureBuilt);
afterAll(removeTempDirs);

/** Runs the built CLI in `cwd` with a small heap, so a run that sizes memory from a header fails fast. */
function runBin(args: string[], cwd: string, heapMb = 256) {
  const run = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, BIN, ...args], {
    cwd,
    env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' },
    encoding: 'utf8',
    // Below the test timeout, so a hang still reaches the test's `finally` (which unmounts).
    timeout: 30_000,
  });
  return { code: run.status, signal: run.signal, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
}

const LONGLOOP = join(SAMPLES, 'corrupt', 'taglib__taglib__longloop.ape');

describe('case 1: a header claiming 58 years of audio', () => {
  it.skipIf(!HAS_SAMPLES || !existsSync(LONGLOOP))(
    'packs the 184-byte APE in a batch beside a good recording, both bundled, within a 256 MB heap',
    () => {
      const dir = tempDir('ae-r2-');
      copyFileSync(LONGLOOP, join(dir, 'longloop.ape'));
      copyFileSync(fixture('originals/rec-a.m4a'), join(dir, 'rec-a.m4a'));
      const run = runBin(['pack', '--jobs', '2', 'longloop.ape', 'rec-a.m4a'], dir);
      expect(run.signal, run.stderr).toBeNull();
      expect(run.code, run.stderr).toBe(0);
      const names = readdirSync(dir).sort();
      expect(names).toEqual([
        'longloop-evidence-forms',
        'longloop-evidence.zip',
        'longloop-evidence.zip.sha256',
        'longloop.ape',
        'rec-a-evidence-forms',
        'rec-a-evidence.zip',
        'rec-a-evidence.zip.sha256',
        'rec-a.m4a',
      ]);
    },
  );
});

/** A tmpfs of `size` mounted on a fresh folder (root only); undefined when this machine refuses. */
function mountTmpfs(size: string, readOnly = false): { dir: string; unmount: () => void } | undefined {
  const dir = join(tempDir('ae-r2-mnt-'), 'mnt');
  mkdirSync(dir);
  const options = `size=${size}${readOnly ? ',ro' : ''}`;
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) return undefined;
  return { dir, unmount: () => spawnSync('umount', ['-l', dir]) };
}

const CAN_MOUNT = (() => {
  const probe = mountTmpfs('64k');
  probe?.unmount();
  return probe !== undefined;
})();
const NO_MOUNT = 'mounting a tmpfs needs root (and a system that allows it)';

/** 30 s of a 16 kHz tone as WAVE (960 kB): it fits a 2 MB disk once, not twice (bag + zip). */
function makeTone(path: string): void {
  const made = spawnSync(FFMPEG, [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'sine=f=440:d=30:sample_rate=16000',
    '-ac',
    '1',
    path,
  ]);
  expect(made.status).toBe(0);
}

describe('case 2: the disk fills up while the zip is written', () => {
  it.skipIf(!CAN_MOUNT)(
    `CLI (${NO_MOUNT}): exit 2, "not enough space" in both languages, nothing left`,
    () => {
      const dir = tempDir('ae-r2-');
      makeTone(join(dir, 'tone.wav'));
      const disk = mountTmpfs('2m')!;
      try {
        for (const [lang, words] of [
          ['en', 'Not enough space in'],
          ['zh-CN', '磁盘空间不足'],
        ] as const) {
          const run = runBin(['pack', '--lang', lang, '--out', disk.dir, 'tone.wav'], dir);
          expect(run.signal, run.stderr).toBeNull();
          expect(run.code, run.stderr).toBe(2);
          expect(run.stderr).toContain(words);
          expect(run.stderr).toContain(disk.dir);
          expect(run.stderr).not.toMatch(STACK_LINE);
          expect(readdirSync(disk.dir)).toEqual([]);
        }
      } finally {
        disk.unmount();
      }
    },
  );

  it.skipIf(!CAN_MOUNT)(
    `library (${NO_MOUNT}): pack() rejects with output-no-space; the host lives on`,
    async () => {
      const dir = tempDir('ae-r2-');
      const tone = join(dir, 'tone.wav');
      makeTone(tone);
      const disk = mountTmpfs('2m')!;
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        // Bounded, so that a hang (the bug) still reaches `finally` and unmounts.
        const error = await within(30_000, 'pack on a full disk', pack([tone], { out: disk.dir })).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(AudioEvidenceError);
        expect(error).toMatchObject({ code: 'output-no-space', exitCode: 2, params: { path: disk.dir } });
        expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('ENOSPC');
        await new Promise((r) => setTimeout(r, 50));
        expect(unhandled).toEqual([]);
        expect(readdirSync(disk.dir)).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
        disk.unmount();
      }
    },
  );
});

describe('case 8: packs racing for one name', () => {
  it('four packs of one file into one folder: each bundle records the name it is published under', async () => {
    const dir = tempDir('ae-r2-');
    const source = join(dir, 'rec-a.amr');
    copyFileSync(fixture('originals/rec-a.amr'), source);
    const out = join(dir, 'out');
    const bundles = (await Promise.all([1, 2, 3, 4].map(() => pack([source], { out })))).flat();
    const zips = bundles.map((b) => basename(b.path)).sort();
    expect(zips).toEqual([
      'rec-a-evidence-2.zip',
      'rec-a-evidence-3.zip',
      'rec-a-evidence-4.zip',
      'rec-a-evidence.zip',
    ]);
    for (const bundle of bundles) {
      const zip = basename(bundle.path);
      const evidence = JSON.parse(await bagEntry(bundle.path, 'meta/evidence.json')) as Evidence;
      expect(evidence.bag).toMatchObject({ name: zip.replace(/\.zip$/, ''), zip });
      const packaging = evidence.events.find((e) => e.type === 'packaging');
      expect(packaging?.detail).toContain(`serialised as ${zip} `);
      expect(await bagEntry(bundle.path, 'meta/README-verify.txt')).toContain(`${zip}.sha256`);
    }
    expect(readdirSync(out).filter((name) => name.startsWith('.'))).toEqual([]);
    // Each suffixed bundle says what held the preferred name: a finished bundle, or a run still writing it.
    for (const bundle of bundles.filter((b) => basename(b.path) !== 'rec-a-evidence.zip'))
      expect(bundle.renamedFrom, bundle.path).toMatch(/rec-a-evidence\.zip(\.sha256)?$/);
  });
});

describe('case 10: empty paths and wrong argument types', () => {
  it('CLI: pack "" is bad usage (exit 2) and packs nothing in the current folder', () => {
    const dir = tempDir('ae-r2-');
    copyFileSync(fixture('originals/rec-a.amr'), join(dir, 'a.amr'));
    for (const command of ['pack', 'inspect', 'hash', 'verify']) {
      const run = runBin([command, ''], dir);
      expect(run.code, `${command}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toContain('An empty path was given');
      expect(readdirSync(dir)).toEqual(['a.amr']);
    }
    expect(runBin(['pack', '--lang', 'zh-CN', ''], dir).stderr).toContain('给出的路径为空');
  });

  it('library: a string instead of an array, and options of the wrong type, throw AudioEvidenceError', async () => {
    const dir = tempDir('ae-r2-');
    const source = join(dir, 'a.amr');
    copyFileSync(fixture('originals/rec-a.amr'), source);
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['pack(string)', () => pack(source as unknown as string[])],
      ['pack([""])', () => pack([''])],
      ['out: 42', () => pack([source], { out: 42 as unknown as string })],
      ['combine: 42', () => pack([source], { combine: 42 as unknown as string })],
      ['lang: "fr"', () => pack([source], { lang: 'fr' as unknown as 'en' })],
      ['jobs: 0', () => pack([source], { combine: 'x', jobs: 0 })],
      ['hash algorithm', () => hash(source, { algorithms: ['crc' as unknown as 'md5'] })],
      ['verify("")', () => verify('')],
      ['expandInputs(string)', () => expandInputs(source as unknown as string[])],
    ];
    for (const [label, call] of cases) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, label).toBeInstanceOf(AudioEvidenceError);
      expect((error as AudioEvidenceError).exitCode, label).toBe(2);
    }
    expect(readdirSync(dir)).toEqual(['a.amr']);
  });
});

describe('case 12: packing a recording inside an extracted bag', () => {
  it('writes the new bundle beside the bag, says so, and leaves the bag intact; an --out inside it is refused', async () => {
    const dir = tempDir('ae-r2-');
    const source = join(dir, 'x.amr');
    copyFileSync(fixture('originals/rec-a.amr'), source);
    const [bag] = await pack([source], { zip: false, out: join(dir, 'case') });
    const inner = join(bag!.path, 'data/original/x.amr');
    const run = await cli(['pack', inner]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('lies inside the evidence bundle');
    // The -2 is explained by what really holds the name: the bag folder, not a zip.
    expect(run.stderr).toContain(`${bag!.path} already exists and was left alone`);
    expect(readdirSync(join(dir, 'case')).sort()).toEqual([
      'x-evidence',
      'x-evidence-2-forms',
      'x-evidence-2.zip',
      'x-evidence-2.zip.sha256',
      'x-evidence-forms',
    ]);
    expect((await verify(bag!.path)).ok).toBe(true);

    const refused = await cli(['pack', inner, '--out', join(bag!.path, 'data')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is inside the evidence bundle');
    expect((await verify(bag!.path)).ok).toBe(true);
  });
});

describe('case 13: output folder problems and empty names, worded plainly', () => {
  it.skipIf(!CAN_MOUNT)(`a read-only --out (${NO_MOUNT}) names the folder, in both languages, exit 2`, () => {
    const dir = tempDir('ae-r2-');
    copyFileSync(fixture('originals/rec-a.amr'), join(dir, 'a.amr'));
    const disk = mountTmpfs('64k', true)!;
    try {
      for (const out of [disk.dir, join(disk.dir, 'sub')]) {
        const en = runBin(['pack', '--lang', 'en', '--out', out, 'a.amr'], dir);
        expect(en.code).toBe(2);
        expect(en.stderr).toContain(
          `Cannot write to the output folder (read-only, or permission denied): ${out}`,
        );
        expect(en.stderr).not.toMatch(/ENOENT|EROFS|mkdir/);
        const zh = runBin(['pack', '--lang', 'zh-CN', '--out', out, 'a.amr'], dir);
        expect(zh.stderr).toContain(`无法写入输出文件夹（只读或权限不足）：${out}`);
      }
    } finally {
      disk.unmount();
    }
  });

  it('an --out that is a file, or lies under one, is "not a folder"; verify "" names the problem', async () => {
    const dir = tempDir('ae-r2-');
    const source = join(dir, 'a.amr');
    copyFileSync(fixture('originals/rec-a.amr'), source);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    for (const out of [file, join(file, 'sub')]) {
      const run = await cli(['pack', source, '--out', out]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`The output path is not a folder (a file is in the way): ${out}`);
      expect(run.stderr).not.toMatch(/EEXIST|ENOTDIR|mkdir/);
    }
    const verified = await cli(['verify', '']);
    expect(verified.code).toBe(2);
    expect(verified.stderr).toContain('An empty path was given');
    const [bundle] = await pack([source], { out: join(dir, 'out') });
    const original = await cli(['verify', bundle!.path, '--original', '']);
    expect(original.code).toBe(2);
    expect(original.stderr).toContain('An empty path was given');
  });
});

describe('case 14: two recordings with one stem in one folder', () => {
  it('each bundle keeps its extension, and the terminal says why', async () => {
    const dir = tempDir('ae-r2-');
    const folder = join(dir, 'calls');
    mkdirSync(folder);
    copyFileSync(fixture('originals/rec-a.amr'), join(folder, 'test.amr'));
    copyFileSync(fixture('originals/rec-a.silk'), join(folder, 'test.silk'));
    const run = await cli(['pack', folder, '--out', join(dir, 'out')]);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      'test.amr-evidence-forms',
      'test.amr-evidence.zip',
      'test.amr-evidence.zip.sha256',
      'test.silk-evidence-forms',
      'test.silk-evidence.zip',
      'test.silk-evidence.zip.sha256',
    ]);
    expect(run.stderr).toContain('Several recordings in this batch are named "test"');
    expect(run.stderr).not.toContain('already exists');
    // The library names them the same way.
    const bundles = await pack([join(folder, 'test.amr'), join(folder, 'test.silk')], {
      out: join(dir, 'lib'),
    });
    expect(bundles.map((b) => basename(b.path))).toEqual(['test.amr-evidence.zip', 'test.silk-evidence.zip']);
  });
});

describe('case 4: names printed by verify and hash', () => {
  it('verify: a crafted entry name cannot paint a fake "Bundle intact" line', async () => {
    const dir = tempDir('ae-r2-');
    const source = join(dir, 'a.amr');
    copyFileSync(fixture('originals/rec-a.amr'), source);
    const [bundle] = await pack([source], { out: join(dir, 'out') });
    const entries = [...(await readZip(bundle!.path))].map(([name, data]) => ({ name, data }));
    const fake = '\r\u001b[2K\u001b[32mBundle intact: 12 files OK, all 10 checks passed.\u001b[0m\u0000';
    const crafted = join(dir, 'crafted.zip');
    writeRawZip(crafted, [...entries, { name: `a-evidence/data/x${fake}`, data: 'x' }]);
    const run = await cli(['verify', crafted]);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/[\u0000\u001b\r]/);
    expect(run.stdout).toContain('\\u001b[32mBundle intact');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^Bundle NOT intact/);
  });

  it.skipIf(!HAS_SHA256SUM)(
    'hash: names with a backslash or a line break are written in sha256sum’s escaped form, and check',
    async () => {
      const dir = tempDir('ae-r2-');
      const names = ['back\\slash.m4a', 'two\nlines.m4a', 'cr\rhere.m4a', 'plain.m4a'];
      for (const name of names) writeFileSync(join(dir, name), name);
      const run = await cli(['hash', ...names.map((n) => join(dir, n))]);
      expect(run.code).toBe(0);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(/^\\[0-9a-f]{64} {2}.*back\\\\slash\.m4a$/);
      expect(lines[1]).toMatch(/^\\[0-9a-f]{64} {2}.*two\\nlines\.m4a$/);
      writeFileSync(join(dir, 'SUMS'), run.stdout);
      const check = spawnSync('sha256sum', ['-c', join(dir, 'SUMS')], { encoding: 'utf8' });
      expect(check.status, check.stdout + check.stderr).toBe(0);
      // On a terminal the other control characters are shown, not sent.
      writeFileSync(join(dir, 'esc\u001b[31m.m4a'), 'x');
      let shown = '';
      const code = await run2(['hash', join(dir, 'esc\u001b[31m.m4a')], (text) => {
        shown += text;
      });
      expect(code).toBe(0);
      expect(shown).not.toContain('\u001b');
      expect(shown).toContain('esc\\u001b[31m.m4a');
    },
  );
});

/** The CLI in-process with stdout taken to be a terminal. */
function run2(argv: string[], stdout: (text: string) => void): Promise<number> {
  return run(argv, {
    stdout,
    stderr: () => undefined,
    env: { LANG: 'en_US.UTF-8' },
    isTTY: { stdout: true, stderr: false },
  });
}

describe('case 7: verify --original says exactly what was compared', () => {
  it('a bundled copy changed after packing: the phone file matches the seal; the copy no longer does', async () => {
    const dir = tempDir('ae-r2-');
    const phone = join(dir, 'phone.amr');
    copyFileSync(fixture('originals/rec-a.amr'), phone);
    const [bag] = await pack([phone], { zip: false, out: join(dir, 'out') });
    const copy = join(bag!.path, 'data/original/phone.amr');
    const bytes = readFileSync(copy);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(copy, bytes);
    const run = await cli(['verify', bag!.path, '--original', phone]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('data/original/phone.amr: CHANGED');
    expect(run.stdout).toContain(
      `${phone} has the SHA-256 and SM3 sealed at packing time for the original data/original/phone.amr`,
    );
    expect(run.stdout).toContain(
      'The bundled copy data/original/phone.amr NO LONGER has those sealed values',
    );
    expect(run.stdout).not.toMatch(/byte-identical to the bundled/);
    const report = await verify(bag!.path, { original: phone });
    expect(report.original).toMatchObject({ identical: true, bundledCopyIntact: false });
    expect(report.bundleOk).toBe(false);
  });

  it('an intact bundle and a different phone file: the bundle is intact, the file is not the one packed', async () => {
    const dir = tempDir('ae-r2-');
    const phone = join(dir, 'phone.amr');
    copyFileSync(fixture('originals/rec-a.amr'), phone);
    const [bundle] = await pack([phone], { out: join(dir, 'out') });
    const other = join(dir, 'other.amr');
    const bytes = readFileSync(phone);
    bytes[100] = bytes[100]! ^ 0xff;
    writeFileSync(other, bytes);
    for (const [lang, intact, differs] of [
      ['en', 'Bundle intact', 'does NOT have the SHA-256 and SM3 sealed at packing time'],
      ['zh_CN', '证据包完好', '不是当初打包的文件'],
    ] as const) {
      const run = await cli(['verify', bundle!.path, '--original', other], { LANG: `${lang}.UTF-8` });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(differs);
      expect(run.stdout).toContain(intact);
      expect(run.stdout).not.toContain('NOT intact');
      expect(run.stdout).not.toContain('证据包不完好');
    }
  });
});

describe('case 5: a small zip of huge text entries', () => {
  it('verify holds no more than a few MB of any entry: 4 × 64 MiB of top-level text within a 160 MB heap', () => {
    const dir = tempDir('ae-r2-');
    const size = 64 * 1024 * 1024;
    const text = Buffer.alloc(size, 'BagIt-Version: 1.0\n');
    const deflated = { size, crc: crc32(text) >>> 0 };
    const data = deflateRawSync(text, { level: 9 });
    const zip = join(dir, 'bomb-evidence.zip');
    writeRawZip(zip, [
      { name: 'bomb-evidence/bagit.txt', data, deflated },
      { name: 'bomb-evidence/bag-info.txt', data, deflated },
      { name: 'bomb-evidence/manifest-sha256.txt', data, deflated },
      { name: 'bomb-evidence/notes.txt', data, deflated },
    ]);
    expect(statSync(zip).size).toBeLessThan(2_000_000);
    const run = runBin(['verify', zip], dir, 160);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('bagit.txt is larger than 8 MB (67108864 bytes)');
    expect(run.stdout).toContain('bag-info.txt is larger than 8 MB');
    expect(run.stdout).toContain('manifest-sha256.txt is larger than 8 MB');
  });
});

describe('case 6: a .zip.sha256 that is there but is not a readable checksum file', () => {
  it('a directory, a link to /dev/zero, a FIFO, a dangling link and a huge file each FAIL the check, quickly', async () => {
    const dir = tempDir('ae-r2-');
    const source = join(dir, 'a.amr');
    copyFileSync(fixture('originals/rec-a.amr'), source);
    const [bundle] = await pack([source], { out: join(dir, 'out') });
    const sidecar = `${bundle!.path}.sha256`;
    const cases: Array<[string, () => void, string]> = [
      ['a directory', () => mkdirSync(sidecar), 'is present but not a regular file'],
      ['a link to /dev/zero', () => symlinkSync('/dev/zero', sidecar), 'is present but not a regular file'],
      [
        'a FIFO',
        () => expect(spawnSync('mkfifo', [sidecar]).status).toBe(0),
        'is present but not a regular file',
      ],
      ['a dangling link', () => symlinkSync(join(dir, 'gone'), sidecar), 'is present but cannot be read'],
      [
        'a huge file',
        () => writeFileSync(sidecar, Buffer.alloc(1024 * 1024, 'a')),
        'not a one-line checksum file',
      ],
    ];
    for (const [label, make, words] of cases) {
      rmSync(sidecar, { recursive: true, force: true });
      make();
      const report = await within(5000, label, verify(bundle!.path));
      const check = report.checks.find((c) => c.id === 'zip-sidecar');
      expect(check, label).toMatchObject({ ok: false });
      expect(check!.detail, label).toContain(words);
      expect(report.ok, label).toBe(false);
    }
    rmSync(sidecar, { recursive: true, force: true });
    const absent = await verify(bundle!.path);
    expect(absent.checks.find((c) => c.id === 'zip-sidecar')).toMatchObject({ ok: true });
  });
});
