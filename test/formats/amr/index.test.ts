// AMR parser: the untouched fixture, damaged variants derived from its bytes, and every shared sample.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { amrParser } from '../../../src/formats/amr/index.js';
import { FileByteSource } from '../../../src/formats/byte-source.js';
import type { PlacedSign, StructureReport } from '../../../src/formats/types.js';
import { fixture, HAS_SAMPLES, samplesOf } from '../../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-amr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** rec-a.amr: "#!AMR\n" then 1001 frames of 12.2 kbit/s (frame type 7, 32 bytes each). */
const AMR = readFileSync(fixture('originals/rec-a.amr'));
const HEADER = 6;
const FRAME = 32;
const frameAt = (n: number): number => HEADER + n * FRAME;

async function parse(bytes: Buffer, name: string): Promise<StructureReport> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const source = await FileByteSource.open(path);
  try {
    return await amrParser.parse(source);
  } finally {
    await source.close();
  }
}

const signs = (r: StructureReport): PlacedSign[] => [...r.truncation, ...r.appended, ...r.frameIssues];
const strong = (r: StructureReport): PlacedSign[] => signs(r).filter((s) => s.strong);

describe('amrParser on the untouched fixture', () => {
  it('counts 1001 frames of 20 ms and finds no signs', async () => {
    const report = await parse(AMR, 'rec-a.amr');
    expect(report.complete).toBe(true);
    expect(report.counted).toEqual([{ source: 'amr-frames', seconds: 20.02, frames: 1001 }]);
    expect(report.details).toMatchObject({
      variant: 'nb',
      frameTypes: { 7: 1001 },
      junkBytes: 0,
      badQualityFrames: 0,
    });
    expect(report.writer.markers).toEqual(['amr-nb']);
    expect(signs(report)).toEqual([]);
  });
});

describe('amrParser on damaged variants', () => {
  it.each([
    [500, 10],
    [1000, 31],
    [3, 1],
  ])('a cut inside frame %i (%i bytes of it left) is a strong partial-last-frame', async (frame, left) => {
    const report = await parse(AMR.subarray(0, frameAt(frame) + left), `cut-${frame}.amr`);
    expect(report.truncation).toEqual([
      expect.objectContaining({
        kind: 'partial-last-frame',
        offset: frameAt(frame),
        at: frame * 0.02,
        strong: true,
      }),
    ]);
    expect(report.counted[0]?.frames).toBe(frame);
    expect(report.complete).toBe(false);
  });

  it('a cut on a frame boundary leaves no structural trace (only the shorter count)', async () => {
    const report = await parse(AMR.subarray(0, frameAt(500)), 'boundary.amr');
    expect(signs(report)).toEqual([]);
    expect(report.counted[0]).toEqual({ source: 'amr-frames', seconds: 10, frames: 500 });
  });

  it('a second copy appended is a strong second-header at the end of the first', async () => {
    const report = await parse(Buffer.concat([AMR, AMR]), 'twice.amr');
    expect(report.appended).toEqual([
      expect.objectContaining({ kind: 'second-header', offset: AMR.length, at: 20.02, strong: true }),
    ]);
    expect(report.counted[0]?.frames).toBe(2002);
  });

  it('a second header cut into a partial frame is still found in the bytes', async () => {
    const bytes = Buffer.concat([AMR.subarray(0, frameAt(500) + 7), AMR]);
    const report = await parse(bytes, 'joined.amr');
    expect(report.appended).toContainEqual(
      expect.objectContaining({ kind: 'second-header', offset: frameAt(500) + 7, strong: true }),
    );
  });

  it('an appended AMR-WB file is a second header and a codec change', async () => {
    const wbFrame = Buffer.alloc(61, 0x55);
    wbFrame[0] = 0x44; // frame type 8 (23.85 kbit/s), quality bit set
    const bytes = Buffer.concat([AMR, Buffer.from('#!AMR-WB\n', 'latin1'), wbFrame, wbFrame]);
    const report = await parse(bytes, 'nb-wb.amr');
    expect(report.appended[0]).toMatchObject({ kind: 'second-header', at: 20.02, strong: true });
    expect(report.parameterChanges).toEqual([
      { parameter: 'codec', from: 'amr-nb', to: 'amr-wb', at: 20.02, offset: AMR.length },
    ]);
    expect(report.counted[0]?.frames).toBe(1003);
  });

  it('an invalid frame header is an invalid-frame-type placed in time, and the walk resumes', async () => {
    const bytes = Buffer.from(AMR);
    bytes[frameAt(500)] = 0x64; // frame type 12: reserved
    const report = await parse(bytes, 'bad-toc.amr');
    expect(report.frameIssues).toHaveLength(1);
    expect(report.frameIssues[0]).toMatchObject({
      kind: 'invalid-frame-type',
      offset: frameAt(500),
      at: 10,
      strong: false,
    });
    // The walk picks up again within the damaged frame or right after it.
    expect(report.counted[0]?.frames).toBeGreaterThanOrEqual(1000);
    expect(strong(report)).toEqual([]);
  });

  it('appended zeros and an ID3v1 tag are appended data, not frames', async () => {
    const zeros = await parse(Buffer.concat([AMR, Buffer.alloc(1000)]), 'zeros.amr');
    expect(zeros.appended).toEqual([
      expect.objectContaining({ kind: 'trailing-data', offset: AMR.length, at: 20.02, strong: false }),
    ]);
    expect(zeros.counted[0]?.frames).toBe(1001);
    const tag = Buffer.alloc(128);
    tag.write('TAGtitle', 0, 'latin1');
    const tagged = await parse(Buffer.concat([AMR, tag]), 'id3.amr');
    expect(tagged.appended).toEqual([
      expect.objectContaining({ kind: 'id3v1', offset: AMR.length, strong: false }),
    ]);
  });

  it.each([0, 5, 6, 7])('a file cut to %i bytes never throws', async (length) => {
    const report = await parse(AMR.subarray(0, length), `head-${length}.amr`);
    expect(report.container).toBe('amr');
  });

  it('a file of junk after the magic ends in bounded time with junk counted', async () => {
    const junk = Buffer.alloc(200_000);
    for (let i = 0; i < junk.length; i++) junk[i] = ((i * 7919) % 251) | 0x80; // F bit set: never a valid header
    const report = await parse(Buffer.concat([Buffer.from('#!AMR\n', 'latin1'), junk]), 'junk.amr');
    expect(report.counted[0]?.frames).toBe(0);
    expect(report.details['junkBytes']).toBe(200_000);
    expect(report.frameIssues).toHaveLength(1);
  });
});

describe.skipIf(!HAS_SAMPLES)('amrParser on the shared samples', () => {
  const files = samplesOf(amrParser.containers);

  it.each(files)('$folder/$name parses within bounds', async ({ folder, path }) => {
    const source = await FileByteSource.open(path);
    let report: StructureReport;
    try {
      report = await amrParser.parse(source);
    } finally {
      await source.close();
    }
    expect(JSON.stringify(report).length).toBeLessThan(100_000);
    expect(signs(report).length).toBeLessThanOrEqual(64);
    if (folder === 'device') {
      expect(signs(report)).toEqual([]);
      expect(report.complete).toBe(true);
    }
  });
});
