// ID3v2 tags (v2.2–v2.4): header, footer and the frames that tell who wrote the file and when.
import { MAX_READ } from '../byte-source.js';
import type { ByteSource } from '../types.js';

export interface Id3Frame {
  id: string;
  size: number;
  /** Decoded text for text-like frames (truncated), owner for PRIV, description for GEOB/APIC. */
  value?: string;
}

export interface Id3v2Tag {
  offset: number;
  /** Whole tag in bytes: header, body and footer. */
  size: number;
  version: string;
  flags: number;
  footer: boolean;
  unsynchronised: boolean;
  frames: Id3Frame[];
  /** Frames not listed because the list is capped. */
  framesOmitted: number;
  /** Bytes of zero padding after the last frame. */
  padding: number;
  warnings: string[];
}

const MAX_FRAMES = 256;
const MAX_TEXT = 256;

const synchsafe = (b: Buffer, i: number): number =>
  ((b[i]! & 0x7f) << 21) | ((b[i + 1]! & 0x7f) << 14) | ((b[i + 2]! & 0x7f) << 7) | (b[i + 3]! & 0x7f);

/** Size of the ID3v2 tag whose 10-byte header is at `i` of `buf`, or 0 when there is none. */
export function id3v2HeaderSize(buf: Buffer, i: number): number {
  if (i + 10 > buf.length || buf.toString('latin1', i, i + 3) !== 'ID3') return 0;
  const major = buf[i + 3]!;
  if (major < 2 || major > 4 || buf[i + 4] === 0xff) return 0;
  for (let k = 6; k < 10; k++) if (buf[i + k]! & 0x80) return 0;
  const footer = major === 4 && (buf[i + 5]! & 0x10) !== 0;
  return 10 + synchsafe(buf, i + 6) + (footer ? 10 : 0);
}

/** Size of an ID3v2.4 tag whose footer ("3DI") ends at `end`, or 0. */
export function id3v2FooterSize(buf: Buffer, footerIndex: number): number {
  if (footerIndex < 0 || footerIndex + 10 > buf.length) return 0;
  if (buf.toString('latin1', footerIndex, footerIndex + 3) !== '3DI') return 0;
  for (let k = 6; k < 10; k++) if (buf[footerIndex + k]! & 0x80) return 0;
  return 20 + synchsafe(buf, footerIndex + 6);
}

function removeUnsync(data: Buffer): Buffer {
  const out = Buffer.alloc(data.length);
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    out[n++] = data[i]!;
    if (data[i] === 0xff && data[i + 1] === 0x00) i++;
  }
  return out.subarray(0, n);
}

function decodeText(data: Buffer, encoding: number): string {
  if (encoding === 1 || encoding === 2) {
    let le = encoding === 1;
    let start = 0;
    if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe) start = 2;
    else if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff) {
      le = false;
      start = 2;
    }
    const body = Buffer.from(data.subarray(start, start + ((data.length - start) & ~1)));
    if (!le) body.swap16();
    return body.toString('utf16le');
  }
  return data.toString(encoding === 3 ? 'utf8' : 'latin1');
}

/** Splits `data` at the first terminator of `encoding`; returns [text bytes, rest]. */
function splitTerminated(data: Buffer, encoding: number): [Buffer, Buffer] {
  if (encoding === 1 || encoding === 2) {
    for (let i = 0; i + 1 < data.length; i += 2) {
      if (data[i] === 0 && data[i + 1] === 0) return [data.subarray(0, i), data.subarray(i + 2)];
    }
    return [data, Buffer.alloc(0)];
  }
  const z = data.indexOf(0);
  return z < 0 ? [data, Buffer.alloc(0)] : [data.subarray(0, z), data.subarray(z + 1)];
}

const clean = (s: string): string => s.replace(/\0+$/u, '').replace(/\0/gu, ' / ').trim().slice(0, MAX_TEXT);

