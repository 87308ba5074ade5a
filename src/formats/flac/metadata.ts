// FLAC metadata blocks: STREAMINFO, VORBIS_COMMENT, SEEKTABLE, PADDING, APPLICATION, PICTURE, CUESHEET.

import { parseVorbisComment, type VorbisComment } from '../ogg/vorbis-comment.js';
import type { ByteSource } from '../types.js';

export interface StreamInfo {
  minBlockSize: number;
  maxBlockSize: number;
  minFrameSize: number;
  maxFrameSize: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 0 when the encoder did not know it. */
  totalSamples: number;
  /** MD5 of the unencoded audio (hex); all zeros when the encoder did not compute it. */
  md5: string;
}

export interface MetadataBlock {
  type: string;
  offset: number;
  length: number;
  info?: Record<string, unknown>;
}

export interface SeekPoint {
  sample: number;
  offset: number;
  samples: number;
}

export interface Metadata {
  blocks: MetadataBlock[];
  streamInfo?: StreamInfo;
  comment?: VorbisComment;
  seekPoints: SeekPoint[];
  /** Offset of the first audio frame (after the last metadata block). */
  audioStart: number;
  warnings: string[];
}

const TYPES = ['STREAMINFO', 'PADDING', 'APPLICATION', 'SEEKTABLE', 'VORBIS_COMMENT', 'CUESHEET', 'PICTURE'];
const MAX_BLOCKS = 1024;
const MAX_BODY = 1 << 20;
const MAX_SEEKPOINTS = 65536;

export function parseStreamInfo(b: Buffer, i: number): StreamInfo {
  const hi = b.readUInt32BE(i + 10);
  const lo = b.readUInt32BE(i + 14);
  return {
    minBlockSize: b.readUInt16BE(i),
    maxBlockSize: b.readUInt16BE(i + 2),
    minFrameSize: b.readUIntBE(i + 4, 3),
    maxFrameSize: b.readUIntBE(i + 7, 3),
    sampleRate: hi >>> 12,
    channels: ((hi >>> 9) & 7) + 1,
    bitsPerSample: ((hi >>> 4) & 0x1f) + 1,
    totalSamples: (hi & 0xf) * 0x100000000 + lo,
    md5: b.toString('hex', i + 18, i + 34),
  };
}

/** Reads the metadata blocks that follow the "fLaC" marker at `marker`. */
export async function readMetadata(source: ByteSource, marker: number): Promise<Metadata> {
  const out: Metadata = { blocks: [], seekPoints: [], audioStart: marker + 4, warnings: [] };
  let pos = marker + 4;
  for (let n = 0; n < MAX_BLOCKS; n++) {
    const head = await source.read(pos, 4);
    if (head.length < 4) {
      out.warnings.push('the file ends inside the metadata blocks');
      out.audioStart = source.size;
      return out;
    }
    const last = (head[0]! & 0x80) !== 0;
    const typeCode = head[0]! & 0x7f;
    const length = head.readUIntBE(1, 3);
    const type = TYPES[typeCode] ?? (typeCode === 127 ? 'INVALID' : `RESERVED-${typeCode}`);
    const block: MetadataBlock = { type, offset: pos, length };
    const bodyAt = pos + 4;
    if (bodyAt + length > source.size) out.warnings.push(`${type} block runs past the end of the file`);
    if (typeCode === 0 && length >= 34) {
      // A file cut inside STREAMINFO has fewer than 34 bytes left: nothing to read, the cut is reported above.
      const body = await source.read(bodyAt, 34);
      if (body.length === 34) out.streamInfo = parseStreamInfo(body, 0);
      if (out.blocks.length > 0) out.warnings.push('STREAMINFO is not the first metadata block');
    } else if (typeCode === 4) {
      const body = await source.read(bodyAt, Math.min(length, MAX_BODY));
      const vc = parseVorbisComment(body, 0);
      if (vc) {
        out.comment ??= vc;
        block.info = { vendor: vc.vendor, comments: vc.comments.length };
      }
    } else if (typeCode === 3) {
      const body = await source.read(bodyAt, Math.min(length, MAX_SEEKPOINTS * 18));
      let placeholders = 0;
      for (let k = 0; k + 18 <= body.length; k += 18) {
        const hi = body.readUInt32BE(k);
        const lo = body.readUInt32BE(k + 4);
        if (hi === 0xffffffff && lo === 0xffffffff) {
          placeholders++;
          continue;
        }
        out.seekPoints.push({
          sample: hi * 0x100000000 + lo,
          offset: body.readUInt32BE(k + 8) * 0x100000000 + body.readUInt32BE(k + 12),
          samples: body.readUInt16BE(k + 16),
        });
      }
      block.info = { points: out.seekPoints.length, placeholders };
    } else if (typeCode === 2) {
      const id = await source.read(bodyAt, 4);
      block.info = { id: id.toString('latin1').replace(/[^\x20-\x7e]/gu, '.') };
    } else if (typeCode === 6) {
      block.info = pictureInfo(await source.read(bodyAt, Math.min(length, 4096)));
    }
    out.blocks.push(block);
    pos = bodyAt + length;
    if (typeCode === 127) {
      out.warnings.push('invalid metadata block type 127');
      break;
    }
    if (last) break;
  }
  out.audioStart = Math.min(pos, source.size);
  return out;
}

function pictureInfo(b: Buffer): Record<string, unknown> | undefined {
  if (b.length < 8) return undefined;
  const type = b.readUInt32BE(0);
  const mimeLength = b.readUInt32BE(4);
  if (8 + mimeLength + 4 > b.length) return { type };
  const mime = b.toString('latin1', 8, 8 + mimeLength);
  const descLength = b.readUInt32BE(8 + mimeLength);
  const d = 12 + mimeLength;
  if (d + descLength + 20 > b.length) return { type, mime };
  return {
    type,
    mime,
    description: b.toString('utf8', d, d + Math.min(descLength, 256)),
    width: b.readUInt32BE(d + descLength),
    height: b.readUInt32BE(d + descLength + 4),
    bytes: b.readUInt32BE(d + descLength + 16),
  };
}
