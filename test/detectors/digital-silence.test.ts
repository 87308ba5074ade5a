import { describe, expect, it } from 'vitest';
import { digitalSilence } from '../../src/detectors/digital-silence.js';
import { HAS_SAMPLES, samples } from '../helpers.js';
import { editAt, expectNear, ORIGINALS, runner, serious } from '../signal/fixtures.js';

const run = runner(digitalSilence);

describe('digital-silence', () => {
  it.each(ORIGINALS)('finds nothing on the untouched %s', async (file) => {
    expect(serious(await run(file))).toEqual([]);
  });

  // Recorders pad their first moments with zeros (Voice Memos, AMR start-up): that is not a sign.
  it.runIf(HAS_SAMPLES).each(samples('device'))('finds nothing on the device recording %s', async (path) => {
    expect(serious(await run(path))).toEqual([]);
  });

  // A muted utterance and an inserted gap, in WAV, re-encoded AAC and MP3: located at start and end.
  it.each([
    'edited/signal-mute-wav.wav',
    'edited/signal-mute-m4a.m4a',
    'edited/signal-mute-mp3.mp3',
    'edited/signal-zero-gap-wav.wav',
    'edited/signal-zero-gap-m4a.m4a',
    'edited/signal-zero-gap-mp3.mp3',
  ])('%s: digital silence where the edit is', async (file) => {
    const result = await run(file);
    const [start, end] = editAt(file) as [number, number];
    expectNear(result, 'digital-silence-inside', 'warning', start, 0.05);
    expectNear(result, 'digital-silence-inside', 'warning', end, 0.05);
    const found = result.findings.find((f) => f.id === 'digital-silence-inside')!;
    // Lossy coders blur the edges of the zeros by at most a frame.
    expect(Math.abs(found.at! - start)).toBeLessThan(0.03);
    expect(Math.abs(found.end! - end)).toBeLessThan(0.03);
    expect(result.checks[0]?.outcome).toBe('inconsistent');
  });

  it('gives the exact sample span of a run in a lossless file', async () => {
    const found = (await run('edited/signal-zero-gap-wav.wav')).findings[0]!;
    // 0.4 s of zeros inserted at 5.4 s in an 8 kHz WAV.
    expect(found.evidence).toMatchObject({ startSample: 43_200, samples: 3_200, value: 0 });
  });

  it('is consistent when only the start is padded', async () => {
    const result = await run('originals/rec-a.m4a');
    expect(result.checks[0]?.outcome).toBe('consistent');
  });
});
