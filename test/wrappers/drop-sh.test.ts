// The Linux/macOS drag-and-drop wrapper, run as a file manager runs it: names with spaces, Chinese and a
// leading "-", a folder of mixed recordings, the log beside the inputs, exit codes, inputs untouched.
import { spawnSync } from 'node:child_process';
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../src/verify/verify.js';
import { hasTool, removeTempDirs, tempDir } from '../bundle/support.js';
import { ensureBuilt } from '../hardening/support.js';
import { fixture, ROOT } from '../helpers.js';

afterAll(removeTempDirs);

const SH = join(ROOT, 'wrappers/audio-evidence-drop.sh');
const COMMAND = join(ROOT, 'wrappers/audio-evidence-drop.command');
const HAS_SCRIPT = hasTool('script', ['--version']);

interface Run {
  code: number | null;
  out: string;
}

/** Runs a wrapper the way a launcher does: no terminal on stdin (so no pause), output captured. */
function drop(wrapper: string, args: string[], options: { cwd: string; lang?: string }): Run {
  const result = spawnSync('bash', [wrapper, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      LANG: options.lang ?? 'en_US.UTF-8',
      LC_ALL: '',
      LC_MESSAGES: '',
      AE_NO_PAUSE: '1',
    },
    timeout: 120_000,
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

/** sha256 and mtime of every file directly in `dir` and below. */
function state(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path] = `${createHash('sha256').update(readFileSync(path)).digest('hex')} ${statSync(path).mtimeMs}`;
  }
  return out;
}

function inputs(): { dir: string; files: string[]; folder: string } {
  const dir = tempDir('ae-wrap-');
  const files = [
    join(dir, '录音 2024 张三.m4a'),
    join(dir, '-开头 的录音.amr'),
    join(dir, 'two  spaces.wav'),
  ];
  copyFileSync(fixture('originals/rec-a.m4a'), files[0]!);
  copyFileSync(fixture('originals/rec-a.amr'), files[1]!);
  copyFileSync(fixture('originals/rec-a.wav'), files[2]!);
  const folder = join(dir, '案件 材料');
  mkdirSync(join(folder, '子文件夹'), { recursive: true });
  copyFileSync(fixture('originals/rec-a.mp3'), join(folder, '通话 1.mp3'));
  copyFileSync(fixture('originals/rec-a.silk'), join(folder, '子文件夹', '微信语音.silk'));
  writeFileSync(join(folder, '损坏.m4a'), readFileSync(fixture('originals/rec-a.m4a')).subarray(0, 60_000));
  writeFileSync(join(folder, '说明.txt'), '证据清单\n');
  return { dir, files, folder };
}

const evidenceOf = (path: string) => path.replace(/\.[^./]+$/, '-evidence.zip');

