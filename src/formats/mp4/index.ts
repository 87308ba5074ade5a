// MP4/M4A/3GP/MOV structure parser: atom tree, sample tables against mdat and the file, edit lists, writer hints.
import { aacEncoderIds } from '../adts/index.js';
import { MAX_READ } from '../byte-source.js';
import { type ByteSource, emptyReport, type StructureParser, type StructureReport } from '../types.js';
import { type Atom, type AtomNode, fourcc, headerAt, plausibleType, printable } from './atoms.js';
import {
  type EditEntry,
  type Ftyp,
  type MediaHeader,
  type MovieHeader,
  readChunkOffsets,
  readElst,
  readFtyp,
  readHdlr,
  readMdhd,
  readMvhd,
  readStsc,
  readStsd,
  readStsz,
  readStts,
  readStz2,
  readTkhd,
  type SampleEntry,
  type SampleSizes,
  type SampleToChunk,
  type TimeToSample,
  type TrackHeader,
} from './boxes.js';
import { type Fragments, newFragments, readFragment, readTrex } from './fragments.js';
import { emptyMetadata, itunSmpb, type Mp4Metadata, readMeta, readUdta, readXmp } from './metadata.js';
import {
  irregularDeltas,
  layoutChunks,
  modalDelta,
  SampleClock,
  type Span,
  uncovered,
} from './sample-table.js';

/** Atoms that only hold other atoms. */
const CONTAINERS = new Set(['moov', 'trak', 'edts', 'mdia', 'minf', 'dinf', 'stbl', 'mvex', 'tref', 'udta']);
/** Top-level atom types writers use (ISO 14496-12, QuickTime, 3GPP). */
const KNOWN_TOP = new Set([
  'ftyp',
  'moov',
  'mdat',
  'free',
  'skip',
  'wide',
  'uuid',
  'moof',
  'mfra',
  'meta',
  'udta',
  'pdin',
  'styp',
  'sidx',
  'ssix',
  'prft',
  'emsg',
  'pnot',
  'junk',
  'PICT',
  'pict',
  'jP  ',
  'bloc',
  'Xtra',
]);
const XMP_UUID = 'be7acfcb97a942e89c71999491e3afac';
const MAX_TOP_ATOMS = 100_000;
const MAX_TREE_NODES = 3000;
const MAX_DEPTH = 12;
/** Most signs of one kind listed one by one; the rest are counted in the last sign's data. */
const MAX_SIGNS = 16;
/** More isolated odd deltas than this is timestamp jitter of the writer, not a sign. */
const MAX_ISOLATED_IRREGULAR = 8;

interface Track {
  tkhd?: TrackHeader;
  mdhd?: MediaHeader;
  handler?: string;
  handlerName?: string;
  entry?: SampleEntry;
  edits: EditEntry[];
  stts: TimeToSample[];
  sizes?: SampleSizes;
  stsc: SampleToChunk[];
  offsets: Float64Array;
  offsetsDeclared: number;
  wideOffsets: boolean;
}

interface Mdat {
  offset: number;
  payloadStart: number;
  /** Declared end. */
  end: number;
}

/** Everything gathered while walking; turned into the report at the end. */
class Walk {
  readonly report: StructureReport;
  readonly meta: Mp4Metadata = emptyMetadata();
  readonly tracks: Track[] = [];
  readonly mdats: Mdat[] = [];
  readonly fragments: Fragments = newFragments();
  readonly tree: AtomNode[] = [];
  nodes = 0;
  ftyp?: Ftyp;
  mvhd?: MovieHeader;
  private current?: Track;

  constructor(readonly size: number) {
    this.report = emptyReport('mp4');
  }

  marker(name: string): void {
    const markers = this.report.writer.markers;
    if (!markers.includes(name) && markers.length < 200) markers.push(name);
  }

  node(atom: Atom, into: AtomNode[] | undefined): AtomNode | undefined {
    if (!into || this.nodes >= MAX_TREE_NODES) return undefined;
    this.nodes++;
    const node: AtomNode = { type: printable(atom.type), offset: atom.offset, size: atom.size };
    into.push(node);
    return node;
  }

