// The built-in writer profiles: held-out genuine recordings still match their writer best.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rankProfiles } from '../../src/exemplar/compare.js';
import { builtinProfiles } from '../../src/exemplar/library.js';
import { HAS_SAMPLES, ROOT } from '../helpers.js';
import { profiled, sample } from './support.js';

const table = JSON.parse(readFileSync(`${ROOT}/templates/profiles.json`, 'utf8')) as {
  heldOut: Record<string, string>;
  profiles: Array<{ name: string; files: Array<{ name: string; sha256: string }> }>;
};

/** The best-ranked profile names (several when they tie). */
async function closest(path: string): Promise<{ names: string[]; agreeing: number; compared: number }> {
  const ranked = rankProfiles((await profiled(path)).profile, builtinProfiles());
  const best = ranked[0]!;
  const names = ranked
    .filter((r) => r.agreeing === best.agreeing && r.compared === best.compared)
    .map((r) => r.name);
  return { names, agreeing: best.agreeing, compared: best.compared };
}

describe('built-in writer profiles', () => {
  it('cover the writers of the issue, each learned from real files', () => {
    const names = builtinProfiles().map((p) => p.name);
    for (const expected of [
      'iOS Voice Memos',
      'macOS Voice Memos',
      'Samsung Voice Recorder',
      'Android MediaRecorder (AAC in MP4/3GP)',
      'Android MediaRecorder (AMR in 3GP)',
      'WeChat/QQ voice message (SILK v3)',
      'Telegram voice note (Ogg/Opus)',
      'WhatsApp voice note (Ogg/Opus)',
      'Discord voice message (Ogg/Opus)',
      'Browser MediaRecorder (Chrome, WebM/Opus)',
      'Zoom handheld recorder (BWF WAV)',
      'FFmpeg/Lavf (M4A/MP4)',
      'FFmpeg/Lavf (MP3)',
      'FFmpeg/Lavf (Ogg/Opus)',
      'FFmpeg/Lavf (WAV)',
      'FFmpeg/Lavf (AMR)',
    ])
      expect(names).toContain(expected);
    for (const profile of builtinProfiles()) expect(profile.files.length, profile.name).toBeGreaterThan(0);
  });

  it('never learned from a held-out recording', () => {
    const learned = new Set(table.profiles.flatMap((p) => p.files.map((f) => f.name)));
    for (const path of Object.keys(table.heldOut)) expect(learned.has(path.split('/')[1]!), path).toBe(false);
  });

  it.runIf(HAS_SAMPLES).each(Object.entries(table.heldOut))(
    'held out: %s still matches %s best',
    async (path, writer) => {
      const best = await closest(sample(path));
      expect(best.names, `${best.agreeing}/${best.compared}`).toContain(writer);
      expect(best.agreeing / best.compared).toBeGreaterThanOrEqual(0.75);
    },
  );

  it('ranks the fixture originals (FFmpeg files) as FFmpeg/Lavf', async () => {
    for (const ext of ['m4a', 'mp3', 'opus', 'wav', 'flac', 'aac'])
      expect((await closest(`${ROOT}/fixtures/originals/rec-a.${ext}`)).names.join()).toMatch(/FFmpeg\/Lavf/);
  });
});

describe('built-in profile names in Chinese', () => {
  it('has a zh-CN name for every profile', () => {
    const zh = JSON.parse(readFileSync(`${ROOT}/templates/findings.zh-CN.json`, 'utf8')) as {
      writers: Record<string, string>;
    };
    for (const { name } of builtinProfiles()) expect(zh.writers[name], name).toMatch(/\S/);
  });
});
