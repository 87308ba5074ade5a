// MP3 parser: the untouched fixture, damaged variants made from its bytes (cuts, joins, junk, patched
// tags), a second ffmpeg encode with other parameters, and every shared sample identified as MPEG audio.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileByteSource } from '../../../src/formats/byte-source.js';
import { mpegFrameLength } from '../../../src/formats/identify.js';
import { mp3Parser } from '../../../src/formats/mp3/index.js';
import type { PlacedSign, StructureReport } from '../../../src/formats/types.js';
import { binaries } from '../../../src/tools/ffmpeg.js';
import { fixture, HAS_SAMPLES, SAMPLES, samplesOf } from '../../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-mp3-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** rec-a.mp3: 20-byte ID3v2.4, an Info frame with a LAME tag (ffmpeg), 768 MPEG-2 layer III mono frames. */
const MP3 = readFileSync(fixture('originals/rec-a.mp3'));
const RATE = 22050;
const SPF = 576;
/** ffmpeg's decode drops the LAME encoder delay (576) plus the decoder delay (529). */
const OFFSET = (576 + 529) / RATE;

/** Frame offsets, found with identify's frame-length function (independent of the parser's walk). */
function frameOffsets(bytes: Buffer, start: number): number[] {
  const out: number[] = [];
  for (let p = start; p + 4 <= bytes.length; ) {
    const length = mpegFrameLength(bytes, p);
    if (length <= 0 || p + length > bytes.length) break;
    out.push(p);
    p += length;
  }
  return out;
}
const FRAMES = frameOffsets(MP3, 20);
/** Decoded-timeline seconds at the start of audio frame `n` (frame 0 of FRAMES is the Info frame). */
const timeOfAudioFrame = (n: number): number => Math.max(0, (n * SPF) / RATE - OFFSET);

async function parse(bytes: Buffer, name: string): Promise<StructureReport> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const source = await FileByteSource.open(path);
  try {
    return await mp3Parser.parse(source);
  } finally {
    await source.close();
  }
}

const signs = (r: StructureReport): PlacedSign[] => [...r.truncation, ...r.appended, ...r.frameIssues];
const kinds = (list: PlacedSign[]): string[] => list.map((s) => s.kind).sort();
const find = (list: PlacedSign[], kind: string): PlacedSign | undefined => list.find((s) => s.kind === kind);

describe('mp3Parser on the untouched fixture', () => {
  it('walks every frame and finds the encoder bookkeeping consistent', async () => {
    const r = await parse(MP3, 'rec-a.mp3');
    expect(FRAMES).toHaveLength(769);
    expect(r.complete).toBe(true);
    expect(r.counted).toEqual([
      { source: 'mp3-frames', seconds: expect.closeTo((768 * SPF) / RATE, 6), frames: 768 },
    ]);
    expect(r.declared).toEqual([
      { source: 'xing', seconds: (768 * SPF) / RATE, samples: 768 * SPF, sampleRate: RATE },
    ]);
    expect(r.priming).toEqual({ delay: 576, padding: 792, sampleRate: RATE });
    expect(signs(r)).toEqual([]);
    expect(r.parameterChanges).toEqual([]);
    expect(r.writer.markers).toEqual(expect.arrayContaining(['id3v2', 'info', 'lame-tag']));
    expect(r.writer.software).toContain('Lavf lame');
    expect(r.details['stream']).toMatchObject({ version: '2', layer: 3, sampleRate: RATE, channels: 1 });
    expect(r.details['headerCheck']).toMatchObject({
      frames: { declared: 768, counted: 768, ok: true },
      bytes: { declared: MP3.length - 20, ok: true },
      tagCrc: { ok: true },
      musicCrc: { ok: true },
    });
    expect(r.details['frames']).toMatchObject({ reservoirChecked: 768, reservoirBreaks: 0, junkRuns: 0 });
  });
});

