import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { frameDamage } from '../../src/detectors/frame-damage.js';
import { fixture, HAS_SAMPLES, samples } from '../helpers.js';
import { detectorRunner, ORIGINALS, serious } from './structure-fixtures.js';

const run = detectorRunner(frameDamage);
const dir = mkdtempSync(join(tmpdir(), 'ae-frame-damage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a copy of a fixture with `mutate` applied to its bytes. */
function variant(name: string, source: string, mutate: (bytes: Buffer) => void): string {
  const bytes = Buffer.from(readFileSync(fixture(source)));
  mutate(bytes);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Offset of the n-th occurrence of `needle` at or after `from`. */
function nth(bytes: Buffer, needle: string | Buffer, n: number, from = 0): number {
  let at = from - 1;
  for (let i = 0; i <= n; i++) {
    at = bytes.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`occurrence ${n} of ${String(needle)} not found`);
  }
  return at;
}

describe('frame-damage', () => {
  it.each(ORIGINALS)('finds nothing on the untouched %s', async (file) => {
    expect(serious(await run(file))).toEqual([]);
  });

  it.runIf(HAS_SAMPLES).each(samples('device'))('finds nothing on the device recording %s', async (path) => {
    expect(serious(await run(path))).toEqual([]);
  });

  it('reports an Ogg page whose checksum no longer matches, placed in time', async () => {
    // Flip one payload byte in the 10th page: only the CRC can tell.
    const path = variant('flipped.opus', 'originals/rec-a.opus', (b) => {
      const page = nth(b, 'OggS', 10);
      b[page + 60] = b[page + 60]! ^ 0x10;
    });
    const result = await run(path);
    const hit = result.findings.find((f) => f.id === 'page-crc');
    expect(hit?.severity).toBe('critical');
    expect(hit?.at).toBeGreaterThan(1);
    expect(hit?.at).toBeLessThan(19);
    expect(result.checks[0]?.outcome).toBe('inconsistent');
  });

  it('reports a FLAC frame whose checksum no longer matches', async () => {
    const path = variant('flipped.flac', 'originals/rec-a.flac', (b) => {
      const at = Math.floor(b.length / 2);
      b[at] = b[at]! ^ 0x01;
    });
    const result = await run(path);
    const ids = result.findings.filter((f) => f.severity !== 'info').map((f) => f.id);
    expect(ids).toContain('frame-crc');
  });

  it('leaves MP3 frames to the MP3 check', async () => {
    const result = await run('originals/rec-a.mp3');
    expect(result.checks[0]?.outcome).toBe('not-assessable');
  });
});
