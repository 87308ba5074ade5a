import { describe, expect, it } from 'vitest';
import { compareProfile } from '../../src/exemplar/compare.js';
import { profileOf, writerIdentity } from '../../src/exemplar/profile.js';
import { fixture, HAS_SAMPLES } from '../helpers.js';
import { exemplarOf, profiled, sample, writers } from './support.js';

const differingFields = async (questioned: string, ...exemplars: string[]) =>
  compareProfile((await profiled(questioned)).profile, await exemplarOf(...exemplars)).differences.map(
    (d) => d.field,
  );

describe('profileOf', () => {
  it('is deterministic JSON with sorted keys, and never holds sizes, times or counts', async () => {
    const { profile } = await profiled(fixture('originals/rec-a.m4a'));
    const again = (await profiled(fixture('originals/rec-a.m4a'))).profile;
    expect(JSON.stringify(profile)).toBe(JSON.stringify(again));
    const keys = Object.keys(profile.fields);
    expect(keys).toEqual([...keys].sort());
    expect(profile.fields['container']).toBe('mp4');
    expect(profile.fields['mp4.atoms']).toMatch(/^ftyp moov\(mvhd trak\(/);
    expect(JSON.stringify(profile)).not.toMatch(/duration|created|offset|"size"/i);
  });

  it('keeps an empty profile for facts that are missing', () => {
    expect(profileOf({ container: 'mp3' }).fields).toEqual({ container: 'mp3' });
  });

  it('names a writer without its version or device name', () => {
    expect(writerIdentity('com.apple.VoiceMemos (iPhone Version 17.5.1 (Build 21F90))')).toBe(
      'com.apple.VoiceMemos (…)',
    );
    expect(writerIdentity('Lavf58.24.100')).toBe('Lavf#.#.#');
  });
});

describe.runIf(HAS_SAMPLES)('genuine recordings of one app and OS version', () => {
  // [questioned, exemplar]: the same app on the same OS version (WRITERS.tsv, device/ of one phone).
  it.each([
    ['genuine/AydenBravender__dementions__Q1.m4a', 'genuine/AydenBravender__dementions__Voice 001.m4a'],
    ['device/vvy2346__Speech-database__Voice 001.m4a', 'device/vvy2346__Speech-database__Voice 002.m4a'],
    ['device/vvy2346__Speech-database__Voice 003.m4a', 'device/vvy2346__Speech-database__Voice 001.m4a'],
    [
      'genuine/SqueakyBeaver__TransCrab__voice-message.ogg',
      'genuine/coolio770__yourfriendiscalling__voice-message.ogg',
    ],
    ['genuine/RympeR__voice_m_bot__voice.ogg', 'genuine/daniOrtiz11__testBotSpeakToText__voice.oga'],
    ['genuine/Mrinmayi03__CalmCompanion__voice.webm', 'genuine/seungyeonn-i__BabyHear-BackEnd__voice.webm'],
    ['genuine/jimanji__123__test.silk', 'voice/Lidure__astrbot_plugin_airi_voice__打卡啦摩托.silk'],
  ])('%s matches %s with zero differences', async (questioned, exemplar) => {
    expect(await differingFields(sample(questioned), sample(exemplar))).toEqual([]);
  });

  // No two iOS files in the set share an iOS version; one user's 16.2 and 16.6 memos differ only in the
  // version string, which is not counted against `matches`.
  it('two iOS Voice Memos of one user differ only in the version string', async () => {
    expect(
      await differingFields(
        sample('genuine/hbknight__hbknight.github.io__11-22-22, 5:53 PM.m4a'),
        sample('genuine/hbknight__hbknight.github.io__Sisyphos.m4a'),
      ),
    ).toEqual(['writer.softwareVersions']);
  });

  // [questioned, exemplar of another app, a field that must differ]
  it.each([
    [
      'genuine/75075__Prodigy-Infotech__New Recording.m4a',
      'genuine/2pacasir__2pacasir__Voice 001.m4a',
      'mp4.ftyp.compatibleBrands',
    ],
    [
      'genuine/2pacasir__2pacasir__Voice 001.m4a',
      'genuine/Arccosnsx__Arccosnsx.github.io__新录音 2.m4a',
      'mp4.atoms',
    ],
    ['genuine/Dimokrat__voice-bot__voice.oga', 'genuine/Lekha-2005__keerthana__voice.opus', 'ogg.vendor'],
    [
      'genuine/Dimokrat__voice-bot__voice.oga',
      'genuine/DanGritter__RiTA-DiscordBot__voice-message.ogg',
      'ogg.packetsPerPage',
    ],
    [
      'genuine/albertyen67__september__Standard recording 1.mp3',
      'voice/vvy2346__Speech-database__AUD-20190619-WA0021.mp3',
      'mp3.bitrate',
    ],
    ['genuine/marinezo__raash__ZOOM0001.WAV', 'fixtures/originals/rec-a.wav', 'wav.chunks'],
  ])('%s differs from an exemplar of another app (%s)', async (questioned, exemplar, field) => {
    const ex = exemplar.startsWith('fixtures/')
      ? fixture(exemplar.slice('fixtures/'.length))
      : sample(exemplar);
    expect(await differingFields(sample(questioned), ex)).toContain(field);
  });

  // Every field that differs between two files of one WRITERS.tsv writer string differs because the
  // versions differ (the writer strings in WRITERS.tsv name the OS version): within an exact writer string
  // a genuine group never disagrees.
  it('files with the same WRITERS.tsv writer description agree on every field', async () => {
    const byWriter = new Map<string, string[]>();
    for (const row of writers()) byWriter.set(row.writer, [...(byWriter.get(row.writer) ?? []), row.file]);
    const pairs = [...byWriter.values()].filter((files) => files.length > 1);
    for (const [first, ...rest] of pairs)
      for (const other of rest)
        expect(await differingFields(sample(`genuine/${other}`), sample(`genuine/${first}`)), other).toEqual(
          [],
        );
  });
});