/** Value worth keeping from a frame body (text, owner, description), or undefined. */
function frameValue(id: string, body: Buffer): string | undefined {
  if (body.length === 0) return undefined;
  const enc = body[0]!;
  if (id === 'TXXX' || id === 'TXX' || id === 'WXXX' || id === 'WXX') {
    const [desc, rest] = splitTerminated(body.subarray(1), enc);
    const value = id.startsWith('W') ? rest.toString('latin1') : decodeText(rest, enc);
    return clean(`${decodeText(desc, enc)}=${value}`);
  }
  if (id[0] === 'T') return clean(decodeText(body.subarray(1), enc));
  if (id === 'COMM' || id === 'COM' || id === 'USLT' || id === 'ULT') {
    const [desc, rest] = splitTerminated(body.subarray(4), enc);
    const d = decodeText(desc, enc);
    return clean(d ? `${d}=${decodeText(rest, enc)}` : decodeText(rest, enc));
  }
  if (id === 'PRIV' || id === 'PRV' || id === 'UFID' || id === 'UFI') {
    const [owner, rest] = splitTerminated(body, 0);
    return clean(`${owner.toString('latin1')} (${rest.length} bytes)`);
  }
  if (id === 'GEOB' || id === 'GEO') {
    const [mime, afterMime] = splitTerminated(body.subarray(1), 0);
    const [file, afterFile] = splitTerminated(afterMime, enc);
    const [desc, data] = splitTerminated(afterFile, enc);
    return clean(
      `${mime.toString('latin1')}; ${decodeText(file, enc)}; ${decodeText(desc, enc)} (${data.length} bytes)`,
    );
  }
  if (id === 'APIC') {
    const [mime, rest] = splitTerminated(body.subarray(1), 0);
    const [desc, data] = splitTerminated(rest.subarray(1), enc);
    return clean(`${mime.toString('latin1')}; ${decodeText(desc, enc)} (${data.length} bytes)`);
  }
  if (id[0] === 'W') return clean(body.toString('latin1'));
  return undefined;
}

// Spec ids are upper case; some writers use mixed case ("Date"), which readers accept.
const validId = (s: string): boolean => /^[A-Za-z0-9]{3,4}$/u.test(s);

/** Parses the ID3v2 tag at `offset`; undefined when there is no tag header there. */
export async function readId3v2(source: ByteSource, offset: number): Promise<Id3v2Tag | undefined> {
  const head = await source.read(offset, 10);
  const size = id3v2HeaderSize(head, 0);
  if (size === 0) return undefined;
  const major = head[3]!;
  const flags = head[5]!;
  const footer = major === 4 && (flags & 0x10) !== 0;
  const tag: Id3v2Tag = {
    offset,
    size,
    version: `2.${major}.${head[4]!}`,
    flags,
    footer,
    unsynchronised: (flags & 0x80) !== 0,
    frames: [],
    framesOmitted: 0,
    padding: 0,
    warnings: [],
  };
  const bodySize = size - 10 - (footer ? 10 : 0);
  if (offset + size > source.size) tag.warnings.push('ID3v2 tag runs past the end of the file');
  // The body is read once, bounded; a larger tag (huge cover art) has its tail ignored.
  let body = await source.read(offset + 10, Math.min(bodySize, MAX_READ));
  if (bodySize > MAX_READ) tag.warnings.push('ID3v2 tag larger than the read limit; its tail was not parsed');
  if (tag.unsynchronised && major < 4) body = removeUnsync(body);
  let pos = 0;
  if (flags & 0x40 && body.length >= 4) {
    // Extended header: v2.3 size excludes its own 4 bytes, v2.4 size (synchsafe) includes them.
    pos = major === 4 ? synchsafe(body, 0) : body.readUInt32BE(0) + 4;
  }
  const headerLen = major === 2 ? 6 : 10;
  while (pos + headerLen <= body.length) {
    if (body[pos] === 0) {
      tag.padding = body.length - pos;
      break;
    }
    const id = body.toString('latin1', pos, pos + (major === 2 ? 3 : 4));
    if (!validId(id)) {
      tag.warnings.push(`unreadable ID3v2 frame id at tag byte ${pos}`);
      break;
    }
    let frameSize: number;
    if (major === 2) frameSize = (body[pos + 3]! << 16) | (body[pos + 4]! << 8) | body[pos + 5]!;
    else if (major === 3) frameSize = body.readUInt32BE(pos + 4);
    else {
      frameSize = synchsafe(body, pos + 4);
      // Some v2.4 writers store plain sizes; prefer the reading that lands on the next frame.
      const plain = body.readUInt32BE(pos + 4);
      if (plain !== frameSize) {
        const next = (n: number): boolean => {
          const at = pos + 10 + n;
          return at === body.length || body[at] === 0 || validId(body.toString('latin1', at, at + 4));
        };
        if (!next(frameSize) && next(plain)) frameSize = plain;
      }
    }
    const dataStart = pos + headerLen;
    if (frameSize < 0 || dataStart + frameSize > body.length) {
      tag.warnings.push(`ID3v2 frame ${id} runs past the end of the tag`);
      frameSize = Math.max(0, body.length - dataStart);
    }
    let data = body.subarray(dataStart, dataStart + frameSize);
    let readable = true;
    if (major >= 3) {
      const f = body[pos + 9]!;
      if (major === 3) {
        if (f & 0x80 || f & 0x40)
          readable = false; // compressed or encrypted
        else if (f & 0x20) data = data.subarray(1);
      } else {
        if (f & 0x08 || f & 0x04) readable = false;
        if (f & 0x40) data = data.subarray(1);
        if (f & 0x01) data = data.subarray(4);
        if (f & 0x02 || tag.unsynchronised) data = removeUnsync(data);
      }
    }
    if (tag.frames.length < MAX_FRAMES) {
      const frame: Id3Frame = { id, size: frameSize };
      const value = readable ? frameValue(id, data) : undefined;
      if (value !== undefined) frame.value = value;
      tag.frames.push(frame);
    } else tag.framesOmitted++;
    pos = dataStart + frameSize;
    if (frameSize === 0 && pos + headerLen > body.length) break;
  }
  return tag;
}

