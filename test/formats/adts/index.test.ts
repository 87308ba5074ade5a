// ADTS AAC parser: the untouched fixture, damaged and spliced variants derived from its bytes, and every shared sample.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adtsParser } from '../../../src/formats/adts/index.js';
import { FileByteSource } from '../../../src/formats/byte-source.js';
import type { PlacedSign, StructureReport } from '../../../src/formats/types.js';
import { binaries } from '../../../src/tools/ffmpeg.js';
import { fixture, HAS_SAMPLES, samples, samplesOf } from '../../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-adts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** rec-a.aac: 939 ADTS frames, AAC LC, 48 kHz, mono, one raw block each. */
const AAC = readFileSync(fixture('originals/rec-a.aac'));
const FRAME_SECONDS = 1024 / 48000;

/** Byte offset of every frame, from the 13-bit frame length field. */
const OFFSETS: number[] = [];
for (let pos = 0; pos + 7 <= AAC.length; ) {
  OFFSETS.push(pos);
  pos += ((AAC[pos + 3]! & 0x03) << 11) | (AAC[pos + 4]! << 3) | (AAC[pos + 5]! >> 5);
}
const frameAt = (n: number): number => OFFSETS[n]!;
const round = (seconds: number): number => Math.round(seconds * 1e6) / 1e6;

async function parse(bytes: Buffer, name: string): Promise<StructureReport> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const source = await FileByteSource.open(path);
  try {
    return await adtsParser.parse(source);
  } finally {
    await source.close();
  }
}

const signs = (r: StructureReport): PlacedSign[] => [...r.truncation, ...r.appended, ...r.frameIssues];
const strong = (r: StructureReport): PlacedSign[] => signs(r).filter((s) => s.strong);

/** An ID3v2.3 tag with one TSSE text frame. */
function id3(text: string): Buffer {
  const body = Buffer.concat([Buffer.from([0]), Buffer.from(text, 'latin1')]);
  const frame = Buffer.concat([Buffer.from('TSSE', 'latin1'), Buffer.alloc(4), Buffer.from([0, 0]), body]);
  frame.writeUInt32BE(body.length, 4);
  const header = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]);
  header[9] = frame.length & 0x7f;
  header[8] = (frame.length >> 7) & 0x7f;
  return Buffer.concat([header, frame]);
}

describe('adtsParser on the untouched fixture', () => {
  it('counts 939 frames of 1024 samples and finds no signs', async () => {
    expect(OFFSETS).toHaveLength(939);
    const report = await parse(AAC, 'rec-a.aac');
    expect(report.complete).toBe(true);
    expect(report.counted).toEqual([
      { source: 'adts-frames', seconds: round(939 * FRAME_SECONDS), frames: 939 },
    ]);
    expect(report.details).toMatchObject({ layouts: { 'lc/48000/1': 939 }, junkBytes: 0 });
    expect(report.writer.markers).toEqual(['adts:mpeg4']);
    expect(signs(report)).toEqual([]);
    expect(report.parameterChanges).toEqual([]);
  });
});

