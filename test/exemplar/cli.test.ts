// `profile learn` and `--exemplar` on the command line: round trip, and unusable exemplars exit 2.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, fixture, HAS_SAMPLES } from '../helpers.js';
import { sample } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-exemplar-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('profile learn', () => {
  it('writes a profile that --exemplar accepts, and the original matches it', async () => {
    const out = join(dir, 'ffmpeg-m4a.json');
    const learned = await cli([
      'profile',
      'learn',
      fixture('originals/rec-a.m4a'),
      '--name',
      'rec-a writer',
      '--out',
      out,
    ]);
    expect(learned.code, learned.stderr).toBe(0);
    const profile = JSON.parse(readFileSync(out, 'utf8'));
    expect(profile).toMatchObject({
      kind: 'audio-evidence-writer-profile',
      version: 1,
      name: 'rec-a writer',
    });
    expect(profile.files[0].name).toBe('rec-a.m4a');

    const same = await cli(['inspect', fixture('originals/rec-a.m4a'), '--json', '--exemplar', out]);
    expect(same.code, same.stderr).toBe(0);
    const result = JSON.parse(same.stdout);
    expect(result.exemplar).toEqual({ files: profile.files, matches: true, differences: [] });
    expect(
      result.findings
        .filter((f: { check: string }) => f.check === 'exemplar-comparison')
        .map((f: { id: string }) => f.id),
    ).toEqual(['exemplar-compared']);

    // The same profile against a re-encode disguised as Android MediaRecorder output.
    const edited = await cli([
      'inspect',
      fixture('edited/delete-reencode-careful.m4a'),
      '--json',
      '--exemplar',
      out,
    ]);
    const other = JSON.parse(edited.stdout);
    expect(other.exemplar.matches).toBe(false);
    expect(other.exemplar.differences.map((d: { field: string }) => d.field)).toContain(
      'mp4.ftyp.compatibleBrands',
    );
    for (const d of other.exemplar.differences) expect(d.meaning.length).toBeGreaterThan(10);
  });

  it('takes --exemplar repeated: every exemplar counts, either value is accepted where they disagree', async () => {
    const run = await cli([
      'inspect',
      fixture('originals/rec-a.m4a'),
      '--json',
      '--exemplar',
      fixture('originals/rec-a.m4a'),
      '--exemplar',
      fixture('edited/delete-reencode-careful.m4a'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.exemplar.files.map((f: { name: string }) => f.name)).toEqual([
      'rec-a.m4a',
      'delete-reencode-careful.m4a',
    ]);
    expect(result.exemplar.matches).toBe(true);
    const ids = result.findings.map((f: { id: string }) => f.id);
    expect(ids).toContain('exemplar-disagreement');
  });

  it('refuses to overwrite an existing profile file', async () => {
    const out = join(dir, 'exists.json');
    writeFileSync(out, '{}');
    const again = await cli([
      'profile',
      'learn',
      fixture('originals/rec-a.mp3'),
      '--name',
      'x',
      '--out',
      out,
    ]);
    expect(again.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('{}');
  });

  it('is bad usage (exit 2, never a process exit) without a name or without files', async () => {
    const noName = await cli(['profile', 'learn', fixture('originals/rec-a.m4a')]);
    expect(noName.code).toBe(2);
    expect(noName.stderr).toMatch(/--name/);
    expect((await cli(['profile', 'learn', '--name', 'x'])).code).toBe(2);
  });

  it('prints the profile without --out', async () => {
    const printed = await cli(['profile', 'learn', fixture('originals/rec-a.opus'), '--name', 'opus']);
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout).fields['ogg.vendor']).toEqual(['ffmpeg']);
  });
});

describe('unusable exemplars exit 2 with a message, never a crash', () => {
  const notAudio = join(dir, 'notes.txt');
  const badJson = join(dir, 'bad.json');
  const wrongJson = join(dir, 'wrong.json');
  const empty = join(dir, 'empty');
  writeFileSync(notAudio, 'these are my notes, not a recording\n');
  writeFileSync(badJson, '{ not json');
  writeFileSync(wrongJson, JSON.stringify({ kind: 'something-else' }));
  const hostileJson = join(dir, 'hostile.json');
  writeFileSync(
    hostileJson,
    JSON.stringify({
      kind: 'audio-evidence-writer-profile',
      version: 1,
      name: 'x',
      files: [],
      fields: { '\u001b[31mred': ['x'] },
    }),
  );
  mkdirSync(empty);

  it.each([
    ['a missing path', [join(dir, 'missing.m4a')], /Exemplar not found/],
    ['a file that is not audio', [notAudio], /not an audio recording/],
    ['a damaged recording', [fixture('edited/truncate-bytes-default.m4a')], /damaged/],
    [
      'exemplars of different codecs',
      [fixture('originals/rec-a.m4a'), fixture('originals/rec-a.mp3')],
      /not written the same way/,
    ],
    ['a JSON that is not valid', [badJson], /Not a writer profile/],
    ['a JSON of another kind', [wrongJson], /Not a writer profile/],
    ['a profile with control characters in a field name', [hostileJson], /Not a writer profile/],
    ['a folder without recordings', [empty], /No audio recording in the exemplar folder/],
  ])('%s', async (_what, exemplars, message) => {
    for (const command of ['inspect', 'pack']) {
      const run = await cli(
        [command, fixture('originals/rec-a.m4a'), '--exemplar', ...exemplars, '--out', dir].slice(
          0,
          command === 'pack' ? undefined : -2,
        ),
      );
      expect(run.code, `${command}: ${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
  });

  it('words the message in Chinese', async () => {
    const run = await cli([
      'inspect',
      fixture('originals/rec-a.m4a'),
      '--exemplar',
      join(dir, 'missing.m4a'),
      '--lang',
      'zh-CN',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/找不到样本录音/);
  });
});

describe.runIf(HAS_SAMPLES)('--exemplar with real recordings', () => {
  it('a folder of exemplars from one phone: a genuine memo of that phone matches', async () => {
    const folder = join(dir, 'samsung');
    mkdirSync(folder);
    for (const n of ['001', '002'])
      writeFileSync(
        join(folder, `Voice ${n}.m4a`),
        readFileSync(sample(`device/vvy2346__Speech-database__Voice ${n}.m4a`)),
      );
    writeFileSync(join(folder, 'README.txt'), 'exemplars recorded on the phone\n');
    const run = await cli([
      'inspect',
      sample('device/vvy2346__Speech-database__Voice 003.m4a'),
      '--json',
      '--exemplar',
      folder,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.exemplar.files.map((f: { name: string }) => f.name)).toEqual([
      'Voice 001.m4a',
      'Voice 002.m4a',
    ]);
    expect(result.exemplar.matches).toBe(true);
    expect(result.exemplar.differences).toEqual([]);
  });
});
