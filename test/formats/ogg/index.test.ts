// Ogg parser: the untouched Opus fixture, damaged variants made from its pages (cuts, flipped bytes,
// dropped pages, joins, junk), and every shared sample identified as Ogg.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileByteSource } from '../../../src/formats/byte-source.js';
import { oggParser } from '../../../src/formats/ogg/index.js';
import type { PlacedSign, StructureReport } from '../../../src/formats/types.js';
import { binaries } from '../../../src/tools/ffmpeg.js';
import { fixture, HAS_SAMPLES, SAMPLES, samplesOf } from '../../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-ogg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** rec-a.opus: OpusHead (pre-skip 312), OpusTags, then 1 s pages of 20 ms packets, 20 s in all. */
const OPUS = readFileSync(fixture('originals/rec-a.opus'));
const PRE_SKIP = 312;

interface Page {
  offset: number;
  length: number;
  granule: number;
}

/** The pages of an Ogg file, walked by their lacing values alone. */
function pages(bytes: Buffer): Page[] {
  const out: Page[] = [];
  for (let p = 0; p + 27 <= bytes.length; ) {
    const segments = bytes[p + 26]!;
    let length = 27 + segments;
    for (let k = 0; k < segments; k++) length += bytes[p + 27 + k]!;
    out.push({ offset: p, length, granule: Number(bytes.readBigInt64LE(p + 6)) });
    p += length;
  }
  return out;
}
const PAGES = pages(OPUS);
const seconds = (granule: number): number => Math.max(0, (granule - PRE_SKIP) / 48000);

async function parse(bytes: Buffer, name: string): Promise<StructureReport> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const source = await FileByteSource.open(path);
  try {
    return await oggParser.parse(source);
  } finally {
    await source.close();
  }
}

const signs = (r: StructureReport): PlacedSign[] => [...r.truncation, ...r.appended, ...r.frameIssues];
const kinds = (list: PlacedSign[]): string[] => list.map((s) => s.kind).sort();
const find = (list: PlacedSign[], kind: string): PlacedSign | undefined => list.find((s) => s.kind === kind);

describe('oggParser on the untouched Opus fixture', () => {
  it('checks every page and reads the Opus headers', async () => {
    const r = await parse(OPUS, 'rec-a.opus');
    expect(PAGES).toHaveLength(23);
    expect(r.complete).toBe(true);
    expect(r.declared).toEqual([{ source: 'ogg-granule', seconds: 20, samples: 960000, sampleRate: 48000 }]);
    // 1001 packets of 20 ms less the pre-skip: the encoder's end padding is not trimmed by a count.
    expect(r.counted).toEqual([{ source: 'ogg-opus-packets', seconds: (1001 * 960 - PRE_SKIP) / 48000 }]);
    expect(r.priming).toEqual({ delay: PRE_SKIP, padding: 648, sampleRate: 48000 });
    expect(signs(r)).toEqual([]);
    expect(r.writer.vendor).toBe('ffmpeg');
    expect(r.writer.software).toEqual(['ffmpeg', 'Lavc libopus']);
    expect(r.writer.markers).toEqual(['opus-tags']);
    expect(r.details).toMatchObject({ pages: 23, crcFailures: 0 });
    expect((r.details['streams'] as unknown[])[0]).toMatchObject({
      codec: 'opus',
      preSkip: PRE_SKIP,
      sampleRate: 48000,
      channels: 1,
      bos: true,
      eos: true,
      lastGranule: 960312,
      audioPackets: 1001,
      startExcess: 0,
      comments: [['ENCODER', 'Lavc libopus']],
    });
  });
});

