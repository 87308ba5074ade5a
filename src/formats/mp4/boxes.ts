// Leaf box readers (ftyp, mvhd, tkhd, mdhd, hdlr, stsd, stts, stsz, stsc, stco, elst): every count bounded by the bytes present.
import { fourcc, mp4Time } from './atoms.js';

export interface Ftyp {
  brand: string;
  minorVersion: number;
  compatibleBrands: string[];
}

export function readFtyp(p: Buffer): Ftyp | undefined {
  if (p.length < 8) return undefined;
  const compatibleBrands: string[] = [];
  // Real files list a handful of brands; 64 keeps a garbage size from filling the report.
  for (let i = 8; i + 4 <= p.length && compatibleBrands.length < 64; i += 4)
    compatibleBrands.push(fourcc(p, i));
  return { brand: fourcc(p, 0), minorVersion: p.readUInt32BE(4), compatibleBrands };
}

export interface MovieHeader {
  created?: string;
  modified?: string;
  timescale: number;
  duration: number;
  nextTrackId?: number;
}

/** mvhd and mdhd share their first fields: version, times, timescale, duration. */
function timesAndDuration(p: Buffer): MovieHeader | undefined {
  if (p.length < 4) return undefined;
  const version = p[0];
  if (version === 1) {
    if (p.length < 32) return undefined;
    const header: MovieHeader = {
      timescale: p.readUInt32BE(20),
      duration: Number(p.readBigUInt64BE(24)),
    };
    const created = mp4Time(Number(p.readBigUInt64BE(4)));
    const modified = mp4Time(Number(p.readBigUInt64BE(12)));
    if (created) header.created = created;
    if (modified) header.modified = modified;
    return header;
  }
  if (p.length < 20) return undefined;
  const header: MovieHeader = { timescale: p.readUInt32BE(12), duration: p.readUInt32BE(16) };
  const created = mp4Time(p.readUInt32BE(4));
  const modified = mp4Time(p.readUInt32BE(8));
  if (created) header.created = created;
  if (modified) header.modified = modified;
  return header;
}

export function readMvhd(p: Buffer): MovieHeader | undefined {
  const header = timesAndDuration(p);
  if (!header) return undefined;
  const next = p[0] === 1 ? 108 : 96;
  if (p.length >= next + 4) header.nextTrackId = p.readUInt32BE(next);
  return header;
}

export interface MediaHeader extends MovieHeader {
  language?: string;
}

export function readMdhd(p: Buffer): MediaHeader | undefined {
  const header: MediaHeader | undefined = timesAndDuration(p);
  if (!header) return undefined;
  const at = p[0] === 1 ? 32 : 20;
  if (p.length >= at + 2) {
    const code = p.readUInt16BE(at);
    // ISO-639-2/T packed as three 5-bit letters; QuickTime uses small integers (< 0x400) instead.
    if (code >= 0x400) {
      header.language = String.fromCharCode(
        ((code >> 10) & 0x1f) + 0x60,
        ((code >> 5) & 0x1f) + 0x60,
        (code & 0x1f) + 0x60,
      );
    }
  }
  return header;
}

export interface TrackHeader {
  trackId: number;
  /** In the movie (mvhd) timescale. */
  duration: number;
  created?: string;
  modified?: string;
  flags: number;
}

export function readTkhd(p: Buffer): TrackHeader | undefined {
  if (p.length < 4) return undefined;
  const flags = p.readUInt32BE(0) & 0xffffff;
  if (p[0] === 1) {
    if (p.length < 36) return undefined;
    const header: TrackHeader = {
      trackId: p.readUInt32BE(20),
      duration: Number(p.readBigUInt64BE(28)),
      flags,
    };
    const created = mp4Time(Number(p.readBigUInt64BE(4)));
    const modified = mp4Time(Number(p.readBigUInt64BE(12)));
    if (created) header.created = created;
    if (modified) header.modified = modified;
    return header;
  }
  if (p.length < 24) return undefined;
  const header: TrackHeader = { trackId: p.readUInt32BE(12), duration: p.readUInt32BE(20), flags };
  const created = mp4Time(p.readUInt32BE(4));
  const modified = mp4Time(p.readUInt32BE(8));
  if (created) header.created = created;
  if (modified) header.modified = modified;
  return header;
}

