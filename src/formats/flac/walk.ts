// The FLAC frame walk: frame boundaries found by sync code, header CRC-8 and frame CRC-16, with the
// frame numbering followed so that removed frames, cut ends and joined streams show.
import { BlockReader } from '../block-reader.js';
import { crc16 } from '../crc.js';
import type { ByteSource, PlacedSign } from '../types.js';
import { type FlacFrameHeader, parseFlacFrameHeader } from './frame-header.js';
import { type Metadata, readMetadata, type StreamInfo } from './metadata.js';

const MAX_LISTED = 100;
/** Bytes kept after a sync candidate so its header (at most 16 bytes) can be read in the same window. */
const HEADER_ROOM = 32;
/** The last frame is re-read whole to look for its CRC end; larger "frames" are damage, not frames. */
const MAX_LAST_FRAME = 4 << 20;

export interface FlacWalk {
  frames: number;
  samples: number;
  firstFrame?: number;
  lastFrameEnd: number;
  blockSizes: Record<string, number>;
  crcFailures: number;
  gapFrames: number;
  gapSamples: number;
  junkBytes: number;
  partial: boolean;
  /** Later "fLaC" streams found inside the file (byte-joined files). */
  laterStreams: { offset: number; metadata: Metadata }[];
  frameIssues: PlacedSign[];
  truncation: PlacedSign[];
  appended: PlacedSign[];
}

interface FrameEnd {
  end: number;
  crcOk: boolean;
  /** Reached the end of the audio without finding the next frame. */
  last: boolean;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

class Walker {
  readonly r: FlacWalk = {
    frames: 0,
    samples: 0,
    lastFrameEnd: 0,
    blockSizes: {},
    crcFailures: 0,
    gapFrames: 0,
    gapSamples: 0,
    junkBytes: 0,
    partial: false,
    laterStreams: [],
    frameIssues: [],
    truncation: [],
    appended: [],
  };
  private expected: number | undefined = 0;
  /** Samples before the current stream (earlier joined streams), for placing signs in time. */
  private streamOffset = 0;
  private streamSamples = 0;

  constructor(
    private readonly reader: BlockReader,
    private readonly source: ByteSource,
    private readonly end: number,
    private info: StreamInfo | undefined,
  ) {}

  private get rate(): number {
    return this.info?.sampleRate || 0;
  }

  private now(): number | undefined {
    return this.rate ? round((this.streamOffset + this.streamSamples) / this.rate) : undefined;
  }

  private push(list: PlacedSign[], sign: PlacedSign): void {
    if (list.length < MAX_LISTED) list.push(sign);
  }

  /** A header that belongs to this stream: same channel count, and rate/bits when the header states them. */
  private header(buf: Buffer, i: number): FlacFrameHeader | undefined {
    const h = parseFlacFrameHeader(buf, i);
    if (!h || !this.info) return h;
    if (h.channels !== this.info.channels) return undefined;
    if (h.sampleRate && h.sampleRate !== this.info.sampleRate) return undefined;
    if (h.bitsPerSample && h.bitsPerSample !== this.info.bitsPerSample) return undefined;
    return h;
  }

  private next(h: FlacFrameHeader): number {
    return h.variable ? h.number + h.blockSize : h.number + 1;
  }

  async run(start: number): Promise<FlacWalk> {
    let pos = start;
    while (pos < this.end) {
      const i = await this.reader.at(pos, 64);
      const buf = this.reader.buffer;
      const h = this.header(buf, i);
      if (!h) {
        if (buf.toString('latin1', i, i + 4) === 'fLaC') {
          pos = await this.laterStream(pos);
          continue;
        }
        const found = await this.resync(pos + 1);
        this.junk(pos, found);
        pos = found;
        continue;
      }
      this.r.firstFrame ??= pos;
      if (this.expected !== undefined && h.number !== this.expected) this.gap(pos, h);
      const f = await this.frameEnd(pos, h);
      if (f.last && !f.crcOk) {
        await this.lastFrame(pos, h);
        break;
      }
      this.count(pos, f.end, h, f.crcOk);
      pos = f.end;
    }
    return this.r;
  }

