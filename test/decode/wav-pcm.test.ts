// Plain PCM WAVE read from the hashing read: the samples, packets and layout checks must be exactly what
// ffmpeg and ffprobe give for the same file, or the file must be left to ffmpeg.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWithFfmpeg } from '../../src/decode/ffmpeg-decode.js';
import type { PcmConsumer } from '../../src/decode/types.js';
import {
  confirmWavPlan,
  planWavPcm,
  printedMicro,
  WavPcmReader,
  wavPackets,
} from '../../src/decode/wav-pcm.js';
import { FileByteSource } from '../../src/formats/byte-source.js';
import { parseStructure } from '../../src/formats/index.js';
import { streamFile } from '../../src/hash/digest.js';
import { probePackets } from '../../src/probe/ffprobe.js';
import { binaries } from '../../src/tools/ffmpeg.js';
import { fixture } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-wavpcm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Layout {
  channels: number;
  bits: number;
  rate?: number;
  frames: number;
  /** fmt tag: 1 (PCM), 3 (float) or 0xfffe (extensible PCM). */
  tag?: number;
  /** Chunks to place after the data chunk. */
  after?: Buffer;
  /** Overrides the data chunk's size field. */
  dataSize?: number;
}

/** A WAVE file of pseudo-random samples with full-scale extremes and runs of zeros mixed in. */
function wave(layout: Layout): Buffer {
  const { channels, bits, frames } = layout;
  const rate = layout.rate ?? 16_000;
  const tag = layout.tag ?? 1;
  const align = (channels * bits) / 8;
  const data = Buffer.alloc(frames * align);
  let seed = 12_345;
  for (let i = 0; i < frames * channels; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    let v = (seed >>> 8) - (1 << 23);
    if (i % 1000 < 8) v = i % 2 ? -(1 << 23) : (1 << 23) - 1;
    else if (i % 5000 < 300) v = 0;
    if (bits === 16) data.writeInt16LE(v >> 8, i * 2);
    else if (bits === 24) data.writeIntLE(v, i * 3, 3);
    else if (bits === 8) data.writeUInt8((v >> 16) + 128, i);
    else data.writeFloatLE(v / (1 << 23), i * 4);
  }
  const fmt = Buffer.alloc(tag === 0xfffe ? 40 : 16);
  fmt.writeUInt16LE(tag, 0);
  fmt.writeUInt16LE(channels, 2);
  fmt.writeUInt32LE(rate, 4);
  fmt.writeUInt32LE(rate * align, 8);
  fmt.writeUInt16LE(align, 12);
  fmt.writeUInt16LE(bits, 14);
  if (tag === 0xfffe) {
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(bits, 18);
    fmt.writeUInt32LE(channels === 1 ? 4 : 3, 20);
    Buffer.from('0100000000001000800000aa00389b71', 'hex').copy(fmt, 24);
  }
  const chunk = (id: string, body: Buffer, size = body.length): Buffer => {
    const header = Buffer.alloc(8);
    header.write(id, 0, 'latin1');
    header.writeUInt32LE(size, 4);
    return Buffer.concat([header, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  };
  const list = chunk('LIST', Buffer.from('INFOISFT\x06\x00\x00\x00test\x00\x00', 'latin1'));
  const body = Buffer.concat([
    Buffer.from('WAVE'),
    chunk('fmt ', fmt),
    list,
    chunk('data', data, layout.dataSize ?? data.length),
    layout.after ?? Buffer.alloc(0),
  ]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

function save(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Collects everything a decode hands to its consumers. */
function collector(): PcmConsumer & { samples: () => Int16Array } {
  const parts: Int16Array[] = [];
  let ended = 0;
  return {
    begin() {},
    push(pcm) {
      parts.push(pcm.slice());
    },
    end() {
      ended++;
    },
    samples() {
      expect(ended).toBe(1);
      const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    },
  };
}

async function structureOf(path: string) {
  const source = await FileByteSource.open(path);
  try {
    return await parseStructure('wav', source);
  } finally {
    await source.close();
  }
}

describe.each([
  { channels: 1, bits: 16 },
  { channels: 2, bits: 16 },
  { channels: 1, bits: 24 },
  { channels: 1, bits: 16, tag: 0xfffe },
])('a $bits-bit, $channels-channel PCM WAVE', (layout) => {
  // An odd number of frames: the last ffmpeg packet is a short one.
  const bytes = wave({ ...layout, frames: 48_001 });
  const path = save(`pcm-${layout.channels}-${layout.bits}-${layout.tag ?? 1}.wav`, bytes);
  const plan = planWavPcm(bytes.subarray(0, 64 * 1024), bytes.length)!;

  it('is planned from its head', () => {
    expect(plan).toMatchObject({ channels: layout.channels, bits: layout.bits, sampleRate: 16_000 });
    expect(plan.dataSize).toBe((48_001 * layout.channels * layout.bits) / 8);
  });

  it('gives, from reads of any size, exactly the samples ffmpeg decodes', async () => {
    const { ffmpeg } = await binaries();
    const reference = collector();
    const decoded = await decodeWithFfmpeg({
      ffmpegPath: ffmpeg.path,
      absolutePath: path,
      sampleRate: 16_000,
      consumers: [reference],
    });
    expect(decoded.ok).toBe(true);
    const expected = reference.samples();
    // Blocks that split frames (and 16-bit samples) at every possible place.
    for (const blockSize of [4093, 65_536, 1 << 20]) {
      const direct = collector();
      const reader = new WavPcmReader(plan, [direct]);
      await streamFile(path, [reader], { blockSize });
      const result = reader.finish();
      expect(result).toMatchObject({
        ok: true,
        decoder: 'pcm',
        samples: expected.length,
        sampleRate: 16_000,
      });
      expect(Buffer.from(direct.samples().buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    }
  });

  it('lists exactly the packets ffprobe lists', async () => {
    const { ffprobe } = await binaries();
    const listed = (await probePackets(ffprobe.path, path)).packets!;
    const made = wavPackets(plan);
    expect(made.count).toBe(listed.count);
    expect(Array.from(made.pts)).toEqual(Array.from(listed.pts));
    expect(Array.from(made.duration)).toEqual(Array.from(listed.duration));
    expect(Array.from(made.pos)).toEqual(Array.from(listed.pos));
    expect(Array.from(made.size)).toEqual(Array.from(listed.size));
  });

  it('is confirmed by the structure parse', async () => {
    expect(confirmWavPlan(plan, await structureOf(path))).toBe(true);
  });
});

describe('packet times as ffprobe prints them', () => {
  it('rounds to six decimals from the exact value, ties to even', () => {
    expect(printedMicro(0.0078125)).toBe(0.007812);
    expect(printedMicro(0.0234375)).toBe(0.023438);
    expect(printedMicro(1365 * (1 / 16_000))).toBe(0.085312);
    expect(printedMicro(2048 / 48_000)).toBe(0.042667);
    expect(printedMicro(0)).toBe(0);
  });
});

describe('layouts left to ffmpeg', () => {
  const head = (bytes: Buffer) => planWavPcm(bytes.subarray(0, 64 * 1024), bytes.length);

  it.each([
    ['float samples', { channels: 1, bits: 32, tag: 3, frames: 100 }],
    ['8-bit samples', { channels: 1, bits: 8, frames: 100 }],
    ['24-bit stereo (ffmpeg mixes it in floating point)', { channels: 2, bits: 24, frames: 100 }],
    ['more than two channels', { channels: 4, bits: 16, frames: 100 }],
    ['a rate above the analysis rate', { channels: 1, bits: 16, rate: 96_000, frames: 100 }],
    ['a size placeholder', { channels: 1, bits: 16, frames: 100, dataSize: 0xffff_ffff }],
    ['a data chunk past the end of the file', { channels: 1, bits: 16, frames: 100, dataSize: 400 }],
    ['a data size that is not whole frames', { channels: 1, bits: 16, frames: 100, dataSize: 199 }],
  ] as Array<[string, Layout]>)('%s', (_, layout) => {
    expect(head(wave(layout))).toBeUndefined();
  });

  it('an RF64 header', () => {
    const bytes = wave({ channels: 1, bits: 16, frames: 100 });
    bytes.write('RF64', 0, 'latin1');
    expect(head(bytes)).toBeUndefined();
  });

  it.each([
    ['a second data chunk after the first', Buffer.from('data\x04\x00\x00\x00\x01\x02\x03\x04', 'latin1')],
    ['a second RIFF file appended', wave({ channels: 1, bits: 16, frames: 50 })],
    ['bytes after the last chunk', Buffer.from('\x00\x01\x02\x03\x04\x05\x06', 'latin1')],
  ])('unconfirmed when the parse finds %s', async (name, after) => {
    const bytes = wave({ channels: 1, bits: 16, frames: 1000, after });
    const plan = head(bytes);
    // The head alone looks plain: only the whole-file parse can tell.
    expect(plan).toBeDefined();
    const path = save(`after-${name.length}.wav`, bytes);
    expect(confirmWavPlan(plan!, await structureOf(path))).toBe(false);
  });

  it('confirms the untouched WAVE fixture', async () => {
    const path = fixture('originals/rec-a.wav');
    const bytes = readFileSync(path);
    const plan = head(bytes);
    expect(plan).toBeDefined();
    expect(confirmWavPlan(plan!, await structureOf(path))).toBe(true);
  });
});