export interface Handler {
  type: string;
  name: string;
}

export function readHdlr(p: Buffer): Handler | undefined {
  if (p.length < 12) return undefined;
  const type = fourcc(p, 8);
  let nameBytes = p.subarray(24, Math.min(p.length, 24 + 256));
  // QuickTime writes a Pascal string (length byte first); ISO writes a NUL-terminated UTF-8 string.
  const first = nameBytes[0];
  if (first !== undefined && first > 0 && first === nameBytes.length - 1) nameBytes = nameBytes.subarray(1);
  const nul = nameBytes.indexOf(0);
  const name = cleanText(nameBytes.subarray(0, nul >= 0 ? nul : nameBytes.length));
  return { type, name };
}

/** UTF-8 text with control characters removed and length bounded. */
export function cleanText(bytes: Buffer, max = 512): string {
  return bytes
    .toString('utf8')
    .replace(/[\u0000-\u001f\u007f\ufffd]/g, '')
    .trim()
    .slice(0, max);
}

export interface AudioConfig {
  /** MPEG-4 objectTypeIndication from esds (0x40 = MPEG-4 audio). */
  objectType?: number;
  /** MPEG-4 audio object type (2 = AAC LC, 5 = SBR, 29 = PS…). */
  audioObjectType?: number;
  sampleRate?: number;
  channels?: number;
  avgBitrate?: number;
  maxBitrate?: number;
  /** AAC frame length flag: 960 instead of 1024 samples. */
  frameLength?: number;
}

export interface SampleEntry {
  format: string;
  channels?: number;
  sampleSize?: number;
  sampleRate?: number;
  audio?: AudioConfig;
  /** damr/dawb vendor: who wrote the AMR decoder config ("FFMP" for FFmpeg). */
  amrVendor?: string;
  /** Child box types of the sample entry (esds, damr, wave, chan, btrt…). */
  boxes: string[];
}

const ADTS_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** MPEG-4 descriptor length: up to four 7-bit groups. */
function descriptor(p: Buffer, at: number): { tag: number; length: number; body: number } | undefined {
  const tag = p[at];
  if (tag === undefined) return undefined;
  let length = 0;
  let i = at + 1;
  for (let n = 0; n < 4; n++) {
    const b = p[i++];
    if (b === undefined) return undefined;
    length = (length << 7) | (b & 0x7f);
    if ((b & 0x80) === 0) break;
  }
  return { tag, length, body: i };
}

/** esds payload (after version/flags): ES_Descriptor → DecoderConfigDescriptor → AudioSpecificConfig. */
export function readEsds(p: Buffer): AudioConfig | undefined {
  const config: AudioConfig = {};
  let pos = 4;
  const es = descriptor(p, pos);
  if (es?.tag !== 0x03) return undefined;
  pos = es.body;
  const esFlags = p[pos + 2];
  if (esFlags === undefined) return config;
  pos += 3;
  if (esFlags & 0x80) pos += 2;
  if (esFlags & 0x40) pos += 1 + (p[pos] ?? 0);
  if (esFlags & 0x20) pos += 2;
  const dc = descriptor(p, pos);
  if (dc?.tag !== 0x04 || dc.body + 13 > p.length) return config;
  config.objectType = p[dc.body]!;
  config.maxBitrate = p.readUInt32BE(dc.body + 5);
  config.avgBitrate = p.readUInt32BE(dc.body + 9);
  const dsi = descriptor(p, dc.body + 13);
  if (dsi?.tag !== 0x05 || dsi.body + 2 > p.length) return config;
  // AudioSpecificConfig: 5 bits object type (31 = escape), 4 bits rate index (15 = explicit), 4 bits channels.
  const bits = new BitReader(p.subarray(dsi.body, Math.min(p.length, dsi.body + dsi.length)));
  let aot = bits.read(5);
  if (aot === 31) aot = 32 + bits.read(6);
  const rateIndex = bits.read(4);
  const rate = rateIndex === 15 ? bits.read(24) : ADTS_RATES[rateIndex];
  const channels = bits.read(4);
  if (!bits.overrun) {
    config.audioObjectType = aot;
    if (rate) config.sampleRate = rate;
    config.channels = channels;
    if (aot === 2 || aot === 1 || aot === 4) {
      const frameLengthFlag = bits.read(1);
      if (!bits.overrun) config.frameLength = frameLengthFlag ? 960 : 1024;
    }
  }
  return config;
}