describe('adtsParser on damaged and spliced variants', () => {
  it.each([100, 500, 938])(
    'a cut inside frame %i is a strong partial-last-frame at its time',
    async (frame) => {
      const report = await parse(AAC.subarray(0, frameAt(frame) + 20), `cut-${frame}.aac`);
      expect(report.truncation).toEqual([
        expect.objectContaining({
          kind: 'partial-last-frame',
          offset: frameAt(frame),
          at: round(frame * FRAME_SECONDS),
          strong: true,
        }),
      ]);
      expect(report.counted[0]?.frames).toBe(frame);
    },
  );

  it('appended zeros are trailing data at the end of the stream', async () => {
    const report = await parse(Buffer.concat([AAC, Buffer.alloc(500)]), 'zeros.aac');
    expect(report.appended).toEqual([
      expect.objectContaining({
        kind: 'trailing-data',
        offset: AAC.length,
        at: round(939 * FRAME_SECONDS),
        strong: false,
      }),
    ]);
    expect(report.frameIssues).toEqual([]);
  });

  it('a second copy appended reads as one longer stream (ADTS has no file header)', async () => {
    const report = await parse(Buffer.concat([AAC, AAC]), 'twice.aac');
    expect(report.counted[0]?.frames).toBe(1878);
    expect(strong(report)).toEqual([]);
  });

  it('junk between frames is a junk issue placed in time', async () => {
    const at = frameAt(300);
    const bytes = Buffer.concat([AAC.subarray(0, at), Buffer.alloc(100, 0x20), AAC.subarray(at)]);
    const report = await parse(bytes, 'junk.aac');
    expect(report.frameIssues).toEqual([
      expect.objectContaining({
        kind: 'junk',
        offset: at,
        at: round(300 * FRAME_SECONDS),
        data: { bytes: 100 },
      }),
    ]);
    expect(report.counted[0]?.frames).toBe(939);
  });

  it('a frame length grown by 10 bytes loses the next frame to a resync gap', async () => {
    const bytes = Buffer.from(AAC);
    const at = frameAt(500);
    const length = ((bytes[at + 3]! & 0x03) << 11) | (bytes[at + 4]! << 3) | (bytes[at + 5]! >> 5);
    const grown = length + 10;
    bytes[at + 3] = (bytes[at + 3]! & 0xfc) | (grown >> 11);
    bytes[at + 4] = (grown >> 3) & 0xff;
    bytes[at + 5] = (bytes[at + 5]! & 0x1f) | ((grown & 0x07) << 5);
    const report = await parse(bytes, 'length.aac');
    expect(report.frameIssues).toEqual([
      expect.objectContaining({
        kind: 'junk',
        offset: frameAt(501) + 10,
        at: round(501 * FRAME_SECONDS),
        data: { bytes: frameAt(502) - frameAt(501) - 10 },
      }),
    ]);
    expect(report.counted[0]?.frames).toBe(938);
  });

  it('frames spliced in with another sample rate and channel layout are parameter changes', async () => {
    const bytes = Buffer.from(AAC);
    for (const [n, at] of OFFSETS.entries()) {
      if (n >= 600) bytes[at + 2] = (bytes[at + 2]! & 0xc3) | (4 << 2); // 44.1 kHz
      if (n >= 700) {
        bytes[at + 2] = bytes[at + 2]! & 0xfe;
        bytes[at + 3] = (bytes[at + 3]! & 0x3f) | (2 << 6); // stereo
      }
    }
    const report = await parse(bytes, 'params.aac');
    const second = 600 * FRAME_SECONDS + (100 * 1024) / 44100;
    expect(report.parameterChanges).toEqual([
      {
        parameter: 'sampleRate',
        from: 48000,
        to: 44100,
        at: round(600 * FRAME_SECONDS),
        offset: frameAt(600),
      },
      { parameter: 'channels', from: 1, to: 2, at: round(second), offset: frameAt(700) },
    ]);
  });

  it('an ID3v2 tag between frames is appended data; a leading one names the software', async () => {
    const at = frameAt(200);
    const inside = await parse(
      Buffer.concat([AAC.subarray(0, at), id3('Editor 1.0'), AAC.subarray(at)]),
      'id3.aac',
    );
    expect(inside.appended).toEqual([
      expect.objectContaining({
        kind: 'id3-inside',
        offset: at,
        at: round(200 * FRAME_SECONDS),
        strong: false,
      }),
    ]);
    expect(inside.writer.software).toEqual(['Editor 1.0']);
    const leading = await parse(Buffer.concat([id3('Lavf60.3.100'), AAC]), 'lead.aac');
    expect(leading.writer.software).toEqual(['Lavf60.3.100']);
    expect(leading.writer.markers).toContain('id3v2');
    expect(signs(leading)).toEqual([]);
  });

  it.each([0, 3, 7, 20])('a file cut to %i bytes never throws', async (length) => {
    const report = await parse(AAC.subarray(0, length), `head-${length}.aac`);
    expect(report.container).toBe('aac');
  });
});

describe('adtsParser on an FFmpeg encode without bit-exact flags', () => {
  it('finds the Lavc identification FFmpeg writes inside the first AAC frame', async () => {
    const { ffmpeg } = await binaries();
    const out = join(dir, 'lavc.aac');
    const input = fixture('originals/rec-a.wav');
    execFileSync(ffmpeg.path, [
      '-hide_banner',
      '-v',
      'error',
      '-y',
      '-i',
      input,
      '-t',
      '2',
      ...['-c:a', 'aac', '-f', 'adts'],
      out,
    ]);
    const report = await parse(readFileSync(out), 'lavc-copy.aac');
    expect(report.writer.software).toContainEqual(expect.stringMatching(/^Lavc\d+\.\d+\.\d+$/));
    expect(strong(report)).toEqual([]);
  });
});

describe.skipIf(!HAS_SAMPLES)('adtsParser on the shared samples', () => {
  const files = samplesOf(adtsParser.containers);

  it.each(files)('$folder/$name parses within bounds', async ({ folder, path }) => {
    const source = await FileByteSource.open(path);
    let report: StructureReport;
    try {
      report = await adtsParser.parse(source);
    } finally {
      await source.close();
    }
    expect(JSON.stringify(report).length).toBeLessThan(100_000);
    expect(signs(report).length).toBeLessThanOrEqual(64);
    if (folder === 'device') expect(strong(report)).toEqual([]);
  });

  it('finds the libfaac identification string in the encoder sample', async () => {
    const path = samples('encoder').find((p) => p.endsWith('adts-mpeg4.aac'));
    expect(path).toBeDefined();
    const source = await FileByteSource.open(path!);
    try {
      expect((await adtsParser.parse(source)).writer.software).toEqual(['libfaac 1.28']);
    } finally {
      await source.close();
    }
  });
});
