// Batch on the command line: folders of mixed recordings (one damaged), --jobs, the summary table,
// exit codes, --combine case bundles and --log, with the originals left exactly as they were.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/bundle/evidence.js';
import type { InspectResult } from '../../src/types.js';
import { verify } from '../../src/verify/verify.js';
import { removeTempDirs, tempDir } from '../bundle/support.js';
import { bagEntry, readZip } from '../hardening/support.js';
import { cli, fixture } from '../helpers.js';

afterAll(removeTempDirs);

const EN = { LANG: 'en_US.UTF-8' };
const ZH = { LANG: 'zh_CN.UTF-8' };

/** sha256 and mtime of every file under `dir`, to prove the inputs were not touched. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else {
        const path = join(dir, rel);
        const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
        out[rel] = `${hash} ${statSync(path).mtimeMs}`;
      }
    }
  };
  walk('');
  return out;
}

/**
 * A case folder: three recordings in different formats (one in a sub-folder, one with a misleading
 * extension), one damaged recording (an M4A cut short), and a note that is not audio.
 */
function caseFolder(): { root: string; folder: string } {
  const root = tempDir('ae-batch-');
  const folder = join(root, '案件 2024');
  mkdirSync(join(folder, '微信'), { recursive: true });
  copyFileSync(fixture('originals/rec-a.m4a'), join(folder, '通话 1.m4a'));
  copyFileSync(fixture('originals/rec-a.amr'), join(folder, '微信', '语音 2.amr'));
  copyFileSync(fixture('originals/rec-a.mp3'), join(folder, '-录音 3.dat'));
  writeFileSync(join(folder, '损坏.m4a'), readFileSync(fixture('originals/rec-a.m4a')).subarray(0, 60_000));
  writeFileSync(join(folder, '说明.txt'), '证据清单草稿\n');
  return { root, folder };
}

