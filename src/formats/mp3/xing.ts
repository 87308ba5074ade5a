// The Xing/Info and VBRI header frames and the LAME tag: what the encoder declared about the stream.
import { crc16Lame } from '../crc.js';
import type { FrameHeader } from './frame-header.js';

export interface LameTag {
  /** The 9-byte encoder version string, e.g. "LAME3.100" or "Lavf". */
  encoder: string;
  revision: number;
  vbrMethod: number;
  lowpassHz: number;
  encoderDelay: number;
  encoderPadding: number;
  /** Bytes from the start of the header frame to the end of the music, as the encoder recorded them. */
  musicLength: number;
  musicCrc: number;
  tagCrc: number;
  /** Whether the stored tag CRC matches the frame bytes before it. */
  tagCrcOk: boolean;
  /** How the CRC was matched: LAME's definition, or ffmpeg's fixed 190-byte span. */
  tagCrcSpan?: number;
}

export interface VbrHeader {
  kind: 'xing' | 'info' | 'vbri';
  /** Offset of the header inside its frame. */
  position: number;
  frames?: number;
  bytes?: number;
  hasToc: boolean;
  quality?: number;
  /** VBRI only: encoder delay in samples. */
  delay?: number;
  version?: number;
  lame?: LameTag;
}

const printable = (b: Buffer, s: number, e: number): string =>
  b
    .toString('latin1', s, e)
    .replace(/[^\x20-\x7e]+/gu, ' ')
    .trim();

function lameTag(frame: Buffer, start: number): LameTag | undefined {
  if (start + 36 > frame.length) return undefined;
  const encoder = printable(frame, start, start + 9);
  // Encoders that write the extension start it with a name (LAME, Lavf, Lavc, GOGO, L3.99...).
  if (!/^[A-Za-z]/u.test(encoder)) return undefined;
  const delayPad = (frame[start + 21]! << 16) | (frame[start + 22]! << 8) | frame[start + 23]!;
  const crcAt = start + 34;
  const tagCrc = frame.readUInt16BE(crcAt);
  const tag: LameTag = {
    encoder,
    revision: frame[start + 9]! >> 4,
    vbrMethod: frame[start + 9]! & 0x0f,
    lowpassHz: frame[start + 10]! * 100,
    encoderDelay: delayPad >> 12,
    encoderPadding: delayPad & 0xfff,
    musicLength: frame.readUInt32BE(start + 28),
    musicCrc: frame.readUInt16BE(start + 32),
    tagCrc,
    tagCrcOk: false,
  };
  // LAME covers every frame byte before the CRC field. ffmpeg always covers a 190-byte buffer (right only
  // for MPEG-1 stereo): the frame, zero bytes past its end, and the CRC field still zero when computed.
  if (crc16Lame(frame, 0, crcAt) === tagCrc) {
    tag.tagCrcOk = true;
    tag.tagCrcSpan = crcAt;
  } else {
    const copy = Buffer.alloc(190);
    frame.copy(copy, 0, 0, Math.min(190, frame.length));
    if (crcAt < 190) copy.fill(0, crcAt, Math.min(190, crcAt + 2));
    if (crc16Lame(copy, 0, 190) === tagCrc) {
      tag.tagCrcOk = true;
      tag.tagCrcSpan = 190;
    }
  }
  return tag;
}

/** Finds a Xing/Info or VBRI header in the frame `frame` (the whole frame's bytes). */
export function readVbrHeader(frame: Buffer, h: FrameHeader): VbrHeader | undefined {
  if (h.layer !== 3) return undefined;
  // Xing sits right after the side information; some writers ignore the CRC word, so try both.
  const base = 4 + h.sideInfo;
  for (const position of h.crc ? [base + 2, base] : [base]) {
    if (position + 8 > frame.length) continue;
    const id = frame.toString('latin1', position, position + 4);
    if (id !== 'Xing' && id !== 'Info') continue;
    const flags = frame.readUInt32BE(position + 4);
    let p = position + 8;
    const out: VbrHeader = { kind: id === 'Xing' ? 'xing' : 'info', position, hasToc: (flags & 4) !== 0 };
    if (flags & 1 && p + 4 <= frame.length) {
      out.frames = frame.readUInt32BE(p);
      p += 4;
    }
    if (flags & 2 && p + 4 <= frame.length) {
      out.bytes = frame.readUInt32BE(p);
      p += 4;
    }
    if (flags & 4) p += 100;
    if (flags & 8 && p + 4 <= frame.length) {
      out.quality = frame.readUInt32BE(p);
      p += 4;
    }
    const lame = lameTag(frame, p);
    if (lame) out.lame = lame;
    return out;
  }
  // Fraunhofer's VBRI always sits 32 bytes after the header, whatever the channel mode.
  if (frame.length >= 36 + 26 && frame.toString('latin1', 36, 40) === 'VBRI') {
    return {
      kind: 'vbri',
      position: 36,
      version: frame.readUInt16BE(40),
      delay: frame.readUInt16BE(42),
      quality: frame.readUInt16BE(44),
      bytes: frame.readUInt32BE(46),
      frames: frame.readUInt32BE(50),
      hasToc: frame.readUInt16BE(54) > 0,
    };
  }
  return undefined;
}
