// Fragmented MP4 (moof/traf/trun): sample durations and data ranges, with trex defaults, all bounded by bytes present.
import { type Atom, fourcc } from './atoms.js';
import type { Span } from './sample-table.js';

export interface Fragments {
  /** trun boxes read. */
  runs: number;
  /** Per track id: summed sample durations (media ticks) and sample count. */
  byTrack: Record<number, { duration: number; samples: number; bytes: number }>;
  /** Byte ranges the runs reference (for mdat coverage). */
  spans: Span[];
  /** trex defaults per track id. */
  defaults: Record<number, { duration: number; size: number }>;
}

export function newFragments(): Fragments {
  return { runs: 0, byTrack: {}, spans: [], defaults: {} };
}

/** trex payload: version/flags, track id, description index, default duration, size, flags. */
export function readTrex(p: Buffer, fragments: Fragments): void {
  if (p.length < 20) return;
  fragments.defaults[p.readUInt32BE(4)] = { duration: p.readUInt32BE(12), size: p.readUInt32BE(16) };
}

function* boxes(
  p: Buffer,
  start: number,
  end: number,
): Generator<{ type: string; at: number; body: Buffer }> {
  let pos = start;
  let n = 0;
  while (pos + 8 <= end && n++ < 10_000) {
    const size = p.readUInt32BE(pos);
    if (size < 8 || pos + size > end) return;
    yield { type: fourcc(p, pos + 4), at: pos, body: p.subarray(pos + 8, pos + size) };
    pos += size;
  }
}

/** A whole moof atom in `buf` (byte 0 = the atom's first byte). */
export function readFragment(buf: Buffer, moof: Atom, fragments: Fragments): void {
  const end = Math.min(buf.length, moof.size);
  for (const traf of boxes(buf, moof.headerSize, end)) {
    if (traf.type !== 'traf') continue;
    let trackId = -1;
    let base = moof.offset;
    let defaultDuration = 0;
    let defaultSize = 0;
    for (const box of boxes(traf.body, 0, traf.body.length)) {
      const p = box.body;
      if (box.type === 'tfhd' && p.length >= 8) {
        const flags = p.readUInt32BE(0) & 0xffffff;
        trackId = p.readUInt32BE(4);
        const trex = fragments.defaults[trackId];
        defaultDuration = trex?.duration ?? 0;
        defaultSize = trex?.size ?? 0;
        let at = 8;
        if (flags & 0x01 && p.length >= at + 8) {
          base = Number(p.readBigUInt64BE(at));
          at += 8;
        }
        if (flags & 0x02) at += 4;
        if (flags & 0x08 && p.length >= at + 4) {
          defaultDuration = p.readUInt32BE(at);
          at += 4;
        }
        if (flags & 0x10 && p.length >= at + 4) defaultSize = p.readUInt32BE(at);
      } else if (box.type === 'trun' && p.length >= 8) {
        fragments.runs++;
        const flags = p.readUInt32BE(0) & 0xffffff;
        const declared = p.readUInt32BE(4);
        let at = 8;
        let dataOffset = 0;
        if (flags & 0x01) {
          dataOffset = p.length >= at + 4 ? p.readInt32BE(at) : 0;
          at += 4;
        }
        if (flags & 0x04) at += 4;
        const fields = [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length;
        const per = fields * 4;
        const count = per > 0 ? Math.min(declared, Math.floor(Math.max(0, p.length - at) / per)) : declared;
        // Without per-sample fields every sample takes the defaults: no loop over an untrusted count.
        let duration = per === 0 ? count * defaultDuration : 0;
        let bytes = per === 0 ? count * defaultSize : 0;
        for (let i = 0; per > 0 && i < count; i++) {
          let field = at + i * per;
          if (flags & 0x100) {
            duration += p.readUInt32BE(field);
            field += 4;
          } else duration += defaultDuration;
          if (flags & 0x200) bytes += p.readUInt32BE(field);
          else bytes += defaultSize;
        }
        const track = fragments.byTrack[trackId] ?? { duration: 0, samples: 0, bytes: 0 };
        fragments.byTrack[trackId] = track;
        track.duration += duration;
        track.samples += count;
        track.bytes += bytes;
        if (fragments.spans.length < 100_000)
          fragments.spans.push({ start: base + dataOffset, end: base + dataOffset + bytes });
      }
    }
  }
}
