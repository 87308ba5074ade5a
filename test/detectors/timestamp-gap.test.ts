import { describe, expect, it } from 'vitest';
import { timestampGap } from '../../src/detectors/timestamp-gap.js';
import { HAS_SAMPLES, samples } from '../helpers.js';
import { detectorRunner, entry, expectFindingNear, ORIGINALS, serious } from './structure-fixtures.js';

const run = detectorRunner(timestampGap);

describe('timestamp-gap', () => {
  it.each(ORIGINALS)('finds nothing on the untouched %s', async (file) => {
    expect(serious(await run(file))).toEqual([]);
  });

  // The feature-phone 3GP among these times its packets from a capture clock: jitter everywhere is normal.
  it.runIf(HAS_SAMPLES).each(samples('device'))('finds nothing on the device recording %s', async (path) => {
    expect(serious(await run(path))).toEqual([]);
  });

  // [fixture, finding id, severity]: located at the fixture's edit time.
  it.each([
    ['edited/delete-copy-default.flac', 'timestamp-gap', 'critical'],
    ['edited/delete-copy-careful.flac', 'timestamp-gap', 'critical'],
    ['edited/delete-copy-default.m4a', 'irregular-packet-duration', 'warning'],
    ['edited/delete-copy-careful.m4a', 'irregular-packet-duration', 'warning'],
    ['edited/delete-copy-default.3gp', 'irregular-packet-duration', 'warning'],
    ['edited/concat-bytes-default.opus', 'timestamp-overlap', 'critical'],
    // Cut on AMR frame boundaries in a pause: only the MP4 parser's look at the sample table sees the join.
    ['edited/delete-copy-careful.3gp', 'irregular-sample-duration', 'warning'],
  ] as const)('%s: %s at the edit', async (file, id, severity) => {
    expectFindingNear(await run(file), id, severity, entry(file).editAt![0]!);
  });

  it('measures the gap in the evidence', async () => {
    const result = await run('edited/delete-copy-default.flac');
    const gap = result.findings.find((f) => f.id === 'timestamp-gap');
    // 7.0–9.6 s was cut; FLAC frames are 72 ms, so the stamped gap is within a frame of 2.6 s.
    expect(gap?.evidence?.['delta']).toBeGreaterThan(2.5);
    expect(gap?.evidence?.['delta']).toBeLessThan(2.7);
  });

  it('is not assessable without packets', async () => {
    expect((await run('originals/rec-a.silk')).checks[0]?.outcome).toBe('not-assessable');
  });
});