describe('oggParser on damaged copies', () => {
  it.each([0.3, 0.5, 0.77, 0.9999])(
    'cut at %f of the bytes: the last page is cut and has no EOS',
    async (fraction) => {
      const at = Math.floor(OPUS.length * fraction);
      const r = await parse(OPUS.subarray(0, at), `trunc-${fraction}.opus`);
      const whole = PAGES.filter((p) => p.offset + p.length <= at);
      const last = whole[whole.length - 1]!;
      const cut = PAGES[whole.length]!;
      expect(r.complete).toBe(false);
      expect(r.truncation).toHaveLength(1);
      // Only the EOS page carries the EOS flag, so a cut inside another page is a missing EOS.
      const kind = cut.granule === 960312 ? 'partial-last-page' : 'missing-eos';
      expect(r.truncation[0]).toMatchObject({
        kind,
        strong: true,
        offset: cut.offset,
        data: { lastPageCut: true },
      });
      expect(r.truncation[0]?.at).toBeCloseTo(seconds(last.granule), 1);
      expect(r.declared[0]?.seconds).toBeCloseTo(seconds(last.granule), 6);
      expect(r.frameIssues).toEqual([]);
    },
  );

  it('cut on a page boundary: a missing EOS that only calls for a look', async () => {
    const page = PAGES[12]!;
    const r = await parse(OPUS.subarray(0, page.offset), 'trunc-boundary.opus');
    expect(r.truncation).toEqual([
      expect.objectContaining({
        kind: 'missing-eos',
        strong: false,
        data: { serial: 0, lastPageCut: false },
      }),
    ]);
    expect(r.truncation[0]?.at).toBeCloseTo(seconds(PAGES[11]!.granule), 1);
  });

  it.each([4, 10, 17])('a flipped byte in page %i fails its CRC, placed at that page', async (n) => {
    const bytes = Buffer.from(OPUS);
    const page = PAGES[n]!;
    bytes[page.offset + page.length - 40]! ^= 0x10;
    const r = await parse(bytes, `flip-${n}.opus`);
    // A flip that lands on a packet's TOC byte also changes its duration, so a granule jump may join in.
    expect(kinds(signs(r)).filter((k) => k !== 'granule-gap')).toEqual(['page-crc']);
    for (const s of signs(r)) expect(s.offset).toBe(page.offset);
    const sign = find(r.frameIssues, 'page-crc')!;
    expect(sign).toMatchObject({ strong: true, offset: page.offset, data: { sequence: n } });
    expect(sign.at).toBeCloseTo(seconds(PAGES[n - 1]!.granule), 1);
    expect(sign.end).toBeCloseTo(seconds(page.granule), 1);
  });

  it.each([5, 13])('dropping page %i leaves a sequence gap and a granule jump where it was', async (n) => {
    const page = PAGES[n]!;
    const bytes = Buffer.concat([OPUS.subarray(0, page.offset), OPUS.subarray(page.offset + page.length)]);
    const r = await parse(bytes, `drop-${n}.opus`);
    expect(kinds(signs(r))).toEqual(['granule-gap', 'page-sequence-gap']);
    const gap = find(r.frameIssues, 'page-sequence-gap')!;
    expect(gap).toMatchObject({ strong: true, data: { expected: n, found: n + 1 } });
    expect(gap.at).toBeCloseTo(seconds(PAGES[n - 1]!.granule), 1);
    const jump = find(r.frameIssues, 'granule-gap')!;
    expect(jump.at).toBeCloseTo(seconds(PAGES[n - 1]!.granule), 1);
    expect(jump.data?.['missingSamples']).toBe(48000);
    // The granule still says 20 s; the packets hold one second less.
    expect(r.counted[0]!.seconds).toBeCloseTo(r.declared[0]!.seconds - 1, 1);
  });

  it('cat a.opus a.opus: a new logical stream where the first one ends', async () => {
    const r = await parse(Buffer.concat([OPUS, OPUS]), 'concat.opus');
    expect(kinds(signs(r))).toEqual(['new-stream']);
    expect(r.appended[0]).toMatchObject({ offset: OPUS.length, at: 20 });
    expect(r.appended[0]?.strong).toBeFalsy();
    expect(r.declared[0]?.seconds).toBe(40);
    expect(r.writer.markers).toContain('chained');
    expect(r.details['links']).toEqual([
      { offset: 0, start: 0, serials: [0] },
      { offset: OPUS.length, start: 20, serials: [0] },
    ]);
  });

  it('junk after the last page is trailing data', async () => {
    const r = await parse(Buffer.concat([OPUS, Buffer.from('trailing bytes, not a page')]), 'tail.opus');
    expect(kinds(signs(r))).toEqual(['trailing-data']);
    expect(r.appended[0]).toMatchObject({ offset: OPUS.length, at: 20, data: { bytes: 26 } });
    expect(r.complete).toBe(true);
  });

  it('junk between pages is placed after the page before it', async () => {
    const page = PAGES[9]!;
    const bytes = Buffer.concat([
      OPUS.subarray(0, page.offset),
      Buffer.alloc(300, 0x5a),
      OPUS.subarray(page.offset),
    ]);
    const r = await parse(bytes, 'junk-mid.opus');
    expect(kinds(signs(r))).toEqual(['junk']);
    expect(r.frameIssues[0]).toMatchObject({ offset: page.offset, data: { bytes: 300 } });
    expect(r.frameIssues[0]?.at).toBeCloseTo(seconds(PAGES[8]!.granule), 1);
  });
});

