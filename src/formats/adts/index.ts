// ADTS AAC stream parser: frame walk, parameter changes mid-stream, junk and resync gaps, partial last frame, tags inside.
import { BlockReader, findAll } from '../block-reader.js';
import { type ByteSource, emptyReport, type StructureParser, type StructureReport } from '../types.js';

const RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];
const PROFILES = ['main', 'lc', 'ssr', 'ltp'];
/** Valid frames in a row that confirm a resynchronisation point. */
const CONFIRM = 3;
const MAX_SIGNS = 16;
const MAX_CHANGES = 50;
/** Encoder identification strings some AAC encoders put in the first frames (fill or data stream elements). */
const ENCODER_IDS =
  /(Lavc\d+\.\d+\.\d+|libfaac \d[\d.]*|FAAC \d[\d.]*|Nero AAC[\x20-\x7e]{0,40}|iTunes[\x20-\x7e]{0,40})/g;

/** Encoder names found in raw AAC frame bytes (ADTS frames or MP4 samples). */
export function aacEncoderIds(frames: Buffer): string[] {
  return [...new Set([...frames.toString('latin1').matchAll(ENCODER_IDS)].map((m) => m[1]!))];
}

interface Header {
  mpeg2: boolean;
  profile: number;
  rateIndex: number;
  channels: number;
  length: number;
  blocks: number;
  crc: boolean;
  vbr: boolean;
}

/** ADTS header at `i` of `buf`, or undefined when the bytes are not one. */
export function adtsHeader(buf: Buffer, i: number): Header | undefined {
  if (i + 7 > buf.length) return undefined;
  const b1 = buf[i + 1]!;
  if (buf[i] !== 0xff || (b1 & 0xf6) !== 0xf0) return undefined;
  const b2 = buf[i + 2]!;
  const b3 = buf[i + 3]!;
  const rateIndex = (b2 >> 2) & 0x0f;
  if (rateIndex > 12) return undefined;
  const crc = (b1 & 0x01) === 0;
  const length = ((b3 & 0x03) << 11) | (buf[i + 4]! << 3) | (buf[i + 5]! >> 5);
  if (length < (crc ? 9 : 7)) return undefined;
  const fullness = ((buf[i + 5]! & 0x1f) << 6) | (buf[i + 6]! >> 2);
  return {
    mpeg2: (b1 & 0x08) !== 0,
    profile: b2 >> 6,
    rateIndex,
    channels: ((b2 & 0x01) << 2) | (b3 >> 6),
    length,
    blocks: (buf[i + 6]! & 0x03) + 1,
    crc,
    vbr: fullness === 0x7ff,
  };
}

/** ID3v2 tag size (header and footer included) at `i`, or 0. */
function id3v2Size(buf: Buffer, i: number): number {
  if (i + 10 > buf.length || buf.toString('latin1', i, i + 3) !== 'ID3') return 0;
  // Versions 2.2-2.4 with revision 0 and no undefined flag bits: random bytes rarely pass.
  const version = buf[i + 3]!;
  if (version < 2 || version > 4 || buf[i + 4] !== 0 || (buf[i + 5]! & 0x0f) !== 0) return 0;
  const b = (k: number): number => buf[i + k]! & 0x7f;
  if ([6, 7, 8, 9].some((k) => (buf[i + k]! & 0x80) !== 0)) return 0;
  return 10 + ((b(6) << 21) | (b(7) << 14) | (b(8) << 7) | b(9)) + ((buf[i + 5]! & 0x10) !== 0 ? 10 : 0);
}

/** Text of the ID3v2 frames that name software (TSSE, TENC), for writer hints. */
function id3Software(tag: Buffer): string[] {
  const out: string[] = [];
  const version = tag[3] ?? 0;
  if (version < 3) return out;
  let pos = 10;
  while (pos + 10 <= tag.length && out.length < 8) {
    const id = tag.toString('latin1', pos, pos + 4);
    if (!/^[A-Z0-9]{4}$/.test(id)) break;
    const raw = tag.readUInt32BE(pos + 4);
    const size =
      version === 4
        ? ((raw >> 24) & 0x7f) * 2 ** 21 +
          ((raw >> 16) & 0x7f) * 2 ** 14 +
          ((raw >> 8) & 0x7f) * 128 +
          (raw & 0x7f)
        : raw;
    const body = tag.subarray(pos + 10, Math.min(tag.length, pos + 10 + size));
    if ((id === 'TSSE' || id === 'TENC') && body.length > 1) {
      const enc = body[0];
      const text = (
        enc === 1 || enc === 2 ? body.subarray(1).toString('utf16le') : body.subarray(1).toString('utf8')
      )
        .replace(/[\u0000-\u001f\ufffd\ufeff]/g, '')
        .trim();
      if (text) out.push(text.slice(0, 200));
    }
    if (size <= 0) break;
    pos += 10 + size;
  }
  return out;
}

