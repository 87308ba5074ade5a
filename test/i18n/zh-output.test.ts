// Under a Chinese locale everything a user reads is Chinese: pack, verify, inspect, --help and every document
// of a bundle, for a clean and an edited recording; English words appear only as quoted technical values.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectResult } from '../../src/types.js';
import { removeTempDirs, tempDir, walk } from '../bundle/support.js';
import { type CliRun, cli, fixture } from '../helpers.js';
import { findAll, parseXml, textOf, unzip } from '../render/helpers.js';
import { englishLeaks, htmlText, type Leak, withoutCommands } from './english-leak.js';

const ZH = { LANG: 'zh_CN.UTF-8' };
const RECORDINGS = {
  clean: 'originals/rec-a.m4a',
  edited: 'edited/splice-insert-default.m4a',
} as const;

afterAll(removeTempDirs);

/** Words from the recording's own metadata: a document quotes them as the file holds them. */
function fileValues(result: InspectResult): string[] {
  const m = result.media;
  return [
    result.file.name,
    result.format.brand ?? '',
    m.codec ?? '',
    m.codecProfile ?? '',
    m.bitrateMode ?? '',
    m.encoder ?? '',
    m.device ?? '',
    ...Object.entries(m.tags ?? {})
      .flat()
      .map(String),
    result.tool.ffmpeg ?? '',
  ];
}

/** The leaks as lines (empty when none), so a failure shows every one. */
const COMMANDS = ['inspect', 'hash', 'pack', 'timestamp', 'verify', 'profile', 'learn', 'help'];

const leaksOf = (text: string, allowed: string[] = []): string =>
  englishLeaks(text, allowed)
    .map((l: Leak) => `${l.word}  «${l.context}»`)
    .join('\n');

/** The text of a .docx (its w:t runs, paragraph by paragraph). */
async function docxText(buffer: Buffer): Promise<string> {
  const xml = (await unzip(buffer)).get('word/document.xml');
  if (!xml) throw new Error('no word/document.xml');
  return findAll(parseXml(xml.toString('utf8')), 'w:p')
    .map(textOf)
    .join('\n');
}

const packed = new Map<keyof typeof RECORDINGS, { run: CliRun; bag: string; result: InspectResult }>();

beforeAll(async () => {
  for (const [name, path] of Object.entries(RECORDINGS) as Array<[keyof typeof RECORDINGS, string]>) {
    const out = tempDir('ae-zh-');
    const run = await cli(['pack', '--no-zip', '--out', out, fixture(path)], ZH);
    expect(run.code, run.stderr).toBe(0);
    const bag = join(out, readdirSync(out).find((n) => n.endsWith('-evidence'))!);
    const result = JSON.parse(
      readFileSync(join(bag, 'data/report/inspection.json'), 'utf8'),
    ) as InspectResult;
    packed.set(name, { run, bag, result });
  }
}, 600_000);

describe.each(Object.keys(RECORDINGS) as Array<keyof typeof RECORDINGS>)(
  'a zh-CN bundle of the %s recording',
  (name) => {
    it('pack prints Chinese on stdout and stderr', () => {
      const { run } = packed.get(name)!;
      expect(run.stdout).toMatch(/\p{Script=Han}/u);
      expect(leaksOf(run.stdout)).toBe('');
      expect(leaksOf(run.stderr)).toBe('');
    });

    it('every document is Chinese outside quoted technical values', async () => {
      const { bag, result } = packed.get(name)!;
      const allowed = fileValues(result);
      const files = walk(bag).filter((f) => /^data\/(report|transcript|list)\/|^meta\/README-verify/.test(f));
      expect(files).toContain('data/report/report.html');
      const checked: string[] = [];
      const leaks: string[] = [];
      for (const file of files) {
        const bytes = readFileSync(join(bag, file));
        let text: string | undefined;
        if (file.endsWith('.html')) text = htmlText(bytes.toString('utf8'));
        else if (file.endsWith('.docx')) text = await docxText(bytes);
        else if (/\.(md|vtt|csv)$/.test(file)) text = bytes.toString('utf8');
        else if (file === 'meta/README-verify.txt') {
          // The file is in both languages by design (DESIGN.md): its Chinese half runs from the first section
          // ("一、") to the English heading; the bilingual header before it names each field in both.
          const all = bytes.toString('utf8');
          text = withoutCommands(all.slice(all.indexOf('一、'), all.indexOf('HOW TO VERIFY (ENGLISH)')));
        }
        if (text === undefined) continue;
        checked.push(file);
        expect(text, file).toMatch(/\p{Script=Han}/u);
        const found = leaksOf(text, allowed);
        if (found) leaks.push(`${file}:\n${found}`);
      }
      expect(checked.length).toBeGreaterThanOrEqual(7);
      expect(leaks.join('\n')).toBe('');
    });
  },
);

