// pack: BagIt bag and zip on recordings in several formats, checked with the tools examiners use.
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/bundle/evidence.js';
import { pack, packBundle } from '../../src/bundle/pack.js';
import { verify } from '../../src/verify/verify.js';
import { cli, fixture } from '../helpers.js';
import {
  bagitViolations,
  HAS_BAGIT_PY,
  HAS_CKSUM_SM3,
  HAS_JAVAC,
  HAS_PYTHON,
  HAS_SHA256SUM,
  HAS_UNZIP,
  removeTempDirs,
  runTool,
  sha256,
  tempDir,
  walk,
} from './support.js';

afterAll(removeTempDirs);

const FORMATS = ['rec-a.m4a', 'rec-a.amr', 'rec-a.mp3', 'rec-a.wav'] as const;

/** A copy of a fixture under a name, with a known old mtime (so "mtime kept" is not a coincidence). */
function stage(dir: string, fixtureName: string, name: string): string {
  const path = join(dir, name);
  copyFileSync(fixture(`originals/${fixtureName}`), path);
  utimesSync(path, new Date('2023-04-05T06:07:08.123Z'), new Date('2023-04-05T06:07:08.456Z'));
  return path;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

describe('pack --no-zip: the bag', () => {
  for (const format of FORMATS) {
    it(`makes a valid BagIt 1.0 bag from ${format}, original byte-identical with its mtime`, async () => {
      const dir = tempDir();
      const source = stage(dir, format, `录音 ${format}`);
      const before = statSync(source);
      const bytes = readFileSync(source);
      const [bundle] = await pack([source], {
        zip: false,
        caseId: '(2024)京0105民初123号',
        proves: '借款事实',
      });
      const bag = bundle!.path;
      expect(bag).toBe(join(dir, `录音 rec-a-evidence`));
      expect(bagitViolations(bag)).toEqual([]);

      const copy = join(bag, 'data/original', `录音 ${format}`);
      expect(readFileSync(copy).equals(bytes)).toBe(true);
      expect(Math.abs(statSync(copy).mtimeMs - before.mtimeMs)).toBeLessThan(0.01);
      // The source is untouched: same bytes, same mtime.
      expect(readFileSync(source).equals(bytes)).toBe(true);
      expect(statSync(source).mtimeMs).toBe(before.mtimeMs);

      const files = walk(bag);
      expect(files).toEqual(
        expect.arrayContaining([
          'bagit.txt',
          'bag-info.txt',
          'manifest-sha256.txt',
          'tagmanifest-sha256.txt',
          'meta/sm3sums.txt',
          'meta/evidence.json',
          'meta/README-verify.txt',
          `data/original/录音 ${format}`,
          'data/report/inspection.json',
        ]),
      );
      expect(files.some((f) => /manifest-sm3/.test(f))).toBe(false);
      const tagManifest = readFileSync(join(bag, 'tagmanifest-sha256.txt'), 'utf8');
      for (const tag of [
        'bagit.txt',
        'bag-info.txt',
        'manifest-sha256.txt',
        'meta/sm3sums.txt',
        'meta/evidence.json',
        'meta/README-verify.txt',
      ])
        expect(tagManifest).toContain(`  ${tag}\n`);
      const inspection = readJson<{ file: { sha256: string } }>(join(bag, 'data/report/inspection.json'));
      expect(inspection.file.sha256).toBe(sha256(bytes));

      const info = readFileSync(join(bag, 'bag-info.txt'), 'utf8');
      expect(info).toContain(`Original-Filename: 录音 ${format}\n`);
      expect(info).toContain(`Evidence-SHA256: ${sha256(bytes)}\n`);
      expect(info).toContain('External-Identifier: (2024)京0105民初123号\n');
      expect(info).toContain('Proves: 借款事实\n');
      expect(info).toMatch(/^Bagging-Date: \d{4}-\d{2}-\d{2}$/m);
    });
  }

  it.skipIf(!HAS_SHA256SUM)('passes sha256sum -c on both manifests from the bag root', async () => {
    const dir = tempDir();
    const [bundle] = await pack([stage(dir, 'rec-a.m4a', '通话 录音 2024.m4a')], { zip: false });
    for (const manifest of ['manifest-sha256.txt', 'tagmanifest-sha256.txt']) {
      const run = runTool('sha256sum', ['-c', '--strict', manifest], bundle!.path);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).not.toMatch(/FAILED/);
    }
    expect(runTool('sha256sum', ['-c', 'manifest-sha256.txt'], bundle!.path).stdout).toContain(
      'data/original/通话 录音 2024.m4a: OK',
    );
  });

  it.skipIf(!HAS_CKSUM_SM3)('passes cksum -a sm3 -c meta/sm3sums.txt from the bag root', async () => {
    const dir = tempDir();
    const [bundle] = await pack([stage(dir, 'rec-a.amr', '语音 1.amr')], { zip: false });
    const run = runTool('cksum', ['-a', 'sm3', '-c', 'meta/sm3sums.txt'], bundle!.path);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('data/original/语音 1.amr: OK');
  });

  it.skipIf(!HAS_BAGIT_PY)('is accepted by the Library of Congress validator (bagit-python)', async () => {
    const dir = tempDir();
    const [bundle] = await pack([stage(dir, 'rec-a.mp3', '录音 3.mp3')], { zip: false });
    const run = runTool('python3', ['-m', 'bagit', '--validate', bundle!.path]);
    expect(run.stderr).toMatch(/is valid/);
    expect(run.code).toBe(0);
  });

  it('records PREMIS-style custody events with offset times, and the verbatim name', async () => {
    const dir = tempDir();
    const name = 'a:b*c? "d" <e> |f| 100% \\g\r\n.m4a';
    const source = stage(dir, 'rec-a.m4a', name);
    const [bundle] = await pack([source], {
      zip: false,
      submitter: '张三\n李四',
      title: 'x'.repeat(40) + ' y'.repeat(40),
    });
    const bag = bundle!.path;
    const portable = 'a_b_c_ _d_ _e_ _f_ 100_ _g__.m4a';
    expect(bundle!.items[0]).toMatchObject({
      originalName: name,
      bagPath: `data/original/${portable}`,
      nameChanged: true,
    });
    expect(existsSync(join(bag, 'data/original', portable))).toBe(true);
    const evidence = readJson<Evidence>(join(bag, 'meta/evidence.json'));
    const item = evidence.items[0]!;
    expect(item.originalName).toBe(name);
    expect(item.source.path).toBe(source);
    expect(item.times.modified).toMatch(/^2023-04-0\dT\d\d:\d\d:08\.456[+-]\d\d:\d\d$/);
    const types = evidence.events.map((e) => e.type);
    for (const type of [
      'ingestion',
      'message digest calculation',
      'fixity check',
      'format identification',
      'metadata extraction',
      'filename change',
      'packaging',
    ])
      expect(types).toContain(type);
    for (const e of evidence.events) {
      expect(e.dateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
      expect(e.agent).toMatch(/^audio-evidence /);
      expect(e.outcome).toBe('success');
    }
    const info = readFileSync(join(bag, 'bag-info.txt'), 'utf8');
    // Verbatim name, escaped onto one line; free text made single-line, long text folded at spaces.
    expect(info).toContain('Original-Filename: a:b*c? "d" <e> |f| 100% \\\\g\\r\\n.m4a\n');
    expect(info).toContain('Contact-Name: 张三 李四\n');
    expect(info).toMatch(/^External-Description: x{40}( y)+\n( y)+/m);
    expect(bagitViolations(bag)).toEqual([]);
  });

  it('writes a bilingual README-verify with every platform command and no unfilled placeholder', async () => {
    const dir = tempDir();
    const [bundle] = await pack([stage(dir, 'rec-a.wav', 'meeting.wav')], { zip: false });
    const readme = readFileSync(join(bundle!.path, 'meta/README-verify.txt'), 'utf8');
    expect(readme).not.toMatch(/\{\{|\}\}/);
    for (const text of [
      '核验说明',
      'HOW TO VERIFY',
      'sha256sum -c manifest-sha256.txt',
      'shasum -a 256 -c manifest-sha256.txt',
      'certutil -hashfile RECORDING SHA256',
      'Get-FileHash -Algorithm SHA256',
      'cksum -a sm3 -c meta/sm3sums.txt',
      "sha256sum -c 'meeting-evidence.zip.sha256'",
      "audio-evidence verify 'meeting-evidence.zip'",
    ])
      expect(readme).toContain(text);
  });

  it('packs a 0-byte file and a truncated file, with the damage in the findings', async () => {
    const dir = tempDir();
    const empty = join(dir, 'empty.m4a');
    writeFileSync(empty, '');
    const truncated = join(dir, 'cut.m4a');
    writeFileSync(truncated, readFileSync(fixture('originals/rec-a.m4a')).subarray(0, 40_000));
    const [a] = await pack([empty], { zip: false });
    const [b] = await pack([truncated], { zip: false });
    const emptyEvidence = readJson<Evidence>(join(a!.path, 'meta/evidence.json'));
    expect(emptyEvidence.items[0]!.size).toBe(0);
    expect(emptyEvidence.items[0]!.findings.map((f) => f.id)).toContain('empty-file');
    expect(readFileSync(join(a!.path, 'bag-info.txt'), 'utf8')).toMatch(/^Payload-Oxum: \d+\.\d+$/m);
    const cutEvidence = readJson<Evidence>(join(b!.path, 'meta/evidence.json'));
    expect(cutEvidence.items[0]!.findings.some((f) => f.severity !== 'info')).toBe(true);
    expect(bagitViolations(a!.path)).toEqual([]);
    expect(bagitViolations(b!.path)).toEqual([]);
  });
});

describe('pack: the zip', () => {
  let dir: string;
  let zipPath: string;
  let source: string;
  beforeAll(async () => {
    dir = tempDir();
    source = stage(dir, 'rec-a.m4a', '录音 2024-05-01 张三.m4a');
    const run = await cli(['pack', source]);
    expect(run.code).toBe(0);
    zipPath = join(dir, '录音 2024-05-01 张三-evidence.zip');
    expect(run.stdout.split('\n')[0]).toBe(zipPath);
  });

  it('writes a sidecar in sha256sum format naming the zip by its base name', () => {
    const sidecar = readFileSync(`${zipPath}.sha256`, 'utf8');
    expect(sidecar).toBe(`${sha256(readFileSync(zipPath))}  录音 2024-05-01 张三-evidence.zip\n`);
    if (HAS_SHA256SUM) expect(runTool('sha256sum', ['-c', `${zipPath}.sha256`], dir).code).toBe(0);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it.skipIf(!HAS_UNZIP)('passes unzip -t', () => {
    const run = runTool('unzip', ['-t', zipPath]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No errors detected');
  });

  it.skipIf(!HAS_PYTHON)('holds one top folder with UTF-8 names flagged as UTF-8 (Python zipfile)', () => {
    const script = [
      'import json, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'bad = z.testzip()',
      'print(json.dumps({"bad": bad, "entries": [[i.filename, i.flag_bits, i.file_size, i.compress_type, list(i.date_time)] for i in z.infolist()]}))',
    ].join('\n');
    const run = runTool('python3', ['-c', script, zipPath]);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as {
      bad: null;
      entries: Array<[string, number, number, number, number[]]>;
    };
    expect(out.bad).toBeNull();
    const top = '录音 2024-05-01 张三-evidence/';
    for (const [name, flags] of out.entries) {
      expect(name.startsWith(top)).toBe(true);
      // Bit 11: names are UTF-8. archiver sets it on every non-ASCII name; ASCII reads the same either way.
      if (/[^\x00-\x7f]/.test(name)) expect(flags & 0x800).toBe(0x800);
    }
    const original = out.entries.find(([name]) => name === `${top}data/original/录音 2024-05-01 张三.m4a`);
    expect(original?.[2]).toBe(statSync(source).size);
    // The entry's DOS time is the original's mtime (local time, 2-second resolution).
    const mtime = statSync(source).mtime;
    const [y, mo, d, h, mi, s] = original![4];
    expect([y, mo, d, h, mi]).toEqual([
      mtime.getFullYear(),
      mtime.getMonth() + 1,
      mtime.getDate(),
      mtime.getHours(),
      mtime.getMinutes(),
    ]);
    expect(Math.abs(s! - mtime.getSeconds())).toBeLessThanOrEqual(1);
  });

  it.skipIf(!HAS_JAVAC)("reads entry by entry with Java's ZipInputStream", () => {
    const work = tempDir('ae-java-');
    writeFileSync(
      join(work, 'ZipCheck.java'),
      `import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.zip.*;
public class ZipCheck {
  public static void main(String[] args) throws Exception {
    try (ZipInputStream zip = new ZipInputStream(new FileInputStream(args[0]), StandardCharsets.UTF_8)) {
      byte[] buffer = new byte[65536];
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        long size = 0; int read;
        while ((read = zip.read(buffer)) > 0) size += read;
        System.out.println(size + "\\t" + entry.getName());
      }
    }
  }
}
`,
    );
    expect(runTool('javac', ['-encoding', 'UTF-8', 'ZipCheck.java'], work).code).toBe(0);
    const run = spawnSync(
      'java',
      ['-Dfile.encoding=UTF-8', '-Dstdout.encoding=UTF-8', '-cp', work, 'ZipCheck', zipPath],
      {
        encoding: 'utf8',
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(9);
    expect(lines).toContain(
      `${statSync(source).size}\t录音 2024-05-01 张三-evidence/data/original/录音 2024-05-01 张三.m4a`,
    );
  });

  it('never overwrites: a second pack takes -2 and says so, the first bundle untouched', async () => {
    const first = readFileSync(zipPath);
    const run = await cli(['pack', source]);
    expect(run.code).toBe(0);
    const second = join(dir, '录音 2024-05-01 张三-evidence-2.zip');
    expect(run.stdout.split('\n')[0]).toBe(second);
    expect(run.stderr).toContain(zipPath);
    expect(readFileSync(zipPath).equals(first)).toBe(true);
    expect(readFileSync(`${second}.sha256`, 'utf8')).toMatch(
      /^[0-9a-f]{64} {2}录音 2024-05-01 张三-evidence-2\.zip\n$/,
    );
    const [bundle] = await pack([source], {});
    expect(bundle!.renamedFrom).toBe(zipPath);
    expect(bundle!.path).toBe(join(dir, '录音 2024-05-01 张三-evidence-3.zip'));
  });
});

describe('pack: safety of the original and of the output', () => {
  it('fails with input-changed and leaves nothing when the source changes while it is read', async () => {
    const dir = tempDir();
    const source = stage(dir, 'rec-a.wav', 'live.wav');
    const out = join(dir, 'out');
    let appended = false;
    await expect(
      pack([source], {
        out,
        onProgress: (p) => {
          if (p.stage === 'hash' && !appended) {
            appended = true;
            appendFileSync(source, Buffer.alloc(1000));
          }
        },
      }),
    ).rejects.toMatchObject({ code: 'input-changed', exitCode: 1 });
    expect(readdirSync(out)).toEqual([]);
  });

  it('CLI: a missing file is reported (exit 2) and the other files are still packed', async () => {
    const dir = tempDir();
    const source = stage(dir, 'rec-a.wav', 'gone.wav');
    const run = await cli(['pack', join(dir, 'missing.wav'), source, '--out', join(dir, 'o')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing.wav');
    expect(readdirSync(join(dir, 'o'))).toEqual([
      'gone-evidence-forms',
      'gone-evidence.zip',
      'gone-evidence.zip.sha256',
    ]);
  });

  it('removes temporary folders left by killed runs (dead pid) and keeps live ones', async () => {
    const dir = tempDir();
    const source = stage(dir, 'rec-a.amr', 'call.amr');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const stale = join(dir, `.call-evidence.tmp-${dead}-0badc0de`);
    const live = join(dir, `.call-evidence.tmp-${process.pid}-0123abcd`);
    mkdirSync(join(stale, 'bag/data'), { recursive: true });
    mkdirSync(live);
    // Each run records its owner; a PID is judged only on the host that wrote it.
    const owner = (pid: number) =>
      JSON.stringify({ host: hostname(), pid, started: new Date().toISOString() });
    writeFileSync(join(stale, 'owner.json'), owner(dead));
    writeFileSync(join(live, 'owner.json'), owner(process.pid));
    const [bundle] = await pack([source], {});
    expect(bundle!.removedStale).toEqual([stale]);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  it('refuses a folder without recordings and an empty --combine name, with exit 2 (more in test/batch)', async () => {
    const dir = tempDir();
    const source = stage(dir, 'rec-a.amr', 'x.amr');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect((await cli(['pack', source, '--combine', ' '])).code).toBe(2);
    expect((await cli(['pack', empty])).code).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['empty', 'x.amr']);
  });
});

describe('pack: links and several recordings in one bag', () => {
  it('follows a symbolic link, records both paths, and writes beside the link', async () => {
    const real = tempDir();
    const target = stage(real, 'rec-a.mp3', 'target.mp3');
    const links = tempDir();
    const link = join(links, '链接 录音.mp3');
    symlinkSync(target, link);
    const [bundle] = await pack([link], { zip: false });
    expect(bundle!.path).toBe(join(links, '链接 录音-evidence'));
    const evidence = readJson<Evidence>(join(bundle!.path, 'meta/evidence.json'));
    expect(evidence.items[0]!.source).toEqual({ path: link, linkPath: link, realPath: target });
    expect(evidence.items[0]!.originalName).toBe('链接 录音.mp3');
    expect(readFileSync(join(bundle!.path, 'data/original/链接 录音.mp3')).equals(readFileSync(target))).toBe(
      true,
    );
  });

  it('numbers the items of a multi-recording bag (data/original/01-…) and seals each', async () => {
    const dir = tempDir();
    const a = stage(dir, 'rec-a.m4a', '第一段.m4a');
    const b = stage(dir, 'rec-a.amr', '第二段.amr');
    const bundle = await packBundle([a, b], { zip: false });
    expect(bundle.items.map((i) => i.bagPath)).toEqual([
      'data/original/01-第一段.m4a',
      'data/original/02-第二段.amr',
    ]);
    const files = walk(bundle.path);
    expect(files).toEqual(
      expect.arrayContaining(['data/report/01-inspection.json', 'data/report/02-inspection.json']),
    );
    const info = readFileSync(join(bundle.path, 'bag-info.txt'), 'utf8');
    expect(info.match(/^Original-Filename: .+$/gm)).toEqual([
      'Original-Filename: 第一段.m4a',
      'Original-Filename: 第二段.amr',
    ]);
    expect(bagitViolations(bundle.path)).toEqual([]);
    expect((await verify(bundle.path)).ok).toBe(true);
  });
});
