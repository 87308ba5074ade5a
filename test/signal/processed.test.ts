// Untouched recordings that went through what phones do to audio (noise suppression with noise tracking,
// gain control, gates, compression): the signal checks must stay quiet on them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- the fixture script's ffmpeg helper is plain JavaScript.
import { BITEXACT, ffmpeg } from '../../fixtures/lib/ffmpeg.mjs';
import { backgroundChange } from '../../src/detectors/background-change.js';
import { bandwidthHistory } from '../../src/detectors/bandwidth-history.js';
import { digitalSilence } from '../../src/detectors/digital-silence.js';
import { mainsHum } from '../../src/detectors/mains-hum.js';
import { spliceDiscontinuity } from '../../src/detectors/splice-discontinuity.js';
import { inspect } from '../../src/inspect.js';
import { fixture } from '../helpers.js';

const detectors = [backgroundChange, bandwidthHistory, digitalSilence, mainsHum, spliceDiscontinuity];
const dir = mkdtempSync(join(tmpdir(), 'ae-processed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROCESSING = {
  'noise suppression with noise tracking': 'afftdn=nr=30:nf=-40:tn=1',
  'noise suppression and gain normalisation': 'afftdn=nr=40:nf=-35:tn=1,dynaudnorm=f=100:g=11',
  'fast compressor with make-up gain': 'acompressor=threshold=-35dB:ratio=10:attack=2:release=150:makeup=15',
  'noise gate': 'volume=0.3,agate=threshold=0.02:range=0.01',
  'high-pass and gain normalisation': 'highpass=f=200,dynaudnorm=f=100:g=9',
};

describe('signal checks on processed but unedited recordings', () => {
  const cases = Object.entries(PROCESSING).flatMap(([name, filter]) =>
    [
      ['rec-a.m4a', 'mp3', ['-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '64k']],
      ['rec-a.3gp', 'wav', ['-ar', '16000', '-c:a', 'pcm_s16le']],
      ['rec-a.m4a', 'm4a', ['-ar', '48000', '-c:a', 'aac', '-b:a', '48k']],
    ].map(
      ([source, ext, args]) =>
        [name, filter, source, ext, args] as [string, string, string, string, string[]],
    ),
  );

  it.each(cases)('%s (%s) over %s as %s: no warnings', async (name, filter, source, ext, args) => {
    const out = join(dir, `${name.replace(/\W+/g, '-')}-${source}.${ext}`);
    ffmpeg(['-i', fixture(`originals/${source}`), '-af', filter, ...args, ...BITEXACT, out]);
    const result = await inspect(out, { detectors });
    const serious = result.findings.filter((f) => f.severity !== 'info').map((f) => `${f.id}@${f.at}`);
    expect(serious).toEqual([]);
  });
});
