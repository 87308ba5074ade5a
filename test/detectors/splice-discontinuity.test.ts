import { describe, expect, it } from 'vitest';
import { spliceDiscontinuity } from '../../src/detectors/splice-discontinuity.js';
import { HAS_SAMPLES, samples } from '../helpers.js';
import { editAt, expectNear, ORIGINALS, runner, serious } from '../signal/fixtures.js';

const run = runner(spliceDiscontinuity);

describe('splice-discontinuity', () => {
  it.each(ORIGINALS)('finds nothing on the untouched %s', async (file) => {
    expect(serious(await run(file))).toEqual([]);
  });

  it.runIf(HAS_SAMPLES).each(samples('device'))('finds nothing on the device recording %s', async (path) => {
    expect(serious(await run(path))).toEqual([]);
  });

  // A spectral jump alone is a strong mark; the review stage raises it when another family coincides.
  it('marks the join where a phone-call segment ends in a pause', async () => {
    const file = 'edited/signal-narrowband-insert-m4a.m4a';
    const mark = expectNear(await run(file), 'splice-candidate', 'info', editAt(file)[1]!, 0.1);
    expect(mark.evidence).toMatchObject({ kind: 'spectrum', family: 'background', strong: true });
  });

  // Two encoded files joined byte for byte: the second file starts with a spectral step.
  it('marks the join of two byte-concatenated files', async () => {
    const file = 'edited/concat-bytes-careful.mp3';
    const mark = expectNear(await run(file), 'splice-candidate', 'info', editAt(file)[0]!, 0.3);
    expect(mark.evidence?.['strong']).toBe(true);
  });

  it('leaves weak background changes as "listen here" marks', async () => {
    const file = 'edited/signal-splice-foreign-mp3.mp3';
    const result = await run(file);
    expectNear(result, 'splice-candidate', 'info', editAt(file)[0]!, 0.1);
    expect(serious(result)).toEqual([]);
    expect(result.checks[0]?.outcome).toBe('consistent');
  });

  it('leaves digital-silence edges to the digital-silence check', async () => {
    expect((await run('edited/signal-zero-gap-wav.wav')).findings).toEqual([]);
  });
});
