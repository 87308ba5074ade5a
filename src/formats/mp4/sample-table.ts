// Sample-table arithmetic: sample times from stts, byte ranges of chunks from stsc/stsz/stco, and irregular deltas.
import type { SampleSizes, SampleToChunk, TimeToSample } from './boxes.js';

/** Media-time lookup over the run-length stts table (never expanded per sample). */
export class SampleClock {
  private readonly firstSample: Float64Array;
  private readonly firstTime: Float64Array;
  readonly samples: number;
  readonly duration: number;

  constructor(private readonly entries: readonly TimeToSample[]) {
    this.firstSample = new Float64Array(entries.length);
    this.firstTime = new Float64Array(entries.length);
    let samples = 0;
    let time = 0;
    entries.forEach((entry, i) => {
      this.firstSample[i] = samples;
      this.firstTime[i] = time;
      samples += entry.count;
      time += entry.count * entry.delta;
    });
    this.samples = samples;
    this.duration = time;
  }

  /** Media time (in timescale ticks) at which sample `index` starts. */
  timeOf(index: number): number {
    let lo = 0;
    let hi = this.entries.length - 1;
    if (hi < 0) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.firstSample[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    const entry = this.entries[lo]!;
    const within = Math.min(index - this.firstSample[lo]!, entry.count);
    return this.firstTime[lo]! + within * entry.delta;
  }
}

/** Byte ranges of every chunk of one track, in file order of the chunk table. */
export interface ChunkLayout {
  start: Float64Array;
  end: Float64Array;
  firstSample: Float64Array;
  /** Samples the chunk table accounts for. */
  samplesPlaced: number;
  /** Sum of all sample sizes. */
  sampleBytes: number;
  problems: string[];
  /** First sample of `chunk` whose bytes reach past file offset `limit` (for placing a cut in time). */
  sampleCrossing(chunk: number, limit: number): number;
}

/** Size of each sample as a prefix sum, so a chunk's byte length is one subtraction. */
function prefixSizes(sizes: SampleSizes): (from: number, to: number) => number {
  if (!sizes.sizes) return (from, to) => (to - from) * sizes.constant;
  const prefix = new Float64Array(sizes.sizes.length + 1);
  for (let i = 0; i < sizes.sizes.length; i++) prefix[i + 1] = prefix[i]! + sizes.sizes[i]!;
  return (from, to) =>
    prefix[Math.min(to, sizes.sizes!.length)]! - prefix[Math.min(from, sizes.sizes!.length)]!;
}

export function layoutChunks(
  offsets: Float64Array,
  stsc: readonly SampleToChunk[],
  sizes: SampleSizes | undefined,
): ChunkLayout {
  const n = offsets.length;
  const layout: ChunkLayout = {
    start: new Float64Array(n),
    end: new Float64Array(n),
    firstSample: new Float64Array(n),
    samplesPlaced: 0,
    sampleBytes: 0,
    problems: [],
    sampleCrossing(chunk, limit) {
      const first = layout.firstSample[chunk] ?? 0;
      const last = chunk + 1 < n ? layout.firstSample[chunk + 1]! : layout.samplesPlaced;
      const start = layout.start[chunk] ?? 0;
      // Binary search: the smallest k whose end (start + bytes of samples first..k) exceeds limit.
      let lo = first;
      let hi = Math.max(first, last - 1);
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (start + bytes(first, mid + 1) > limit) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
  const total = sizes?.count ?? 0;
  const bytes = sizes ? prefixSizes(sizes) : () => 0;
  layout.sampleBytes = bytes(0, total);
  let entry = 0;
  let sample = 0;
  let badOrder = false;
  for (let chunk = 0; chunk < n; chunk++) {
    // stsc numbers chunks from 1; the entry that applies is the last whose firstChunk <= chunk + 1.
    while (entry + 1 < stsc.length && stsc[entry + 1]!.firstChunk <= chunk + 1) {
      if (stsc[entry + 1]!.firstChunk <= stsc[entry]!.firstChunk) badOrder = true;
      entry++;
    }
    const perChunk = stsc[entry]?.samplesPerChunk ?? 0;
    const count = Math.max(0, Math.min(perChunk, total - sample));
    const start = offsets[chunk]!;
    layout.start[chunk] = start;
    layout.firstSample[chunk] = sample;
    layout.end[chunk] = start + bytes(sample, sample + count);
    sample += count;
  }
  layout.samplesPlaced = sample;
  if (badOrder) layout.problems.push('stsc first-chunk numbers do not increase');
  if (stsc.length === 0 && n > 0) layout.problems.push('stsc is empty while the track has chunks');
  if (sample < total)
    layout.problems.push(
      `chunk table places ${sample} of ${total} samples (${total - sample} without a chunk)`,
    );
  return layout;
}

export interface IrregularDelta {
  /** Index of the first sample with the odd delta. */
  sample: number;
  delta: number;
  count: number;
}

/**
 * Deltas that break a fixed frame duration, ignoring the first and the last stts entries (a short
 * first or last frame is normal). `multiples` allows whole multiples of the nominal delta (AMR
 * samples may hold several 20 ms frames).
 */
export function irregularDeltas(
  stts: readonly TimeToSample[],
  nominal: number,
  multiples: boolean,
): IrregularDelta[] {
  const out: IrregularDelta[] = [];
  if (nominal <= 0) return out;
  let sample = 0;
  stts.forEach((entry, i) => {
    const regular = multiples ? entry.delta > 0 && entry.delta % nominal === 0 : entry.delta === nominal;
    const edge = i === 0 || i === stts.length - 1;
    if (!regular && !edge && entry.count > 0) out.push({ sample, delta: entry.delta, count: entry.count });
    sample += entry.count;
  });
  return out;
}

/** The delta most samples carry. */
export function modalDelta(stts: readonly TimeToSample[]): number {
  const weight = new Map<number, number>();
  for (const entry of stts) weight.set(entry.delta, (weight.get(entry.delta) ?? 0) + entry.count);
  let best = 0;
  let bestWeight = -1;
  for (const [delta, w] of weight) {
    if (w > bestWeight) {
      best = delta;
      bestWeight = w;
    }
  }
  return best;
}

/** A byte range with the media time of its first sample (seconds), used for coverage of mdat. */
export interface Span {
  start: number;
  end: number;
  at?: number;
}

/** Parts of [from, to) that no span covers, in order; also reports overlapping spans. */
export function uncovered(
  spans: Span[],
  from: number,
  to: number,
): { gaps: Array<Span & { nextAt?: number }>; overlaps: Span[] } {
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const gaps: Array<Span & { nextAt?: number }> = [];
  const overlaps: Span[] = [];
  // `reach` is the furthest byte covered so far; a span starting before it overlaps an earlier one.
  let reach = from;
  let seen = false;
  for (const span of sorted) {
    if (span.end <= from || span.start >= to) continue;
    if (seen && span.start < reach && overlaps.length < 16)
      overlaps.push({ start: span.start, end: Math.min(reach, span.end) });
    if (span.start > reach) {
      const gap: Span & { nextAt?: number } = { start: reach, end: span.start };
      if (span.at !== undefined) gap.nextAt = span.at;
      gaps.push(gap);
    }
    reach = Math.max(reach, span.end);
    seen = true;
  }
  if (reach < to) gaps.push({ start: reach, end: to });
  return { gaps, overlaps };
}