  private count(pos: number, end: number, h: FlacFrameHeader, crcOk: boolean): void {
    if (!crcOk) {
      this.r.crcFailures++;
      this.push(this.r.frameIssues, {
        kind: 'frame-crc',
        offset: pos,
        ...this.at(),
        strong: true,
        detail: `the CRC-16 of the FLAC frame numbered ${h.number} does not match its bytes`,
        data: { number: h.number },
      });
    }
    this.r.frames++;
    this.r.samples += h.blockSize;
    this.streamSamples += h.blockSize;
    this.r.blockSizes[h.blockSize] = (this.r.blockSizes[h.blockSize] ?? 0) + 1;
    this.r.lastFrameEnd = end;
    this.expected = this.next(h);
  }

  private at(): { at?: number } {
    const t = this.now();
    return t === undefined ? {} : { at: t };
  }

  private gap(pos: number, h: FlacFrameHeader): void {
    const expected = this.expected ?? 0;
    const nominal = this.info?.maxBlockSize || h.blockSize;
    const missingSamples = h.variable ? h.number - expected : (h.number - expected) * nominal;
    if (h.number > expected) {
      this.r.gapFrames += h.variable ? 0 : h.number - expected;
      this.r.gapSamples += missingSamples;
    }
    const unit = h.variable ? 'sample number' : 'frame number';
    this.push(this.r.frameIssues, {
      kind: 'frame-number-gap',
      offset: pos,
      ...this.at(),
      strong: true,
      detail:
        h.number > expected
          ? `the ${unit} jumps from ${expected} to ${h.number}: about ${round(missingSamples / (this.rate || 1))} s of frames are missing here`
          : `the ${unit} goes back from ${expected} to ${h.number}`,
      data: { expected, found: h.number, variableBlockSize: h.variable, missingSamples },
    });
  }

  /** Finds where the frame at `pos` ends: the next valid header after which the frame's CRC-16 holds. */
  private async frameEnd(pos: number, h: FlacFrameHeader): Promise<FrameEnd> {
    let crc = 0;
    let cursor = pos;
    let markerFrom = pos + h.headerLength + 1;
    const searchFrom = pos + h.headerLength + 1;
    const expectedNext = this.next(h);
    while (cursor < this.end) {
      await this.reader.at(cursor, HEADER_ROOM * 2);
      const buf = this.reader.buffer;
      const base = this.reader.start;
      const windowEnd = Math.min(base + buf.length, this.end);
      let limit = windowEnd >= this.end ? this.end : windowEnd - HEADER_ROOM;
      if (limit <= cursor) limit = windowEnd;
      // A second stream's "fLaC" where this frame's CRC closes: two files joined end to end.
      const m = this.findMarker(buf, base, Math.max(markerFrom, cursor));
      const marker = m >= 0 && m < limit ? m : undefined;
      const scanLimit = marker ?? limit;
      let c = Math.max(searchFrom, cursor);
      while (c < scanLimit) {
        const k = buf.indexOf(0xff, c - base);
        if (k < 0 || base + k >= scanLimit) break;
        const cand = base + k;
        if ((buf[k + 1]! & 0xfe) === 0xf8) {
          const nh = this.header(buf, k);
          if (nh) {
            crc = crc16(buf, cursor - base, k, crc);
            cursor = cand;
            // The CRC settles a boundary; the expected number settles it for a damaged frame.
            if (crc === 0 || nh.number === expectedNext) return { end: cand, crcOk: crc === 0, last: false };
          }
        }
        c = cand + 1;
      }
      crc = crc16(buf, cursor - base, scanLimit - base, crc);
      cursor = scanLimit;
      if (marker !== undefined) {
        if (crc === 0) return { end: marker, crcOk: true, last: false };
        markerFrom = marker + 1;
      }
    }
    return { end: this.end, crcOk: crc === 0, last: true };
  }

  private markerCache = { base: -1, from: 0, found: -1 };

  /** File offset of the next "fLaC" in the window at or after `from` (-1 if none); cached per window. */
  private findMarker(buf: Buffer, base: number, from: number): number {
    const c = this.markerCache;
    if (c.base === base && c.from <= from && (c.found === -1 || c.found >= from)) return c.found;
    const k = buf.indexOf('fLaC', from - base, 'latin1');
    this.markerCache = { base, from, found: k < 0 ? -1 : base + k };
    return this.markerCache.found;
  }

