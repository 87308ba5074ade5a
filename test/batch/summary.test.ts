// The summary table: columns aligned by terminal cells (Chinese is two wide), cut to the terminal width,
// failures worded in the user's language.
import { describe, expect, it } from 'vitest';
import type { BatchFile, BatchProblem } from '../../src/batch/expand.js';
import type { BatchOutcome } from '../../src/batch/run.js';
import { findingCounts, packTable, renderTable, shortPath } from '../../src/batch/summary.js';
import type { PackedBundle } from '../../src/bundle/pack.js';
import { InputError } from '../../src/errors.js';
import { t } from '../../src/i18n/messages.js';
import { textWidth } from '../../src/progress/width.js';

const file = (label: string): BatchFile => ({
  kind: 'file',
  path: `/cases/${label}`,
  given: '/cases',
  explicit: false,
  label,
  size: 1000,
});

const bundle = (path: string, verdict: string): PackedBundle => ({
  input: path,
  path,
  verdict,
  bag: 'x-evidence',
  items: [],
  warnings: [],
  removedStale: [],
});

describe('renderTable', () => {
  it('pads by cell width so Chinese names line up with the rest', () => {
    const table = renderTable(
      ['File', 'Result'],
      [
        ['录音 1.m4a', 'ok'],
        ['call.m4a', 'FAILED'],
      ],
    );
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    // Every row starts its second column at the same terminal cell.
    const cellOf = (line: string, cell: string) => textWidth(line.slice(0, line.lastIndexOf(cell)));
    expect(cellOf(lines[0]!, 'Result')).toBe(12);
    expect(cellOf(lines[2]!, 'ok')).toBe(12);
    expect(cellOf(lines[3]!, 'FAILED')).toBe(12);
    expect(lines[1]).toBe(`${'-'.repeat(10)}  ${'-'.repeat(6)}`);
  });

  it('cuts the shrinkable columns in the middle to fit the width, keeping both ends', () => {
    const long = `案件材料/${'很长的文件夹名'.repeat(6)}/通话录音 2024-05-01.m4a`;
    const table = renderTable(
      ['File', 'Result', 'Bundle'],
      [[long, 'no signs found', `${long}-evidence.zip`]],
      {
        maxWidth: 80,
        shrinkable: [0, 2],
      },
    );
    for (const line of table.split('\n')) expect(textWidth(line)).toBeLessThanOrEqual(80);
    expect(table).toContain('no signs found');
    expect(table).toContain('...');
    expect(table).toContain('-evidence.zip');
    expect(table).toContain('案件材料/');
  });

  it('keeps control characters from file names off the terminal', () => {
    const table = renderTable(['File'], [['evil\u001b[2Jname\r.m4a']]);
    expect(table).not.toMatch(/[\u001b\r]/);
  });
});

describe('summaries', () => {
  it('findingCounts lists only the severities present, in the user language', () => {
    expect(findingCounts({ critical: 1, warning: 2, info: 0 }, 'en')).toBe('1 critical, 2 warning(s)');
    expect(findingCounts({ critical: 0, warning: 0, info: 3 }, 'zh-CN')).toBe('提示 3');
    expect(findingCounts({ critical: 0, warning: 0, info: 0 }, 'zh-CN')).toBe('无');
  });

  it('packTable: one row per input, failures with their reason, skipped files named', () => {
    const problem: BatchProblem = {
      kind: 'problem',
      given: '/cases/empty',
      label: 'empty/',
      code: 'batch.no-recordings',
      params: { path: '/cases/empty' },
    };
    const outcomes: BatchOutcome<PackedBundle>[] = [
      {
        ok: true,
        entry: file('案件/录音 1.m4a'),
        value: bundle('/cases/案件/录音 1-evidence.zip', 'no-signs-found'),
      },
      {
        ok: true,
        entry: file('案件/坏的.mp3'),
        value: bundle('/cases/out/坏的-evidence.zip', 'signs-of-editing'),
      },
      { ok: false, entry: file('gone.wav'), error: new InputError('input-missing', 'gone.wav') },
      { ok: false, entry: problem },
    ];
    const text = packTable(outcomes, {
      lang: 'zh-CN',
      skipped: ['案件/说明.txt'],
      cwd: '/cases',
      describeError: (error) => (error instanceof InputError ? t('zh-CN', error.code, error.params) : '?'),
    });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('汇总：共 4 项，成功 2 项，失败 2 项');
    expect(lines[1]).toMatch(/^文件\s+结论\s+证据包或问题$/);
    // Beside the recording: the bundle's name is enough; elsewhere (--out): its path.
    expect(lines[3]).toMatch(/^案件\/录音 1\.m4a\s+未发现迹象\s+录音 1-evidence\.zip$/);
    expect(lines[4]).toMatch(/^案件\/坏的\.mp3\s+有剪辑或损坏迹象\s+out\/坏的-evidence\.zip$/);
    expect(lines[5]).toMatch(/^gone\.wav\s+失败\s+找不到文件：gone\.wav$/);
    expect(lines[6]).toMatch(/^empty\/\s+失败\s+此文件夹中没有找到录音/);
    expect(lines[7]).toBe('文件夹中已跳过 1 个按内容判断不是录音的文件：案件/说明.txt');
  });

  it('shortPath is relative only inside the working folder', () => {
    expect(shortPath('/cases/a/b.zip', '/cases')).toBe('a/b.zip');
    expect(shortPath('/elsewhere/b.zip', '/cases')).toBe('/elsewhere/b.zip');
    expect(shortPath('/cases', '/cases')).toBe('/cases');
  });
});
