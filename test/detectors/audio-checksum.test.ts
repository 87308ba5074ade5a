import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { audioChecksum } from '../../src/detectors/audio-checksum.js';
import { fixture } from '../helpers.js';
import { detectorRunner, ORIGINALS, serious } from './structure-fixtures.js';

const run = detectorRunner(audioChecksum);
const dir = mkdtempSync(join(tmpdir(), 'ae-md5-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** STREAMINFO's MD5 sits after "fLaC", the 4-byte block header and 18 bytes of stream facts. */
const MD5_AT = 4 + 4 + 18;

describe('audio-checksum', () => {
  it.each(ORIGINALS)('finds nothing on the untouched %s', async (file) => {
    expect(serious(await run(file))).toEqual([]);
  });

  it('confirms the untouched FLAC against the MD5 its encoder stored', async () => {
    const result = await run('originals/rec-a.flac');
    expect(result.checks[0]?.outcome).toBe('consistent');
  });

  // Stream-copied FLAC edits keep the first part's STREAMINFO, so its MD5 no longer fits the audio.
  it.each([
    'edited/delete-copy-default.flac',
    'edited/delete-copy-careful.flac',
    'edited/truncate-bytes-default.flac',
  ])('%s: the audio no longer matches the stored MD5', async (file) => {
    const result = await run(file);
    expect(result.findings.map((f) => [f.id, f.severity])).toEqual([['audio-md5-mismatch', 'critical']]);
  });

  it('catches audio changed under a header whose MD5 was kept', async () => {
    // Take the MD5 of another recording's audio: same layout, different samples.
    const original = Buffer.from(readFileSync(fixture('originals/rec-a.flac')));
    const other = readFileSync(fixture('edited/delete-reencode-default.flac'));
    other.copy(original, MD5_AT, MD5_AT, MD5_AT + 16);
    const path = join(dir, 'swapped.flac');
    writeFileSync(path, original);
    const result = await run(path);
    expect(result.findings[0]?.id).toBe('audio-md5-mismatch');
    expect(result.findings[0]?.evidence?.['stored']).toBe(other.toString('hex', MD5_AT, MD5_AT + 16));
  });

  it('cannot assess a FLAC whose encoder stored no MD5', async () => {
    const bytes = Buffer.from(readFileSync(fixture('originals/rec-a.flac')));
    bytes.fill(0, MD5_AT, MD5_AT + 16);
    const path = join(dir, 'no-md5.flac');
    writeFileSync(path, bytes);
    const result = await run(path);
    expect(result.checks[0]?.outcome).toBe('not-assessable');
    expect(result.checks[0]?.note).toMatch(/no MD5/);
  });

  it('cannot assess a 24-bit FLAC against the 16-bit shared decode', async () => {
    const result = await run('edited/signal-aac-to-flac.flac');
    expect(result.checks[0]?.outcome).toBe('not-assessable');
    expect(result.checks[0]?.note).toMatch(/24-bit/);
  });

  it('only applies to FLAC', async () => {
    expect((await run('originals/rec-a.wav')).checks[0]?.outcome).toBe('not-assessable');
  });
});
