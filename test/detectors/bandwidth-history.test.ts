import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- the fixture script's ffmpeg helper is plain JavaScript.
import { BITEXACT, ffmpeg } from '../../fixtures/lib/ffmpeg.mjs';
import { bandwidthHistory } from '../../src/detectors/bandwidth-history.js';
import { fixture, HAS_SAMPLES, samples } from '../helpers.js';
import { editAt, expectNear, ORIGINALS, runner, serious } from '../signal/fixtures.js';

const run = runner(bandwidthHistory);
const dir = mkdtempSync(join(tmpdir(), 'ae-bandwidth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bandwidth-history', () => {
  it.each(ORIGINALS)('finds nothing on the untouched %s', async (file) => {
    expect(serious(await run(file))).toEqual([]);
  });

  it.runIf(HAS_SAMPLES).each(samples('device'))('finds nothing on the device recording %s', async (path) => {
    expect(serious(await run(path))).toEqual([]);
  });

  it.each([
    // An AMR-NB recording (a phone call) transcoded to 48 kHz AAC or to MP3.
    ['edited/signal-amr-to-m4a.m4a', 'narrowband-content'],
    ['edited/transcode-amr-careful.mp3', 'narrowband-content'],
    // MP3 and AAC decoded and saved as WAV and FLAC: the encoders' lowpass stays in the lossless file.
    ['edited/signal-mp3-to-wav.wav', 'lossy-cutoff-in-lossless'],
    ['edited/signal-aac-to-flac.flac', 'lossy-cutoff-in-lossless'],
  ])('%s: %s', async (file, id) => {
    const result = await run(file);
    expect(serious(result).map((f) => f.id)).toEqual([id]);
  });

  it('locates a narrowband segment inside a wideband recording', async () => {
    const file = 'edited/signal-narrowband-insert-m4a.m4a';
    const result = await run(file);
    const [start, end] = editAt(file) as [number, number];
    expectNear(result, 'bandwidth-change', 'warning', start);
    expectNear(result, 'bandwidth-change', 'warning', end);
    const change = result.findings.find((f) => f.id === 'bandwidth-change')!;
    expect(Math.abs(change.at! - start)).toBeLessThan(0.5);
    expect(Math.abs(change.end! - end)).toBeLessThan(0.5);
  });

  it('reads content ending at a common half-rate as resampling, not as a lossy codec', async () => {
    const path = join(dir, 'upsampled.wav');
    ffmpeg(['-i', fixture('originals/rec-a.wav'), '-ar', '32000', '-c:a', 'pcm_s16le', ...BITEXACT, path]);
    const result = await run(path);
    expect(serious(result)).toEqual([]);
    expect(result.findings.map((f) => [f.id, f.evidence?.['formerRate']])).toEqual([
      ['upsampled-content', 8000],
    ]);
  });
});
