// FLAC parser: the untouched fixture, damaged variants made from its frames (cuts, removed frames, joins,
// flipped bytes, junk), and every shared sample identified as FLAC.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileByteSource } from '../../../src/formats/byte-source.js';
import { flacParser } from '../../../src/formats/flac/index.js';
import type { PlacedSign, StructureReport } from '../../../src/formats/types.js';
import { fixture, HAS_SAMPLES, SAMPLES, samplesOf } from '../../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-flac-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** rec-a.flac: 8 kHz mono 16-bit, 80000 samples in 138 frames of 576 and a last one of 512 (ffmpeg). */
const FLAC = readFileSync(fixture('originals/rec-a.flac'));
const RATE = 8000;
const BLOCK = 576;

/** Number coded in the FLAC frame header at `i` (UTF-8 style, up to two bytes here). */
function codedNumber(bytes: Buffer, i: number): number {
  const first = bytes[i + 4]!;
  if (first < 0x80) return first;
  if ((first & 0xe0) === 0xc0) return ((first & 0x1f) << 6) | (bytes[i + 5]! & 0x3f);
  return -1;
}

/** Frame offsets: each frame n is the next sync code after frame n-1 whose header says n. */
function frameOffsets(bytes: Buffer, start: number): number[] {
  const out: number[] = [];
  let from = start;
  for (let n = 0; ; n++) {
    let i = bytes.indexOf(0xff, from);
    while (i >= 0 && !(bytes[i + 1] === 0xf8 && codedNumber(bytes, i) === n)) i = bytes.indexOf(0xff, i + 1);
    if (i < 0) return out;
    out.push(i);
    from = i + 1;
  }
}
const FRAMES = frameOffsets(FLAC, 8256);
const timeOfFrame = (n: number): number => (n * BLOCK) / RATE;

async function parse(bytes: Buffer, name: string): Promise<StructureReport> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const source = await FileByteSource.open(path);
  try {
    return await flacParser.parse(source);
  } finally {
    await source.close();
  }
}

const signs = (r: StructureReport): PlacedSign[] => [...r.truncation, ...r.appended, ...r.frameIssues];
const kinds = (list: PlacedSign[]): string[] => list.map((s) => s.kind).sort();

describe('flacParser on the untouched fixture', () => {
  it('reads STREAMINFO, the comment block and every frame', async () => {
    const r = await parse(FLAC, 'rec-a.flac');
    expect(FRAMES).toHaveLength(139);
    expect(r.complete).toBe(true);
    expect(r.declared).toEqual([
      { source: 'flac-streaminfo', seconds: 10, samples: 80000, sampleRate: RATE },
    ]);
    expect(r.counted).toEqual([{ source: 'flac-frames', seconds: 10, frames: 139 }]);
    expect(signs(r)).toEqual([]);
    expect(r.writer).toEqual({ software: ['ffmpeg'], markers: ['vorbis-comment'], vendor: 'ffmpeg' });
    expect(r.details['md5']).toMatch(/^[0-9a-f]{32}$/u);
    expect(r.details['md5Set']).toBe(true);
    expect(r.details['streamInfo']).toMatchObject({
      minBlockSize: 576,
      maxBlockSize: 576,
      sampleRate: RATE,
      channels: 1,
      bitsPerSample: 16,
      totalSamples: 80000,
    });
    expect((r.details['blocks'] as { type: string }[]).map((b) => b.type)).toEqual([
      'STREAMINFO',
      'VORBIS_COMMENT',
      'PADDING',
    ]);
    expect(r.details['frames']).toMatchObject({
      count: 139,
      blockSizes: { 512: 1, 576: 138 },
      crcFailures: 0,
    });
  });
});

