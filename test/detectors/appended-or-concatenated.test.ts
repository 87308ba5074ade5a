import { describe, expect, it } from 'vitest';
import { appendedOrConcatenated } from '../../src/detectors/appended-or-concatenated.js';
import { HAS_SAMPLES, samples } from '../helpers.js';
import { detectorRunner, entry, expectFindingNear, ORIGINALS, serious } from './structure-fixtures.js';

const run = detectorRunner(appendedOrConcatenated);

describe('appended-or-concatenated', () => {
  it.each(ORIGINALS)('finds nothing on the untouched %s', async (file) => {
    expect(serious(await run(file))).toEqual([]);
  });

  it.runIf(HAS_SAMPLES).each(samples('device'))('finds nothing on the device recording %s', async (path) => {
    expect(serious(await run(path))).toEqual([]);
  });

  // [fixture, finding id]: located where the second recording starts.
  it.each([
    ['edited/concat-bytes-default.amr', 'second-header'],
    ['edited/concat-bytes-default.m4a', 'second-ftyp'],
    ['edited/concat-bytes-default.wav', 'second-riff'],
    ['edited/concat-bytes-default.mp3', 'second-xing'],
    ['edited/concat-bytes-default.opus', 'timeline-restarts'],
  ])('%s: %s where the second recording starts', async (file, id) => {
    expectFindingNear(await run(file), id, 'critical', entry(file).editAt![0]!);
  });
});