const secs = (value: number): number => Math.round(value * 1e6) / 1e6;

export const adtsParser: StructureParser = {
  containers: ['aac'],
  async parse(source: ByteSource): Promise<StructureReport> {
    const report = emptyReport('aac');
    const size = source.size;
    const window = new BlockReader(source);
    const writer = report.writer;
    const software = (name: string): void => {
      if (name && !writer.software.includes(name) && writer.software.length < 16) writer.software.push(name);
    };
    const marker = (name: string): void => {
      if (!writer.markers.includes(name)) writer.markers.push(name);
    };

    let pos = 0;
    // A leading ID3v2 tag is normal for tagged AAC files.
    const lead = await window.bytes(0, 10);
    const leadSize = id3v2Size(lead, 0);
    if (leadSize > 0) {
      marker('id3v2');
      for (const s of id3Software(await source.read(0, Math.min(leadSize, 1024 * 1024)))) software(s);
      pos = Math.min(leadSize, size);
    }

    let frames = 0;
    let blocks = 0;
    let seconds = 0;
    let bytes = 0;
    let junkBytes = 0;
    let crcFrames = 0;
    let vbrFrames = 0;
    let previous: Header | undefined;
    let first: Header | undefined;
    const layouts = new Map<string, number>();

    /** Do CONFIRM valid frames (or a tag, or the exact end of file) follow from `at`? Synchronous over `buf`. */
    const confirmsIn = (buf: Buffer, base: number, i: number): boolean => {
      let p = i;
      for (let n = 0; n < CONFIRM; n++) {
        if (base + p === size) return n > 0;
        if (p + 9 > buf.length) return base + buf.length < size; // past this block: the main walk judges
        const h = adtsHeader(buf, p);
        if (!h) return n > 0 && (id3v2Size(buf, p) > 0 || buf.toString('latin1', p, p + 3) === 'TAG');
        p += h.length;
      }
      return true;
    };
    const resync = async (from: number): Promise<number> => {
      const block = 64 * 1024;
      let base = from;
      while (base < size) {
        const buf = await window.bytes(base, block + CONFIRM * 8192);
        const limit = Math.min(buf.length, block);
        for (let i = 0; i < limit; i++) {
          if (buf[i] === 0xff && confirmsIn(buf, base, i)) return base + i;
          if (buf[i] === 0x49 && id3v2Size(buf, i) > 0) return base + i;
        }
        if (buf.length <= block) return size;
        base += limit;
      }
      return size;
    };

    report.complete = true;
    while (pos < size) {
      const head = await window.bytes(pos, 10);
      const h = adtsHeader(head, 0);
      if (!h) {
        const tag = id3v2Size(head, 0);
        if (tag > 0) {
          report.appended.push({
            kind: 'id3-inside',
            offset: pos,
            at: secs(seconds),
            detail: `an ID3v2 tag (${tag} bytes) sits between AAC frames at byte ${pos}`,
            strong: false,
            data: { bytes: tag },
          });
          for (const s of id3Software(await source.read(pos, Math.min(tag, 1024 * 1024)))) software(s);
          pos += tag;
          continue;
        }
        if (head.toString('latin1', 0, 3) === 'TAG' && size - pos === 128) {
          marker('id3v1');
          report.appended.push({
            kind: 'id3v1',
            offset: pos,
            at: secs(seconds),
            detail: 'an ID3v1 tag closes the stream: a tagger added it after encoding',
            strong: false,
          });
          pos = size;
          break;
        }
        if (head.toString('latin1', 0, 8) === 'APETAGEX') {
          report.appended.push({
            kind: 'ape-tag',
            offset: pos,
            at: secs(seconds),
            detail: `an APE tag starts at byte ${pos}`,
            strong: false,
          });
          pos = size;
          break;
        }
        const next = await resync(pos + 1);
        if (next >= size && frames > 0) {
          // Nothing decodable follows: bytes added after the stream, not a gap inside it.
          const tail = await source.read(pos, Math.min(size - pos, 4096));
          const zeros = tail.every((b) => b === 0);
          report.appended.push({
            kind: 'trailing-data',
            offset: pos,
            at: secs(seconds),
            detail: `${size - pos} bytes after the last frame are not ADTS frames${zeros ? ' (zeros)' : ''}`,
            strong: false,
            data: { bytes: size - pos, zeros },
          });
          pos = size;
          break;
        }
        junkBytes += next - pos;
        if (report.frameIssues.length < MAX_SIGNS)
          report.frameIssues.push({
            kind: 'junk',
            offset: pos,
            at: secs(seconds),
            detail: `${next - pos} bytes at byte ${pos} are not ADTS frames${next < size ? '; frames resume after them' : ''}`,
            strong: false,
            data: { bytes: next - pos },
          });
        pos = next;
        continue;
      }
      if (pos + h.length > size) {
        report.complete = false;
        report.truncation.push({
          kind: 'partial-last-frame',
          offset: pos,
          at: secs(seconds),
          detail: `the last frame declares ${h.length} bytes but the file ends after ${size - pos}`,
          strong: true,
          data: { needed: h.length, present: size - pos },
        });
        pos = size;
        break;
      }
      const rate = RATES[h.rateIndex]!;
      if (previous && report.parameterChanges.length < MAX_CHANGES) {
        const change = (
          parameter: 'sampleRate' | 'channels' | 'version' | 'other',
          from: string | number,
          to: string | number,
        ) => report.parameterChanges.push({ parameter, from, to, at: secs(seconds), offset: pos });
        if (previous.rateIndex !== h.rateIndex) change('sampleRate', RATES[previous.rateIndex]!, rate);
        if (previous.channels !== h.channels) change('channels', previous.channels, h.channels);
        if (previous.profile !== h.profile)
          change('other', `profile ${PROFILES[previous.profile]}`, `profile ${PROFILES[h.profile]}`);
        if (previous.mpeg2 !== h.mpeg2)
          change('version', previous.mpeg2 ? 'MPEG-2' : 'MPEG-4', h.mpeg2 ? 'MPEG-2' : 'MPEG-4');
      }
      if (frames < 4) {
        // Encoders that identify themselves do it in the first frames.
        const frame = await window.bytes(pos, h.length);
        for (const id of aacEncoderIds(frame)) software(id);
      }
      first ??= h;
      previous = h;
      frames++;
      blocks += h.blocks;
      seconds += (1024 * h.blocks) / rate;
      bytes += h.length;
      if (h.crc) crcFrames++;
      if (h.vbr) vbrFrames++;
      const layout = `${PROFILES[h.profile]}/${rate}/${h.channels}`;
      layouts.set(layout, (layouts.get(layout) ?? 0) + 1);
      pos += h.length;
    }

    // An ID3 tag in the middle of a frame (a spliced-in file) is not on a frame boundary: search the bytes.
    if (!report.appended.some((s) => s.kind === 'id3-inside')) {
      const start = Math.max(leadSize, 0);
      for (const hit of await findAll(source, Buffer.from('ID3', 'latin1'), start + 1, size, 64)) {
        const tag = id3v2Size(await source.read(hit, 10), 0);
        if (tag > 0 && tag < size) {
          report.appended.push({
            kind: 'id3-inside',
            offset: hit,
            detail: `an ID3v2 tag header sits inside the AAC data at byte ${hit}`,
            strong: false,
            data: { bytes: tag },
          });
          break;
        }
      }
    }

    if (frames === 0) {
      report.complete = false;
      report.warnings.push('no ADTS frames found');
    }
    report.counted.push({ source: 'adts-frames', seconds: secs(seconds), frames });
    if (first) marker(`adts:${first.mpeg2 ? 'mpeg2' : 'mpeg4'}`);
    if (crcFrames > 0) marker('adts:crc');
    report.details = {
      frames,
      rawBlocks: blocks,
      bytes,
      junkBytes,
      crcFrames,
      vbrFrames,
      ...(first
        ? {
            first: {
              version: first.mpeg2 ? 'MPEG-2' : 'MPEG-4',
              profile: PROFILES[first.profile],
              sampleRate: RATES[first.rateIndex],
              channelConfig: first.channels,
            },
          }
        : {}),
      layouts: Object.fromEntries(layouts),
      averageBitrate: seconds > 0 ? Math.round((bytes * 8) / seconds) : undefined,
    };
    return report;
  },
};
