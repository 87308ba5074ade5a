import { describe, expect, it } from 'vitest';
import { exemplarComparison } from '../../src/detectors/exemplar-comparison.js';
import { inspect } from '../../src/inspect.js';
import { exemplarOf, sample, structureContext } from '../exemplar/support.js';
import { fixture, HAS_SAMPLES, samples } from '../helpers.js';
import { ORIGINALS } from './structure-fixtures.js';

const run = async (path: string, exemplars: string[] = []) =>
  exemplarComparison.run(
    await structureContext(path, exemplars.length ? { exemplar: await exemplarOf(...exemplars) } : {}),
  );
const serious = <T extends { severity: string }>(findings: T[]): T[] =>
  findings.filter((f) => f.severity !== 'info');

describe('exemplar-comparison without exemplars', () => {
  it.each(ORIGINALS)('never warns on the untouched %s, and names the closest known writer', async (file) => {
    const result = await run(fixture(file));
    expect(serious(result.findings)).toEqual([]);
    expect(result.outcome).toBe('not-assessable');
    expect(result.findings.map((f) => f.id)).toEqual(['writer-profile-match']);
  });

  const real = [...samples('genuine'), ...samples('device'), ...samples('voice')].filter(
    (p) => !p.endsWith('.tsv'),
  );
  it.runIf(HAS_SAMPLES).each(real)('never warns on the real recording %s', async (path) => {
    const result = await run(path);
    expect(serious(result.findings)).toEqual([]);
    expect(result.outcome).not.toBe('inconsistent');
  });

  it.runIf(HAS_SAMPLES)('names iOS Voice Memos for an iPhone memo, with how closely it agrees', async () => {
    const result = await run(sample('device/Borewit__music-metadata__Apple  voice memo.m4a'));
    const [match] = result.findings;
    expect(match).toMatchObject({ id: 'writer-profile-match', severity: 'info', aspect: 'originality' });
    expect(match?.evidence?.['profile']).toBe('iOS Voice Memos');
    expect(match?.evidence?.['agreeing']).toBe((match?.evidence?.['total'] as number) - 1);
    expect(result.note).toMatch(/closest known writer profile: iOS Voice Memos \(\d+ of \d+ fields agree\)/);
  });

  it('is not assessable for bytes that are not audio', async () => {
    const result = await exemplarComparison.run({
      identified: { container: 'not-audio' },
    } as unknown as Parameters<typeof exemplarComparison.run>[0]);
    expect(result).toMatchObject({ outcome: 'not-assessable', findings: [] });
  });
});

describe.runIf(HAS_SAMPLES)('exemplar-comparison with exemplars', () => {
  it('two Samsung Voice Recorder files of one phone: consistent, an info finding says what was compared', async () => {
    const result = await run(sample('device/vvy2346__Speech-database__Voice 003.m4a'), [
      sample('device/vvy2346__Speech-database__Voice 001.m4a'),
      sample('device/vvy2346__Speech-database__Voice 002.m4a'),
    ]);
    expect(result.outcome).toBe('consistent');
    expect(result.findings.map((f) => [f.id, f.severity])).toEqual([['exemplar-compared', 'info']]);
    expect(result.findings[0]?.title).toMatch(
      /^Agrees with the exemplar recordings on all \d+ compared structure fields$/,
    );
  });

  it('an iPhone memo against Samsung exemplars: warnings that name each field and its meaning', async () => {
    const result = await run(sample('genuine/75075__Prodigy-Infotech__New Recording.m4a'), [
      sample('device/vvy2346__Speech-database__Voice 001.m4a'),
    ]);
    expect(result.outcome).toBe('inconsistent');
    const warnings = serious(result.findings);
    const fields = warnings.map((f) => f.evidence?.['field']);
    expect(fields).toEqual(expect.arrayContaining(['mp4.ftyp.brand', 'mp4.atoms', 'mp4.track.handlerName']));
    for (const w of warnings) {
      expect(w.id).toBe('exemplar-difference');
      expect(String(w.evidence?.['meaningZh'])).toMatch(/\p{Script=Han}/u);
    }
    expect(warnings.find((w) => w.evidence?.['field'] === 'mp4.esds.sampleRate')?.category).toBe('encoding');
  });

  it('exemplars that disagree among themselves are reported, and either value is accepted', async () => {
    const result = await run(sample('genuine/hbknight__hbknight.github.io__Sisyphos.m4a'), [
      sample('genuine/hbknight__hbknight.github.io__11-22-22, 5:53 PM.m4a'),
      sample('genuine/hbknight__hbknight.github.io__Sisyphos.m4a'),
    ]);
    expect(serious(result.findings)).toEqual([]);
    const disagreement = result.findings.find((f) => f.id === 'exemplar-disagreement');
    expect(disagreement?.evidence?.['fields']).toEqual(['writer.softwareVersions']);
  });

  it('an app update between the memo and the exemplar is an info finding only', async () => {
    const result = await run(sample('genuine/hbknight__hbknight.github.io__Sisyphos.m4a'), [
      sample('genuine/hbknight__hbknight.github.io__11-22-22, 5:53 PM.m4a'),
    ]);
    expect(
      result.findings.filter((f) => f.id === 'exemplar-version-difference').map((f) => f.severity),
    ).toEqual(['info']);
    expect(serious(result.findings)).toEqual([]);
  });
});

