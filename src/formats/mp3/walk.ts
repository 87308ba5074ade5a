// The MP3 frame walk: every frame from the first to the last, in 1 MiB blocks, with the bit reservoir
// followed from frame to frame and everything that is not a frame (junk, tags inside the stream) placed.
import type { BlockReader } from '../block-reader.js';
import { crc16Lame } from '../crc.js';
import type { ParameterChange, PlacedSign } from '../types.js';
import { type FrameHeader, frameCrcOk, parseFrameHeader, readSideInfo, sameStream } from './frame-header.js';
import { type Id3v2Tag, id3v2HeaderSize, readId3v2 } from './id3v2.js';
import { apeTagSize } from './tail-tags.js';
import { readVbrHeader, type VbrHeader } from './xing.js';

/** More than the largest MPEG audio frame (1729 bytes for layer II/III, 1540 for layer I) plus a header. */
const LOOKAHEAD = 4096;
/** Lists of placed signs stop growing here; totals are kept in the details. */
const MAX_LISTED = 100;
/** The decoder delay of an MP3 decoder, which ffmpeg removes together with the LAME encoder delay. */
export const DECODER_DELAY = 529;

export interface VbrFrame {
  offset: number;
  length: number;
  header: VbrHeader;
  /** Seconds into the decoded timeline where it sits. */
  at: number;
}

export interface MidTag {
  kind: 'id3v2' | 'id3v1' | 'ape';
  offset: number;
  size: number;
  at: number;
  tag?: Id3v2Tag;
}

export interface WalkResult {
  firstFrame?: number;
  lastFrameEnd: number;
  /** Audio frames, header frames (Xing/Info/VBRI) not included. */
  audioFrames: number;
  audioSamples: number;
  /** Sum of frame durations in seconds (exact across sample-rate changes). */
  audioSeconds: number;
  firstHeader?: FrameHeader;
  vbrFrames: VbrFrame[];
  midTags: MidTag[];
  frameIssues: PlacedSign[];
  truncation: PlacedSign[];
  appended: PlacedSign[];
  parameterChanges: ParameterChange[];
  counts: {
    junkRuns: number;
    junkBytes: number;
    reservoirBreaks: number;
    reservoirChecked: number;
    crcFrames: number;
    crcFailures: number;
    parameterChanges: number;
    paddedFrames: number;
  };
  bitrates: Record<string, number>;
  versions: Record<string, number>;
  layers: Record<string, number>;
  sampleRates: Record<string, number>;
  channelModes: Record<string, number>;
  /** CRC-16 over [musicCrcStart, musicCrcEnd) as LAME defines its music CRC, when a LAME tag asked for it. */
  musicCrc?: { start: number; end: number; value: number; covered: number };
  /** Seconds removed from the start of the decoded timeline (encoder + decoder delay). */
  timelineOffset: number;
}

const bump = (map: Record<string, number>, key: string | number): void => {
  map[key] = (map[key] ?? 0) + 1;
};

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

class Walker {
  readonly r: WalkResult = {
    lastFrameEnd: 0,
    audioFrames: 0,
    audioSamples: 0,
    audioSeconds: 0,
    vbrFrames: [],
    midTags: [],
    frameIssues: [],
    truncation: [],
    appended: [],
    parameterChanges: [],
    counts: {
      junkRuns: 0,
      junkBytes: 0,
      reservoirBreaks: 0,
      reservoirChecked: 0,
      crcFrames: 0,
      crcFailures: 0,
      parameterChanges: 0,
      paddedFrames: 0,
    },
    bitrates: {},
    versions: {},
    layers: {},
    sampleRates: {},
    channelModes: {},
    timelineOffset: 0,
  };
  private stream: FrameHeader | undefined;
  private prev: FrameHeader | undefined;
  // Bit reservoir, in bytes of the logical main-data stream (all frame payloads after side info, joined).
  private mainPos = 0;
  private mainEnd = 0;
  private pendingTags: MidTag[] = [];
  /** The open run of frames whose reservoir reaches before the first frame (a stream that starts mid-way). */
  private beforeStart: { count: number } | undefined;
  private crcStart = -1;
  private crcEnd = -1;
  private crc = 0;
  private crcCovered = 0;

  constructor(
    private readonly reader: BlockReader,
    private readonly start: number,
    private readonly end: number,
  ) {}

  /** Decoded-timeline seconds at the current position. */
  private now(): number {
    return round(Math.max(0, this.r.audioSeconds - this.r.timelineOffset));
  }

  private push(list: PlacedSign[], sign: PlacedSign): void {
    if (list.length < MAX_LISTED) list.push(sign);
  }

