// The progress line as a pure function: bar, percent, ETA, stage, count and name, never wider than
// the terminal (Chinese names are two cells a character).
import { describe, expect, it } from 'vitest';
import {
  estimateRemainingMs,
  formatClock,
  type ProgressView,
  renderBar,
  renderProgress,
} from '../../src/progress/render.js';
import { fitEnd, fitMiddle, textWidth } from '../../src/progress/width.js';

const view = (over: Partial<ProgressView> = {}): ProgressView => ({
  fraction: 0.5,
  elapsedMs: 10_000,
  done: 1,
  total: 3,
  stage: 'decode',
  current: '通话录音 2024-05-01 张三.m4a',
  lang: 'en',
  columns: 120,
  ...over,
});

describe('renderProgress', () => {
  it('shows bar, percent, ETA from the pace so far, stage, file count and name', () => {
    expect(renderProgress(view())).toBe(
      '[###############---------------]  50%  ETA 0:10  analysing  1/3 files  通话录音 2024-05-01 张三.m4a',
    );
  });

  it('speaks Chinese', () => {
    const line = renderProgress(view({ lang: 'zh-CN', stage: 'hash', fraction: 0.25, elapsedMs: 30_000 }));
    expect(line).toContain(' 25%  剩余 1:30  计算哈希  1/3 个文件  通话录音');
  });

  it('gives no estimate before there is anything to go on', () => {
    expect(renderProgress(view({ fraction: 0.01 }))).toContain('ETA --:--');
    expect(renderProgress(view({ elapsedMs: 200 }))).toContain('ETA --:--');
  });

  it('leaves the file count out for a single input', () => {
    expect(renderProgress(view({ total: 1, done: 0 }))).not.toContain('files');
  });

  it.each([120, 80, 60, 40, 24, 12])('never fills the last cell of a %i-cell terminal', (columns) => {
    for (const lang of ['en', 'zh-CN'] as const) {
      const current = `${'很长的案件材料文件夹'.repeat(5)}/录音.m4a`;
      const line = renderProgress(view({ columns, lang, current }));
      expect(textWidth(line)).toBeLessThanOrEqual(columns - 1);
      expect(line).toMatch(/^\[#*-*\]|%/);
    }
  });

  it('cuts a long name in the middle so the extension stays', () => {
    const current = `${'案件'.repeat(40)}/最后的录音.m4a`;
    const line = renderProgress(view({ columns: 100, current }));
    expect(line).toMatch(/ {2}案件案件\S*\.\.\.\S*录音\.m4a$/);
    expect(textWidth(line)).toBeLessThanOrEqual(99);
  });

  it('clamps odd fractions and keeps control characters out', () => {
    expect(renderProgress(view({ fraction: 1.7 }))).toContain('100%');
    expect(renderProgress(view({ fraction: Number.NaN }))).toContain('  0%');
    expect(renderProgress(view({ current: 'a\u001b[2Jb\r.m4a' }))).not.toMatch(/[\u001b\r]/);
  });

  it('uses only ASCII for the bar (block characters are two cells wide in many Chinese terminals)', () => {
    expect(renderBar(0.5, 12)).toBe('[#####-----]');
    expect(renderBar(0, 6)).toBe('[----]');
    expect(renderBar(1, 6)).toBe('[####]');
  });
});

describe('estimate and clock', () => {
  it('remaining time follows the pace and never reads 0:00 while work remains', () => {
    expect(estimateRemainingMs(0.25, 10_000)).toBe(30_000);
    expect(estimateRemainingMs(0.999, 10_000)).toBe(1000);
    expect(estimateRemainingMs(1, 10_000)).toBe(0);
    expect(estimateRemainingMs(0.5, 1000)).toBeUndefined();
  });

  it('formats minutes and hours', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(61_000)).toBe('1:01');
    expect(formatClock(3_725_000)).toBe('1:02:05');
    expect(formatClock(400)).toBe('0:01');
  });
});

describe('cell width', () => {
  it('counts Chinese as two cells and combining marks as none', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('录音')).toBe(4);
    expect(textWidth('e\u0301')).toBe(1);
    expect(textWidth('（）：')).toBe(6);
  });

  it('cuts to a width without splitting a wide character', () => {
    expect(fitMiddle('abcdefghij', 7)).toBe('ab...ij');
    expect(textWidth(fitMiddle('录音录音录音录音', 9))).toBeLessThanOrEqual(9);
    expect(fitEnd('录音录音录音', 7)).toBe('录音...');
    expect(fitEnd('short', 10)).toBe('short');
  });
});