  /** Walks the children of a container held in `buf` (byte 0 at file offset `base`). */
  walk(
    buf: Buffer,
    base: number,
    start: number,
    end: number,
    path: string[],
    into: AtomNode[] | undefined,
  ): void {
    let pos = start;
    const limit = Math.min(end, buf.length);
    while (pos < limit) {
      if (limit - pos < 8) {
        // QuickTime allows a 32-bit zero terminator at the end of some containers (udta).
        if (!buf.subarray(pos, limit).every((b) => b === 0))
          this.warn(`${limit - pos} stray bytes in '${path.at(-1)}'`);
        return;
      }
      const result = headerAt(buf, base, pos, limit);
      if ('problem' in result) {
        this.structural(base + pos, `${result.problem} inside '${path.join('/')}'`);
        return;
      }
      const atom = result.atom;
      const parentName = path.at(-1) ?? '';
      if (!plausibleType(buf, pos + 4) && parentName !== 'udta') {
        this.structural(
          atom.offset,
          `unreadable atom type ${printable(atom.type)} inside '${path.join('/')}'`,
        );
        return;
      }
      if (pos + atom.size > end) {
        // The file ending inside the atom is reported once at the top level; a child larger than its
        // parent while the bytes are there is damage inside the structure.
        if (atom.offset + atom.size <= this.size)
          this.structural(
            atom.offset,
            `atom '${printable(atom.type)}' (${atom.size} bytes) runs past the end of '${path.join('/')}'`,
          );
        atom.size = end - pos;
      }
      const node = this.node(atom, into);
      const bodyStart = pos + atom.headerSize;
      const bodyEnd = Math.min(pos + atom.size, buf.length);
      this.visit(buf, base, atom, bodyStart, bodyEnd, [...path, atom.type], node);
      pos += atom.size;
    }
  }

  private visit(
    buf: Buffer,
    base: number,
    atom: Atom,
    bodyStart: number,
    bodyEnd: number,
    path: string[],
    node: AtomNode | undefined,
  ): void {
    const body = buf.subarray(bodyStart, bodyEnd);
    const type = atom.type;
    const deeper = path.length < MAX_DEPTH;
    const kids = (): AtomNode[] | undefined => {
      if (!node) return undefined;
      node.children = [];
      return node.children;
    };
    if (type === 'trak') {
      const track: Track = {
        edits: [],
        stts: [],
        stsc: [],
        offsets: new Float64Array(0),
        offsetsDeclared: 0,
        wideOffsets: false,
      };
      const outer = this.current;
      this.current = track;
      if (deeper) this.walk(buf, base, bodyStart, bodyEnd, path, kids());
      this.current = outer;
      this.tracks.push(track);
      return;
    }
    if (type === 'udta') {
      readUdta(body, this.meta, path.length > 2 ? 'trak' : 'moov');
      if (deeper) this.walk(buf, base, bodyStart, bodyEnd, path, kids());
      return;
    }
    if (type === 'meta') {
      readMeta(body, this.meta, path.length > 2 ? (path.at(-2) ?? 'moov') : 'moov');
      // The ISO layout has version/flags before the children; QuickTime's starts with them.
      const skip = body.length >= 12 && fourcc(body, 8) === 'hdlr' ? 4 : fourcc(body, 4) === 'hdlr' ? 0 : 4;
      if (deeper) this.walk(buf, base, bodyStart + skip, bodyEnd, path, kids());
      return;
    }
    if (CONTAINERS.has(type)) {
      if (deeper) this.walk(buf, base, bodyStart, bodyEnd, path, kids());
      return;
    }
    const track = this.current;
    switch (type) {
      case 'mvhd': {
        const mvhd = readMvhd(body);
        if (mvhd && !this.mvhd) this.mvhd = mvhd;
        return;
      }
      case 'trex':
        readTrex(body, this.fragments);
        return;
      case 'ilst':
        return;
      case 'uuid':
        this.uuid(body);
        return;
    }
    if (!track) return;
    switch (type) {
      case 'tkhd':
        track.tkhd ??= readTkhd(body);
        return;
      case 'mdhd':
        track.mdhd ??= readMdhd(body);
        return;
      case 'hdlr': {
        // Only the media handler (mdia/hdlr) names the track; minf/hdlr is the QuickTime data handler.
        if (path.at(-2) !== 'mdia') return;
        const handler = readHdlr(body);
        if (handler) {
          track.handler = handler.type;
          track.handlerName = handler.name;
        }
        return;
      }
      case 'elst':
        track.edits = readElst(body);
        this.marker('elst');
        return;
      case 'stsd':
        track.entry ??= readStsd(body, track.handler);
        return;
      case 'stts':
        track.stts = readStts(body);
        return;
      case 'stsz':
        track.sizes = readStsz(body);
        return;
      case 'stz2':
        track.sizes = readStz2(body);
        this.marker('stz2');
        return;
      case 'stsc':
        track.stsc = readStsc(body);
        return;
      case 'stco':
      case 'co64': {
        const { declared, offsets } = readChunkOffsets(body, type === 'co64');
        track.offsets = offsets;
        track.offsetsDeclared = declared;
        track.wideOffsets = type === 'co64';
        if (type === 'co64') this.marker('co64');
        return;
      }
      case 'sgpd':
      case 'sbgp':
      case 'ctts':
      case 'stss':
      case 'sdtp':
      case 'iods':
        this.marker(type);
        return;
    }
  }