  /** Feeds [a, b) to the music CRC when it falls in the range the LAME tag covers. */
  private async consume(a: number, b: number): Promise<void> {
    if (this.crcStart < 0) return;
    let from = Math.max(a, this.crcStart);
    const to = Math.min(b, this.crcEnd);
    while (from < to) {
      const i = await this.reader.at(from, Math.min(to - from, 1 << 20));
      const n = Math.min(to - from, this.reader.buffer.length - i);
      if (n <= 0) break;
      this.crc = crc16Lame(this.reader.buffer, i, i + n, this.crc);
      this.crcCovered += n;
      from += n;
    }
  }

  /** A header at `pos` that a second header of the same stream confirms (or that ends the audio). */
  private confirmed(buf: Buffer, i: number, pos: number): FrameHeader | undefined {
    const h = parseFrameHeader(buf, i);
    if (!h) return undefined;
    const next = pos + h.length;
    if (next === this.end) return h;
    if (next > this.end) return this.stream && sameStream(h, this.stream) ? h : undefined;
    const j = i + h.length;
    if (j + 4 > buf.length) return undefined;
    const n = parseFrameHeader(buf, j);
    if (n && sameStream(h, n)) return h;
    // A tag right after a real frame (concatenated files, trailing tags) also confirms it.
    if (this.stream && sameStream(h, this.stream)) {
      if (id3v2HeaderSize(buf, j) > 0 || buf.toString('latin1', j, j + 3) === 'TAG') return h;
      if (apeTagSize(buf, j)) return h;
    }
    return undefined;
  }

  /** Scans forward from `from` to the next confirmed frame or tag; returns its offset or `end`. */
  private async resync(from: number): Promise<number> {
    let pos = from;
    while (pos < this.end) {
      const i0 = await this.reader.at(pos, LOOKAHEAD * 4);
      const buf = this.reader.buffer;
      const windowEnd = this.reader.start + buf.length;
      // Leave room to look at the next header, unless the window already reaches the end.
      const scanEnd = windowEnd >= this.end ? this.end : windowEnd - LOOKAHEAD;
      for (let p = pos, i = i0; p < scanEnd; p++, i++) {
        const b = buf[i]!;
        if (b === 0xff) {
          if (this.confirmed(buf, i, p)) return p;
        } else if (b === 0x49 /* I */ && id3v2HeaderSize(buf, i) > 0) return p;
        else if (b === 0x41 /* A */ && apeTagSize(buf, i)?.isHeader) return p;
        else if (b === 0x54 /* T */ && this.r.audioFrames > 0 && this.isId3v1(buf, i, p)) return p;
      }
      if (scanEnd >= this.end) break;
      pos = Math.max(scanEnd, pos + 1);
    }
    return this.end;
  }

  private isId3v1(buf: Buffer, i: number, pos: number): boolean {
    if (pos + 128 > this.end || buf.toString('latin1', i, i + 3) !== 'TAG') return false;
    // Believe it only when a frame or the end of the audio follows.
    const after = pos + 128;
    if (after === this.end) return true;
    return i + 132 <= buf.length && parseFrameHeader(buf, i + 128) !== undefined;
  }

  async run(): Promise<WalkResult> {
    let pos = this.start;
    // Bounded by the file: every pass moves `pos` forward by at least one byte.
    while (pos < this.end) {
      const i = await this.reader.at(pos, LOOKAHEAD);
      const buf = this.reader.buffer;
      const h = parseFrameHeader(buf, i);
      if (h) {
        const next = pos + h.length;
        if (next > this.end) {
          // A frame cut short: of the stream we follow, or the very first thing after the leading tags.
          if ((this.stream && sameStream(h, this.stream)) || (!this.stream && pos === this.start)) {
            this.partialFrame(pos, h);
            await this.consume(pos, this.end);
            pos = this.end;
            break;
          }
        } else if ((this.stream && sameStream(h, this.stream)) || this.confirmed(buf, i, pos)) {
          await this.frame(buf, i, pos, h);
          await this.consume(pos, next);
          pos = next;
          continue;
        }
      }
      const tagged = await this.tagAt(buf, i, pos);
      if (tagged > pos) {
        await this.consume(pos, tagged);
        pos = tagged;
        continue;
      }
      if (this.end - pos < 4 && buf[i] === 0xff && this.stream) {
        this.partialFrame(pos, undefined);
        await this.consume(pos, this.end);
        pos = this.end;
        break;
      }
      const found = await this.resync(pos + 1);
      this.junk(pos, found);
      await this.consume(pos, found);
      pos = found;
    }
    for (const tag of this.pendingTags) {
      this.push(this.r.appended, {
        kind: 'trailing-tag',
        offset: tag.offset,
        at: tag.at,
        detail: `${tag.kind} tag of ${tag.size} bytes after the last audio frame, outside the usual tag places`,
        data: { tag: tag.kind, size: tag.size },
      });
    }
    if (this.crcStart >= 0) {
      this.r.musicCrc = { start: this.crcStart, end: this.crcEnd, value: this.crc, covered: this.crcCovered };
    }
    return this.r;
  }

