// WAVE chunk payload readers: fmt, fact, ds64, LIST/INFO, bext and XMP, bounded by the bytes handed in.

export interface WavFormat {
  formatTag: number;
  /** The codec the format tag (or the extensible sub-format) names. */
  codec: string;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  /** Size of the fmt chunk: 16, 18, 20, 40… differs between writers. */
  chunkSize: number;
  extensible?: { validBits: number; channelMask: number; subFormat: string };
}

const CODECS: Record<number, string> = {
  1: 'pcm',
  2: 'ms-adpcm',
  3: 'float',
  6: 'alaw',
  7: 'mulaw',
  17: 'ima-adpcm',
  49: 'gsm610',
  80: 'mpeg',
  85: 'mp3',
  255: 'aac',
  5648: 'aac-adts',
  65534: 'extensible',
};

export function readFmt(p: Buffer, chunkSize: number): WavFormat | undefined {
  if (p.length < 16) return undefined;
  const formatTag = p.readUInt16LE(0);
  const format: WavFormat = {
    formatTag,
    codec: CODECS[formatTag] ?? `0x${formatTag.toString(16).padStart(4, '0')}`,
    channels: p.readUInt16LE(2),
    sampleRate: p.readUInt32LE(4),
    byteRate: p.readUInt32LE(8),
    blockAlign: p.readUInt16LE(12),
    bitsPerSample: p.readUInt16LE(14),
    chunkSize,
  };
  if (formatTag === 0xfffe && p.length >= 40) {
    const guid = p.subarray(24, 40);
    const sub = guid.readUInt16LE(0);
    format.extensible = {
      validBits: p.readUInt16LE(18),
      channelMask: p.readUInt32LE(20),
      subFormat: guid.toString('hex'),
    };
    format.codec = CODECS[sub] ?? `0x${sub.toString(16).padStart(4, '0')}`;
  }
  return format;
}

export interface Ds64 {
  riffSize: number;
  dataSize: number;
  sampleCount: number;
}

export function readDs64(p: Buffer): Ds64 | undefined {
  if (p.length < 24) return undefined;
  return {
    riffSize: Number(p.readBigUInt64LE(0)),
    dataSize: Number(p.readBigUInt64LE(8)),
    sampleCount: Number(p.readBigUInt64LE(16)),
  };
}

/** NUL-terminated text with control characters removed and length bounded. */
export function text(bytes: Buffer, max = 1024): string {
  const nul = bytes.indexOf(0);
  return bytes
    .subarray(0, nul >= 0 ? nul : bytes.length)
    .toString('utf8')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/g, '')
    .trim()
    .slice(0, max);
}

/** LIST chunk: its list type and, for INFO, the text items by id. */
export function readList(p: Buffer): { listType: string; items: Record<string, string>; ids: string[] } {
  const listType = p.length >= 4 ? p.toString('latin1', 0, 4) : '';
  const items: Record<string, string> = {};
  const ids: string[] = [];
  let pos = 4;
  while (pos + 8 <= p.length && ids.length < 200) {
    const id = p.toString('latin1', pos, pos + 4);
    const size = p.readUInt32LE(pos + 4);
    if (!/^[\x20-\x7e]{4}$/.test(id)) break;
    ids.push(id);
    const body = p.subarray(pos + 8, Math.min(p.length, pos + 8 + size));
    if (listType === 'INFO') items[id] ??= text(body);
    // Sub-chunks are word-aligned like every RIFF chunk.
    pos += 8 + size + (size & 1);
  }
  return { listType, items, ids };
}

export interface Bext {
  description: string;
  originator: string;
  originatorReference: string;
  originationDate: string;
  originationTime: string;
  timeReference: number;
  version: number;
  codingHistory: string;
}

/** EBU Tech 3285 broadcast extension. */
export function readBext(p: Buffer): Bext | undefined {
  if (p.length < 348) return undefined;
  return {
    description: text(p.subarray(0, 256)),
    originator: text(p.subarray(256, 288)),
    originatorReference: text(p.subarray(288, 320)),
    originationDate: text(p.subarray(320, 330)),
    originationTime: text(p.subarray(330, 338)),
    timeReference: p.readUInt32LE(338) + p.readUInt32LE(342) * 2 ** 32,
    version: p.readUInt16LE(346),
    codingHistory: p.length > 602 ? text(p.subarray(602), 4096) : '',
  };
}

/** Programs an XMP packet names (CreatorTool, history software agents). */
export function xmpSoftware(xmp: string): string[] {
  const out: string[] = [];
  for (const field of ['xmp:CreatorTool', 'stEvt:softwareAgent']) {
    const re = new RegExp(`${field}(?:="([^"]{1,200})"|>([^<]{1,200})<)`, 'g');
    for (const m of xmp.matchAll(re)) {
      const value = (m[1] ?? m[2] ?? '').trim();
      if (value && !out.includes(value) && out.length < 32) out.push(value);
    }
  }
  return out;
}
