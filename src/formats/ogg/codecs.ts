// Codec identification headers inside Ogg, and Opus packet durations read from the TOC byte.
import { parseVorbisComment, type VorbisComment } from './vorbis-comment.js';

export interface CodecInfo {
  codec: 'opus' | 'vorbis' | 'speex' | 'flac' | 'theora' | 'unknown';
  /** Rate of the granule position clock (48000 for Opus). */
  granuleRate?: number;
  /** The source's own sample rate (Opus input rate, others their coded rate). */
  sampleRate?: number;
  channels?: number;
  preSkip?: number;
  version?: number;
  /** Header packets before audio packets begin. */
  headerPackets: number;
}

/** Identifies the codec from a stream's first packet. */
export function identifyCodec(p: Buffer): CodecInfo {
  if (p.length >= 19 && p.toString('latin1', 0, 8) === 'OpusHead') {
    return {
      codec: 'opus',
      version: p[8]!,
      channels: p[9]!,
      preSkip: p.readUInt16LE(10),
      sampleRate: p.readUInt32LE(12),
      granuleRate: 48000,
      headerPackets: 2,
    };
  }
  if (p.length >= 30 && p[0] === 1 && p.toString('latin1', 1, 7) === 'vorbis') {
    const rate = p.readUInt32LE(12);
    return {
      codec: 'vorbis',
      version: p.readUInt32LE(7),
      channels: p[11]!,
      sampleRate: rate,
      granuleRate: rate,
      headerPackets: 3,
    };
  }
  if (p.length >= 72 && p.toString('latin1', 0, 8) === 'Speex   ') {
    const rate = p.readUInt32LE(36);
    return {
      codec: 'speex',
      channels: p.readUInt32LE(48),
      sampleRate: rate,
      granuleRate: rate,
      // extra_headers sits after frames_per_packet, at byte 68.
      headerPackets: 2 + Math.min(p.readUInt32LE(68), 16),
    };
  }
  if (p.length >= 51 && p[0] === 0x7f && p.toString('latin1', 1, 5) === 'FLAC') {
    // STREAMINFO follows the mapping header (9 bytes), "fLaC" and a 4-byte block header.
    const si = 17;
    const rate = (p[si + 10]! << 12) | (p[si + 11]! << 4) | (p[si + 12]! >> 4);
    const headers = p.readUInt16BE(7);
    return {
      codec: 'flac',
      version: p[5]!,
      channels: ((p[si + 12]! >> 1) & 7) + 1,
      sampleRate: rate,
      granuleRate: rate,
      // 0 means "unknown": the metadata packets then run until the first audio frame.
      headerPackets: 1 + (headers > 0 ? Math.min(headers, 64) : 1),
    };
  }
  if (p.length >= 42 && p[0] === 0x80 && p.toString('latin1', 1, 7) === 'theora') {
    return { codec: 'theora', headerPackets: 3 };
  }
  return { codec: 'unknown', headerPackets: 1 };
}

/** The comment packet of a codec, when `p` is one. */
export function readCommentPacket(codec: CodecInfo['codec'], p: Buffer): VorbisComment | undefined {
  if (codec === 'opus' && p.toString('latin1', 0, 8) === 'OpusTags') return parseVorbisComment(p, 8);
  if (codec === 'vorbis' && p[0] === 3 && p.toString('latin1', 1, 7) === 'vorbis')
    return parseVorbisComment(p, 7);
  if (codec === 'speex') return parseVorbisComment(p, 0);
  // FLAC: a metadata block header (type 4 = VORBIS_COMMENT) then the block.
  if (codec === 'flac' && p.length >= 4 && (p[0]! & 0x7f) === 4) return parseVorbisComment(p, 4);
  return undefined;
}

const SILK_MS = [10, 20, 40, 60];
const CELT_MS = [2.5, 5, 10, 20];

/** Samples at 48 kHz in an Opus packet, from its TOC byte (and frame-count byte), or undefined. */
export function opusPacketSamples(toc: number, second: number | undefined): number | undefined {
  const config = toc >> 3;
  const ms = config < 12 ? SILK_MS[config & 3]! : config < 16 ? (config & 1 ? 20 : 10) : CELT_MS[config & 3]!;
  const code = toc & 3;
  let frames: number;
  if (code === 0) frames = 1;
  else if (code < 3) frames = 2;
  else {
    if (second === undefined) return undefined;
    frames = second & 0x3f;
  }
  const samples = ms * 48 * frames;
  // RFC 6716 caps a packet at 120 ms.
  return samples > 5760 ? undefined : samples;
}
