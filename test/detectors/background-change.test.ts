import { describe, expect, it } from 'vitest';
import { backgroundChange } from '../../src/detectors/background-change.js';
import { HAS_SAMPLES, samples } from '../helpers.js';
import { editAt, expectNear, ORIGINALS, runner, serious } from '../signal/fixtures.js';

const run = runner(backgroundChange);

describe('background-change', () => {
  it.each(ORIGINALS)('finds nothing on the untouched %s', async (file) => {
    expect(serious(await run(file))).toEqual([]);
  });

  // Phones change gain and suppress noise: their backgrounds are not stationary, and must not alarm.
  it.runIf(HAS_SAMPLES).each(samples('device'))('finds nothing on the device recording %s', async (path) => {
    expect(serious(await run(path))).toEqual([]);
  });

  // The same words continued from a recording made in another room (only the noise differs), another
  // recording joined on, another speaker inserted: the step is inside the pause where the cut is.
  it.each([
    'edited/signal-background-wav.wav',
    'edited/signal-background-m4a.m4a',
    'edited/signal-background-mp3.mp3',
    'edited/signal-concat-wav.wav',
    'edited/signal-concat-m4a.m4a',
    'edited/signal-concat-mp3.mp3',
    'edited/signal-splice-foreign-wav.wav',
    'edited/signal-splice-foreign-m4a.m4a',
    'edited/signal-splice-foreign-mp3.mp3',
  ])('%s: a strong background-step mark at the join', async (file) => {
    const near = expectNear(await run(file), 'background-step', 'info', editAt(file)[0]!, 0.25);
    expect(near.evidence?.['strong']).toBe(true);
    expect(near.evidence?.['family']).toBe('background');
  });

  it('finds both ends of an inserted segment', async () => {
    const file = 'edited/signal-splice-foreign-mp3.mp3';
    const result = await run(file);
    for (const t of editAt(file)) expectNear(result, 'background-step', 'info', t, 0.25);
  });

  it('reports the level step it measured', async () => {
    const step = (await run('edited/signal-background-wav.wav')).findings[0]!;
    // The other room's noise is 9 dB louder over the whole band; at 8 kHz about 3 dB of it shows.
    expect(step.evidence?.['levelStepDb']).toBeGreaterThan(2);
  });

  it('is not assessable without pauses', async () => {
    expect((await run('edited/signal-aac-to-flac.flac')).checks[0]?.outcome).toBe('not-assessable');
  });
});
