import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSignatures } from '../../src/analysis/signatures.js';
import { writerSignature } from '../../src/detectors/writer-signature.js';
import { AudioEvidenceError } from '../../src/errors.js';
import { binaries } from '../../src/tools/ffmpeg.js';
import { fixture, HAS_SAMPLES, SAMPLES, samples } from '../helpers.js';
import { detectorRunner, ORIGINALS, serious } from './structure-fixtures.js';

const run = detectorRunner(writerSignature);
const dir = mkdtempSync(join(tmpdir(), 'ae-writer-'));
const signatureIds = (findings: { evidence?: Record<string, unknown> }[]): unknown[] =>
  findings.map((f) => f.evidence?.['signature']);

describe('writer-signature', () => {
  let androidTagged = '';
  beforeAll(async () => {
    // An ffmpeg remux that keeps Android's version tag: the tag claims MediaRecorder, the layout is libavformat's.
    const { ffmpeg } = await binaries();
    androidTagged = join(dir, 'android-tagged.m4a');
    execFileSync(ffmpeg.path, [
      ...['-v', 'error', '-y', '-i', fixture('originals/rec-a.m4a'), '-c', 'copy'],
      ...['-metadata', 'com.android.version=13', '-movflags', 'use_metadata_tags'],
      ...['-fflags', '+bitexact', androidTagged],
    ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(ORIGINALS)('does not warn on the untouched %s', async (file) => {
    expect(serious(await run(file))).toEqual([]);
  });

  it.runIf(HAS_SAMPLES).each(samples('device'))('does not warn on the device recording %s', async (path) => {
    expect(serious(await run(path))).toEqual([]);
  });

  // [shared device sample, signature it is recognised by]
  it.runIf(HAS_SAMPLES).each([
    ['device/Borewit__music-metadata__Apple  voice memo.m4a', 'apple-voice-memos'],
    ['device/speculation1__friday-livekit-agent__voice.amr', 'android-mediarecorder'],
    ['device/vvy2346__Speech-database__Voice 001.m4a', 'android-version-tag'],
    ['device/Mohamedtahaahmedtaha__Telegram-voice-to-text-__voice.ogg', 'telegram-opus'],
    ['device/xp12-mcmin__qqbot__test.amr', 'raw-amr'],
  ])('recognises the recorder of %s (%s)', async (name, id) => {
    const result = await run(join(SAMPLES, name));
    const recorders = result.findings.filter((f) => f.id === 'recorder-signature');
    expect(recorders.every((f) => f.severity === 'info')).toBe(true);
    expect(signatureIds(recorders)).toContain(id);
  });

  // Re-encoded with plain ffmpeg settings: version strings in tags, vendor strings or the AAC fill element.
  it.each([
    'edited/delete-reencode-default.m4a',
    'edited/delete-reencode-default.mp3',
    'edited/delete-reencode-default.wav',
    'edited/delete-reencode-default.flac',
    'edited/delete-reencode-default.opus',
    'edited/delete-reencode-default.aac',
    'edited/transcode-wav-default.m4a',
    'edited/transcode-amr-default.mp3',
  ])('warns on the FFmpeg trace in %s', async (file) => {
    const result = await run(file);
    const editors = result.findings.filter((f) => f.id === 'editor-signature');
    expect(editors.map((f) => f.severity)).toContain('warning');
    expect(signatureIds(editors)).toContain('ffmpeg');
    expect(editors[0]?.aspect).toBe('originality');
    expect(result.checks[0]?.outcome).toBe('inconsistent');
  });

  it('reads a disguised careful edit as what it imitates (the table only knows traces)', async () => {
    const result = await run('edited/delete-reencode-careful.m4a');
    expect(serious(result)).toEqual([]);
    expect(signatureIds(result.findings)).toContain('android-mediarecorder');
  });

  it('warns when a recorder tag sits in a layout that recorder never writes', async () => {
    const result = await run(androidTagged);
    const contradiction = result.findings.find((f) => f.id === 'writer-contradiction');
    expect(contradiction?.severity).toBe('warning');
    expect(contradiction?.evidence?.['claimed']).toBe('android-version-tag');
  });

  // FFmpeg without its version string and with a phone's creation time copied back: re-saved from another file.
  it("warns on a bit-exact FFmpeg re-save that kept its source file's creation time", async () => {
    const result = await run('edited/resave-time-m4a.m4a');
    const resave = result.findings.find((f) => f.id === 'resaved-by-ffmpeg');
    expect(resave?.severity).toBe('warning');
    expect(resave?.evidence).toMatchObject({
      signature: 'ffmpeg-mp4-layout',
      created: '2024-06-22T13:25:22.000Z',
    });
  });

  // MP3 keeps the time in an ID3 tag (TDEN), where FFmpeg writes it only when it copies or is given one.
  it("warns on a bit-exact FFmpeg MP3 re-save that kept its source file's creation time in ID3", async () => {
    const result = await run('edited/resave-time-mp3.mp3');
    const resave = result.findings.find((f) => f.id === 'resaved-by-ffmpeg');
    expect(resave?.severity).toBe('warning');
    expect(resave?.evidence).toMatchObject({ signature: 'ffmpeg-bitexact' });
    expect(String(resave?.evidence?.['created'])).toMatch(/^2024-06-22T13:25:22/);
  });

  // The same layout without a time (FFmpeg's own output, the fixtures' originals) stays context.
  it.each(['originals/rec-a.m4a', 'originals/rec-a.mp3', 'edited/delete-reencode-careful.aac'])(
    '%s: FFmpeg traces without a creation time are not a re-save sign',
    async (file) => {
      expect((await run(file)).findings.filter((f) => f.id === 'resaved-by-ffmpeg')).toEqual([]);
    },
  );

  it('says an unknown writer is not evidence', async () => {
    const result = await run('originals/rec-a.wav');
    expect(result.findings).toEqual([]);
    expect(result.checks[0]?.outcome).toBe('not-assessable');
    expect(result.checks[0]?.note).toMatch(/not a sign of editing/);
  });

  it('takes extra tables from --signatures files; their entries win over built-in ones', async () => {
    const table = join(dir, 'my-device.json');
    writeFileSync(
      table,
      JSON.stringify({
        signatures: [
          { id: 'my-recorder', name: 'Court exemplar recorder', kind: 'recorder', handler: '^SoundHandler$' },
          { id: 'ffmpeg', name: 'FFmpeg, declared harmless here', kind: 'library', software: 'Lavf\\d' },
        ],
      }),
    );
    const custom = detectorRunner(writerSignature, { signatures: [table] });
    const original = await custom(fixture('originals/rec-a.m4a'));
    expect(signatureIds(original.findings.filter((f) => f.id === 'recorder-signature'))).toContain(
      'my-recorder',
    );
    const edited = await custom(fixture('edited/delete-reencode-default.flac'));
    expect(serious(edited)).toEqual([]);
  });

  it.each([
    ['no array', {}],
    ['bad kind', { signatures: [{ id: 'x', name: 'X', kind: 'wizard', software: 'x' }] }],
    ['bad regex', { signatures: [{ id: 'x', name: 'X', kind: 'editor', software: '(' }] }],
    ['matches everything', { signatures: [{ id: 'x', name: 'X', kind: 'editor' }] }],
    [
      'profiles not a list of names',
      { signatures: [{ id: 'x', name: 'X', kind: 'editor', software: 'x', profiles: 'FFmpeg' }] },
    ],
  ])('rejects a table with %s as a usage error', (_label, content) => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify(content));
    expect(() => loadSignatures([path])).toThrow(AudioEvidenceError);
  });
});

describe('the built-in signature table names real writer profiles', () => {
  it('every "profiles" entry is the name of a built-in profile, and every recorder with a profile names one', async () => {
    const { builtinProfiles } = await import('../../src/exemplar/library.js');
    const names = new Set(builtinProfiles().map((p) => p.name));
    const table = loadSignatures([]);
    const named = table.signatures.filter((s) => s.profiles?.length);
    expect(named.length).toBeGreaterThan(10);
    for (const sig of named)
      for (const name of sig.profiles ?? []) expect(names, `${sig.id}: ${name}`).toContain(name);
    // Profiles no signature claims: writers without a trace of their own, and Zoom, whose signature
    // ("dictaphone") covers many brands that write plain WAVE files like FFmpeg's: tying it to Zoom's
    // layout would hold a Sony or Olympus file against the wrong recorder.
    const claimed = new Set(named.flatMap((s) => s.profiles ?? []));
    expect([...names].filter((n) => !claimed.has(n)).sort()).toEqual([
      'Browser MediaRecorder (Chrome, WebM/Opus)',
      'Discord voice message (Ogg/Opus)',
      'Zoom handheld recorder (BWF WAV)',
      'iMessage audio message (CAF/Opus)',
    ]);
  });
});
