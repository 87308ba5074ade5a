import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parameterChange } from '../../src/detectors/parameter-change.js';
import { HAS_SAMPLES, samples } from '../helpers.js';
import { detectorRunner, entry, expectFindingNear, ORIGINALS, serious } from './structure-fixtures.js';

const run = detectorRunner(parameterChange);

describe('parameter-change', () => {
  it.each(ORIGINALS)('finds nothing on the untouched %s', async (file) => {
    expect(serious(await run(file))).toEqual([]);
  });

  it.runIf(HAS_SAMPLES).each(samples('device'))('finds nothing on the device recording %s', async (path) => {
    expect(serious(await run(path))).toEqual([]);
  });

  it('places a sample-rate change where a 44.1 kHz recording was joined to a 48 kHz one', async () => {
    const file = 'edited/concat-bytes-default.aac';
    const result = await run(file);
    expectFindingNear(result, 'sample-rate-change', 'critical', entry(file).editAt![0]!);
    const f = result.findings.find((x) => x.id === 'sample-rate-change');
    expect(f?.evidence).toMatchObject({ from: 48000, to: 44100 });
  });

  it('finds nothing when both joined parts share their settings', async () => {
    expect(serious(await run('edited/concat-bytes-careful.aac'))).toEqual([]);
  });

  it('is not assessable without a structure parser (AIFF, made by ffmpeg)', async () => {
    const aiff = join(mkdtempSync(join(tmpdir(), 'ae-param-')), 'tone.aiff');
    const ffmpeg = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    expect(spawnSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=1', aiff]).status).toBe(0);
    expect((await run(aiff)).checks[0]?.outcome).toBe('not-assessable');
  });
});
