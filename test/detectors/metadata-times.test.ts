import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadataTimes } from '../../src/detectors/metadata-times.js';
import { binaries } from '../../src/tools/ffmpeg.js';
import { fixture, HAS_SAMPLES, SAMPLES, samples } from '../helpers.js';
import { detectorRunner, ORIGINALS, serious } from './structure-fixtures.js';

const run = detectorRunner(metadataTimes);
const dir = mkdtempSync(join(tmpdir(), 'ae-times-'));

/** A 2 s M4A with the given creation time, written by ffmpeg. */
async function stamped(name: string, creationTime: string): Promise<string> {
  const { ffmpeg } = await binaries();
  const out = join(dir, name);
  execFileSync(ffmpeg.path, [
    ...['-v', 'error', '-y', '-i', fixture('originals/rec-a.wav'), '-t', '2', '-c:a', 'aac'],
    ...['-metadata', `creation_time=${creationTime}`, out],
  ]);
  return out;
}

describe('metadata-times', () => {
  let future = '';
  let backdated = '';
  let plausible = '';
  beforeAll(async () => {
    future = await stamped('future.m4a', '2099-06-01T10:00:00Z');
    backdated = await stamped('backdated.m4a', '2021-03-04T05:06:07Z');
    // File system time three years before the recording it holds.
    utimesSync(backdated, new Date('2018-01-01T00:00:00Z'), new Date('2018-01-01T00:00:00Z'));
    plausible = await stamped('plausible.m4a', '2021-03-04T05:06:07Z');
    utimesSync(plausible, new Date('2021-03-04T05:06:30Z'), new Date('2021-03-04T05:06:30Z'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(ORIGINALS)('does not warn on the untouched %s', async (file) => {
    expect(serious(await run(file))).toEqual([]);
  });

  it.runIf(HAS_SAMPLES).each(samples('device'))('does not warn on the device recording %s', async (path) => {
    expect(serious(await run(path))).toEqual([]);
  });

  it('warns on a creation time in the future', async () => {
    const result = await run(future);
    expect(result.findings.find((f) => f.id === 'time-in-future')?.severity).toBe('warning');
  });

  it('warns when the file system time is years before the recording time', async () => {
    const result = await run(backdated);
    expect(result.findings.find((f) => f.id === 'file-time-before-created')?.severity).toBe('warning');
  });

  it('reports a consistent recording time as context only', async () => {
    const result = await run(plausible);
    expect(serious(result)).toEqual([]);
    expect(result.findings.map((f) => f.id)).toContain('recording-time');
    expect(result.checks[0]?.outcome).toBe('consistent');
  });

  it.runIf(HAS_SAMPLES).each([
    ['device/speculation1__friday-livekit-agent__voice.amr', 'end'],
    ['device/Borewit__music-metadata__Apple  voice memo.m4a', 'start'],
  ])('knows which end of the recording %s stamps (%s)', async (name, convention) => {
    const result = await run(join(SAMPLES, name));
    const time = result.findings.find((f) => f.id === 'recording-time');
    expect(time?.evidence?.['convention']).toBe(convention);
  });

  it('is not assessable when the file records no time', async () => {
    expect((await run('originals/rec-a.amr')).checks[0]?.outcome).toBe('not-assessable');
  });
});