  uuid(body: Buffer): void {
    if (body.length < 16) return;
    const id = body.toString('hex', 0, 16);
    if (id === XMP_UUID) readXmp(body.subarray(16), this.meta);
    else this.marker(`uuid:${id}`);
  }

  warn(message: string): void {
    if (this.report.warnings.length < 50) this.report.warnings.push(message);
  }

  /** Damage inside the structure: recorded as a frame-level issue and the walk marked incomplete. */
  structural(offset: number, detail: string): void {
    this.report.complete = false;
    if (this.report.frameIssues.filter((s) => s.kind === 'bad-atom').length < MAX_SIGNS)
      this.report.frameIssues.push({ kind: 'bad-atom', offset, detail });
  }
}

/** Reads one atom fully (bounded by MAX_READ); returns the bytes actually present. */
async function readAtom(source: ByteSource, atom: Atom, limit = MAX_READ): Promise<Buffer> {
  return source.read(atom.offset, Math.min(atom.size, limit));
}

async function topLevel(source: ByteSource, walk: Walk): Promise<{ atoms: Atom[]; stop: number }> {
  const size = source.size;
  const atoms: Atom[] = [];
  let pos = 0;
  while (pos < size && atoms.length < MAX_TOP_ATOMS) {
    const head = await source.read(pos, 16);
    if (head.length < 8) break;
    const result = headerAt(head, pos, 0, head.length);
    if ('problem' in result || !plausibleType(head, 4)) break;
    const atom = result.atom;
    if (atom.toEnd) atom.size = size - pos;
    // Unknown types that overrun the file are bytes someone added, not an atom the writer cut short.
    if (atom.offset + atom.size > size && !KNOWN_TOP.has(atom.type)) break;
    atoms.push(atom);
    if (atom.offset + atom.size > size) {
      walk.report.complete = false;
      walk.report.truncation.push({
        kind: 'atom-past-end',
        offset: atom.offset,
        detail: `top-level atom '${printable(atom.type)}' declares ${atom.size} bytes but the file ends after ${size - atom.offset}`,
        strong: true,
        data: { type: printable(atom.type), declared: atom.size, present: size - atom.offset },
      });
      pos = size;
      break;
    }
    pos += atom.size;
  }
  if (atoms.length >= MAX_TOP_ATOMS) walk.warn(`stopped after ${MAX_TOP_ATOMS} top-level atoms`);
  return { atoms, stop: pos };
}

