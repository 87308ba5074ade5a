// WAVE/RF64 parser: the untouched fixture, damaged variants derived from its bytes, writer chunks, and every shared sample.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileByteSource } from '../../../src/formats/byte-source.js';
import type { PlacedSign, StructureReport } from '../../../src/formats/types.js';
import { wavParser } from '../../../src/formats/wav/index.js';
import { fixture, HAS_SAMPLES, samplesOf } from '../../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** rec-a.wav: RIFF, fmt (16 bytes, PCM s16 mono 8 kHz), data of 176000 bytes at offset 36. */
const WAV = readFileSync(fixture('originals/rec-a.wav'));
const FMT = WAV.subarray(12, 36);
const PCM = WAV.subarray(44);
const DATA_START = 44;

async function parse(bytes: Buffer, name: string): Promise<StructureReport> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const source = await FileByteSource.open(path);
  try {
    return await wavParser.parse(source);
  } finally {
    await source.close();
  }
}

function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

/** A RIFF/WAVE file from raw chunk bytes, with the RIFF size set from them. */
function riff(chunks: Buffer[], form = 'RIFF', size?: number): Buffer {
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write(form, 0, 'latin1');
  header.writeUInt32LE(size ?? body.length + 4, 4);
  header.write('WAVE', 8, 'latin1');
  return Buffer.concat([header, body]);
}

const signs = (r: StructureReport): PlacedSign[] => [...r.truncation, ...r.appended, ...r.frameIssues];
const strong = (r: StructureReport): PlacedSign[] => signs(r).filter((s) => s.strong);

describe('wavParser on the untouched fixture', () => {
  it('reads rec-a.wav: declared and counted durations agree, no signs', async () => {
    const report = await parse(WAV, 'rec-a.wav');
    expect(report.complete).toBe(true);
    expect(report.declared).toEqual([{ source: 'wav-data', seconds: 11, samples: 88000, sampleRate: 8000 }]);
    expect(report.counted).toEqual([{ source: 'wav-data-bytes', seconds: 11, frames: 88000 }]);
    expect(report.writer.markers).toEqual(expect.arrayContaining(['chunk-order:fmt,data', 'fmt-size:16']));
    expect(signs(report)).toEqual([]);
    expect(report.details['format']).toMatchObject({
      codec: 'pcm',
      channels: 1,
      sampleRate: 8000,
      blockAlign: 2,
    });
  });
});

