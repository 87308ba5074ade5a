// AMR-NB/WB storage-format parser (RFC 4867 §5): frame walk by frame type, invalid frames, partial last frame, second header.

import { BlockReader, findAll } from '../block-reader.js';
import { type ByteSource, emptyReport, type StructureParser, type StructureReport } from '../types.js';

const NB_MAGIC = Buffer.from('#!AMR\n', 'latin1');
const WB_MAGIC = Buffer.from('#!AMR-WB\n', 'latin1');
/** Speech bytes after the TOC byte per frame type; -1 = reserved (invalid), 0 = NO_DATA. */
const NB_SIZES = [12, 13, 15, 17, 19, 20, 26, 31, 5, 6, 5, 5, -1, -1, -1, 0];
const WB_SIZES = [17, 23, 32, 36, 40, 46, 50, 58, 60, 5, -1, -1, -1, -1, 0, 0];
const NB_SID = 8;
const WB_SID = 9;
const NO_DATA = 15;
const FRAME_SECONDS = 0.02;
/** Valid frames in a row that confirm a resynchronisation point. */
const CONFIRM = 3;
const MAX_SIGNS = 16;

type Variant = 'nb' | 'wb';

const secs = (frames: number): number => Math.round(frames * FRAME_SECONDS * 1e6) / 1e6;

/** Frame length (TOC byte included) of a storage-format TOC, or 0 when the TOC is invalid. */
function frameLength(toc: number, sizes: readonly number[]): number {
  // F (bit 7) is 0 in storage format and the two padding bits are 0.
  if ((toc & 0x83) !== 0) return 0;
  const size = sizes[(toc >> 3) & 0x0f] ?? -1;
  return size < 0 ? 0 : size + 1;
}

function magicAt(buf: Buffer): Variant | undefined {
  if (buf.length >= WB_MAGIC.length && buf.subarray(0, WB_MAGIC.length).equals(WB_MAGIC)) return 'wb';
  if (buf.length >= NB_MAGIC.length && buf.subarray(0, NB_MAGIC.length).equals(NB_MAGIC)) return 'nb';
  return undefined;
}

/**
 * First offset at or after `from` where CONFIRM valid frames follow one another (or a header, or the
 * exact end of the file). Tested synchronously over blocks so junk costs no per-byte awaits.
 */
async function resync(
  window: BlockReader,
  from: number,
  size: number,
  sizes: readonly number[],
): Promise<number> {
  const block = 64 * 1024;
  const span = CONFIRM * 61 + 9;
  let base = from;
  while (base < size) {
    const buf = await window.bytes(base, block + span);
    const limit = Math.min(buf.length, block);
    for (let i = 0; i < limit; i++) {
      let p = i;
      let n = 0;
      for (; n < CONFIRM; n++) {
        if (base + p === size) break;
        if (p + 9 > buf.length && base + buf.length < size) {
          n = CONFIRM; // beyond this block: let the main walk judge it
          break;
        }
        if (magicAt(buf.subarray(p))) {
          n = CONFIRM;
          break;
        }
        const length = frameLength(buf[p]!, sizes);
        if (!length || base + p + length > size) break;
        p += length;
      }
      if (n >= CONFIRM || (n > 0 && base + p === size)) return base + i;
    }
    if (buf.length <= block) return size;
    base += limit;
  }
  return size;
}

/** Are all bytes from `pos` to the end zero? Only the first MB is checked: padding is never longer. */
async function zerosToEnd(source: ByteSource, pos: number): Promise<boolean> {
  // A short look first: real frames that happen to start with 0x00 fail it at once.
  const head = await source.read(pos, Math.min(source.size - pos, 4096));
  if (!head.every((b) => b === 0)) return false;
  const rest = await source.read(pos, Math.min(source.size - pos, 1024 * 1024));
  return rest.length === source.size - pos && rest.every((b) => b === 0);
}