export const mp4Parser: StructureParser = {
  containers: ['mp4', 'mov', '3gp', '3g2'],
  async parse(source: ByteSource): Promise<StructureReport> {
    const walk = new Walk(source.size);
    const report = walk.report;
    report.complete = true;
    const { atoms, stop } = await topLevel(source, walk);
    const firstFtyp = atoms.findIndex((a) => a.type === 'ftyp');
    const secondFtyp = atoms.findIndex((a, i) => a.type === 'ftyp' && i > firstFtyp && firstFtyp >= 0);
    const main = secondFtyp > 0 ? atoms.slice(0, secondFtyp) : atoms;
    let moovSeen = false;
    let mdatSeen = false;
    for (const atom of main) {
      const node = walk.node(atom, walk.tree);
      switch (atom.type) {
        case 'ftyp': {
          const body = (await source.read(atom.offset, Math.min(atom.size, 4096))).subarray(atom.headerSize);
          const ftyp = readFtyp(body);
          if (ftyp && !walk.ftyp) walk.ftyp = ftyp;
          break;
        }
        case 'moov': {
          if (moovSeen) {
            report.appended.push({
              kind: 'second-moov',
              offset: atom.offset,
              detail: 'a second movie header (moov) follows the first',
              strong: true,
            });
            break;
          }
          moovSeen = true;
          walk.marker(mdatSeen ? 'mdat-before-moov' : 'moov-before-mdat');
          const buf = await readAtom(source, atom);
          if (buf.length < atom.size) {
            if (atom.offset + atom.size <= source.size)
              walk.warn(`moov larger than ${MAX_READ} bytes: read in part`);
            report.complete = false;
          }
          if (node) node.children = [];
          walk.walk(buf, atom.offset, atom.headerSize, atom.size, ['moov'], node?.children);
          break;
        }
        case 'mdat':
          mdatSeen = true;
          walk.mdats.push({
            offset: atom.offset,
            payloadStart: atom.offset + atom.headerSize,
            end: atom.offset + atom.size,
          });
          if (atom.headerSize === 16) walk.marker('mdat-64bit');
          if (atom.toEnd) walk.marker('mdat-size-zero');
          break;
        case 'moof': {
          walk.marker('fragmented');
          const buf = await readAtom(source, atom, 4 * 1024 * 1024);
          readFragment(buf, atom, walk.fragments);
          break;
        }
        case 'uuid': {
          const buf = await source.read(
            atom.offset + atom.headerSize,
            Math.min(atom.size - atom.headerSize, 1024 * 1024),
          );
          walk.uuid(buf);
          break;
        }
        case 'meta':
        case 'udta': {
          const buf = (await readAtom(source, atom, 1024 * 1024)).subarray(atom.headerSize);
          if (atom.type === 'meta') readMeta(buf, walk.meta, 'top');
          else readUdta(buf, walk.meta, 'top');
          break;
        }
        default:
          walk.marker(
            atom.type === 'free' || atom.type === 'skip' || atom.type === 'wide'
              ? atom.type
              : `top:${printable(atom.type)}`,
          );
      }
    }
    if (firstFtyp > 0) walk.marker('ftyp-not-first');
    // FFmpeg's and other AAC encoders name themselves inside the first frames, even with no tags.
    const audio = walk.tracks.find((t) => t.handler === 'soun' && t.entry?.format === 'mp4a');
    const firstChunk = audio?.offsets[0];
    if (firstChunk !== undefined && firstChunk < source.size)
      for (const id of aacEncoderIds(await source.read(firstChunk, 4096))) walk.meta.software.push(id);
    const built = build(walk, source.size);
    await describeGaps(source, walk.mdats, report);
    if (secondFtyp > 0) {
      const second = atoms[secondFtyp]!;
      report.appended.push({
        kind: 'second-ftyp',
        offset: second.offset,
        ...(built.duration !== undefined ? { at: built.duration } : {}),
        detail: `a second file type header (ftyp) starts at byte ${second.offset}: another MP4 file follows the first`,
        strong: true,
        data: { bytes: source.size - second.offset },
      });
    }
    if (stop < source.size) {
      const tail = await source.read(stop, Math.min(source.size - stop, 4096));
      const zeros = tail.every((b) => b === 0);
      report.appended.push({
        kind: 'trailing-data',
        offset: stop,
        ...(built.duration !== undefined ? { at: built.duration } : {}),
        detail: `${source.size - stop} bytes after the last atom are not part of the MP4 structure${zeros ? ' (zeros)' : ''}`,
        strong: false,
        data: { bytes: source.size - stop, zeros },
      });
    }
    if (!moovSeen && walk.fragments.runs === 0) {
      report.complete = false;
      report.truncation.push({
        kind: 'no-moov',
        detail: mdatSeen
          ? 'media data (mdat) without a movie header (moov): the writer did not finish the file'
          : 'no movie header (moov) found',
        strong: false,
      });
    }
    report.details = {
      atoms: walk.tree,
      ...(walk.ftyp ? { ftyp: walk.ftyp } : {}),
      ...(walk.mvhd ? { mvhd: walk.mvhd } : {}),
      tracks: built.tracks,
      mdat: walk.mdats.map((m) => ({
        offset: m.offset,
        size: m.end - m.offset,
        payload: m.end - m.payloadStart,
      })),
      metadata: walk.meta.tags,
      device: walk.meta.device,
      ...(walk.meta.xmp.length ? { xmp: walk.meta.xmp } : {}),
      ...(walk.fragments.runs ? { fragments: walk.fragments } : {}),
      ...built.extra,
    };
    return report;
  },
};

/** Seconds → rounded to microseconds so reports stay readable. */
const secs = (ticks: number, scale: number): number => Math.round((ticks / scale) * 1e6) / 1e6;

const AAC_OBJECT_TYPES = new Set([0x40, 0x66, 0x67, 0x68]);

/** Fixed frame duration of the codec in media ticks, and whether multiples are normal. */
function nominalFrame(track: Track, timescale: number): { delta: number; multiples: boolean } | undefined {
  const format = track.entry?.format;
  if (
    format === 'mp4a' &&
    (track.entry?.audio?.objectType === undefined || AAC_OBJECT_TYPES.has(track.entry.audio.objectType))
  )
    return { delta: modalDelta(track.stts), multiples: false };
  if (format === 'samr' || format === 'sawb') {
    const frame = timescale / 50;
    return Number.isInteger(frame)
      ? { delta: frame, multiples: true }
      : { delta: modalDelta(track.stts), multiples: true };
  }
  return undefined;
}

