// MP4/3GP parser: the untouched fixtures, damaged variants derived from their bytes, and every shared sample.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileByteSource } from '../../../src/formats/byte-source.js';
import type { AtomNode } from '../../../src/formats/mp4/atoms.js';
import { mp4Parser } from '../../../src/formats/mp4/index.js';
import type { PlacedSign, StructureReport } from '../../../src/formats/types.js';
import { binaries } from '../../../src/tools/ffmpeg.js';
import { fixture, HAS_SAMPLES, samplesOf } from '../../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ae-mp4-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const M4A = readFileSync(fixture('originals/rec-a.m4a'));
const GP3 = readFileSync(fixture('originals/rec-a.3gp'));

/** Writes `bytes` to the temp dir and parses them through a real file source. */
async function parse(bytes: Buffer, name: string): Promise<StructureReport> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const source = await FileByteSource.open(path);
  try {
    return await mp4Parser.parse(source);
  } finally {
    await source.close();
  }
}

const atoms = (report: StructureReport): AtomNode[] => report.details['atoms'] as AtomNode[];

/** The chain of atoms from the top level down to `path` (e.g. moov/trak/mdia/minf/stbl/stts). */
function chain(report: StructureReport, path: string): AtomNode[] {
  const out: AtomNode[] = [];
  let level = atoms(report);
  for (const type of path.split('/')) {
    const node = level.find((n) => n.type === type);
    if (!node) throw new Error(`no ${type} in ${path}`);
    out.push(node);
    level = node.children ?? [];
  }
  return out;
}

/** Inserts `extra` at the end of the atom at `path`, growing every ancestor; shifts stco entries when they follow. */
function growAtom(bytes: Buffer, report: StructureReport, path: string, extra: Buffer): Buffer {
  const nodes = chain(report, path);
  const target = nodes.at(-1)!;
  const insertAt = target.offset + target.size;
  const out = Buffer.concat([bytes.subarray(0, insertAt), extra, bytes.subarray(insertAt)]);
  for (const node of nodes) out.writeUInt32BE(node.size + extra.length, node.offset);
  const stco = chain(report, 'moov/trak/mdia/minf/stbl/stco').at(-1)!;
  const stcoAt = stco.offset + (stco.offset >= insertAt ? extra.length : 0);
  const count = out.readUInt32BE(stcoAt + 12);
  for (let i = 0; i < count; i++) {
    const at = stcoAt + 16 + i * 4;
    const value = out.readUInt32BE(at);
    if (value >= insertAt) out.writeUInt32BE(value + extra.length, at);
  }
  return out;
}

const strong = (report: StructureReport): PlacedSign[] =>
  [...report.truncation, ...report.appended, ...report.frameIssues].filter((s) => s.strong);

const kinds = (signs: PlacedSign[]): string[] => signs.map((s) => s.kind);

let m4a: StructureReport;
let gp3: StructureReport;
let mdat: AtomNode;
let moov: AtomNode;

beforeAll(async () => {
  m4a = await parse(M4A, 'rec-a.m4a');
  gp3 = await parse(GP3, 'rec-a.3gp');
  mdat = atoms(m4a).find((n) => n.type === 'mdat')!;
  moov = atoms(m4a).find((n) => n.type === 'moov')!;
});