  /** Skips a tag that starts at `pos`; returns the offset after it, or `pos` when there is none. */
  private async tagAt(buf: Buffer, i: number, pos: number): Promise<number> {
    let kind: MidTag['kind'] | undefined;
    let size = 0;
    let tag: Id3v2Tag | undefined;
    const id3 = id3v2HeaderSize(buf, i);
    if (id3 > 0) {
      kind = 'id3v2';
      size = id3;
      tag = await readId3v2(this.reader.source, pos);
    } else if (this.r.audioFrames > 0 && this.isId3v1(buf, i, pos)) {
      kind = 'id3v1';
      size = 128;
    } else {
      const ape = apeTagSize(buf, i);
      if (ape?.isHeader) {
        kind = 'ape';
        size = ape.size;
      }
    }
    if (!kind || size <= 0) return pos;
    const mid: MidTag = { kind, offset: pos, size: Math.min(size, this.end - pos), at: this.now() };
    if (tag) mid.tag = tag;
    if (this.r.midTags.length < MAX_LISTED) this.r.midTags.push(mid);
    // Whether it is "inside" the stream is known only when a frame follows; until then it is pending.
    if ((this.r.audioFrames > 0 || this.r.vbrFrames.length > 0) && this.pendingTags.length < MAX_LISTED)
      this.pendingTags.push(mid);
    return Math.min(this.end, pos + size);
  }

  private junk(from: number, to: number): void {
    const bytes = to - from;
    if (bytes <= 0) return;
    if (to >= this.end && this.r.audioFrames > 0) {
      this.push(this.r.appended, {
        kind: 'trailing-data',
        offset: from,
        at: this.now(),
        detail: `${bytes} bytes after the last MPEG audio frame that are neither frames nor a known tag`,
        data: { bytes },
      });
      return;
    }
    this.r.counts.junkRuns++;
    this.r.counts.junkBytes += bytes;
    this.push(this.r.frameIssues, {
      kind: 'junk',
      offset: from,
      at: this.now(),
      detail: `${bytes} bytes between MPEG audio frames that are not a frame or a tag`,
      data: { bytes },
    });
  }

  private partialFrame(pos: number, h: FrameHeader | undefined): void {
    const have = this.end - pos;
    this.push(this.r.truncation, {
      kind: 'partial-last-frame',
      offset: pos,
      at: this.now(),
      strong: true,
      detail: h
        ? `the last frame is cut: ${have} of its ${h.length} bytes are present`
        : `the stream ends in the first ${have} bytes of a frame header`,
      data: { bytes: have, ...(h ? { frameLength: h.length } : {}) },
    });
  }

  private parameterChange(pos: number, prev: FrameHeader, h: FrameHeader): void {
    const changes: [ParameterChange['parameter'], string | number, string | number][] = [];
    if (prev.version !== h.version) changes.push(['version', `MPEG-${prev.version}`, `MPEG-${h.version}`]);
    if (prev.layer !== h.layer) changes.push(['layer', prev.layer, h.layer]);
    if (prev.sampleRate !== h.sampleRate) changes.push(['sampleRate', prev.sampleRate, h.sampleRate]);
    if (prev.channels !== h.channels) changes.push(['channels', prev.channels, h.channels]);
    for (const [parameter, from, to] of changes) {
      this.r.counts.parameterChanges++;
      if (this.r.parameterChanges.length < MAX_LISTED)
        this.r.parameterChanges.push({ parameter, from, to, at: this.now(), offset: pos });
    }
  }

  private async frame(buf: Buffer, i: number, pos: number, h: FrameHeader): Promise<void> {
    if (this.r.firstFrame === undefined) {
      this.r.firstFrame = pos;
      this.r.firstHeader = h;
    }
    if (this.prev && !sameStream(this.prev, h)) this.parameterChange(pos, this.prev, h);
    this.prev = h;
    this.stream = h;
    this.r.lastFrameEnd = pos + h.length;
    if (this.pendingTags.length > 0) {
      for (const tag of this.pendingTags) {
        this.push(this.r.appended, {
          kind: 'second-id3',
          offset: tag.offset,
          at: tag.at,
          detail: `${tag.kind} tag of ${tag.size} bytes between audio frames, where one file's stream would have ended and another's begun`,
          data: { tag: tag.kind, size: tag.size, ...(tag.tag ? { version: tag.tag.version } : {}) },
        });
      }
      this.pendingTags = [];
    }
    const vbr = h.layer === 3 ? readVbrHeader(buf.subarray(i, i + h.length), h) : undefined;
    if (vbr) {
      this.vbrFrame(pos, h, vbr);
      return;
    }
    this.r.audioFrames++;
    bump(this.r.bitrates, h.bitrate);
    bump(this.r.versions, h.version);
    bump(this.r.layers, h.layer);
    bump(this.r.sampleRates, h.sampleRate);
    bump(this.r.channelModes, h.channelMode);
    if (h.padding) this.r.counts.paddedFrames++;
    if (h.crc) {
      const ok = frameCrcOk(buf, i, h);
      if (ok !== undefined) this.r.counts.crcFrames++;
      if (ok === false) {
        this.r.counts.crcFailures++;
        this.push(this.r.frameIssues, {
          kind: 'frame-crc',
          offset: pos,
          at: this.now(),
          detail: 'the frame CRC-16 does not match its header and side information',
        });
      }
    }
    if (h.layer === 3) this.reservoir(buf, i, pos, h);
    this.r.audioSamples += h.samples;
    this.r.audioSeconds += h.samples / h.sampleRate;
  }

