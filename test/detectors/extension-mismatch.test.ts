import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extensionMismatch } from '../../src/detectors/extension-mismatch.js';
import { fixture, HAS_SAMPLES, samples } from '../helpers.js';
import { detectorRunner, ORIGINALS } from './structure-fixtures.js';

const run = detectorRunner(extensionMismatch);
const dir = mkdtempSync(join(tmpdir(), 'ae-ext-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function renamed(source: string, name: string): string {
  const path = join(dir, name);
  copyFileSync(fixture(source), path);
  return path;
}

describe('extension-mismatch', () => {
  it.each(ORIGINALS)('finds nothing on %s', async (file) => {
    const result = await run(file);
    expect(result.findings).toEqual([]);
    expect(result.checks[0]?.outcome).toBe('consistent');
  });

  // [source, new name, expected extension]
  it.each([
    ['originals/rec-a.m4a', 'call.mp3', 'mp3'],
    ['originals/rec-a.wav', 'memo.m4a', 'm4a'],
    ['originals/rec-a.silk', 'voice.mp3', 'mp3'],
  ])('%s named %s is context (info), never a sign of editing', async (source, name, extension) => {
    const result = await run(renamed(source, name));
    expect(result.findings.map((f) => [f.id, f.severity])).toEqual([['extension-mismatch', 'info']]);
    expect(result.findings[0]?.evidence?.['extension']).toBe(extension);
  });

  it('cannot judge a name without an extension', async () => {
    const result = await run(renamed('originals/rec-a.amr', 'recording'));
    expect(result.checks[0]?.outcome).toBe('not-assessable');
    expect(result.findings).toEqual([]);
  });

  it.runIf(HAS_SAMPLES)(
    'treats Android 3GP/MP4 named .amr and SILK named .amr as matching or info',
    async () => {
      for (const path of [...samples('device'), ...samples('voice')]) {
        const result = await run(path);
        for (const f of result.findings) expect(f.severity, path).toBe('info');
      }
    },
  );
});