describe('mp4Parser on untouched fixtures', () => {
  it('reads the M4A written by ffmpeg: durations, priming, writer hints, no signs', () => {
    expect(m4a.complete).toBe(true);
    expect(m4a.container).toBe('mp4');
    expect(m4a.declared.map((d) => d.source)).toEqual(['mvhd', 'tkhd', 'mdhd']);
    expect(m4a.declared.find((d) => d.source === 'mvhd')?.seconds).toBe(20.022);
    expect(m4a.declared.find((d) => d.source === 'mdhd')).toMatchObject({
      samples: 961024,
      sampleRate: 48000,
    });
    expect(m4a.counted).toEqual([{ source: 'sample-table', seconds: 20.021333, frames: 939 }]);
    expect(m4a.priming).toEqual({ delay: 1024, padding: 0, sampleRate: 48000 });
    expect(m4a.writer).toMatchObject({
      brand: 'M4A ',
      compatibleBrands: ['isom', 'iso2'],
      minorVersion: 512,
    });
    expect(m4a.writer.handlers).toEqual(['SoundHandler']);
    expect(m4a.writer.markers).toEqual(expect.arrayContaining(['moov-before-mdat', 'elst', 'free', 'ilst']));
    expect(m4a.truncation).toEqual([]);
    expect(m4a.appended).toEqual([]);
    expect(m4a.frameIssues).toEqual([]);
    expect(m4a.details['coverage']).toMatchObject({ unreferenced: 0, gaps: 0 });
  });

  it('reads the 3GP (AMR-WB, moov at the end) with no signs', () => {
    expect(gp3.complete).toBe(true);
    expect(gp3.counted).toEqual([{ source: 'sample-table', seconds: 20, frames: 1000 }]);
    expect(gp3.writer.brand).toBe('3gp4');
    expect(gp3.writer.markers).toEqual(expect.arrayContaining(['mdat-before-moov', 'free']));
    const tracks = gp3.details['tracks'] as Array<Record<string, unknown>>;
    expect(tracks[0]).toMatchObject({ codec: 'sawb', sampleRate: 16000, handler: 'soun' });
    expect([...gp3.truncation, ...gp3.appended, ...gp3.frameIssues]).toEqual([]);
  });
});