describe('exemplar-comparison with an exemplar of another format', () => {
  it('warns once, for the format, and lists what differs with it', async () => {
    const result = await run(fixture('edited/transcode-m4a-default.mp3'), [fixture('originals/rec-a.m4a')]);
    const warnings = serious(result.findings);
    expect(warnings.map((f) => f.evidence?.['field'])).toEqual(['container']);
    expect(warnings[0]?.detail).toMatch(/further field\(s\) differ with it: .*mp3\.lame\.encoder/);
  });
});

describe('inspect --exemplar end to end', () => {
  it('adds the exemplar object and the check for a re-saved fixture', async () => {
    const exemplar = await exemplarOf(fixture('originals/rec-a.mp3'));
    const result = await inspect(fixture('edited/splice-insert-default.mp3'), {
      exemplar,
      detectors: [exemplarComparison],
    });
    expect(result.exemplar?.files).toEqual(exemplar.files);
    expect(result.exemplar?.matches).toBe(false);
    expect(result.exemplar?.differences.map((d) => d.field)).toContain('mp3.lame.encoder');
    expect(result.checks).toEqual([
      expect.objectContaining({ id: 'exemplar-comparison', outcome: 'inconsistent' }),
    ]);
    expect(result.summary.verdict).toBe('review-recommended');
  });

  it('leaves the exemplar object out without --exemplar', async () => {
    const result = await inspect(fixture('originals/rec-a.mp3'), { detectors: [exemplarComparison] });
    expect(result.exemplar).toBeUndefined();
    expect(result.summary.verdict).toBe('no-signs-found');
  });
});

describe('exemplar-comparison: a recorder named on another writer’s layout', () => {
  const layout = async (file: string) =>
    (await inspect(fixture(file))).findings.filter((f) => f.id === 'layout-of-other-writer');

  it.each([
    ['edited/delete-reencode-careful.m4a', 'FFmpeg/Lavf (M4A/MP4)', 'Android MediaRecorder (AAC in MP4/3GP)'],
    ['edited/delete-reencode-careful.3gp', 'FFmpeg/Lavf (3GP)', 'Android MediaRecorder (AMR in 3GP)'],
    [
      'edited/truncate-reencode-careful.m4a',
      'FFmpeg/Lavf (M4A/MP4)',
      'Android MediaRecorder (AAC in MP4/3GP)',
    ],
  ])('warns on %s: MediaRecorder’s tags copied onto an FFmpeg-written file', async (file, tool, claimed) => {
    const [warning, ...rest] = await layout(file);
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({
      severity: 'warning',
      check: 'exemplar-comparison',
      aspect: 'originality',
    });
    expect(warning?.evidence).toMatchObject({ profile: tool, claimedProfile: claimed });
    expect(warning?.evidence?.['ahead']).toBeGreaterThanOrEqual(3);
    expect(warning?.title).toContain('Android MediaRecorder');
  });

  it.each([
    'edited/delete-reencode-default.m4a',
    'originals/rec-a.m4a',
    'originals/rec-a.3gp',
    'originals/rec-a.amr',
  ])('stays silent on %s, which names no recorder or is laid out as its recorder writes', async (file) => {
    expect(await layout(file)).toEqual([]);
  });
});