describe('mp3Parser on truncated copies', () => {
  const cuts = [0.3, 0.5, 0.77, 0.9999];
  it.each(cuts)(
    'cut at %f of the bytes: a partial last frame, placed where the audio stops',
    async (fraction) => {
      const at = Math.floor(MP3.length * fraction);
      const r = await parse(MP3.subarray(0, at), `trunc-${fraction}.mp3`);
      const whole = FRAMES.filter((_p, i) => i + 1 < FRAMES.length && FRAMES[i + 1]! <= at).length - 1;
      expect(r.complete).toBe(false);
      expect(r.truncation).toHaveLength(1);
      const sign = r.truncation[0]!;
      expect(sign).toMatchObject({ kind: 'partial-last-frame', strong: true });
      expect(sign.at).toBeCloseTo(timeOfAudioFrame(whole), 1);
      expect(r.counted[0]?.frames).toBe(whole);
      expect(kinds(r.frameIssues)).toEqual([
        'lame-music-crc-mismatch',
        'xing-byte-count-mismatch',
        'xing-frame-count-mismatch',
      ]);
      expect(r.frameIssues.every((s) => s.strong)).toBe(true);
    },
  );

  it('cut on a frame boundary: no partial frame, but the Info counts and music CRC disagree', async () => {
    const r = await parse(MP3.subarray(0, FRAMES[500]), 'trunc-boundary.mp3');
    expect(r.truncation).toEqual([]);
    expect(r.counted[0]?.frames).toBe(499);
    expect(find(r.frameIssues, 'xing-frame-count-mismatch')?.data).toMatchObject({
      declared: 768,
      counted: 499,
    });
    expect(find(r.frameIssues, 'lame-music-crc-mismatch')?.data).toMatchObject({
      missingBytes: MP3.length - FRAMES[500]!,
    });
  });
});

describe('mp3Parser on frames cut out of the middle', () => {
  /** Removes audio frames [from, from + count) (indices into FRAMES) without re-encoding. */
  const cut = (from: number, count: number): Buffer =>
    Buffer.concat([MP3.subarray(0, FRAMES[from]), MP3.subarray(FRAMES[from + count])]);

  it('every cut breaks the Info counts and the music CRC; reservoir breaks sit only at the cut', async () => {
    let breaks = 0;
    let cuts = 0;
    for (let from = 60; from < 700; from += 53) {
      for (const count of [1, 5, 40]) {
        cuts++;
        const r = await parse(cut(from, count), `cut-${from}-${count}.mp3`);
        expect(find(r.frameIssues, 'xing-frame-count-mismatch')?.data).toMatchObject({
          declared: 768,
          counted: 768 - count,
        });
        expect(find(r.frameIssues, 'lame-music-crc-mismatch')?.strong).toBe(true);
        expect(r.truncation).toEqual([]);
        const reservoir = r.frameIssues.filter((s) => s.kind === 'reservoir-break');
        for (const b of reservoir) {
          expect(b.strong).toBe(true);
          expect(b.offset).toBe(FRAMES[from]);
          expect(b.at).toBeCloseTo(timeOfAudioFrame(from - 1), 1);
        }
        if (reservoir.length > 0) breaks++;
      }
    }
    // The frame after a cut borrows bytes that are gone only when its reservoir reaches into removed data.
    expect(breaks).toBeGreaterThanOrEqual(cuts / 4);
  });

  it('the first cut that borrows from removed frames is reported at the cut time', async () => {
    let found: { from: number; sign: PlacedSign } | undefined;
    for (let from = 40; from < 400 && !found; from += 3) {
      const r = await parse(cut(from, 10), `cut-first-${from}.mp3`);
      const sign = find(r.frameIssues, 'reservoir-break');
      if (sign) found = { from, sign };
    }
    expect(found).toBeDefined();
    expect(found!.sign).toMatchObject({ strong: true, data: { reason: 'overlaps-previous-frame' } });
    expect(Math.abs(found!.sign.at! - timeOfAudioFrame(found!.from - 1))).toBeLessThan(0.1);
  });
});