  /** The last frame did not close at the end of the audio: cut short, or followed by foreign bytes. */
  private async lastFrame(pos: number, h: FlacFrameHeader): Promise<void> {
    const length = this.end - pos;
    let closesAt: number | undefined;
    if (length <= MAX_LAST_FRAME) {
      const bytes = await this.source.read(pos, length);
      let crc = 0;
      for (let k = 0; k < bytes.length; k++) {
        crc = crc16(bytes, k, k + 1, crc);
        if (crc === 0 && k + 1 > h.headerLength + 2) closesAt = pos + k + 1;
      }
      if (closesAt !== undefined) {
        const total = this.info?.totalSamples ?? 0;
        const fits = total === 0 || this.r.samples + h.blockSize === total;
        const tail = bytes.subarray(closesAt - pos);
        const looksLikeFrame = tail[0] === 0xff && ((tail[1] ?? 0xf8) & 0xfe) === 0xf8;
        if (!fits || looksLikeFrame) closesAt = undefined;
      }
    }
    if (closesAt !== undefined) {
      this.count(pos, closesAt, h, true);
      this.push(this.r.appended, {
        kind: 'trailing-data',
        offset: closesAt,
        ...this.at(),
        detail: `${this.end - closesAt} bytes after the last FLAC frame that are not a frame or a tag`,
        data: { bytes: this.end - closesAt },
      });
      return;
    }
    this.r.partial = true;
    this.r.lastFrameEnd = this.end;
    this.push(this.r.truncation, {
      kind: 'partial-last-frame',
      offset: pos,
      ...this.at(),
      strong: true,
      detail: `the last FLAC frame (number ${h.number}, ${h.blockSize} samples) is cut: ${length} bytes are present and its CRC does not close`,
      data: { bytes: length, number: h.number, blockSize: h.blockSize },
    });
  }

  private async laterStream(pos: number): Promise<number> {
    const metadata = await readMetadata(this.source, pos);
    if (this.r.laterStreams.length < 16) this.r.laterStreams.push({ offset: pos, metadata });
    this.push(this.r.appended, {
      kind: 'new-stream',
      offset: pos,
      ...this.at(),
      strong: true,
      detail: 'a second "fLaC" stream header inside the file: two FLAC files joined end to end',
      data: { streamInfo: metadata.streamInfo },
    });
    this.streamOffset += this.streamSamples;
    this.streamSamples = 0;
    if (metadata.streamInfo) this.info = metadata.streamInfo;
    this.expected = 0;
    return Math.max(pos + 4, metadata.audioStart);
  }

  /** Next valid frame header or "fLaC" at or after `from`, or the end. */
  private async resync(from: number): Promise<number> {
    let pos = from;
    while (pos < this.end) {
      await this.reader.at(pos, HEADER_ROOM * 2);
      const buf = this.reader.buffer;
      const base = this.reader.start;
      const windowEnd = Math.min(base + buf.length, this.end);
      const limit = windowEnd >= this.end ? this.end : windowEnd - HEADER_ROOM;
      for (let k = buf.indexOf(0xff, pos - base); k >= 0 && base + k < limit; k = buf.indexOf(0xff, k + 1)) {
        if (this.header(buf, k)) return base + k;
      }
      const m = buf.indexOf('fLaC', pos - base, 'latin1');
      if (m >= 0 && base + m < limit) return base + m;
      if (limit >= this.end) break;
      pos = Math.max(pos + 1, limit);
    }
    return this.end;
  }

  private junk(from: number, to: number): void {
    const bytes = to - from;
    this.r.junkBytes += bytes;
    if (to >= this.end && this.r.frames > 0) {
      this.push(this.r.appended, {
        kind: 'trailing-data',
        offset: from,
        ...this.at(),
        detail: `${bytes} bytes after the last FLAC frame that are not a frame or a tag`,
        data: { bytes },
      });
      return;
    }
    this.push(this.r.frameIssues, {
      kind: 'junk',
      offset: from,
      ...this.at(),
      detail: `${bytes} bytes ${this.r.frames > 0 ? 'between FLAC frames' : 'before the first FLAC frame'} that are not a frame`,
      data: { bytes },
    });
  }
}

/** Walks the FLAC frames in [start, end). */
export function walkFlacFrames(
  source: ByteSource,
  start: number,
  end: number,
  info: StreamInfo | undefined,
): Promise<FlacWalk> {
  return new Walker(new BlockReader(source), source, end, info).run(start);
}