describe('pack on a folder of mixed recordings', () => {
  it('packs every recording beside it, the damaged one with its damage reported, and sums up', async () => {
    const { root, folder } = caseFolder();
    const before = snapshot(folder);
    const run = await cli(['pack', '--jobs', '2', folder], EN);
    expect(run.code).toBe(0);

    const zips = [
      '-录音 3-evidence.zip',
      '微信/语音 2-evidence.zip',
      '损坏-evidence.zip',
      '通话 1-evidence.zip',
    ];
    for (const zip of zips) {
      expect(existsSync(join(folder, zip))).toBe(true);
      expect(existsSync(join(folder, `${zip}.sha256`))).toBe(true);
      expect((await verify(join(folder, zip))).ok).toBe(true);
    }
    // The inputs are byte-identical with the same times; nothing but bundles and their forms was added.
    const after = snapshot(folder);
    for (const [path, state] of Object.entries(before)) expect(after[path]).toBe(state);
    expect(
      Object.keys(after).filter(
        (path) => !(path in before) && !/-evidence(\.zip(\.sha256)?|-forms\/[^/]+)$/.test(path),
      ),
    ).toEqual([]);
    expect(readdirSync(root)).toEqual(['案件 2024']);

    // Data on stdout: the bundle paths in input (walk) order.
    const paths = run.stdout.split('\n').filter((line) => line.endsWith('.zip'));
    expect(paths).toEqual(zips.map((zip) => join(folder, zip)));

    const damaged = JSON.parse(
      await bagEntry(join(folder, '损坏-evidence.zip'), 'data/report/inspection.json'),
    ) as InspectResult;
    expect(damaged.summary.verdict).toBe('signs-of-editing');
    expect(damaged.findings.some((f) => f.severity === 'critical')).toBe(true);

    // The table on stderr: one row per recording, the damaged one flagged, the note named as skipped.
    expect(run.stderr).toContain('Summary: 4 item(s), 4 done, 0 failed');
    expect(run.stderr).toMatch(
      /案件 2024\/损坏\.m4a +signs of editing\/damage +案件 2024\/损坏-evidence\.zip|损坏\.m4a +signs of editing\/damage/,
    );
    expect(run.stderr).toMatch(/案件 2024\/通话 1\.m4a +no signs found/);
    expect(run.stderr).toContain(
      'Skipped in folders: 1 file(s) whose content is not a recording: 案件 2024/说明.txt',
    );
    expect(run.stderr).not.toContain('\r');
  });

  it('keeps going past an unusable input and exits 2; the table says what failed, in Chinese', async () => {
    const { root, folder } = caseFolder();
    const missing = join(root, '不存在.m4a');
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const run = await cli(['pack', '--jobs', '1', missing, folder, empty], ZH);
    expect(run.code).toBe(2);
    expect(readdirSync(folder).filter((name) => name.endsWith('-evidence.zip'))).toHaveLength(3);
    expect(run.stderr).toContain(`找不到文件：${missing}`);
    expect(run.stderr).toContain(`此文件夹中没有找到录音（按文件内容识别）：${empty}`);
    expect(run.stderr).toContain('汇总：共 6 项，成功 4 项，失败 2 项');
    expect(run.stderr).toMatch(/不存在\.m4a +失败 +找不到文件/);
  });

  it('an explicitly named non-audio file is still packed (the user asked for it)', async () => {
    const { folder } = caseFolder();
    const note = join(folder, '说明.txt');
    const run = await cli(['pack', note], EN);
    expect(run.code).toBe(0);
    expect(existsSync(join(folder, '说明-evidence.zip'))).toBe(true);
  });

  it('packs again without picking up its own bundles, and never overwrites them', async () => {
    const { folder } = caseFolder();
    expect((await cli(['pack', folder], EN)).code).toBe(0);
    const second = await cli(['pack', folder], EN);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('Summary: 4 item(s), 4 done, 0 failed');
    expect(existsSync(join(folder, '通话 1-evidence-2.zip'))).toBe(true);
    expect(existsSync(join(folder, '通话 1-evidence-evidence.zip'))).toBe(false);
  });

  it('rejects a bad --jobs value with exit 2 before doing anything', async () => {
    const { folder } = caseFolder();
    const run = await cli(['pack', '--jobs', '0', folder], EN);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--jobs takes a whole number from 1 to 256, not "0"');
    expect(readdirSync(folder).some((name) => name.includes('-evidence'))).toBe(false);
  });

  it('--log keeps a copy of what was printed', async () => {
    const { root, folder } = caseFolder();
    const log = join(root, 'log.txt');
    const run = await cli(['pack', '--log', log, folder], EN);
    expect(run.code).toBe(0);
    const text = readFileSync(log, 'utf8');
    expect(text).toContain(run.stdout);
    expect(text).toContain('Summary: 4 item(s), 4 done, 0 failed');
  });
});

describe('inspect on several inputs', () => {
  it('--json prints one array in input order whatever the number of jobs', async () => {
    const { folder } = caseFolder();
    const single = fixture('originals/rec-a.wav');
    const names = ['rec-a.wav', '-录音 3.dat', '语音 2.amr', '损坏.m4a', '通话 1.m4a'];
    for (const jobs of ['1', '3']) {
      const run = await cli(['inspect', '--json', '--jobs', jobs, single, folder], EN);
      expect(run.code).toBe(0);
      const results = JSON.parse(run.stdout) as InspectResult[];
      expect(results.map((r) => r.file.name)).toEqual(names);
      expect(run.stderr).toBe('');
    }
  });

  it('a single folder still gives an array; --fail-on is reached by the damaged file (exit 1)', async () => {
    const { folder } = caseFolder();
    const run = await cli(['inspect', '--json', '--fail-on', 'critical', folder], EN);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toHaveLength(4);
  });

  it('without --json: summaries in order on stdout, the table on stderr', async () => {
    const { folder } = caseFolder();
    const run = await cli(['inspect', folder], EN);
    expect(run.code).toBe(0);
    const order = [...run.stdout.matchAll(/^File: (.+)$/gm)].map((m) => m[1]);
    expect(order).toEqual(['-录音 3.dat', '语音 2.amr', '损坏.m4a', '通话 1.m4a']);
    expect(run.stderr).toMatch(/案件 2024\/损坏\.m4a +signs of editing\/damage +\d+ critical/);
  });
});