function build(
  walk: Walk,
  fileSize: number,
): { tracks: unknown[]; duration?: number; extra: Record<string, unknown> } {
  const { report, meta } = walk;
  const extra: Record<string, unknown> = {};
  const mvhd = walk.mvhd;
  const writer = report.writer;
  if (walk.ftyp) {
    writer.brand = walk.ftyp.brand;
    writer.compatibleBrands = walk.ftyp.compatibleBrands;
    writer.minorVersion = walk.ftyp.minorVersion;
  }
  for (const s of meta.software) if (!writer.software.includes(s)) writer.software.push(s);
  for (const m of meta.markers) walk.marker(m);
  const handlers = walk.tracks.map((t) => t.handlerName).filter((n): n is string => !!n);
  if (handlers.length) writer.handlers = [...new Set(handlers)];
  for (const t of walk.tracks)
    if (t.entry?.amrVendor) walk.marker(`damr:${t.entry.amrVendor.replace(/[^\x21-\x7e]/g, '') || 'blank'}`);

  if (mvhd?.created) report.times.created = mvhd.created;
  if (mvhd?.modified) report.times.modified = mvhd.modified;
  const tagDate = meta.device['creationDate'] ?? meta.tags['date'] ?? meta.tags['©day'];
  if (!report.times.created && tagDate && !Number.isNaN(Date.parse(tagDate)))
    report.times.created = new Date(Date.parse(tagDate)).toISOString();

  let duration: number | undefined;
  if (mvhd && mvhd.timescale > 0 && mvhd.duration > 0 && mvhd.duration !== 0xffffffff) {
    duration = secs(mvhd.duration, mvhd.timescale);
    report.declared.push({ source: 'mvhd', seconds: duration });
  }

  const main = walk.tracks.find((t) => t.handler === 'soun') ?? walk.tracks[0];
  const spans: Span[] = [];
  const pastEnd: Array<{ offset: number; end: number; at?: number }> = [];
  const trackFacts: unknown[] = [];
  for (const track of walk.tracks) {
    const timescale = track.mdhd?.timescale ?? 0;
    const clock = new SampleClock(track.stts);
    const layout = layoutChunks(track.offsets, track.stsc, track.sizes);
    // Presentation starts where the first edit's media time points; times in the report use it.
    const firstEdit = track.edits.find((e) => e.mediaTime >= 0);
    const editStart = firstEdit ? firstEdit.mediaTime : 0;
    const toSeconds = (ticks: number): number | undefined =>
      timescale > 0 ? Math.max(0, secs(ticks - editStart, timescale)) : undefined;
    for (let i = 0; i < layout.start.length; i++) {
      const at = toSeconds(clock.timeOf(layout.firstSample[i]!));
      const span: Span = { start: layout.start[i]!, end: layout.end[i]! };
      if (at !== undefined) span.at = at;
      spans.push(span);
      if (span.end > fileSize) {
        // Place the cut at the first sample whose bytes are missing, not at the start of its chunk.
        const cut = toSeconds(clock.timeOf(layout.sampleCrossing(i, fileSize)));
        pastEnd.push({ offset: span.start, end: span.end, ...(cut !== undefined ? { at: cut } : {}) });
      }
    }
    const isMain = track === main;
    const facts: Record<string, unknown> = {
      trackId: track.tkhd?.trackId,
      handler: track.handler,
      handlerName: track.handlerName,
      codec: track.entry?.format,
      sampleRate: track.entry?.sampleRate,
      channels: track.entry?.channels,
      sampleSize: track.entry?.sampleSize,
      audio: track.entry?.audio,
      amrVendor: track.entry?.amrVendor,
      sampleEntryBoxes: track.entry?.boxes,
      timescale,
      mdhdDuration: track.mdhd?.duration,
      tkhdDuration: track.tkhd?.duration,
      language: track.mdhd?.language,
      created: track.mdhd?.created ?? track.tkhd?.created,
      samples: track.sizes?.declared,
      sttsSamples: clock.samples,
      sttsEntries: track.stts.length,
      sttsDuration: clock.duration,
      chunks: track.offsetsDeclared,
      sampleBytes: layout.sampleBytes,
      // How the writer lays out samples (for writer profiles): one size for all, and samples per chunk.
      constantSampleSize: track.sizes?.constant ?? 0,
      samplesPerChunk: modalSamplesPerChunk(track.stsc, track.offsetsDeclared),
      edits: track.edits,
      main: isMain,
    };
    trackFacts.push(facts);
    for (const problem of layout.problems) sampleTableIssue(report, problem, track);
    if (track.sizes && track.sizes.count < track.sizes.declared)
      sampleTableIssue(
        report,
        `stsz declares ${track.sizes.declared} samples but holds ${track.sizes.count}`,
        track,
      );
    if (track.offsets.length < track.offsetsDeclared)
      sampleTableIssue(
        report,
        `chunk offset table declares ${track.offsetsDeclared} chunks but holds ${track.offsets.length}`,
        track,
      );
    if (track.sizes && track.stts.length > 0 && clock.samples !== track.sizes.declared)
      sampleTableIssue(report, `stts counts ${clock.samples} samples, stsz ${track.sizes.declared}`, track);
    if (!isMain || timescale <= 0) continue;

    const sampleRate =
      track.entry?.sampleRate && track.entry.sampleRate > 0 ? track.entry.sampleRate : timescale;
    if (
      track.tkhd &&
      mvhd &&
      mvhd.timescale > 0 &&
      track.tkhd.duration > 0 &&
      track.tkhd.duration !== 0xffffffff
    )
      report.declared.push({ source: 'tkhd', seconds: secs(track.tkhd.duration, mvhd.timescale) });
    if (track.mdhd && track.mdhd.duration > 0 && track.mdhd.duration !== 0xffffffff) {
      const declared = {
        source: 'mdhd',
        seconds: secs(track.mdhd.duration, timescale),
      } as StructureReport['declared'][number];
      if (timescale === sampleRate) {
        declared.samples = track.mdhd.duration;
        declared.sampleRate = sampleRate;
      }
      report.declared.push(declared);
    }
    if (track.stts.length > 0) {
      const fragmentTicks = walk.fragments.byTrack[track.tkhd?.trackId ?? -1]?.duration ?? 0;
      const fragmentFrames = walk.fragments.byTrack[track.tkhd?.trackId ?? -1]?.samples ?? 0;
      report.counted.push({
        source: 'sample-table',
        seconds: secs(clock.duration + fragmentTicks, timescale),
        frames: clock.samples + fragmentFrames,
      });
    }
    irregular(report, track, timescale, clock, toSeconds, extra);
    edits(report, track, timescale, mvhd?.timescale ?? 0, sampleRate, clock, meta, extra);
  }
  // Fragmented files keep their samples in trun boxes; count them for the main track.
  if (walk.fragments.runs > 0 && main?.stts.length === 0) {
    const timescale = main.mdhd?.timescale ?? 0;
    const frag = walk.fragments.byTrack[main.tkhd?.trackId ?? -1];
    if (timescale > 0 && frag)
      report.counted.push({
        source: 'sample-table',
        seconds: secs(frag.duration, timescale),
        frames: frag.samples,
      });
  }
  for (const span of walk.fragments.spans) spans.push(span);
  coverage(report, walk.mdats, spans, pastEnd, fileSize, extra);
  // A cut mdat is placed in time by the first sample whose bytes are missing.
  const cutAt = report.truncation.find((s) => s.kind === 'index-past-end')?.at;
  for (const sign of report.truncation)
    if (sign.kind === 'atom-past-end' && sign.data?.['type'] === 'mdat' && cutAt !== undefined)
      sign.at = cutAt;
  return { tracks: trackFacts, ...(duration !== undefined ? { duration } : {}), extra };
}