describe('wavParser on damaged variants', () => {
  it.each([DATA_START + 1000, DATA_START + 80_000, WAV.length - 2])(
    'a file cut at byte %i is a strong data-past-end at the cut',
    async (cut) => {
      const report = await parse(WAV.subarray(0, cut), `cut-${cut}.wav`);
      const present = cut - DATA_START;
      expect(report.truncation).toEqual([
        expect.objectContaining({ kind: 'data-past-end', offset: cut, at: present / 16000, strong: true }),
      ]);
      expect(report.truncation[0]?.data).toMatchObject({ declared: 176000, present });
      expect(report.counted[0]).toMatchObject({ seconds: present / 16000, frames: present / 2 });
      expect(report.complete).toBe(false);
    },
  );

  it('a cut inside the fmt chunk is a strong chunk-past-end', async () => {
    const report = await parse(WAV.subarray(0, 30), 'cut-fmt.wav');
    expect(report.truncation).toEqual([
      expect.objectContaining({ kind: 'chunk-past-end', offset: 12, strong: true }),
    ]);
  });

  it('appended zeros are trailing data at the end time; an appended chunk is a chunk after the RIFF end', async () => {
    const zeros = await parse(Buffer.concat([WAV, Buffer.alloc(1000)]), 'zeros.wav');
    expect(zeros.appended).toEqual([
      expect.objectContaining({ kind: 'trailing-data', offset: WAV.length, at: 11, strong: false }),
    ]);
    expect(zeros.appended[0]?.data).toEqual({ bytes: 1000, zeros: true });
    const list = chunk(
      'LIST',
      Buffer.concat([Buffer.from('INFOISFT', 'latin1'), Buffer.from([6, 0, 0, 0]), Buffer.from('Tool\0\0')]),
    );
    const tagged = await parse(Buffer.concat([WAV, list]), 'list-after.wav');
    expect(tagged.appended).toEqual([
      expect.objectContaining({ kind: 'chunks-after-riff-end', offset: WAV.length, at: 11, strong: false }),
    ]);
    expect(tagged.writer.software).toEqual(['Tool']);
  });

  it('a second copy of the file appended is a strong second-riff', async () => {
    const report = await parse(Buffer.concat([WAV, WAV]), 'twice.wav');
    expect(report.appended).toEqual([
      expect.objectContaining({ kind: 'second-riff', offset: WAV.length, at: 11, strong: true }),
    ]);
    expect(report.counted[0]?.seconds).toBe(11);
  });

  it('a WAVE header pasted inside the data is a strong second-riff placed in time', async () => {
    const bytes = Buffer.from(WAV);
    WAV.copy(bytes, DATA_START + 80_000, 0, 44);
    const report = await parse(bytes, 'inside.wav');
    expect(report.appended).toEqual([
      expect.objectContaining({ kind: 'second-riff', offset: DATA_START + 80_000, at: 5, strong: true }),
    ]);
  });

  it('a data size grown past the file is a strong data-past-end', async () => {
    const bytes = Buffer.from(WAV);
    bytes.writeUInt32LE(176000 + 1000, 40);
    const report = await parse(bytes, 'data-size.wav');
    expect(report.truncation).toEqual([
      expect.objectContaining({ kind: 'data-past-end', offset: WAV.length, at: 11, strong: true }),
    ]);
    expect(report.declared[0]?.seconds).toBe(11.0625);
  });

  it('a RIFF size grown past the file is a strong riff-past-end; shrunk, the data overruns it', async () => {
    const grown = Buffer.from(WAV);
    grown.writeUInt32LE(WAV.readUInt32LE(4) + 1000, 4);
    const big = await parse(grown, 'riff-big.wav');
    expect(big.truncation).toEqual([
      expect.objectContaining({ kind: 'riff-past-end', offset: WAV.length, strong: true }),
    ]);
    const offBy8 = Buffer.from(WAV);
    offBy8.writeUInt32LE(WAV.length, 4);
    const quirk = await parse(offBy8, 'riff-off-by-8.wav');
    expect(quirk.truncation).toEqual([expect.objectContaining({ kind: 'riff-past-end', strong: false })]);
    const shrunk = Buffer.from(WAV);
    shrunk.writeUInt32LE(WAV.readUInt32LE(4) - 1000, 4);
    const small = await parse(shrunk, 'riff-small.wav');
    expect(small.frameIssues).toEqual([
      expect.objectContaining({ kind: 'chunk-past-riff-end', offset: 36, strong: false }),
    ]);
    expect(strong(small)).toEqual([]);
  });

  it('an odd data size ends in a partial block', async () => {
    const bytes = Buffer.from(WAV.subarray(0, WAV.length - 1));
    bytes.writeUInt32LE(175999, 40);
    bytes.writeUInt32LE(WAV.readUInt32LE(4) - 1, 4);
    const report = await parse(bytes, 'odd.wav');
    expect(report.frameIssues).toEqual([
      expect.objectContaining({
        kind: 'partial-block',
        offset: DATA_START + 175998,
        at: 10.999938,
        strong: false,
      }),
    ]);
    expect(report.truncation).toEqual([]);
  });

  it('streaming placeholders (0xFFFFFFFF sizes) are noted, not taken as truncation', async () => {
    const bytes = Buffer.from(WAV);
    bytes.writeUInt32LE(0xffffffff, 4);
    bytes.writeUInt32LE(0xffffffff, 40);
    const report = await parse(bytes, 'stream.wav');
    expect(report.frameIssues).toEqual([
      expect.objectContaining({ kind: 'size-placeholder', offset: 40, strong: false }),
    ]);
    expect(report.declared).toEqual([]);
    expect(report.counted[0]?.seconds).toBe(11);
    expect(strong(report)).toEqual([]);
  });

  it('reads RF64 sizes from ds64, and a cut RF64 is a strong data-past-end', async () => {
    const ds64 = Buffer.alloc(28);
    ds64.writeBigUInt64LE(BigInt(4 + 36 + 24 + 8 + PCM.length), 0);
    ds64.writeBigUInt64LE(BigInt(PCM.length), 8);
    ds64.writeBigUInt64LE(BigInt(PCM.length / 2), 16);
    const data = Buffer.concat([Buffer.from('data', 'latin1'), Buffer.from([0xff, 0xff, 0xff, 0xff]), PCM]);
    const rf64 = riff([chunk('ds64', ds64), FMT, data], 'RF64', 0xffffffff);
    const report = await parse(rf64, 'rf64.wav');
    expect(report.declared).toEqual([{ source: 'wav-data', seconds: 11, samples: 88000, sampleRate: 8000 }]);
    expect(report.writer.markers).toEqual(expect.arrayContaining(['rf64', 'ds64']));
    expect(signs(report)).toEqual([]);
    const cut = await parse(rf64.subarray(0, rf64.length - 16000), 'rf64-cut.wav');
    expect(cut.truncation).toEqual([
      expect.objectContaining({ kind: 'data-past-end', at: 10, strong: true }),
    ]);
  });

  it('takes writer hints from LIST/INFO, bext and XMP', async () => {
    const info = Buffer.concat([
      Buffer.from('INFO', 'latin1'),
      chunk('ISFT', Buffer.from('Adobe Audition CC 2019\0')),
      chunk('ICRD', Buffer.from('2024-03-05\0')),
    ]);
    const bext = Buffer.alloc(602 + 80);
    bext.write('ZOOM H4n', 256, 'latin1');
    bext.write('2024-03-05', 320, 'latin1');
    bext.write('14:15:16', 330, 'latin1');
    bext.write('A=PCM,F=8000,W=16,M=mono,T=ZOOM H4n;VERSION=1.90\r\n', 602, 'latin1');
    const xmp = Buffer.from('<x:xmpmeta><rdf:Description xmp:CreatorTool="Audacity 3.4"/></x:xmpmeta>');
    const bytes = riff([FMT, chunk('LIST', info), chunk('bext', bext), chunk('_PMX', xmp), WAV.subarray(36)]);
    const report = await parse(bytes, 'tagged.wav');
    expect(report.writer.software).toEqual([
      'Adobe Audition CC 2019',
      'ZOOM H4n',
      'ZOOM H4n;VERSION=1.90',
      'Audacity 3.4',
    ]);
    expect(report.writer.markers).toEqual(
      expect.arrayContaining([
        'LIST:INFO',
        'INFO:ISFT',
        'bext',
        'xmp',
        'chunk-order:fmt,LIST,bext,_PMX,data',
      ]),
    );
    expect(report.times.created).toBe('2024-03-05T14:15:16');
    expect(signs(report)).toEqual([]);
  });

  it.each([0, 4, 11, 12, 20, 43])('a file cut to %i bytes never throws', async (length) => {
    const report = await parse(WAV.subarray(0, length), `head-${length}.wav`);
    expect(report.complete).toBe(false);
  });
});

describe.skipIf(!HAS_SAMPLES)('wavParser on the shared samples', () => {
  const files = samplesOf(wavParser.containers);

  it.each(files)('$folder/$name parses within bounds', async ({ folder, path }) => {
    const source = await FileByteSource.open(path);
    let report: StructureReport;
    try {
      report = await wavParser.parse(source);
    } finally {
      await source.close();
    }
    expect(JSON.stringify(report).length).toBeLessThan(1_000_000);
    expect(signs(report).length).toBeLessThanOrEqual(64);
    if (folder === 'device' || folder === 'voice') expect(strong(report)).toEqual([]);
  });
});
