// Issue 13, "Hardening, round two": one regression test per case that is about the whole command (the
// unit-level cases live beside their module's tests). Each would fail before its fix.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandInputs } from '../../src/batch/expand.js';
import type { Evidence } from '../../src/bundle/evidence.js';
import { pack } from '../../src/bundle/pack.js';
import { AudioEvidenceError } from '../../src/errors.js';
import { hash } from '../../src/index.js';
import { verify } from '../../src/verify/verify.js';
import { removeTempDirs, tempDir } from '../bundle/support.js';
import { cli, fixture, HAS_SAMPLES, SAMPLES } from '../helpers.js';
import { BIN, bagEntry, ensureBuilt, FFMPEG, STACK_LINE } from './support.js';

beforeAll(ensureBuilt);
afterAll(removeTempDirs);

/** Runs the built CLI in `cwd` with a small heap, so a run that sizes memory from a header fails fast. */
function runBin(args: string[], cwd: string, heapMb = 256) {
  const run = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, BIN, ...args], {
    cwd,
    env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' },
    encoding: 'utf8',
    timeout: 60_000,
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
        'longloop-evidence.zip',
        'longloop-evidence.zip.sha256',
        'longloop.ape',
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
        const error = await pack([tone], { out: disk.dir }).catch((e: unknown) => e);
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
    expect(readdirSync(join(dir, 'case')).sort()).toEqual([
      'x-evidence',
      'x-evidence-2.zip',
      'x-evidence-2.zip.sha256',
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
      'test.amr-evidence.zip',
      'test.amr-evidence.zip.sha256',
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