/** The most common samples-per-chunk of the stsc runs, weighted by how many chunks each run covers. */
function modalSamplesPerChunk(
  stsc: readonly { firstChunk: number; samplesPerChunk: number }[],
  chunks: number,
) {
  const weight = new Map<number, number>();
  stsc.forEach((run, i) => {
    const next = stsc[i + 1]?.firstChunk ?? chunks + 1;
    const covered = Math.max(1, next - run.firstChunk);
    weight.set(run.samplesPerChunk, (weight.get(run.samplesPerChunk) ?? 0) + covered);
  });
  let best: number | undefined;
  for (const [n, w] of weight) if (best === undefined || w > (weight.get(best) ?? 0)) best = n;
  return best;
}

function sampleTableIssue(report: StructureReport, detail: string, track: Track): void {
  if (report.frameIssues.filter((s) => s.kind === 'sample-table-inconsistent').length >= MAX_SIGNS) return;
  report.frameIssues.push({
    kind: 'sample-table-inconsistent',
    detail,
    strong: false,
    data: { trackId: track.tkhd?.trackId, handler: track.handler },
  });
}

function irregular(
  report: StructureReport,
  track: Track,
  timescale: number,
  clock: SampleClock,
  toSeconds: (ticks: number) => number | undefined,
  extra: Record<string, unknown>,
): void {
  const nominal = nominalFrame(track, timescale);
  if (!nominal) return;
  const odd = irregularDeltas(track.stts, nominal.delta, nominal.multiples);
  extra['frameDuration'] = { ticks: nominal.delta, timescale, irregularEntries: odd.length };
  if (odd.length === 0) return;
  if (odd.length > MAX_ISOLATED_IRREGULAR) {
    // Audio captured next to video (feature phones, camcorders) carries jittery timestamps throughout.
    extra['timestampJitter'] = {
      entries: odd.length,
      nominal: nominal.delta,
      first: odd.slice(0, MAX_SIGNS),
    };
    return;
  }
  for (const entry of odd) {
    const at = toSeconds(clock.timeOf(entry.sample));
    const end = toSeconds(clock.timeOf(entry.sample + entry.count));
    report.frameIssues.push({
      kind: 'irregular-sample-duration',
      ...(at !== undefined ? { at } : {}),
      ...(end !== undefined ? { end } : {}),
      detail: `${entry.count} sample(s) last ${entry.delta} ticks where the stream's frames last ${nominal.delta}${nominal.multiples ? ' (or a multiple)' : ''}`,
      strong: false,
      data: {
        sample: entry.sample,
        delta: entry.delta,
        count: entry.count,
        nominal: nominal.delta,
        timescale,
      },
    });
  }
}