class BitReader {
  private bit = 0;
  overrun = false;
  constructor(private readonly buf: Buffer) {}
  read(n: number): number {
    let value = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.buf[this.bit >> 3];
      if (byte === undefined) {
        this.overrun = true;
        return 0;
      }
      value = value * 2 + ((byte >> (7 - (this.bit & 7))) & 1);
      this.bit++;
    }
    return value;
  }
}

const AUDIO_HANDLERS = new Set(['soun']);

/** stsd payload: first sample entry, with audio fields when the handler is sound. */
export function readStsd(p: Buffer, handler: string | undefined): SampleEntry | undefined {
  if (p.length < 16) return undefined;
  const size = p.readUInt32BE(8);
  const format = fourcc(p, 12);
  const end = Math.min(p.length, 8 + Math.max(size, 8));
  const entry: SampleEntry = { format, boxes: [] };
  let childStart = 8 + 8 + 8; // entry header + reserved(6) + data reference index(2)
  const isAudio = (handler !== undefined && AUDIO_HANDLERS.has(handler)) || handler === undefined;
  if (isAudio && end >= 8 + 36) {
    const base = 8 + 16; // start of the audio sample entry fields after reserved + dref index
    const version = p.readUInt16BE(base);
    entry.channels = p.readUInt16BE(base + 8);
    entry.sampleSize = p.readUInt16BE(base + 10);
    entry.sampleRate = p.readUInt32BE(base + 16) / 65536;
    childStart = base + 20;
    if (version === 1) childStart += 16;
    else if (version === 2 && end >= base + 56) {
      // QuickTime sound description v2: rate as a float64, channels as uint32.
      entry.sampleRate = p.readDoubleBE(base + 24);
      entry.channels = p.readUInt32BE(base + 32);
      childStart += 36;
    }
  } else if (!isAudio) {
    // Visual and other entries: their children follow fixed fields we do not need; scan for known boxes.
    childStart = end;
  }
  scanEntryChildren(p, childStart, end, entry, 0);
  if (entry.audio?.sampleRate && (!entry.sampleRate || entry.sampleRate === 0))
    entry.sampleRate = entry.audio.sampleRate;
  return entry;
}

function scanEntryChildren(p: Buffer, start: number, end: number, entry: SampleEntry, depth: number): void {
  let pos = start;
  while (pos + 8 <= end && entry.boxes.length < 32) {
    const size = p.readUInt32BE(pos);
    const type = fourcc(p, pos + 4);
    if (size < 8 || pos + size > end) break;
    entry.boxes.push(type);
    const body = p.subarray(pos + 8, pos + size);
    if (type === 'esds') entry.audio = readEsds(body) ?? {};
    else if ((type === 'damr' || type === 'dawb') && body.length >= 4) entry.amrVendor = fourcc(body, 0);
    else if (type === 'wave' && depth < 2) scanEntryChildren(p, pos + 8, pos + size, entry, depth + 1);
    pos += size;
  }
}

export interface TimeToSample {
  count: number;
  delta: number;
}

export function readStts(p: Buffer): TimeToSample[] {
  if (p.length < 8) return [];
  const n = Math.min(p.readUInt32BE(4), Math.floor((p.length - 8) / 8));
  const out: TimeToSample[] = new Array(n);
  for (let i = 0; i < n; i++)
    out[i] = { count: p.readUInt32BE(8 + i * 8), delta: p.readUInt32BE(12 + i * 8) };
  return out;
}

