// Identifies a container from its first bytes, never from the file name.
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseFrameHeader } from './mp3/frame-header.js';

export interface Identified {
  container: string;
  description: string;
  /** Extensions a file of this kind normally carries (lower case, no dot). */
  extensions: string[];
  brand?: string;
  compatibleBrands?: string[];
  /** Sub-kind for Ogg (opus, vorbis, speex, flac) and AMR (nb, wb). */
  codecHint?: string;
  /** Byte offset where the format's own data starts (after a leading ID3 tag or WeChat byte). */
  offset: number;
}

/** Bytes of the head that identification needs (ID3 tags can be large; we skip them by their size). */
export const SNIFF_BYTES = 64 * 1024;

const ascii = (buf: Buffer, start: number, end: number): string => buf.toString('latin1', start, end);

function id3Size(head: Buffer): number {
  if (head.length < 10 || ascii(head, 0, 3) !== 'ID3') return 0;
  const b = (i: number): number => (head[i] ?? 0) & 0x7f;
  const size = (b(6) << 21) | (b(7) << 14) | (b(8) << 7) | b(9);
  const footer = ((head[5] ?? 0) & 0x10) !== 0 ? 10 : 0;
  return 10 + size + footer;
}

/** MPEG audio frame header (layer I/II/III) at `i`? */
export function isMpegAudioHeader(buf: Buffer, i: number): boolean {
  if (i + 4 > buf.length) return false;
  const b1 = buf[i + 1]!;
  const b2 = buf[i + 2]!;
  if (buf[i] !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  if ((b1 & 0x18) === 0x08) return false; // reserved version
  if ((b1 & 0x06) === 0) return false; // reserved layer
  if ((b2 & 0xf0) === 0xf0 || (b2 & 0x0c) === 0x0c) return false; // bad bitrate / sample rate
  return true;
}

/** ADTS header (AAC) at `i`? */
export function isAdtsHeader(buf: Buffer, i: number): boolean {
  if (i + 7 > buf.length) return false;
  const b1 = buf[i + 1]!;
  if (buf[i] !== 0xff || (b1 & 0xf6) !== 0xf0) return false;
  const sfIndex = (buf[i + 2]! >> 2) & 0x0f;
  if (sfIndex > 12) return false;
  const length = ((buf[i + 3]! & 0x03) << 11) | (buf[i + 4]! << 3) | (buf[i + 5]! >> 5);
  return length >= 7;
}

function mp4(head: Buffer, offset: number): Identified | undefined {
  if (head.length < offset + 12 || ascii(head, offset + 4, offset + 8) !== 'ftyp') return undefined;
  const size = head.readUInt32BE(offset);
  const brand = ascii(head, offset + 8, offset + 12);
  const compatible: string[] = [];
  for (let i = offset + 16; i + 4 <= Math.min(offset + size, head.length, offset + 256); i += 4) {
    compatible.push(ascii(head, i, i + 4));
  }
  const all = [brand, ...compatible].map((b) => b.trim());
  const is3g = (b: string): boolean => b.startsWith('3gp') || b.startsWith('3g2') || b.startsWith('3ge');
  if (is3g(brand.trim())) {
    const g2 = brand.startsWith('3g2');
    return {
      container: g2 ? '3g2' : '3gp',
      description: g2 ? '3GPP2 (3G2)' : '3GPP (3GP)',
      extensions: ['3gp', '3g2', '3ga', 'amr', 'm4a', '3gpp'],
      brand,
      compatibleBrands: compatible,
      offset,
    };
  }
  const video = all.some((b) => b === 'qt');
  return {
    container: video ? 'mov' : 'mp4',
    description: video ? 'QuickTime (MOV)' : 'MPEG-4 (M4A/MP4)',
    extensions: ['m4a', 'mp4', 'm4b', 'm4p', 'm4v', 'mov', 'aac', '3gp', 'f4a', 'f4v', 'qt'],
    brand,
    compatibleBrands: compatible,
    offset,
  };
}

/**
 * Identify the container from the head of the file. `size` is the file size, used to tell an MP4
 * that starts with another top-level atom (free, wide, mdat) from noise.
 */
export function identify(head: Buffer): Identified {
  if (head.length === 0) return { container: 'empty', description: 'empty file', extensions: [], offset: 0 };
  const s4 = ascii(head, 0, 4);
  const direct = mp4(head, 0);
  if (direct) return direct;
  // Top-level atoms that may precede ftyp in QuickTime-style files.
  if (head.length >= 16 && ['free', 'wide', 'skip', 'mdat', 'moov'].includes(ascii(head, 4, 8))) {
    const first = head.readUInt32BE(0);
    const next = first >= 8 ? mp4(head, first) : undefined;
    if (next) return { ...next, offset: 0 };
    return {
      container: 'mp4',
      description: 'MPEG-4/QuickTime (no ftyp)',
      extensions: ['m4a', 'mp4', 'mov'],
      offset: 0,
    };
  }
  if (s4 === 'RIFF' && ascii(head, 8, 12) === 'WAVE')
    return { container: 'wav', description: 'WAVE (RIFF)', extensions: ['wav', 'wave'], offset: 0 };
  if ((s4 === 'RF64' || s4 === 'BW64') && ascii(head, 8, 12) === 'WAVE')
    return {
      container: 'wav',
      description: 'WAVE (RF64)',
      extensions: ['wav', 'rf64'],
      codecHint: 'rf64',
      offset: 0,
    };
  if (s4 === 'RIFF' && ascii(head, 8, 12) === 'AVI ')
    return { container: 'avi', description: 'AVI (RIFF)', extensions: ['avi'], offset: 0 };
  if (ascii(head, 0, 9) === '#!AMR-WB\n')
    return {
      container: 'amr',
      description: 'AMR-WB',
      extensions: ['amr', 'awb'],
      codecHint: 'wb',
      offset: 0,
    };
  if (ascii(head, 0, 6) === '#!AMR\n')
    return { container: 'amr', description: 'AMR-NB', extensions: ['amr'], codecHint: 'nb', offset: 0 };
  if (ascii(head, 0, 9) === '#!SILK_V3')
    return {
      container: 'silk',
      description: 'SILK v3 (QQ/WeChat voice)',
      extensions: ['silk', 'slk', 'amr', 'aud'],
      offset: 0,
    };
  if (head[0] === 0x02 && ascii(head, 1, 10) === '#!SILK_V3')
    return {
      container: 'silk',
      description: 'SILK v3 (WeChat/QQ voice, Tencent header byte)',
      extensions: ['silk', 'slk', 'amr', 'aud'],
      codecHint: 'tencent',
      offset: 1,
    };
  if (s4 === 'OggS') {
    const page = head.subarray(0, Math.min(head.length, 512));
    const body = ascii(page, 0, page.length);
    let codecHint = 'unknown';
    if (body.includes('OpusHead')) codecHint = 'opus';
    else if (body.includes('\x01vorbis')) codecHint = 'vorbis';
    else if (body.includes('Speex   ')) codecHint = 'speex';
    else if (body.includes('\x7fFLAC')) codecHint = 'flac';
    else if (body.includes('\x80theora')) codecHint = 'theora';
    const ext: Record<string, string[]> = {
      opus: ['opus', 'ogg', 'oga'],
      vorbis: ['ogg', 'oga'],
      speex: ['spx', 'ogg', 'oga'],
      flac: ['oga', 'ogg'],
      theora: ['ogv', 'ogg'],
    };
    return {
      container: 'ogg',
      description: `Ogg (${codecHint})`,
      extensions: ext[codecHint] ?? ['ogg', 'oga'],
      codecHint,
      offset: 0,
    };
  }
  if (s4 === 'fLaC')
    return { container: 'flac', description: 'FLAC', extensions: ['flac', 'fla'], offset: 0 };
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) {
    const webm = ascii(head, 0, Math.min(head.length, 64)).includes('webm');
    return {
      container: webm ? 'webm' : 'matroska',
      description: webm ? 'WebM' : 'Matroska',
      extensions: ['webm', 'weba', 'mka', 'mkv'],
      offset: 0,
    };
  }
  if (head.length >= 16 && head.toString('hex', 0, 16) === '3026b2758e66cf11a6d900aa0062ce6c')
    return { container: 'asf', description: 'ASF (WMA/WMV)', extensions: ['wma', 'asf', 'wmv'], offset: 0 };
  if (s4 === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(head, 8, 12)))
    return { container: 'aiff', description: 'AIFF', extensions: ['aif', 'aiff', 'aifc'], offset: 0 };
  if (s4 === 'MAC ')
    return { container: 'ape', description: "Monkey's Audio", extensions: ['ape'], offset: 0 };
  if (s4 === 'wvpk') return { container: 'wavpack', description: 'WavPack', extensions: ['wv'], offset: 0 };
  if (s4 === 'MPCK' || ascii(head, 0, 3) === 'MP+')
    return { container: 'musepack', description: 'Musepack', extensions: ['mpc'], offset: 0 };
  if (s4 === 'FRM8') return { container: 'dsdiff', description: 'DSDIFF', extensions: ['dff'], offset: 0 };
  if (s4 === 'DSD ') return { container: 'dsf', description: 'DSF', extensions: ['dsf'], offset: 0 };
  if (ascii(head, 0, 19) === 'Creative Voice File')
    return { container: 'voc', description: 'Creative Voice', extensions: ['voc'], offset: 0 };

  // MPEG audio and ADTS may follow an ID3v2 tag; look for two consecutive frames to avoid noise.
  const tag = id3Size(head);
  if (tag > 0 && tag >= head.length)
    return {
      container: 'mp3',
      description: 'MPEG audio (ID3 tag only in head)',
      extensions: ['mp3'],
      offset: tag,
    };
  const start = tag;
  const limit = Math.min(head.length - 4, start + 16 * 1024);
  for (let i = start; i < limit; i++) {
    if (head[i] !== 0xff) continue;
    if (isAdtsHeader(head, i)) {
      const length = ((head[i + 3]! & 0x03) << 11) | (head[i + 4]! << 3) | (head[i + 5]! >> 5);
      if (i + length + 7 > head.length || isAdtsHeader(head, i + length))
        return { container: 'aac', description: 'AAC (ADTS)', extensions: ['aac', 'adts'], offset: i };
    }
    if (isMpegAudioHeader(head, i)) {
      const next = mpegFrameLength(head, i);
      if (next > 0 && (i + next + 4 > head.length || isMpegAudioHeader(head, i + next))) {
        const layer = 4 - ((head[i + 1]! >> 1) & 0x03);
        return {
          container: 'mp3',
          description:
            layer === 3 ? 'MPEG audio layer III (MP3)' : `MPEG audio layer ${layer === 2 ? 'II' : 'I'}`,
          extensions: layer === 3 ? ['mp3'] : layer === 2 ? ['mp2', 'mpa', 'mp3'] : ['mp1', 'mpa', 'mp3'],
          offset: i,
        };
      }
    }
  }
  if (tag > 0)
    return {
      container: 'mp3',
      description: 'MPEG audio (ID3 tag, no frames found)',
      extensions: ['mp3'],
      offset: tag,
    };
  if (s4 === '%PDF')
    return { container: 'not-audio', description: 'PDF document', extensions: ['pdf'], offset: 0 };
  if (head.toString('hex', 0, 8) === '89504e470d0a1a0a')
    return { container: 'not-audio', description: 'PNG image', extensions: ['png'], offset: 0 };
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)
    return { container: 'not-audio', description: 'JPEG image', extensions: ['jpg', 'jpeg'], offset: 0 };
  if (s4 === 'PK\x03\x04')
    return { container: 'not-audio', description: 'ZIP archive', extensions: ['zip'], offset: 0 };
  return { container: 'unknown', description: 'unrecognised data', extensions: [], offset: 0 };
}

/** Length in bytes of the MPEG audio frame whose header is at `i`, or 0 when it is not valid. */
export function mpegFrameLength(buf: Buffer, i: number): number {
  return parseFrameHeader(buf, i)?.length ?? 0;
}

/** Does the file name's extension fit the identified container? Files without an extension fit. */
export function extensionMatches(
  fileName: string,
  identified: Identified,
): { extension: string; matches: boolean } {
  const extension = extname(fileName).slice(1).toLowerCase();
  // Without an extension, or without a known format, there is nothing to contradict.
  if (!extension || identified.extensions.length === 0) return { extension, matches: true };
  return { extension, matches: identified.extensions.includes(extension) };
}

/** The first SNIFF_BYTES of a file (fewer when it is shorter), read-only. */
export async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