describe('audio-evidence-drop.sh', () => {
  beforeAll(() => {
    ensureBuilt();
  });

  it('packs dropped files (spaces, Chinese, leading "-") and a folder; bundles and logs beside them', async () => {
    const { dir, files, folder } = inputs();
    const before = state(dir);
    // The "-…" name is passed relative, as some launchers do: it must not be taken for an option.
    const run = drop(SH, [files[0]!, '-开头 的录音.amr', files[2]!, folder], { cwd: dir });
    expect({ code: run.code, out: run.code === 0 ? '' : run.out }).toEqual({ code: 0, out: '' });

    for (const file of files) {
      const zip = evidenceOf(file);
      expect(existsSync(zip)).toBe(true);
      expect(existsSync(`${zip}.sha256`)).toBe(true);
      expect((await verify(zip)).ok).toBe(true);
    }
    for (const rel of ['通话 1-evidence.zip', '子文件夹/微信语音-evidence.zip', '损坏-evidence.zip'])
      expect(existsSync(join(folder, rel))).toBe(true);
    expect(existsSync(join(folder, '说明-evidence.zip'))).toBe(false);

    // Inputs byte-identical with the same times.
    const after = state(dir);
    for (const [path, value] of Object.entries(before)) expect(after[path]).toBe(value);

    // One log beside the dropped files, one inside the dropped folder; each tells what was done.
    const fileLog = readFileSync(join(dir, 'audio-evidence-log.txt'), 'utf8');
    for (const file of files) {
      expect(fileLog).toContain(`audio-evidence pack ${file}`);
      expect(fileLog).toContain(evidenceOf(file));
    }
    expect(fileLog).toContain('Done: the evidence bundle is next to the recording');
    const folderLog = readFileSync(join(folder, 'audio-evidence-log.txt'), 'utf8');
    expect(folderLog).toContain(`audio-evidence pack ${folder}`);
    expect(folderLog).toContain('Summary: 3 item(s), 3 done, 0 failed');
    expect(folderLog).toMatch(/案件 材料\/损坏\.m4a +signs of editing\/damage/);
    expect(folderLog).toContain('案件 材料/说明.txt');
    expect(folderLog).not.toMatch(/[\r\u001b]/);

    expect(run.out).toContain('Finished: 4 of 4 dropped item(s) packed without problems.');
    expect(run.out).not.toContain('Press Enter');
  });

  it('speaks Chinese in a Chinese locale, and keeps going past a missing input with exit 2', () => {
    const { dir, files } = inputs();
    const gone = join(dir, '不存在的录音.m4a');
    const run = drop(SH, [gone, files[0]!], { cwd: dir, lang: 'zh_CN.UTF-8' });
    expect(run.code).toBe(2);
    expect(existsSync(evidenceOf(files[0]!))).toBe(true);
    expect(run.out).toContain(`正在打包：${gone}`);
    expect(run.out).toContain(`找不到文件：${gone}`);
    expect(run.out).toContain('部分内容未能打包：请查看上面的信息。');
    expect(run.out).toContain('全部结束：拖入的 2 项中有 1 项顺利打包。');
    const log = readFileSync(join(dir, 'audio-evidence-log.txt'), 'utf8');
    expect(log).toContain(`找不到文件：${gone}`);
    expect(log).toContain('（退出码 2）');
  });

  it('started with nothing dropped and no terminal: says what to do, exit 2', () => {
    const dir = tempDir('ae-wrap-');
    const run = drop(SH, [], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.out).toContain('Drop one or more recordings (or folders) on this icon.');
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(!HAS_SCRIPT)('double-clicked (a terminal, no files): asks for dragged paths, then pauses', () => {
    const { dir, files } = inputs();
    // What a terminal pastes when a file is dragged into it: the quoted path. Then Enter at the pause.
    const typed = `'${files[0]!.replace(/'/g, "'\\''")}' ${files[2]!.replace(/ /g, '\\ ')}\n\n`;
    const result = spawnSync('script', ['-qec', `bash '${SH}'`, '/dev/null'], {
      cwd: dir,
      input: typed,
      encoding: 'utf8',
      env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '', AE_NO_PAUSE: '' },
      timeout: 120_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'Drag one or more recordings (or folders) into this window, then press Enter:',
    );
    expect(result.stdout).toContain('Finished: 2 of 2 dropped item(s) packed without problems.');
    expect(result.stdout).toContain('Press Enter to close this window.');
    expect(existsSync(evidenceOf(files[0]!))).toBe(true);
    expect(existsSync(evidenceOf(files[2]!))).toBe(true);
  });

  it('the macOS .command runs the same wrapper (it is bash too), and a leading "--" is ignored', () => {
    const { dir, files } = inputs();
    const run = drop(COMMAND, ['--', files[1]!], { cwd: dir });
    expect(run.code).toBe(0);
    expect(existsSync(evidenceOf(files[1]!))).toBe(true);
    expect(run.out).toContain('Finished: 1 of 1 dropped item(s) packed without problems.');
  });
});
