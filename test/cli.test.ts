import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, fixture, ROOT } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inspect command', () => {
  it('prints one contract object with --json and exits 0', async () => {
    const { code, stdout, stderr } = await cli(['inspect', '--json', fixture('originals/rec-a.amr')]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const json = JSON.parse(stdout);
    expect(json.file.name).toBe('rec-a.amr');
    expect(json.format.container).toBe('amr');
  });

  it('prints an array for several files', async () => {
    const { code, stdout } = await cli([
      'inspect',
      '--json',
      fixture('originals/rec-a.amr'),
      fixture('originals/rec-a.wav'),
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.map((r: { file: { name: string } }) => r.file.name)).toEqual(['rec-a.amr', 'rec-a.wav']);
  });

  it('writes a readable summary in English or Chinese', async () => {
    const en = await cli(['inspect', '--lang', 'en', fixture('originals/rec-a.wav')]);
    expect(en.stdout).toContain('SHA-256:');
    expect(en.stdout).toContain('No signs of editing found by these checks');
    const zh = await cli(['inspect', fixture('originals/rec-a.wav')], { LANG: 'zh_CN.UTF-8' });
    expect(zh.stdout).toContain('本工具各项检查未发现剪辑迹象');
    const forced = await cli(['inspect', '--lang', 'en', fixture('originals/rec-a.wav')], {
      LANG: 'zh_CN.UTF-8',
    });
    expect(forced.stdout).toContain('Result:');
  });

  it('exits 2 naming the path when a file is missing, and still reports the others', async () => {
    const missing = join(dir, 'nope.m4a');
    const { code, stdout, stderr } = await cli([
      'inspect',
      '--json',
      missing,
      fixture('originals/rec-a.amr'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain(missing);
    expect(JSON.parse(stdout)).toHaveLength(1);
  });

  it('exits 2 for a folder without recordings, in the user language', async () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    const { code, stderr } = await cli(['inspect', empty], { LANG: 'zh_CN.UTF-8' });
    expect(code).toBe(2);
    expect(stderr).toContain('此文件夹中没有找到录音');
  });

  it('exits 1 when --fail-on is reached and 0 when it is not', async () => {
    const empty = join(dir, 'empty.m4a');
    writeFileSync(empty, '');
    expect((await cli(['inspect', '--fail-on', 'critical', empty])).code).toBe(1);
    expect((await cli(['inspect', '--fail-on', 'warning', fixture('originals/rec-a.wav')])).code).toBe(0);
    expect((await cli(['inspect', empty])).code).toBe(0);
  });

  it('takes a file name with a leading dash after --', async () => {
    const dashed = join(dir, '-x.wav');
    copyFileSync(fixture('originals/rec-a.wav'), dashed);
    const { code, stdout } = await cli(['inspect', '--json', '--', dashed]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).file.name).toBe('-x.wav');
  });

  it('rejects unknown options as bad usage', async () => {
    expect((await cli(['inspect', '--bogus', fixture('originals/rec-a.wav')])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli(['inspect', '--fail-on', 'info', fixture('originals/rec-a.wav')])).code).toBe(2);
  });
});

describe('hash command', () => {
  it('prints sha256sum lines that sha256sum -c accepts', async () => {
    const names = ['rec-a.m4a', 'rec-a.wav'];
    for (const name of names) copyFileSync(fixture(`originals/${name}`), join(dir, name));
    const { code, stdout } = await cli(['hash', ...names.map((n) => join(dir, n))]);
    expect(code).toBe(0);
    writeFileSync(join(dir, 'SUMS'), stdout);
    const check = execFileSync('sha256sum', ['-c', join(dir, 'SUMS')]).toString();
    expect(check).toContain(': OK');
  });

  it('gives every requested algorithm in JSON', async () => {
    const { stdout } = await cli([
      'hash',
      '--algo',
      'sha256,sm3,sha512,md5',
      '--json',
      fixture('originals/rec-a.amr'),
    ]);
    const [entry] = JSON.parse(stdout);
    expect(entry.sm3).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.sha512).toMatch(/^[0-9a-f]{128}$/);
    expect(entry.md5).toBe(
      execFileSync('md5sum', [fixture('originals/rec-a.amr')])
        .toString()
        .split(' ')[0],
    );
  });

  it('rejects an unknown algorithm with exit 2', async () => {
    const { code, stderr } = await cli(['hash', '--algo', 'crc32', fixture('originals/rec-a.amr')]);
    expect(code).toBe(2);
    expect(stderr).toContain('crc32');
  });
});

describe('the installed binary', () => {
  it('exits 2 with advice when ffmpeg cannot be found', () => {
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'dist/bin.js'), 'inspect', fixture('originals/rec-a.wav')],
      {
        env: { ...process.env, FFMPEG_PATH: join(dir, 'no-such-ffmpeg'), LANG: 'en_US.UTF-8' },
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('FFMPEG_PATH');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('prints its version', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'dist/bin.js'), '--version'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
