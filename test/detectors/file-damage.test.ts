import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileDamage } from '../../src/detectors/file-damage.js';
import { fixture, HAS_SAMPLES, SAMPLES, samples } from '../helpers.js';
import { detectorRunner, ORIGINALS } from './structure-fixtures.js';

const run = detectorRunner(fileDamage);
const dir = mkdtempSync(join(tmpdir(), 'ae-damage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('file-damage', () => {
  it.each(ORIGINALS)('finds nothing on %s', async (file) => {
    const result = await run(file);
    expect(result.findings).toEqual([]);
  });

  it.runIf(HAS_SAMPLES).each(samples('device'))('finds nothing on the device recording %s', async (path) => {
    expect((await run(path)).findings).toEqual([]);
  });

  it.each([
    ['empty.m4a', Buffer.alloc(0), 'empty-file', 'critical'],
    ['text.m4a', Buffer.from('This is a letter, not a recording.\n'.repeat(20)), 'not-audio', 'warning'],
    [
      'scan.m4a',
      Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1'),
      'not-audio',
      'warning',
    ],
  ] as const)('%s → %s (%s)', async (name, bytes, id, severity) => {
    const result = await run(write(name, bytes));
    expect(result.findings.map((f) => [f.id, f.severity])).toEqual([[id, severity]]);
  });

  it('calls a recording cut inside its header undecodable, still hashed', async () => {
    const result = await run(
      write('header-only.m4a', readFileSync(fixture('originals/rec-a.m4a')).subarray(0, 1500)),
    );
    expect(result.findings.find((f) => f.id === 'undecodable')?.severity).toBe('critical');
    expect(result.file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('places decoder errors in time when damaged frames sit inside the stream', async () => {
    // Overwrite a run of ADTS payload in the middle: the decoder complains there and carries on.
    const bytes = Buffer.from(readFileSync(fixture('originals/rec-a.aac')));
    const middle = Math.floor(bytes.length / 2);
    for (let i = 0; i < 3000; i++) bytes[middle + i] = (i * 37) & 0xff;
    const result = await run(write('damaged.aac', bytes));
    const hit = result.findings.find((f) => f.id === 'decoder-errors');
    expect(hit?.severity).toBe('warning');
    expect(hit?.at).toBeGreaterThan(5);
    expect(hit?.at).toBeLessThan(15);
  });

  it.runIf(HAS_SAMPLES)('says a video without audio holds no audio stream', async () => {
    const result = await run(join(SAMPLES, 'other', 'Borewit__music-metadata__sample_640x360.mov'));
    expect(result.findings.map((f) => f.id)).toEqual(['no-audio-stream']);
  });
});