function edits(
  report: StructureReport,
  track: Track,
  timescale: number,
  movieScale: number,
  sampleRate: number,
  clock: SampleClock,
  meta: Mp4Metadata,
  extra: Record<string, unknown>,
): void {
  const list = track.edits;
  const toSamples = (ticks: number): number => Math.round((ticks * sampleRate) / timescale);
  // Encoder delay is a couple of frames at most; more than this hides real content.
  const allowance = Math.max(0.1 * timescale, (4096 * timescale) / sampleRate);
  const smpb = itunSmpb(meta);
  if (list.length === 1 && list[0]!.mediaTime >= 0) {
    const edit = list[0]!;
    const segmentMedia = movieScale > 0 ? (edit.segmentDuration * timescale) / movieScale : 0;
    const padding = Math.max(0, clock.duration - edit.mediaTime - segmentMedia);
    report.priming = { delay: toSamples(edit.mediaTime), padding: toSamples(padding), sampleRate };
    const problems: string[] = [];
    if (edit.mediaTime > allowance)
      problems.push(`starts ${secs(edit.mediaTime, timescale)} s into the media`);
    if (edit.rate !== 1) problems.push(`plays at rate ${edit.rate}`);
    if (segmentMedia > 0 && padding > allowance)
      problems.push(`stops ${secs(padding, timescale)} s before the end of the media`);
    if (problems.length)
      report.frameIssues.push({
        kind: 'edit-list',
        at: 0,
        detail: `the edit list ${problems.join(', ')}: part of the recorded media is not presented`,
        strong: false,
        data: { edits: list, timescale, movieTimescale: movieScale },
      });
  } else if (list.length > 1) {
    let presented = 0;
    const starts: number[] = [];
    for (const edit of list) {
      starts.push(movieScale > 0 ? secs(presented, movieScale) : 0);
      presented += edit.segmentDuration;
    }
    const empty = list.filter((e) => e.mediaTime < 0).length;
    report.frameIssues.push({
      kind: 'edit-list',
      at: starts[1] ?? 0,
      detail: `the edit list has ${list.length} entries (${empty} empty): the presentation is assembled from pieces of the media`,
      strong: false,
      data: { edits: list, starts, timescale, movieTimescale: movieScale },
    });
  } else if (list.length === 1 && list[0]!.mediaTime < 0) {
    report.frameIssues.push({
      kind: 'edit-list',
      at: 0,
      detail: 'the only edit is empty: the track presents nothing',
      strong: false,
      data: { edits: list },
    });
  }
  if (!report.priming && smpb) report.priming = { delay: smpb.delay, padding: smpb.padding, sampleRate };
  if (smpb) extra['iTunSMPB'] = smpb;
}

/** Gaps this large are not read for a description; such a gap is described by its size alone. */
const MAX_GAP_READ = 64 * 1024;
const BOX_TYPE = /^[a-z0-9 ©]{4}$/i;