  private vbrFrame(pos: number, h: FrameHeader, vbr: VbrHeader): void {
    const at = this.now();
    const first = this.r.vbrFrames.length === 0 && this.r.audioFrames === 0;
    if (this.r.vbrFrames.length < MAX_LISTED)
      this.r.vbrFrames.push({ offset: pos, length: h.length, header: vbr, at });
    if (first) {
      if (vbr.lame) {
        this.r.timelineOffset = (vbr.lame.encoderDelay + DECODER_DELAY) / h.sampleRate;
        if (vbr.lame.musicLength > h.length) {
          this.crcStart = pos + h.length;
          this.crcEnd = pos + vbr.lame.musicLength;
        }
      }
      // The header frame carries no audio: the reservoir starts empty after it.
      this.mainPos = 0;
      this.mainEnd = 0;
      return;
    }
    this.push(this.r.appended, {
      kind: 'second-xing',
      offset: pos,
      at,
      strong: true,
      detail: `a second ${vbr.kind === 'vbri' ? 'VBRI' : vbr.kind === 'xing' ? 'Xing' : 'Info'} header frame${vbr.lame ? ` (${vbr.lame.encoder})` : ''} inside the stream: an encoder writes one, at the start`,
      data: { header: vbr.kind, ...(vbr.frames !== undefined ? { frames: vbr.frames } : {}) },
    });
  }

  private reservoir(buf: Buffer, i: number, pos: number, h: FrameHeader): void {
    const side = readSideInfo(buf, i, h);
    if (!side) return;
    this.r.counts.reservoirChecked++;
    const payload = h.length - 4 - (h.crc ? 2 : 0) - h.sideInfo;
    const length = Math.ceil(side.mainDataBits / 8);
    const begin = this.mainPos - side.mainDataBegin;
    let reason: string | undefined;
    if (begin < 0) reason = 'before-stream-start';
    else if (length > 0 && begin < this.mainEnd) reason = 'overlaps-previous-frame';
    else if (begin + length > this.mainPos + payload) reason = 'runs-past-frame';
    if (reason === 'before-stream-start' && this.beforeStart) {
      // One reference before the start explains the next few: report the first, count the rest.
      this.beforeStart.count++;
    } else if (reason) {
      this.r.counts.reservoirBreaks++;
      // A stream without a header frame may be a capture that starts mid-stream; with one, the encoder
      // started the reservoir empty, so only frames that were removed explain a reference before it.
      const strong = reason !== 'before-stream-start' || this.r.vbrFrames.length > 0;
      const detail =
        reason === 'before-stream-start'
          ? `main_data_begin ${side.mainDataBegin} points ${-begin} bytes before the first audio frame's data`
          : reason === 'overlaps-previous-frame'
            ? `main_data_begin ${side.mainDataBegin} points into the previous frame's own main data (${this.mainEnd - begin} bytes overlap): the bytes it refers to are not there`
            : `the frame's main data (${length} bytes from main_data_begin ${side.mainDataBegin}) runs past its own frame`;
      const data: Record<string, unknown> = {
        reason,
        mainDataBegin: side.mainDataBegin,
        available: this.mainPos - this.mainEnd,
      };
      if (reason === 'before-stream-start') {
        this.beforeStart = { count: 1 };
        data['run'] = this.beforeStart;
      }
      this.push(this.r.frameIssues, {
        kind: 'reservoir-break',
        offset: pos,
        at: this.now(),
        strong,
        detail,
        data,
      });
    }
    if (length > 0) this.mainEnd = Math.max(0, begin + length);
    this.mainPos += payload;
  }
}

/** Walks the MPEG audio frames in [start, end). */
export function walkFrames(reader: BlockReader, start: number, end: number): Promise<WalkResult> {
  return new Walker(reader, start, end).run();
}
