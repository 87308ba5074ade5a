// When progress is drawn: only for a person at a terminal (stdout and stderr both terminals, no --json,
// not TERM=dumb); silent in pipes, files and logs; erased before the data and the summary.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Io, run } from '../../src/cli.js';
import { progressWanted } from '../../src/progress/index.js';
import { removeTempDirs, tempDir } from '../bundle/support.js';
import { BIN, ensureBuilt } from '../hardening/support.js';
import { fixture } from '../helpers.js';

afterAll(removeTempDirs);

const CONTROL = /[\r\u001b]/;

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function runAs(argv: string[], tty: { stdout: boolean; stderr: boolean }, env = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { LANG: 'en_US.UTF-8', ...env },
    isTTY: tty,
    columns: () => 100,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

describe('progressWanted', () => {
  it.each([
    [true, true, false, {}, true],
    [false, true, false, {}, false],
    [true, false, false, {}, false],
    [false, false, false, {}, false],
    [true, true, true, {}, false],
    [true, true, false, { TERM: 'dumb' }, false],
  ])(
    'stdout tty %s, stderr tty %s, json %s, env %j → %s',
    (stdoutIsTTY, stderrIsTTY, json, env, expected) => {
      expect(progressWanted({ stdoutIsTTY, stderrIsTTY, json, env })).toBe(expected);
    },
  );
});

describe('the CLI and progress', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('ae-progress-');
    mkdirSync(join(dir, 'in'));
    copyFileSync(fixture('originals/rec-a.m4a'), join(dir, 'in', '录音 1.m4a'));
    copyFileSync(fixture('originals/rec-a.amr'), join(dir, 'in', '语音 2.amr'));
  });

  it('draws on a terminal, redrawn in place, and erases it before the summary', async () => {
    const result = await runAs(['inspect', join(dir, 'in')], { stdout: true, stderr: true });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/\r\u001b\[K\[[#-]+\] +\d+% {2}ETA (--:--|\d+:\d\d)/);
    // The last thing progress wrote is an erase; the table after it is plain text.
    const tail = result.stderr.slice(result.stderr.lastIndexOf('\r\u001b[K') + 4);
    expect(tail).not.toMatch(CONTROL);
    expect(tail).toContain('Summary: 2 item(s), 2 done, 0 failed');
    // Data never carries the bar.
    expect(result.stdout).not.toMatch(CONTROL);
  });

  it.each([
    ['stderr is a pipe', { stdout: true, stderr: false }, []],
    ['stdout is a pipe', { stdout: false, stderr: true }, []],
    ['--json on a terminal', { stdout: true, stderr: true }, ['--json']],
  ])('is silent when %s', async (_label, tty, extra) => {
    const result = await runAs(['inspect', ...extra, join(dir, 'in')], tty);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(CONTROL);
    expect(result.stdout).not.toMatch(CONTROL);
  });

  it('pack on a terminal draws too, and --log gets the messages but never the bar', async () => {
    const log = join(dir, 'pack-log.txt');
    const out = join(dir, 'out');
    const result = await runAs(['pack', '--out', out, '--log', log, join(dir, 'in')], {
      stdout: true,
      stderr: true,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('\r\u001b[K[');
    const text = readFileSync(log, 'utf8');
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain('Summary: 2 item(s), 2 done, 0 failed');
  });

  it('the installed binary writes no control characters into pipes', () => {
    ensureBuilt();
    const result = spawnSync(process.execPath, [BIN, 'pack', '--out', join(dir, 'piped'), join(dir, 'in')], {
      encoding: 'utf8',
      env: { ...process.env, LANG: 'zh_CN.UTF-8' },
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('汇总：共 2 项，成功 2 项，失败 0 项');
    expect(result.stderr).not.toMatch(CONTROL);
    expect(result.stdout).not.toMatch(CONTROL);
  });
});