/**
 * What unreferenced bytes inside mdat hold: whole ISO boxes (e.g. the crash-recovery movie fragments
 * hoov/moof that Apple's recorders embed while recording), zeros, or unexplained data. Writers' known
 * habits (templates/writer-quirks.json) are matched against this description.
 */
async function describeGaps(source: ByteSource, mdats: Mdat[], report: StructureReport): Promise<void> {
  for (const issue of report.frameIssues) {
    if (issue.kind !== 'unreferenced-mdat-bytes' || issue.offset === undefined) continue;
    const bytes = Number(issue.data?.['bytes'] ?? 0);
    const atMdatStart = mdats.some((m) => m.payloadStart === issue.offset);
    let content = 'data';
    if (bytes > 0 && bytes <= MAX_GAP_READ) {
      const buf = await source.read(issue.offset, bytes);
      if (buf.length === bytes) content = gapContent(buf);
    }
    issue.data = { ...(issue.data ?? {}), content, atMdatStart };
  }
}

function gapContent(buf: Buffer): string {
  if (buf.every((b) => b === 0)) return 'zeros';
  const types: string[] = [];
  let pos = 0;
  while (pos + 8 <= buf.length) {
    const size = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    // A fragment's own mdat header closes the gap: its payload is the referenced audio that follows.
    const header = size === 1 ? 16 : 8;
    if (type === 'mdat' && pos + header === buf.length && (size === 1 || size >= 8)) {
      types.push(type);
      pos += header;
      break;
    }
    if (size < 8 || pos + size > buf.length || !BOX_TYPE.test(type)) return 'data';
    types.push(type);
    pos += size;
  }
  return pos === buf.length && types.length > 0 ? `boxes:${types.join(',')}` : 'data';
}

function coverage(
  report: StructureReport,
  mdats: Mdat[],
  spans: Span[],
  pastEnd: Array<{ offset: number; end: number; at?: number }>,
  fileSize: number,
  extra: Record<string, unknown>,
): void {
  if (pastEnd.length > 0) {
    const first = pastEnd.reduce((a, b) => ((a.at ?? Infinity) <= (b.at ?? Infinity) ? a : b));
    report.truncation.push({
      kind: 'index-past-end',
      offset: first.offset,
      ...(first.at !== undefined ? { at: first.at } : {}),
      detail: `${pastEnd.length} chunk(s) of the sample table point past the end of the file (${fileSize} bytes)`,
      strong: true,
      data: { chunks: pastEnd.length, firstEnd: first.end },
    });
  }
  let unreferenced = 0;
  let gapCount = 0;
  const inside = new Array<boolean>(spans.length).fill(false);
  for (const mdat of mdats) {
    const from = mdat.payloadStart;
    const to = Math.min(mdat.end, fileSize);
    spans.forEach((s, i) => {
      if (s.start >= from && s.start < Math.max(to, mdat.end)) inside[i] = true;
    });
    const { gaps, overlaps } = uncovered(spans, from, to);
    for (const gap of gaps) {
      const bytes = gap.end - gap.start;
      unreferenced += bytes;
      gapCount++;
      if (gapCount > MAX_SIGNS) continue;
      report.frameIssues.push({
        kind: 'unreferenced-mdat-bytes',
        offset: gap.start,
        ...(gap.nextAt !== undefined ? { at: gap.nextAt } : {}),
        detail: `${bytes} bytes inside the media data (mdat) belong to no sample`,
        strong: false,
        data: { bytes },
      });
    }
    for (const overlap of overlaps)
      report.frameIssues.push({
        kind: 'overlapping-chunks',
        offset: overlap.start,
        detail: `${overlap.end - overlap.start} bytes are claimed by more than one chunk`,
        strong: false,
      });
  }
  const outside = spans.filter((s, i) => !inside[i] && s.start < fileSize && s.end > s.start);
  if (outside.length > 0 && mdats.length > 0) {
    const first = outside[0]!;
    report.frameIssues.push({
      kind: 'chunk-outside-mdat',
      offset: first.start,
      ...(first.at !== undefined ? { at: first.at } : {}),
      detail: `${outside.length} chunk(s) of the sample table point outside the media data (mdat)`,
      strong: false,
      data: { chunks: outside.length },
    });
  }
  extra['coverage'] = {
    mdatPayload: mdats.reduce((n, m) => n + Math.max(0, Math.min(m.end, fileSize) - m.payloadStart), 0),
    referenced: spans.reduce((n, s) => n + Math.max(0, s.end - s.start), 0),
    unreferenced,
    gaps: gapCount,
  };
}