describe('mp3Parser on joined and padded copies', () => {
  it('cat a.mp3 a.mp3: a second ID3v2 tag and a second Info frame where the first file ends', async () => {
    const r = await parse(Buffer.concat([MP3, MP3]), 'concat.mp3');
    const end = timeOfAudioFrame(768);
    expect(kinds(r.appended)).toEqual(['second-id3', 'second-xing']);
    expect(find(r.appended, 'second-xing')).toMatchObject({ strong: true, offset: MP3.length + 20 });
    expect(find(r.appended, 'second-id3')).toMatchObject({ offset: MP3.length });
    for (const s of r.appended) expect(Math.abs(s.at! - end)).toBeLessThan(0.1);
    expect(r.counted[0]?.frames).toBe(1536);
    expect(find(r.frameIssues, 'xing-frame-count-mismatch')).toBeDefined();
    // Each part's first frame starts with an empty reservoir, so the join itself is seamless.
    expect(find(r.frameIssues, 'reservoir-break')).toBeUndefined();
    // The music CRC covers the first file only, which is intact.
    expect(find(r.frameIssues, 'lame-music-crc-mismatch')).toBeUndefined();
  });

  it('junk after the last frame is trailing data, nothing else', async () => {
    const r = await parse(Buffer.concat([MP3, Buffer.from('not a frame, not a tag '.repeat(4))]), 'tail.mp3');
    expect(kinds(signs(r))).toEqual(['trailing-data']);
    expect(r.appended[0]).toMatchObject({ offset: MP3.length, data: { bytes: 92 } });
    expect(r.appended[0]?.strong).toBeFalsy();
    expect(r.appended[0]?.at).toBeCloseTo(timeOfAudioFrame(768), 1);
  });

  it('junk between two frames is placed at that frame time and breaks the byte count and music CRC', async () => {
    const n = 400;
    const bytes = Buffer.concat([
      MP3.subarray(0, FRAMES[n]),
      Buffer.alloc(77, 0x21),
      MP3.subarray(FRAMES[n]),
    ]);
    const r = await parse(bytes, 'junk-mid.mp3');
    const junk = find(r.frameIssues, 'junk');
    expect(junk).toMatchObject({ offset: FRAMES[n], data: { bytes: 77 } });
    expect(junk?.at).toBeCloseTo(timeOfAudioFrame(n - 1), 1);
    expect(kinds(r.frameIssues)).toEqual(['junk', 'lame-music-crc-mismatch', 'xing-byte-count-mismatch']);
    expect(r.counted[0]?.frames).toBe(768);
  });

  it('ID3v1 and APEv2 tags at the end are tags, not trailing data', async () => {
    const ape = apeTag({ Encoder: 'some tool 1.0' });
    const id3v1 = Buffer.alloc(128);
    id3v1.write('TAGA title', 0, 'latin1');
    const r = await parse(Buffer.concat([MP3, ape, id3v1]), 'tags.mp3');
    expect(signs(r)).toEqual([]);
    expect(r.writer.markers).toEqual(expect.arrayContaining(['ape', 'id3v1']));
    expect(r.writer.software).toContain('some tool 1.0');
    expect(r.details['tailTags']).toMatchObject([
      { kind: 'ape', offset: MP3.length, size: ape.length },
      { kind: 'id3v1', offset: MP3.length + ape.length, size: 128 },
    ]);
  });

  it('a patched Info frame no longer matches the LAME tag CRC', async () => {
    const bytes = Buffer.from(MP3);
    // The frame count field: Info frame at 20, side info 9 bytes, "Info" + flags, then frames.
    bytes.writeUInt32BE(700, 20 + 4 + 9 + 8);
    const r = await parse(bytes, 'patched.mp3');
    expect(find(r.frameIssues, 'lame-tag-crc-mismatch')?.strong).toBe(true);
    expect(find(r.frameIssues, 'xing-frame-count-mismatch')?.data).toMatchObject({
      declared: 700,
      counted: 768,
    });
  });

  it('an ID3v2 tag with TSSE, TXXX and a recording date yields writer hints and times', async () => {
    const tag = id3v2([
      textFrame('TSSE', 'Recorder Pro 2.1'),
      textFrame('TXXX', 'encoder\0Lavf60.3.100'),
      textFrame('TDRC', '2024-03-05T10:20:30'),
      privFrame('com.example.owner', Buffer.alloc(16, 1)),
    ]);
    const r = await parse(Buffer.concat([tag, MP3.subarray(20)]), 'id3.mp3');
    expect(r.writer.software).toEqual(
      expect.arrayContaining(['Recorder Pro 2.1', 'Lavf60.3.100', 'Lavf lame']),
    );
    expect(r.times.created).toBe('2024-03-05T10:20:30');
    const id3 = (r.details['id3v2'] as { frames: { id: string; value?: string }[] }[])[0]!;
    expect(id3.frames.map((f) => f.id)).toEqual(['TSSE', 'TXXX', 'TDRC', 'PRIV']);
    expect(id3.frames[3]?.value).toBe('com.example.owner (16 bytes)');
    expect(signs(r)).toEqual([]);
  });
});

