// The message table: every message exists in both languages with the same {placeholders}, and the
// command line speaks the user's language even for its own parse errors.
import { describe, expect, it } from 'vitest';
import { LANGS } from '../../src/i18n/lang.js';
import { hasMessage, MESSAGES, t } from '../../src/i18n/messages.js';
import { cli } from '../helpers.js';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('message table', () => {
  const entries = Object.entries(MESSAGES) as Array<[string, Record<string, string>]>;

  it('has messages', () => {
    expect(entries.length).toBeGreaterThan(50);
  });

  it.each(entries)('%s: non-empty in every language, with the same placeholders', (_key, message) => {
    expect(Object.keys(message).sort()).toEqual([...LANGS].sort());
    const reference = placeholders(message['en']!);
    for (const lang of LANGS) {
      expect(message[lang]!.trim()).not.toBe('');
      expect(placeholders(message[lang]!)).toEqual(reference);
    }
  });

  it('Chinese messages are Chinese (a copied English text is a missing translation)', () => {
    // Identical texts are fine only when there are no words in them ("{detail}", "SHA-256").
    const words = (text: string) => /[a-z]{3}/i.test(text.replace(/\{\w+\}/g, ''));
    const copied = entries.filter(([, m]) => m['en'] === m['zh-CN'] && words(m['en']!));
    expect(copied.map(([key]) => key)).toEqual([]);
  });

  it('keys built from values exist for every value', () => {
    for (const verdict of ['no-signs-found', 'review-recommended', 'signs-of-editing']) {
      expect(hasMessage(`verdict.${verdict}`)).toBe(true);
      expect(hasMessage(`short.${verdict}`)).toBe(true);
    }
    for (const stage of ['hash', 'decode', 'finish']) expect(hasMessage(`progress.${stage}`)).toBe(true);
    for (const severity of ['critical', 'warning', 'info']) {
      expect(hasMessage(`severity.${severity}`)).toBe(true);
      expect(hasMessage(`batch.count.${severity}`)).toBe(true);
    }
  });

  it('fills placeholders and leaves no braces behind', () => {
    expect(t('zh-CN', 'batch.title', { total: 3, ok: 2, failed: 1 })).toBe(
      '汇总：共 3 项，成功 2 项，失败 1 项',
    );
    expect(t('en', 'input-missing', { path: 'a {b}.m4a' })).toBe('File not found: a {b}.m4a');
  });
});

describe('command-line parse errors in the user language', () => {
  const ZH = { LANG: 'zh_CN.UTF-8' };
  it.each([
    [['inspect', '--bogus', 'x.m4a'], '未知选项：--bogus'],
    [['inspect'], '缺少参数：文件'],
    [['pack', 'x.m4a', '--out'], '选项 --out <文件夹> 需要一个值'],
    [
      ['inspect', '--fail-on', 'info', 'x.m4a'],
      '选项 --fail-on <级别> 的值“info”无效（可选值："warning"、"critical"）',
    ],
    [['frobnicate'], '未知命令：frobnicate（可用命令：inspect、pack、verify、hash、timestamp、profile）'],
  ])('%j', async (argv, expected) => {
    const run = await cli(argv, ZH);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(expected);
    expect(run.stderr).toContain('audio-evidence --help');
    expect(run.stdout).toBe('');
  });

  it('--lang wins over the locale, even for a parse error', async () => {
    const run = await cli(['inspect', '--lang', 'en', '--bogus', 'x.m4a'], ZH);
    expect(run.stderr).toContain('Unknown option: --bogus');
    const zh = await cli(['pack', '--lang=zh-CN', '--jobs', 'many', 'x.m4a'], { LANG: 'en_US.UTF-8' });
    expect(zh.code).toBe(2);
    expect(zh.stderr).toContain('--jobs 须为 1 到 256 之间的整数，而不是“many”');
  });
});