describe('oggParser on other codecs written by ffmpeg', () => {
  const encode = async (name: string, rate: number, codec: string): Promise<Buffer> => {
    const { ffmpeg } = await binaries();
    const path = join(dir, name);
    execFileSync(ffmpeg.path, [
      ...[
        '-hide_banner',
        '-nostdin',
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        `sine=frequency=440:duration=3:sample_rate=${rate}`,
      ],
      ...['-c:a', codec, '-f', 'ogg', '-fflags', '+bitexact', '-flags:a', '+bitexact', path],
    ]);
    return readFileSync(path);
  };

  it.each([
    ['vorbis.ogg', 44100, 'libvorbis', 'vorbis', 'Lavc libvorbis'],
    ['speex.spx', 16000, 'libspeex', 'speex', undefined],
    ['flac.oga', 16000, 'flac', 'flac', 'Lavc flac'],
  ] as const)(
    '%s: codec header, vendor, granule duration, no signs',
    async (name, rate, encoder, codec, software) => {
      const r = await parse(await encode(name, rate, encoder), name);
      expect(r.complete).toBe(true);
      expect(signs(r)).toEqual([]);
      expect(r.details['streams']).toMatchObject([
        { codec, sampleRate: rate, channels: 1, bos: true, eos: true },
      ]);
      expect(r.declared[0]?.source).toBe('ogg-granule');
      expect(r.declared[0]?.seconds).toBeCloseTo(3, 1);
      expect(r.writer.vendor).toBe('ffmpeg');
      if (software) expect(r.writer.software).toContain(software);
      // Speex's comment header has no "vorbis"/"OpusTags" magic; it is still read as the second packet.
      expect(r.writer.markers).toEqual(['vorbis-comment']);
    },
  );
});

describe('oggParser on the shared samples', () => {
  const mine = samplesOf(['ogg']);

  it.skipIf(!HAS_SAMPLES)('finds Ogg samples to parse', () => {
    expect(mine.length).toBeGreaterThanOrEqual(5);
  });

  it.skipIf(!HAS_SAMPLES).each(mine.map((m) => [basename(m.path), m] as const))(
    'parses %s without throwing',
    async (_name, { folder, path }) => {
      const source = await FileByteSource.open(path);
      try {
        const r = await oggParser.parse(source);
        expect(r.container).toBe('ogg');
        if (folder === 'device') {
          expect(signs(r).filter((s) => s.strong)).toEqual([]);
          expect(r.frameIssues).toEqual([]);
        }
      } finally {
        await source.close();
      }
    },
  );

  const sample = async (folder: string, name: string): Promise<StructureReport> => {
    const source = await FileByteSource.open(join(SAMPLES, folder, name));
    try {
      return await oggParser.parse(source);
    } finally {
      await source.close();
    }
  };

  it.skipIf(!HAS_SAMPLES)(
    'a Telegram voice note: libopus vendor, no EOS page (a weak sign only)',
    async () => {
      const r = await sample('device', 'Mohamedtahaahmedtaha__Telegram-voice-to-text-__voice.ogg');
      expect(r.writer.vendor).toBe('libopus unknown-fixed');
      expect(r.truncation).toEqual([expect.objectContaining({ kind: 'missing-eos', strong: false })]);
      expect(r.declared[0]?.seconds).toBeCloseTo(3.57, 2);
      expect(r.counted[0]?.seconds).toBeCloseTo(r.declared[0]!.seconds, 2);
    },
  );

  it.skipIf(!HAS_SAMPLES)('Vorbis and Speex identification headers and comment vendors', async () => {
    const vorbis = await sample(
      'encoder',
      "Borewit__music-metadata__MusicBrainz - Beth Hart - Sinner's Prayer.ogg",
    );
    expect(vorbis.details['streams']).toMatchObject([
      { codec: 'vorbis', sampleRate: 44100, channels: 2, eos: true },
    ]);
    expect(vorbis.writer.vendor).toMatch(/^Xiph\.Org libVorbis I 20150105 /u);
    expect(signs(vorbis)).toEqual([]);
    const speex = await sample('encoder', 'Borewit__music-metadata__female_scrub.spx');
    expect(speex.details['streams']).toMatchObject([{ codec: 'speex' }]);
    expect(speex.writer.vendor).toContain('Sweep');
    expect(signs(speex)).toEqual([]);
  });
});