export interface SampleSizes {
  /** Number of samples the box declares. */
  declared: number;
  /** Per-sample sizes actually present (constant sizes expanded lazily by `sizeOf`). */
  constant: number;
  sizes?: Uint32Array;
  /** Samples the box really describes (bounded by the bytes present for table forms). */
  count: number;
}

export function readStsz(p: Buffer): SampleSizes | undefined {
  if (p.length < 12) return undefined;
  const constant = p.readUInt32BE(4);
  const declared = p.readUInt32BE(8);
  if (constant !== 0) return { declared, constant, count: declared };
  const count = Math.min(declared, Math.floor((p.length - 12) / 4));
  const sizes = new Uint32Array(count);
  for (let i = 0; i < count; i++) sizes[i] = p.readUInt32BE(12 + i * 4);
  return { declared, constant: 0, sizes, count };
}

/** Compact sample sizes (stz2): 4, 8 or 16 bits per entry. */
export function readStz2(p: Buffer): SampleSizes | undefined {
  if (p.length < 12) return undefined;
  const field = p[7] ?? 0;
  const declared = p.readUInt32BE(8);
  if (![4, 8, 16].includes(field)) return undefined;
  const count = Math.min(declared, Math.floor(((p.length - 12) * 8) / field));
  const sizes = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    if (field === 16) sizes[i] = p.readUInt16BE(12 + i * 2);
    else if (field === 8) sizes[i] = p[12 + i]!;
    else sizes[i] = ((p[12 + (i >> 1)] ?? 0) >> (i & 1 ? 0 : 4)) & 0x0f;
  }
  return { declared, constant: 0, sizes, count };
}

export interface SampleToChunk {
  firstChunk: number;
  samplesPerChunk: number;
  descriptionIndex: number;
}

export function readStsc(p: Buffer): SampleToChunk[] {
  if (p.length < 8) return [];
  const n = Math.min(p.readUInt32BE(4), Math.floor((p.length - 8) / 12));
  const out: SampleToChunk[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      firstChunk: p.readUInt32BE(8 + i * 12),
      samplesPerChunk: p.readUInt32BE(12 + i * 12),
      descriptionIndex: p.readUInt32BE(16 + i * 12),
    };
  }
  return out;
}

/** stco (32-bit) or co64 (64-bit) chunk offsets. */
export function readChunkOffsets(p: Buffer, wide: boolean): { declared: number; offsets: Float64Array } {
  if (p.length < 8) return { declared: 0, offsets: new Float64Array(0) };
  const declared = p.readUInt32BE(4);
  const width = wide ? 8 : 4;
  const n = Math.min(declared, Math.floor((p.length - 8) / width));
  const offsets = new Float64Array(n);
  for (let i = 0; i < n; i++)
    offsets[i] = wide ? Number(p.readBigUInt64BE(8 + i * 8)) : p.readUInt32BE(8 + i * 4);
  return { declared, offsets };
}

export interface EditEntry {
  /** In the movie timescale. */
  segmentDuration: number;
  /** In the media timescale; -1 = empty edit (a gap). */
  mediaTime: number;
  rate: number;
}

export function readElst(p: Buffer): EditEntry[] {
  if (p.length < 8) return [];
  const v1 = p[0] === 1;
  const width = v1 ? 20 : 12;
  // Real edit lists hold a few entries; bound them so a garbage count cannot flood the report.
  const n = Math.min(p.readUInt32BE(4), Math.floor((p.length - 8) / width), 1000);
  const out: EditEntry[] = [];
  for (let i = 0; i < n; i++) {
    const at = 8 + i * width;
    if (v1) {
      out.push({
        segmentDuration: Number(p.readBigUInt64BE(at)),
        mediaTime: Number(p.readBigInt64BE(at + 8)),
        rate: p.readInt32BE(at + 16) / 65536,
      });
    } else {
      out.push({
        segmentDuration: p.readUInt32BE(at),
        mediaTime: p.readInt32BE(at + 4),
        rate: p.readInt32BE(at + 8) / 65536,
      });
    }
  }
  return out;
}