describe('verify under a Chinese locale', () => {
  it('says an intact bundle is intact in Chinese', async () => {
    const { bag } = packed.get('clean')!;
    const run = await cli(['verify', bag], ZH);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/证据包完好/);
    expect(leaksOf(run.stdout)).toBe('');
    expect(leaksOf(run.stderr)).toBe('');
  });

  it('says a changed file and a different original in Chinese', async () => {
    const { bag } = packed.get('edited')!;
    const copy = tempDir('ae-zh-changed-');
    execFileSync('cp', ['-R', bag, copy]);
    const changed = join(copy, walk(copy).find((f) => f.includes('/data/original/'))!);
    const bytes = readFileSync(changed);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(changed, bytes);
    const other = join(tempDir('ae-zh-other-'), 'other.m4a');
    copyFileSync(fixture(RECORDINGS.clean), other);
    const run = await cli(['verify', '--original', other, join(copy, walk(copy)[0]!.split('/')[0]!)], ZH);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/证据包不完好/);
    expect(leaksOf(run.stdout)).toBe('');
    expect(leaksOf(run.stderr)).toBe('');
  });
});

describe('inspect under a Chinese locale', () => {
  it.each(Object.values(RECORDINGS))('words %s in Chinese', async (path) => {
    const run = await cli(['inspect', fixture(path)], ZH);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\p{Script=Han}/u);
    const { result } = [...packed.values()].find((p) => path.endsWith(p.result.file.name))!;
    expect(leaksOf(run.stdout, fileValues(result))).toBe('');
    expect(leaksOf(run.stderr)).toBe('');
  });
});

describe('--help under a Chinese locale', () => {
  it.each(['', 'inspect', 'pack', 'verify', 'hash', 'timestamp', 'profile', 'profile learn', 'help pack'])(
    'audio-evidence %s --help is Chinese',
    async (command) => {
      const run = await cli([...command.split(' ').filter(Boolean), '--help'], ZH);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/\p{Script=Han}/u);
      // Command names are typed as they are, like option names.
      expect(leaksOf(run.stdout, COMMANDS)).toBe('');
    },
  );

  it('stays English under an English locale', async () => {
    const run = await cli(['pack', '--help'], { LANG: 'en_US.UTF-8' });
    expect(run.stdout).toMatch(/Usage: audio-evidence pack/);
    expect(run.stdout).toMatch(/output folder/);
  });
});

describe('messages and errors under a Chinese locale', () => {
  it('words unusable inputs, bundles and parse errors in Chinese', async () => {
    const dir = tempDir('ae-zh-errors-');
    const empty = join(dir, 'empty.m4a');
    writeFileSync(empty, '');
    const text = join(dir, 'text.m4a');
    writeFileSync(text, 'not a recording at all');
    const { bag } = packed.get('clean')!;
    const runs: string[][] = [
      ['inspect', empty, text],
      ['inspect', join(dir, 'missing.m4a')],
      ['inspect', fixture(RECORDINGS.edited), '--exemplar', fixture(RECORDINGS.clean)],
      ['verify', fixture(RECORDINGS.clean)],
      ['verify', dir],
      ['verify', '--expect', 'a'.repeat(64), bag],
      ['verify', '--expect', 'xyz', bag],
      ['hash', '--algo', 'crc', fixture(RECORDINGS.clean)],
      ['timestamp', '--tsa', 'ftp://example', bag],
      ['timestamp', bag],
      ['inspect'],
      ['inspect', '--fail-on', 'info', fixture(RECORDINGS.clean)],
      ['pack', '--speaker', ':x', fixture(RECORDINGS.clean)],
      ['profile', 'learn', fixture(RECORDINGS.clean)],
    ];
    const leaks: string[] = [];
    for (const argv of runs) {
      const run = await cli(argv, ZH);
      const found = [leaksOf(run.stdout), leaksOf(run.stderr)].filter(Boolean).join('\n');
      if (found) leaks.push(`${argv.join(' ')}:\n${found}`);
      expect(run.stdout + run.stderr, argv.join(' ')).toMatch(/\p{Script=Han}/u);
    }
    expect(leaks.join('\n')).toBe('');
  });
});