describe('flacParser on damaged copies', () => {
  it.each([0.3, 0.5, 0.77, 0.9999])('cut at %f of the bytes: a partial last frame', async (fraction) => {
    const at = Math.floor(FLAC.length * fraction);
    const whole = FRAMES.filter((p, n) => (FRAMES[n + 1] ?? FLAC.length) <= at && p < at).length;
    const r = await parse(FLAC.subarray(0, at), `trunc-${fraction}.flac`);
    expect(r.complete).toBe(false);
    expect(kinds(signs(r))).toEqual(['partial-last-frame']);
    expect(r.truncation[0]).toMatchObject({ strong: true, offset: FRAMES[whole], data: { number: whole } });
    expect(r.truncation[0]?.at).toBeCloseTo(timeOfFrame(whole), 1);
    expect(r.counted[0]?.frames).toBe(whole);
  });

  it('cut on a frame boundary: STREAMINFO declares samples past the last frame', async () => {
    const r = await parse(FLAC.subarray(0, FRAMES[100]), 'trunc-boundary.flac');
    expect(kinds(signs(r))).toEqual(['declared-past-end']);
    expect(r.truncation[0]).toMatchObject({ strong: true, data: { declared: 80000, counted: 100 * BLOCK } });
    expect(r.truncation[0]?.at).toBeCloseTo(timeOfFrame(100), 3);
  });

  it.each([
    [20, 5],
    [70, 1],
    [110, 20],
  ])('frames %i..+%i removed: a frame-number gap at the cut', async (from, count) => {
    const bytes = Buffer.concat([FLAC.subarray(0, FRAMES[from]), FLAC.subarray(FRAMES[from + count])]);
    const r = await parse(bytes, `cut-${from}-${count}.flac`);
    expect(kinds(signs(r))).toEqual(['frame-number-gap']);
    const gap = r.frameIssues[0]!;
    expect(gap).toMatchObject({
      strong: true,
      offset: FRAMES[from],
      data: { expected: from, found: from + count, missingSamples: count * BLOCK },
    });
    expect(gap.at).toBeCloseTo(timeOfFrame(from), 3);
    expect(r.counted[0]?.frames).toBe(139 - count);
    expect(r.complete).toBe(true);
  });

  it('frames removed from the start: the first frame is not frame 0', async () => {
    const bytes = Buffer.concat([FLAC.subarray(0, FRAMES[0]), FLAC.subarray(FRAMES[3])]);
    const r = await parse(bytes, 'cut-head.flac');
    expect(r.frameIssues).toEqual([expect.objectContaining({ kind: 'frame-number-gap', at: 0 })]);
    expect(r.frameIssues[0]?.data).toMatchObject({ expected: 0, found: 3 });
  });

  it('a flipped byte inside a frame fails its CRC-16, placed at that frame', async () => {
    const bytes = Buffer.from(FLAC);
    bytes[FRAMES[60]! + 200]! ^= 0x04;
    const r = await parse(bytes, 'flip.flac');
    expect(kinds(signs(r))).toEqual(['frame-crc']);
    expect(r.frameIssues[0]).toMatchObject({ strong: true, offset: FRAMES[60], data: { number: 60 } });
    expect(r.frameIssues[0]?.at).toBeCloseTo(timeOfFrame(60), 3);
    expect(r.counted[0]?.frames).toBe(139);
  });

  it('cat a.flac a.flac: a second stream header where the first stream ends', async () => {
    const r = await parse(Buffer.concat([FLAC, FLAC]), 'concat.flac');
    expect(kinds(signs(r))).toEqual(['new-stream']);
    expect(r.appended[0]).toMatchObject({ strong: true, offset: FLAC.length, at: 10 });
    expect(r.counted[0]).toMatchObject({ seconds: 20, frames: 278 });
    expect(r.declared[0]?.seconds).toBe(10);
  });

  it('junk after the last frame is trailing data', async () => {
    const r = await parse(
      Buffer.concat([FLAC, Buffer.from('a few bytes that are not a frame')]),
      'tail.flac',
    );
    expect(kinds(signs(r))).toEqual(['trailing-data']);
    expect(r.appended[0]).toMatchObject({ offset: FLAC.length, at: 10, data: { bytes: 32 } });
    expect(r.complete).toBe(true);
  });

  it('an ID3v1 tag after the frames is a tag, not trailing data', async () => {
    const id3v1 = Buffer.alloc(128);
    id3v1.write('TAGsome title', 0, 'latin1');
    const r = await parse(Buffer.concat([FLAC, id3v1]), 'id3v1.flac');
    expect(signs(r)).toEqual([]);
    expect(r.writer.markers).toContain('id3v1');
  });
});

describe('flacParser on the shared samples', () => {
  const mine = samplesOf(['flac']);

  it.skipIf(!HAS_SAMPLES)('finds FLAC samples to parse', () => {
    expect(mine.length).toBeGreaterThanOrEqual(5);
  });

  it.skipIf(!HAS_SAMPLES).each(mine.map((m) => [basename(m.path), m] as const))(
    'parses %s without throwing',
    async (_name, { folder, path }) => {
      const source = await FileByteSource.open(path);
      try {
        const r = await flacParser.parse(source);
        expect(r.container).toBe('flac');
        if (folder === 'device') expect(signs(r).filter((s) => s.strong)).toEqual([]);
      } finally {
        await source.close();
      }
    },
  );

  it.skipIf(!HAS_SAMPLES)('libFLAC encodes: vendor string, and frames that match STREAMINFO', async () => {
    const source = await FileByteSource.open(
      join(SAMPLES, 'encoder', 'Borewit__music-metadata__libFLAC.flac'),
    );
    try {
      const r = await flacParser.parse(source);
      expect(r.writer.vendor).toBe('reference libFLAC 1.4.2 20221022');
      expect(signs(r)).toEqual([]);
      expect(r.counted[0]?.seconds).toBeCloseTo(r.declared[0]!.seconds, 6);
    } finally {
      await source.close();
    }
  });

  it.skipIf(!HAS_SAMPLES)('a sample cut down from a longer file shows the cut', async () => {
    const source = await FileByteSource.open(join(SAMPLES, 'encoder', 'Borewit__music-metadata__flac.flac'));
    try {
      const r = await flacParser.parse(source);
      expect(kinds(r.truncation)).toEqual(['index-past-end', 'partial-last-frame']);
      expect(r.writer.markers).toEqual(expect.arrayContaining(['seektable', 'picture', 'vorbis-comment']));
    } finally {
      await source.close();
    }
  });
});