describe('mp4Parser on damaged variants', () => {
  it.each([0.25, 0.5, 0.9])('a cut inside mdat at %s of its payload is placed in time', async (fraction) => {
    const cut = Math.round(mdat.offset + 8 + (mdat.size - 8) * fraction);
    const report = await parse(M4A.subarray(0, cut), `cut-${fraction}.m4a`);
    expect(report.complete).toBe(false);
    const past = report.truncation.find((s) => s.kind === 'atom-past-end')!;
    expect(past).toMatchObject({ offset: mdat.offset, strong: true, data: { type: 'mdat' } });
    const index = report.truncation.find((s) => s.kind === 'index-past-end')!;
    expect(index.strong).toBe(true);
    // The audio is near-constant bitrate, so the cut falls near the same fraction of the 20 s.
    expect(index.at).toBeGreaterThan(20 * fraction - 1.5);
    expect(index.at).toBeLessThan(20 * fraction + 1.5);
    expect(past.at).toBe(index.at);
  });

  it('a cut inside moov is a strong truncation of moov', async () => {
    const report = await parse(M4A.subarray(0, moov.offset + 2000), 'cut-moov.m4a');
    expect(report.truncation[0]).toMatchObject({ kind: 'atom-past-end', offset: moov.offset, strong: true });
    expect(report.complete).toBe(false);
  });

  it('a 3GP cut before its moov has no index: atom-past-end (strong) and no-moov', async () => {
    const report = await parse(GP3.subarray(0, 30_000), 'cut.3gp');
    expect(kinds(report.truncation)).toEqual(['atom-past-end', 'no-moov']);
    expect(report.truncation[0]).toMatchObject({ offset: 36, strong: true });
    expect(report.truncation[1]?.strong).toBe(false);
  });

  it('bytes appended after the last atom are trailing data at the end time', async () => {
    const report = await parse(Buffer.concat([M4A, Buffer.alloc(1000)]), 'zeros.m4a');
    expect(report.appended).toEqual([
      expect.objectContaining({ kind: 'trailing-data', offset: M4A.length, at: 20.022, strong: false }),
    ]);
    expect(report.appended[0]?.data).toEqual({ bytes: 1000, zeros: true });
    const text = await parse(Buffer.concat([M4A, Buffer.from('\x01\x02 edited by hand\n')]), 'text.m4a');
    expect(kinds(text.appended)).toEqual(['trailing-data']);
    expect(strong(text)).toEqual([]);
  });

  it('a second copy of the file appended is a strong second-ftyp', async () => {
    const report = await parse(Buffer.concat([M4A, M4A]), 'twice.m4a');
    expect(report.appended).toEqual([
      expect.objectContaining({ kind: 'second-ftyp', offset: M4A.length, at: 20.022, strong: true }),
    ]);
    // The first file's own structure is still read as it was.
    expect(report.counted).toEqual(m4a.counted);
  });

  it('an mdat size grown past the file is a strong truncation', async () => {
    const bytes = Buffer.from(M4A);
    bytes.writeUInt32BE(mdat.size + 1000, mdat.offset);
    const report = await parse(bytes, 'mdat-size.m4a');
    expect(report.truncation).toEqual([
      expect.objectContaining({ kind: 'atom-past-end', offset: mdat.offset, strong: true }),
    ]);
  });

  it('a chunk offset moved forward leaves unreferenced bytes and points past the end', async () => {
    const stco = chain(m4a, 'moov/trak/mdia/minf/stbl/stco').at(-1)!;
    const bytes = Buffer.from(M4A);
    const first = bytes.readUInt32BE(stco.offset + 16);
    bytes.writeUInt32BE(first + 100, stco.offset + 16);
    const report = await parse(bytes, 'stco.m4a');
    expect(report.truncation).toEqual([expect.objectContaining({ kind: 'index-past-end', strong: true })]);
    expect(report.frameIssues).toEqual([
      expect.objectContaining({
        kind: 'unreferenced-mdat-bytes',
        offset: first,
        at: 0,
        data: { bytes: 100, content: 'data', atMdatStart: true },
      }),
    ]);
  });

  it('an odd sample duration in the middle of stts is placed in time', async () => {
    const stts = chain(m4a, 'moov/trak/mdia/minf/stbl/stts').at(-1)!;
    // Original: 938 × 1024 then 1 × 512. New: 400 × 1024, 1 × 2048, 537 × 1024, 1 × 512.
    const table = Buffer.alloc(32);
    for (const [i, v] of [400, 1024, 1, 2048, 537, 1024, 1, 512].entries()) table.writeUInt32BE(v, i * 4);
    const grown = growAtom(M4A, m4a, 'moov/trak/mdia/minf/stbl/stts', Buffer.alloc(16));
    table.copy(grown, stts.offset + 16);
    grown.writeUInt32BE(4, stts.offset + 12);
    const report = await parse(grown, 'stts.m4a');
    const odd = report.frameIssues.filter((s) => s.kind === 'irregular-sample-duration');
    expect(odd).toHaveLength(1);
    // Sample 400 starts at 400 × 1024 ticks; presentation starts 1024 ticks in (edit list).
    expect(odd[0]).toMatchObject({
      at: (399 * 1024) / 48000,
      strong: false,
      data: { delta: 2048, nominal: 1024 },
    });
    expect(report.counted[0]?.frames).toBe(939);
    expect(report.frameIssues.filter((s) => s.kind !== 'irregular-sample-duration')).toEqual([]);
  });

  it('an edit list that skips the first second of media is an edit-list issue', async () => {
    const elst = chain(m4a, 'moov/trak/edts/elst').at(-1)!;
    const bytes = Buffer.from(M4A);
    bytes.writeInt32BE(48_000, elst.offset + 20);
    const report = await parse(bytes, 'elst.m4a');
    expect(report.frameIssues).toEqual([
      expect.objectContaining({ kind: 'edit-list', at: 0, strong: false }),
    ]);
    expect(report.frameIssues[0]?.detail).toContain('starts 1 s into the media');
  });

  it('a garbage child size inside moov is a bad atom, and the walk stays bounded', async () => {
    const trak = chain(m4a, 'moov/trak').at(-1)!;
    const bytes = Buffer.from(M4A);
    bytes.writeUInt32BE(3, trak.offset + 8); // tkhd size 3 < 8
    const report = await parse(bytes, 'bad-child.m4a');
    expect(report.complete).toBe(false);
    expect(report.frameIssues[0]).toMatchObject({ kind: 'bad-atom', offset: trak.offset + 8 });
    expect(strong(report)).toEqual([]);
  });

  it('reads tags a recorder app adds: ©too in ilst, ©xyz location in udta', async () => {
    const text = Buffer.from('Recorder 1.0');
    const data = Buffer.alloc(16);
    data.writeUInt32BE(16 + text.length, 0);
    data.write('data', 4, 'latin1');
    data.writeUInt32BE(1, 8); // UTF-8 text
    const item = Buffer.concat([Buffer.alloc(8), data, text]);
    item.writeUInt32BE(item.length, 0);
    item.write('\xa9too', 4, 'latin1');
    const tagged = growAtom(M4A, m4a, 'moov/udta/meta/ilst', item);
    const where = Buffer.from('+31.2304+121.4737/');
    const xyz = Buffer.concat([Buffer.alloc(12), where]);
    xyz.writeUInt32BE(xyz.length, 0);
    xyz.write('\xa9xyz', 4, 'latin1');
    xyz.writeUInt16BE(where.length, 8);
    const reread = await parse(tagged, 'tagged-1.m4a');
    const report = await parse(growAtom(tagged, reread, 'moov/udta', xyz), 'tagged.m4a');
    expect(report.writer.software).toEqual(['Recorder 1.0']);
    expect(report.details['device']).toEqual({ location: '+31.2304+121.4737/' });
    expect(report.writer.markers).toEqual(expect.arrayContaining(['ilst:©too', 'udta:©xyz']));
    expect([...report.truncation, ...report.appended, ...report.frameIssues]).toEqual([]);
  });

  it.each([0, 7, 8, 23, 24, 100])('a file cut to %i bytes never throws', async (length) => {
    const report = await parse(M4A.subarray(0, length), `head-${length}.m4a`);
    expect(report.complete).toBe(false);
  });
});