/** First value of frame `id` (v2.3/v2.4 id, or its v2.2 three-letter form). */
export function frameText(tag: Id3v2Tag, ...ids: string[]): string | undefined {
  return tag.frames.find((f) => ids.includes(f.id) && f.value)?.value;
}

const ISO = /^\d{4}(-\d{2}(-\d{2}([T ]\d{2}(:\d{2}(:\d{2})?)?)?)?)?$/u;

/** Recording and tagging times from the tag, as ISO-8601 strings where the tag's form allows. */
export function id3Times(tag: Id3v2Tag): { created?: string; modified?: string } {
  const out: { created?: string; modified?: string } = {};
  const iso = (s: string | undefined): string | undefined =>
    s && ISO.test(s.trim()) ? s.trim().replace(' ', 'T') : undefined;
  const created = iso(frameText(tag, 'TDRC')) ?? iso(frameText(tag, 'TDEN'));
  if (created) out.created = created;
  else {
    const year = frameText(tag, 'TYER', 'TYE');
    if (year && /^\d{4}$/u.test(year)) {
      const date = frameText(tag, 'TDAT', 'TDA');
      const time = frameText(tag, 'TIME', 'TIM');
      let value = year;
      if (date && /^\d{4}$/u.test(date)) {
        value += `-${date.slice(2, 4)}-${date.slice(0, 2)}`;
        if (time && /^\d{4}$/u.test(time)) value += `T${time.slice(0, 2)}:${time.slice(2, 4)}`;
      }
      out.created = value;
    }
  }
  const modified = iso(frameText(tag, 'TDTG'));
  if (modified) out.modified = modified;
  return out;
}

/** Encoder/software strings from TSSE, TENC and TXXX frames that name an encoder or tool. */
export function id3Writers(tag: Id3v2Tag): string[] {
  const out: string[] = [];
  for (const f of tag.frames) {
    if (!f.value) continue;
    if (['TSSE', 'TSS', 'TENC', 'TEN'].includes(f.id)) out.push(f.value);
    else if ((f.id === 'TXXX' || f.id === 'TXX') && /^(encod|software|tool|writ|creat)/iu.test(f.value))
      out.push(f.value.slice(f.value.indexOf('=') + 1));
  }
  return out.filter((s) => s.length > 0);
}
