import { describe, expect, it } from 'vitest';
import { truncation } from '../../src/detectors/truncation.js';
import { HAS_SAMPLES, samples } from '../helpers.js';
import { detectorRunner, entry, expectFindingNear, ORIGINALS, serious } from './structure-fixtures.js';

const run = detectorRunner(truncation);

describe('truncation', () => {
  it.each(ORIGINALS)('finds nothing on the untouched %s', async (file) => {
    expect(serious(await run(file))).toEqual([]);
  });

  it.runIf(HAS_SAMPLES).each(samples('device'))('finds nothing on the device recording %s', async (path) => {
    expect(serious(await run(path))).toEqual([]);
  });

  // [fixture, finding id, severity]: located where the audio now ends.
  it.each([
    ['edited/truncate-bytes-default.m4a', 'index-past-end', 'critical'],
    ['edited/truncate-bytes-default.wav', 'data-past-end', 'critical'],
    ['edited/truncate-bytes-default.amr', 'partial-last-frame', 'critical'],
    ['edited/truncate-bytes-default.aac', 'partial-last-frame', 'critical'],
    ['edited/truncate-bytes-default.flac', 'partial-last-frame', 'critical'],
    ['edited/truncate-bytes-default.opus', 'missing-eos', 'critical'],
  ] as const)('%s: %s where the audio ends', async (file, id, severity) => {
    expectFindingNear(await run(file), id, severity, entry(file).editAt![0]!);
  });

  it.runIf(HAS_SAMPLES)(
    'treats an Ogg stream without its end flag as a writer quirk when the last page is whole',
    async () => {
      // Telegram voice notes never set end-of-stream; the parser marks it weak, the detector keeps it as context.
      const telegram = samples('device').find((p) => p.endsWith('voice.ogg'));
      expect(telegram).toBeDefined();
      const result = await run(telegram!);
      expect(result.findings.find((f) => f.id === 'missing-eos')?.severity).toBe('info');
    },
  );

  it('does not call a mid-file decoder error a truncation', async () => {
    // Joined AMR: the decoder trips over the second header in the middle, then decodes to the end.
    const result = await run('edited/concat-bytes-default.amr');
    expect(result.findings.filter((f) => f.id === 'decoder-ran-out')).toEqual([]);
  });
});