describe('mp4Parser on an FFmpeg encode without bit-exact flags', () => {
  it('finds the Lavc identification FFmpeg writes inside the first AAC frame', async () => {
    const { ffmpeg } = await binaries();
    const out = join(dir, 'lavc.m4a');
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
      ...['-c:a', 'aac', '-b:a', '40k'],
      out,
    ]);
    const report = await parse(readFileSync(out), 'lavc-copy.m4a');
    expect(report.writer.software).toContainEqual(expect.stringMatching(/^Lavc\d+\.\d+\.\d+$/));
    // The ©too tag names the muxer (libavformat).
    expect(report.writer.software).toContainEqual(expect.stringMatching(/^Lavf\d/));
    expect(report.writer.markers).toContain('ilst:©too');
    expect(strong(report)).toEqual([]);
  });
});

describe.skipIf(!HAS_SAMPLES)('mp4Parser on the shared samples', () => {
  const files = samplesOf(mp4Parser.containers);

  it.each(files)('$folder/$name parses within bounds', async ({ folder, path }) => {
    const source = await FileByteSource.open(path);
    let report: StructureReport;
    try {
      report = await mp4Parser.parse(source);
    } finally {
      await source.close();
    }
    expect(JSON.stringify(report).length).toBeLessThan(2_000_000);
    for (const list of [report.truncation, report.appended, report.frameIssues, report.parameterChanges])
      expect(list.length).toBeLessThanOrEqual(64);
    if (folder === 'device') {
      expect(strong(report)).toEqual([]);
      expect([...report.truncation, ...report.appended, ...report.frameIssues]).toEqual([]);
      expect(report.complete).toBe(true);
    }
  });
});