export const amrParser: StructureParser = {
  containers: ['amr'],
  async parse(source: ByteSource): Promise<StructureReport> {
    const report = emptyReport('amr');
    const size = source.size;
    const window = new BlockReader(source);
    const variant = magicAt(await window.bytes(0, 9));
    if (!variant) {
      report.warnings.push('no single-channel AMR magic (#!AMR or #!AMR-WB); multichannel AMR is not read');
      return report;
    }
    report.complete = true;
    report.writer.markers.push(`amr-${variant}`);
    let sizes = variant === 'wb' ? WB_SIZES : NB_SIZES;
    let current: Variant = variant;
    const types = new Map<number, number>();
    let frames = 0;
    let badQuality = 0;
    let junkBytes = 0;
    let pos = variant === 'wb' ? WB_MAGIC.length : NB_MAGIC.length;
    const headers: number[] = [];

    while (pos < size) {
      const head = await window.bytes(pos, 9);
      const magic = magicAt(head);
      if (magic) {
        headers.push(pos);
        if (headers.length === 1)
          report.appended.push({
            kind: 'second-header',
            offset: pos,
            at: secs(frames),
            detail: `a second AMR file header (#!AMR${magic === 'wb' ? '-WB' : ''}) starts at byte ${pos}: another file follows`,
            strong: true,
          });
        if (magic !== current) {
          report.parameterChanges.push({
            parameter: 'codec',
            from: `amr-${current}`,
            to: `amr-${magic}`,
            at: secs(frames),
            offset: pos,
          });
          current = magic;
          sizes = magic === 'wb' ? WB_SIZES : NB_SIZES;
        }
        pos += magic === 'wb' ? WB_MAGIC.length : NB_MAGIC.length;
        continue;
      }
      const toc = head[0]!;
      // Zero bytes read as valid NB frames (type 0, bad quality): check whether the rest is padding.
      if (toc === 0 && (await zerosToEnd(source, pos))) {
        report.appended.push({
          kind: 'trailing-data',
          offset: pos,
          at: secs(frames),
          detail: `${size - pos} zero bytes follow the last frame`,
          strong: false,
          data: { bytes: size - pos, zeros: true },
        });
        pos = size;
        break;
      }
      // An ID3/APE tag where a frame should be: a tagger (or an editor) added it. "TAG" (0x54) would read
      // as a valid NB frame header, so tags are recognised before frames.
      const tag = head.toString('latin1', 0, 3);
      const ape = head.toString('latin1', 0, 8) === 'APETAGEX';
      if ((tag === 'TAG' && size - pos === 128) || (tag === 'ID3' && head[3]! <= 4) || ape) {
        report.appended.push({
          kind: ape ? 'ape-tag' : tag === 'TAG' ? 'id3v1' : 'id3v2',
          offset: pos,
          at: secs(frames),
          detail: `${ape ? 'an APE' : 'an ID3'} tag sits at byte ${pos}, which AMR files never carry`,
          strong: false,
          data: { bytes: size - pos },
        });
        pos = size;
        break;
      }
      const length = frameLength(toc, sizes);
      if (!length) {
        const next = await resync(window, pos + 1, size, sizes);
        const skipped = next - pos;
        junkBytes += skipped;
        if (report.frameIssues.length < MAX_SIGNS)
          report.frameIssues.push({
            kind: 'invalid-frame-type',
            offset: pos,
            at: secs(frames),
            detail: `byte 0x${toc.toString(16).padStart(2, '0')} is not a valid AMR-${current.toUpperCase()} frame header; ${skipped} bytes skipped to the next run of valid frames`,
            strong: false,
            data: { toc, frameType: (toc >> 3) & 0x0f, skipped },
          });
        pos = next;
        continue;
      }
      if (pos + length > size) {
        report.complete = false;
        report.truncation.push({
          kind: 'partial-last-frame',
          offset: pos,
          at: secs(frames),
          detail: `the last frame needs ${length} bytes but the file ends after ${size - pos}`,
          strong: true,
          data: { needed: length, present: size - pos },
        });
        pos = size;
        break;
      }
      const type = (toc >> 3) & 0x0f;
      types.set(type, (types.get(type) ?? 0) + 1);
      if ((toc & 0x04) === 0 && type !== NO_DATA) badQuality++;
      frames++;
      pos += length;
    }

    // A header cut into by a partial frame of the first file is not on a frame boundary: search the bytes.
    if (headers.length === 0) {
      const start = variant === 'wb' ? WB_MAGIC.length : NB_MAGIC.length;
      const hits = [
        ...(await findAll(source, NB_MAGIC, start, size, 1)),
        ...(await findAll(source, WB_MAGIC, start, size, 1)),
      ];
      const first = hits.sort((a, b) => a - b)[0];
      if (first !== undefined)
        report.appended.push({
          kind: 'second-header',
          offset: first,
          detail: `a second AMR file header starts at byte ${first}, inside a frame: another file was joined in`,
          strong: true,
        });
    }

    const sid = types.get(variant === 'wb' ? WB_SID : NB_SID) ?? 0;
    const noData = (types.get(NO_DATA) ?? 0) + (variant === 'wb' ? (types.get(14) ?? 0) : 0);
    report.counted.push({ source: 'amr-frames', seconds: secs(frames), frames });
    report.details = {
      variant,
      frames,
      frameTypes: Object.fromEntries([...types.entries()].sort((a, b) => a[0] - b[0])),
      speechFrames: frames - sid - noData,
      sidFrames: sid,
      noDataFrames: noData,
      badQualityFrames: badQuality,
      junkBytes,
      headers: [0, ...headers],
    };
    return report;
  },
};
