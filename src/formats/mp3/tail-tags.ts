// Tags that sit after the audio: ID3v1 (and TAG+), APEv2, Lyrics3v2 and an appended ID3v2.4 with footer.
import type { ByteSource } from '../types.js';
import { id3v2FooterSize } from './id3v2.js';

export interface TailTag {
  kind: 'id3v1' | 'id3v1-enhanced' | 'ape' | 'lyrics3' | 'id3v2-appended';
  offset: number;
  size: number;
  fields?: Record<string, string>;
}

const MAX_APE_READ = 1 << 20;
const MAX_ITEMS = 64;

const latin = (b: Buffer, s: number, e: number): string =>
  b.toString('latin1', s, e).replace(/\0.*$/su, '').trim();

function id3v1Fields(b: Buffer): Record<string, string> {
  const fields: Record<string, string> = {
    title: latin(b, 3, 33),
    artist: latin(b, 33, 63),
    album: latin(b, 63, 93),
    year: latin(b, 93, 97),
  };
  // ID3v1.1 keeps the track number in the last comment byte behind a zero.
  if (b[125] === 0 && b[126] !== 0) {
    fields['comment'] = latin(b, 97, 125);
    fields['track'] = String(b[126]);
  } else fields['comment'] = latin(b, 97, 127);
  fields['genre'] = String(b[127]);
  for (const k of Object.keys(fields)) if (!fields[k]) delete fields[k];
  return fields;
}

async function apeFields(source: ByteSource, itemsStart: number, length: number, count: number) {
  const fields: Record<string, string> = {};
  const data = await source.read(itemsStart, Math.min(length, MAX_APE_READ));
  let pos = 0;
  for (let n = 0; n < Math.min(count, MAX_ITEMS) && pos + 8 < data.length; n++) {
    const size = data.readUInt32LE(pos);
    const flags = data.readUInt32LE(pos + 4);
    const keyEnd = data.indexOf(0, pos + 8);
    if (keyEnd < 0) break;
    const key = data.toString('latin1', pos + 8, keyEnd);
    const valueStart = keyEnd + 1;
    if (size > data.length - valueStart) break;
    // Item type in flag bits 1-2: 0 is UTF-8 text; binary and links are only sized.
    fields[key] =
      ((flags >> 1) & 3) === 0
        ? data.toString('utf8', valueStart, valueStart + Math.min(size, 256)).replace(/\0/gu, ' / ')
        : `(${size} bytes)`;
    pos = valueStart + size;
  }
  return fields;
}

/** APE tag header or footer at `i` of `b`: total size including header/footer, or 0. */
export function apeTagSize(
  b: Buffer,
  i: number,
): { size: number; items: number; isHeader: boolean; count: number } | undefined {
  if (i < 0 || i + 32 > b.length || b.toString('latin1', i, i + 8) !== 'APETAGEX') return undefined;
  // The size field counts items plus footer, never the optional header.
  const sizeField = b.readUInt32LE(i + 12);
  const count = b.readUInt32LE(i + 16);
  const flags = b.readUInt32LE(i + 20);
  const hasHeader = (flags & 0x80000000) !== 0;
  const isHeader = (flags & 0x20000000) !== 0;
  if (sizeField < 32) return undefined;
  return { size: sizeField + (hasHeader ? 32 : 0), items: sizeField - 32, isHeader, count };
}

/** Walks tags backwards from the end of the file; returns them in file order and where audio ends. */
export async function readTailTags(
  source: ByteSource,
  floor: number,
): Promise<{ tags: TailTag[]; audioEnd: number; warnings: string[] }> {
  const tags: TailTag[] = [];
  const warnings: string[] = [];
  let end = source.size;
  // Each step removes one tag, so the walk ends; the bound is belt and braces.
  for (let step = 0; step < 8 && end > floor; step++) {
    const tailStart = Math.max(floor, end - 256);
    const tail = await source.read(tailStart, end - tailStart);
    const at = (fromEnd: number): number => tail.length - fromEnd;
    if (tail.length >= 128 && tail.toString('latin1', at(128), at(128) + 3) === 'TAG') {
      tags.unshift({
        kind: 'id3v1',
        offset: end - 128,
        size: 128,
        fields: id3v1Fields(tail.subarray(at(128))),
      });
      end -= 128;
      if (end - 227 >= floor) {
        const plus = await source.read(end - 227, 4);
        if (plus.toString('latin1') === 'TAG+') {
          tags.unshift({ kind: 'id3v1-enhanced', offset: end - 227, size: 227 });
          end -= 227;
        }
      }
      continue;
    }
    const ape = tail.length >= 32 ? apeTagSize(tail, at(32)) : undefined;
    if (ape && !ape.isHeader) {
      const start = end - ape.size;
      if (start < floor) {
        warnings.push('APE tag size runs before the start of the audio');
        break;
      }
      tags.unshift({
        kind: 'ape',
        offset: start,
        size: ape.size,
        fields: await apeFields(source, end - 32 - ape.items, ape.items, ape.count),
      });
      end = start;
      continue;
    }
    if (tail.length >= 15 && tail.toString('latin1', at(9), tail.length) === 'LYRICS200') {
      const size = Number.parseInt(tail.toString('latin1', at(15), at(9)), 10);
      const start = end - 15 - size;
      if (!Number.isFinite(size) || start < floor) break;
      tags.unshift({ kind: 'lyrics3', offset: start, size: size + 15 });
      end = start;
      continue;
    }
    const id3 = tail.length >= 10 ? id3v2FooterSize(tail, at(10)) : 0;
    if (id3 > 0 && end - id3 >= floor) {
      tags.unshift({ kind: 'id3v2-appended', offset: end - id3, size: id3 });
      end -= id3;
      continue;
    }
    break;
  }
  return { tags, audioEnd: end, warnings };
}