describe('pack --combine', () => {
  it('one case bundle with every recording numbered, one list, one report and transcript each', async () => {
    const { folder } = caseFolder();
    const extra = join(folder, '..', 'extra.wav');
    copyFileSync(fixture('originals/rec-a.wav'), extra);
    const before = snapshot(folder);
    const run = await cli(
      ['pack', folder, extra, '--combine', '张三诉李四', '--case', '(2024)京0105民初123号'],
      ZH,
    );
    expect(run.code).toBe(0);
    const zip = join(folder, '张三诉李四-evidence.zip');
    expect(run.stdout.split('\n')[0]).toBe(zip);
    expect(existsSync(`${zip}.sha256`)).toBe(true);
    expect(readdirSync(folder).filter((name) => name.includes('-evidence'))).toEqual([
      '张三诉李四-evidence-forms',
      '张三诉李四-evidence.zip',
      '张三诉李四-evidence.zip.sha256',
    ]);
    expect(snapshot(folder)).toMatchObject(before);

    const report = await verify(zip);
    expect(report.ok).toBe(true);
    const entries = [...(await readZip(zip)).keys()].map((name) =>
      name.replace(/^张三诉李四-evidence\//, ''),
    );
    expect(entries.filter((name) => name.startsWith('data/original/'))).toEqual([
      'data/original/01--录音 3.dat',
      'data/original/02-语音 2.amr',
      'data/original/03-损坏.m4a',
      'data/original/04-通话 1.m4a',
      'data/original/05-extra.wav',
    ]);
    for (const n of ['01', '02', '03', '04', '05']) {
      expect(entries).toContain(`data/report/${n}-inspection.json`);
      expect(entries).toContain(`data/report/report-${n}.html`);
      expect(entries).toContain(`data/transcript/transcript-${n}.docx`);
    }
    expect(entries.filter((name) => name.startsWith('data/list/'))).toEqual([
      'data/list/evidence-list.csv',
      'data/list/evidence-list.docx',
    ]);
    const csv = await bagEntry(zip, 'data/list/evidence-list.csv');
    for (const name of ['-录音 3.dat', '语音 2.amr', '损坏.m4a', '通话 1.m4a', 'extra.wav'])
      expect(csv).toContain(name);

    const evidence = JSON.parse(await bagEntry(zip, 'meta/evidence.json')) as Evidence;
    expect(evidence.items.map((item) => [item.number, item.originalName])).toEqual([
      [1, '-录音 3.dat'],
      [2, '语音 2.amr'],
      [3, '损坏.m4a'],
      [4, '通话 1.m4a'],
      [5, 'extra.wav'],
    ]);
    expect(evidence.items[2]!.summary.verdict).toBe('signs-of-editing');
    expect(evidence.case.id).toBe('(2024)京0105民初123号');

    expect(run.stderr).toContain('案件证据包：');
    expect(run.stderr).toMatch(/案件 2024\/损坏\.m4a +有剪辑或损坏迹象 +data\/original\/03-损坏\.m4a/);
  });

  it('goes to --out, keeps a "/" in the name from making a path, and refuses a missing input', async () => {
    const { root, folder } = caseFolder();
    const out = join(root, 'out');
    const ok = await cli(
      ['pack', '--no-zip', '--out', out, '--combine', 'a/../b', join(folder, '通话 1.m4a')],
      EN,
    );
    expect(ok.code).toBe(0);
    expect(readdirSync(out)).toEqual(['a_.._b-evidence', 'a_.._b-evidence-forms']);
    expect(readdirSync(join(out, 'a_.._b-evidence/data/original'))).toEqual(['通话 1.m4a']);

    const missing = await cli(['pack', '--out', out, '--combine', 'c', folder, join(root, 'gone.m4a')], EN);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('File not found');
    expect(readdirSync(out)).toEqual(['a_.._b-evidence', 'a_.._b-evidence-forms']);
  });
});