describe('mp3Parser on a join of two different encodes', () => {
  let other: Buffer;
  beforeAll(async () => {
    const { ffmpeg } = await binaries();
    const path = join(dir, 'stereo-44k.mp3');
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
        'sine=frequency=300:duration=2',
      ],
      ...[
        '-ac',
        '2',
        '-ar',
        '44100',
        '-c:a',
        'libmp3lame',
        '-b:a',
        '96k',
        '-write_xing',
        '0',
        '-id3v2_version',
        '0',
      ],
      ...['-fflags', '+bitexact', '-flags:a', '+bitexact', path],
    ]);
    other = readFileSync(path);
  });

  it('records the version, sample-rate and channel changes where the second encode starts', async () => {
    const r = await parse(Buffer.concat([MP3, other]), 'mixed.mp3');
    const end = timeOfAudioFrame(768);
    const changed = r.parameterChanges.map((c) => [c.parameter, c.from, c.to]);
    expect(changed).toEqual([
      ['version', 'MPEG-2', 'MPEG-1'],
      ['sampleRate', 22050, 44100],
      ['channels', 1, 2],
    ]);
    for (const c of r.parameterChanges) {
      expect(c.offset).toBe(MP3.length);
      expect(Math.abs(c.at! - end)).toBeLessThan(0.1);
    }
    expect(find(r.frameIssues, 'reservoir-break')).toBeUndefined();
  });
});

describe('mp3Parser on the shared samples', () => {
  const mine = samplesOf(['mp3']);

  it.skipIf(!HAS_SAMPLES)('finds MPEG audio samples to parse', () => {
    expect(mine.length).toBeGreaterThan(10);
  });

  it.skipIf(!HAS_SAMPLES).each(mine.map((m) => [basename(m.path), m] as const))(
    'parses %s without throwing',
    async (_name, { folder, path }) => {
      const source = await FileByteSource.open(path);
      try {
        const r = await mp3Parser.parse(source);
        expect(r.container).toBe('mp3');
        if (folder === 'device') {
          expect(signs(r).filter((s) => s.strong)).toEqual([]);
          expect(find(r.frameIssues, 'reservoir-break')).toBeUndefined();
        }
        if (r.complete) expect(r.counted[0]?.frames).toBeGreaterThan(0);
      } finally {
        await source.close();
      }
    },
  );

  it.skipIf(!HAS_SAMPLES)('reads LAME tags and their CRCs on real LAME encodes', async () => {
    const path = join(
      SAMPLES,
      'encoder',
      "Borewit__music-metadata__MusicBrainz - Beth Hart - Sinner's Prayer [no-tags].V4.mp3",
    );
    const source = await FileByteSource.open(path);
    try {
      const r = await mp3Parser.parse(source);
      expect(r.writer.software).toContain('LAME3.99r');
      expect(r.details['headerCheck']).toMatchObject({ tagCrc: { ok: true }, musicCrc: { ok: true } });
      expect(signs(r)).toEqual([]);
    } finally {
      await source.close();
    }
  });
});

/** An ID3v2.4 tag from frame bytes. */
function id3v2(frames: Buffer[]): Buffer {
  const body = Buffer.concat(frames);
  const header = Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1');
  const n = body.length;
  header[6] = (n >> 21) & 0x7f;
  header[7] = (n >> 14) & 0x7f;
  header[8] = (n >> 7) & 0x7f;
  header[9] = n & 0x7f;
  return Buffer.concat([header, body]);
}

function frame(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(10);
  header.write(id, 0, 'latin1');
  const n = body.length;
  header[4] = (n >> 21) & 0x7f;
  header[5] = (n >> 14) & 0x7f;
  header[6] = (n >> 7) & 0x7f;
  header[7] = n & 0x7f;
  return Buffer.concat([header, body]);
}

const textFrame = (id: string, text: string): Buffer => frame(id, Buffer.from(`\x03${text}`, 'utf8'));
const privFrame = (owner: string, data: Buffer): Buffer =>
  frame('PRIV', Buffer.concat([Buffer.from(`${owner}\0`, 'latin1'), data]));

/** An APEv2 tag (header + items + footer) with UTF-8 text items. */
function apeTag(items: Record<string, string>): Buffer {
  const parts = Object.entries(items).map(([k, v]) => {
    const value = Buffer.from(v, 'utf8');
    const head = Buffer.alloc(8);
    head.writeUInt32LE(value.length, 0);
    return Buffer.concat([head, Buffer.from(`${k}\0`, 'latin1'), value]);
  });
  const body = Buffer.concat(parts);
  const block = (isHeader: boolean): Buffer => {
    const b = Buffer.alloc(32);
    b.write('APETAGEX', 0, 'latin1');
    b.writeUInt32LE(2000, 8);
    b.writeUInt32LE(body.length + 32, 12);
    b.writeUInt32LE(parts.length, 16);
    b.writeUInt32LE((0x80000000 | (isHeader ? 0x20000000 : 0)) >>> 0, 20);
    return b;
  };
  return Buffer.concat([block(true), body, block(false)]);
}
