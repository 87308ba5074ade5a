import { describe, expect, it } from 'vitest';
import { durationMismatch } from '../../src/detectors/duration-mismatch.js';
import { HAS_SAMPLES, samples } from '../helpers.js';
import { detectorRunner, expectFindingNear, ORIGINALS, serious } from './structure-fixtures.js';

const run = detectorRunner(durationMismatch);

describe('duration-mismatch', () => {
  it.each(ORIGINALS)('finds nothing on the untouched %s', async (file) => {
    const result = await run(file);
    expect(serious(result)).toEqual([]);
    expect(result.checks[0]?.outcome).not.toBe('inconsistent');
  });

  it.runIf(HAS_SAMPLES).each(samples('device'))('finds nothing on the device recording %s', async (path) => {
    expect(serious(await run(path))).toEqual([]);
  });

  // [fixture, finding id, where the content or the index ends]
  it.each([
    ['edited/truncate-bytes-default.m4a', 'content-shorter-than-declared', 13.7],
    ['edited/truncate-bytes-default.wav', 'content-shorter-than-declared', 7.7],
    ['edited/truncate-bytes-default.flac', 'content-shorter-than-declared', 6.8],
    ['edited/truncate-bytes-default.mp3', 'content-shorter-than-declared', 14.0],
    ['edited/delete-copy-default.flac', 'content-shorter-than-declared', 7.48],
    ['edited/delete-copy-default.wav', 'content-shorter-than-declared', 8.4],
    ['edited/delete-copy-default.mp3', 'content-shorter-than-declared', 17.4],
    ['edited/concat-bytes-default.mp3', 'content-longer-than-declared', 9.0],
  ])('%s: %s at %s s', async (file, id, at) => {
    expectFindingNear(await run(file), id, 'critical', at);
  });

  it('states the declared and the real duration and the difference', async () => {
    const result = await run('edited/truncate-bytes-default.m4a');
    const f = result.findings.find((x) => x.id === 'content-shorter-than-declared');
    expect(f?.end).toBeGreaterThan(19.9);
    expect(f?.evidence?.['difference']).toBeLessThan(-6);
  });

  it('does not treat ADTS or AMR bitrate estimates as declarations', async () => {
    for (const file of ['originals/rec-a.aac', 'originals/rec-a.amr', 'edited/delete-copy-default.amr']) {
      const result = await run(file);
      expect(result.checks[0]?.outcome).toBe('not-assessable');
    }
  });
});
