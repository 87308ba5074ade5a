// Mains hum (50/60 Hz and harmonics) from the per-window demodulation: presence, phase track, jumps, gaps.
import { backgroundWindows } from './speech.js';
import type { SignalSummary, WindowStats } from './types.js';

/** Runs of consecutive background blocks at least this long are used to judge coherence. */
const MIN_RUN_BLOCKS = 4;
/** Longer runs are cut into pieces of about this many blocks (1 s), each judged on its own. */
const MAX_RUN_BLOCKS = 10;
/** Hum is present when the median coherence of those runs reaches this (noise alone gives ~0.45). */
const PRESENT_COHERENCE = 0.85;
/** A component below one 16-bit step (−90 dBFS) is rounding residue, not hum. */
const MIN_HUM_AMPLITUDE = 10 ** (-90 / 20);
/** … over at least this many runs (a single stretch could be any stationary tone). */
const MIN_RUNS = 3;
/**
 * Phase is compared over the background blocks this far either side of a candidate point (seconds). The
 * grid's frequency wanders (±0.05 Hz, changing by up to ~0.02 Hz/s), and over 8 s a straight phase line
 * misses it by up to ~95° on synthetic recordings with such a grid. Each jump is therefore measured again
 * from the nearest CONFIRM_BLOCKS blocks on each side (at least MIN_SIDE_BLOCKS near the start or end of the
 * hum), within SHORT_SIDE_SECONDS: a cut turns the phase by
 * the same angle at both scales, drift does not.
 */
export const SIDE_SECONDS = 8;
export const SHORT_SIDE_SECONDS = 5;
const CONFIRM_BLOCKS = 5;
const MIN_SIDE_BLOCKS = 3;
/** Inside a pause, a candidate every this many blocks (the strongest is refined to the block). */
const CANDIDATE_STRIDE = 4;
/** Frequency-offset search steps (Hz), each ±3 around the best so far: ±0.08 Hz to 0.002 Hz. */
const OFFSET_STEPS = [0.02, 0.006, 0.002];
/** Candidate jumps closer than this (seconds) are one jump. */
const JUMP_SEPARATION = 2;
/** A block is "without hum" when its component is this far (dB) below the reference level … */
const GAP_DROP_DB = 12;
/** … and a background block within this (dB) of it shows the hum is there. */
const PRESENT_DROP_DB = 6;
/** A stretch without hum counts when it holds this many blocks and lasts this long (seconds). */
const MIN_GAP_BLOCKS = 5;
const MIN_GAP_SECONDS = 0.8;
/** … and at least this share of its blocks lack the hum. */
const MIN_GAP_DENSITY = 0.3;

export interface HumBlocks {
  /** Block start times, seconds. */
  time: Float64Array;
  /** Block length, seconds. */
  seconds: number;
  /** Complex amplitude per block for the chosen component. */
  re: Float64Array;
  im: Float64Array;
  /** 1 when the whole block is background. */
  background: Uint8Array;
}

export interface HumPresence {
  /** Index into stats.humFrequencies of the tracked component. */
  component: number;
  /** Nominal frequency of the tracked component, Hz. */
  frequency: number;
  /** Mains grid the component belongs to. */
  mains: 50 | 60;
  present: boolean;
  /** Median coherence of background runs (1 = perfectly steady phase). */
  coherence: number;
  /** Median level of the component in background blocks, dBFS (amplitude of the sinusoid). */
  level: number;
  /** Background runs the coherence was measured over. */
  runs: number;
}

export interface PhaseJump {
  /** Seconds: between the last background block before and the first after. */
  at: number;
  /** Wrapped phase change, degrees (−180..180]. */
  degrees: number;
  /** |degrees| over its standard error. */
  score: number;
  /** Background blocks on each side. */
  left: number;
  right: number;
  /** The same point measured with `confirmSeconds` a side (when asked for and both sides hold blocks). */
  confirm?: PhaseJump;
  /** Of a short-scale measure: mean distance (s) of the blocks used from the point, before + after. */
  reach?: number;
}

export interface HumGap {
  at: number;
  end: number;
  /** Median drop of the component against the file's median, dB. */
  drop: number;
  /** Background blocks without hum in the gap. */
  blocks: number;
}

export interface HumAnalysis {
  presence: HumPresence;
  /** Estimated offset of the tracked component from its nominal frequency, Hz. */
  offsetHz: number;
  jumps: PhaseJump[];
  gaps: HumGap[];
}

/** 100 ms blocks of one hum component, with a background flag (all hops background). */
export function humBlocks(stats: WindowStats, background: Uint8Array, component: number): HumBlocks {
  const stride = 2 * stats.humFrequencies.length;
  const per = stats.humBlockHops;
  const n = Math.min(Math.floor(stats.count / per), Math.floor(stats.hum.length / stride));
  const time = new Float64Array(n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const bg = new Uint8Array(n);
  for (let b = 0; b < n; b++) {
    let all = 1;
    for (let h = b * per; h < (b + 1) * per; h++) if (!background[h]) all = 0;
    time[b] = b * per * stats.hopSeconds;
    re[b] = stats.hum[b * stride + 2 * component]!;
    im[b] = stats.hum[b * stride + 2 * component + 1]!;
    bg[b] = all;
  }
  return { time, seconds: per * stats.hopSeconds, re, im, background: bg };
}

const median = (values: number[]): number => {
  if (values.length === 0) return Number.NaN;
  // A typed copy sorts numerically in place, many times faster than a comparator over an array.
  const sorted = Float64Array.from(values).sort();
  return sorted[sorted.length >> 1]!;
};

/** Runs of consecutive background blocks, as [from, to) block indices. */
function backgroundRuns(blocks: HumBlocks): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = -1;
  const n = blocks.background.length;
  for (let b = 0; b <= n; b++) {
    const on = b < n && blocks.background[b] === 1;
    if (on && start < 0) start = b;
    else if (!on && start >= 0) {
      runs.push([start, b]);
      start = -1;
    }
  }
  return runs;
}

/** How steady the component's phase is within background runs, and how strong it is. */
function presenceOf(blocks: HumBlocks, component: number, frequency: number): HumPresence {
  const coherences: number[] = [];
  const levels: number[] = [];
  for (const [runFrom, runTo] of backgroundRuns(blocks)) {
    // Long stretches (room tone without speech) are judged in pieces of about a second.
    const pieces = Math.max(1, Math.floor((runTo - runFrom) / MAX_RUN_BLOCKS));
    for (let p = 0; p < pieces; p++) {
      const from = runFrom + Math.floor(((runTo - runFrom) * p) / pieces);
      const to = runFrom + Math.floor(((runTo - runFrom) * (p + 1)) / pieces);
      if (to - from < MIN_RUN_BLOCKS) continue;
      let sr = 0;
      let si = 0;
      let sa = 0;
      for (let b = from; b < to; b++) {
        sr += blocks.re[b]!;
        si += blocks.im[b]!;
        sa += Math.hypot(blocks.re[b]!, blocks.im[b]!);
      }
      coherences.push(sa > 0 ? Math.hypot(sr, si) / sa : 0);
    }
  }
  for (let b = 0; b < blocks.background.length; b++)
    if (blocks.background[b]) levels.push(Math.hypot(blocks.re[b]!, blocks.im[b]!));
  const coherence = median(coherences);
  const amplitude = median(levels);
  const mains = frequency % 60 === 0 ? 60 : 50;
  return {
    component,
    frequency,
    mains,
    present:
      coherences.length >= MIN_RUNS && coherence >= PRESENT_COHERENCE && 2 * amplitude >= MIN_HUM_AMPLITUDE,
    coherence: Number.isFinite(coherence) ? coherence : 0,
    // The block value is half the sinusoid's amplitude.
    level: amplitude > 0 ? 20 * Math.log10(2 * amplitude) : -140,
    runs: coherences.length,
  };
}

/** Frequency offset (Hz) that best aligns the background blocks' phases, searched on a grid. */
function driftOf(blocks: HumBlocks, indices: number[], centre: number, span: number): number {
  if (indices.length === 0) return centre;
  const power = (d: number): number => {
    // Rotator stepped block by block (block b starts at b·T): no trig per block.
    const w = -2 * Math.PI * d * blocks.seconds;
    const wr = Math.cos(w);
    const wi = Math.sin(w);
    let rr = 1;
    let ri = 0;
    let at = 0;
    let sr = 0;
    let si = 0;
    for (const b of indices) {
      for (; at < b; at++) {
        const t = rr * wr - ri * wi;
        ri = rr * wi + ri * wr;
        rr = t;
      }
      sr += blocks.re[b]! * rr - blocks.im[b]! * ri;
      si += blocks.re[b]! * ri + blocks.im[b]! * rr;
    }
    return sr * sr + si * si;
  };
  // Coarse to fine: 0.02 Hz steps over the span, then 0.004 and 0.001 around the best.
  let best = centre;
  for (const [step, reach] of [
    [0.02, span],
    [0.004, 0.02],
    [0.001, 0.004],
  ] as const) {
    let bestPower = -1;
    const around = best;
    for (let d = around - reach; d <= around + reach + 1e-9; d += step) {
      const value = power(d);
      if (value > bestPower) {
        bestPower = value;
        best = d;
      }
    }
  }
  return best;
}

/** Chooses the hum component to track: the steadiest, then the strongest. */
export function humPresence(
  summary: SignalSummary,
): { presence: HumPresence; blocks: HumBlocks } | undefined {
  const stats = summary.stats;
  if (!stats || !summary.speechMask || stats.count < stats.humBlockHops * 10) return undefined;
  const background = backgroundWindows(summary.speechMask, stats.level);
  let best: { presence: HumPresence; blocks: HumBlocks } | undefined;
  for (let c = 0; c < stats.humFrequencies.length; c++) {
    const frequency = stats.humFrequencies[c]!;
    // A component needs a few hum cycles per block and must be below the Nyquist frequency.
    if (frequency * 2 >= summary.sampleRate) continue;
    const blocks = humBlocks(stats, background, c);
    const presence = presenceOf(blocks, c, frequency);
    const better =
      !best ||
      (presence.present && !best.presence.present) ||
      (presence.present === best.presence.present &&
        (presence.present
          ? presence.level > best.presence.level
          : presence.coherence > best.presence.coherence));
    if (better) best = { presence, blocks };
  }
  return best;
}

/** Full hum analysis: presence, frequency offset, phase jumps and stretches without hum. */
export function analyseHum(summary: SignalSummary, search: JumpSearch): HumAnalysis | undefined {
  const chosen = humPresence(summary);
  if (!chosen) return undefined;
  const { presence, blocks } = chosen;
  if (!presence.present) return { presence, offsetHz: 0, jumps: [], gaps: [] };

  const amplitude = (b: number): number => Math.hypot(blocks.re[b]!, blocks.im[b]!);
  const bgIndices: number[] = [];
  for (let b = 0; b < blocks.background.length; b++) if (blocks.background[b]) bgIndices.push(b);
  // Reference: a high quantile, so that a recording half without hum still has the hum's level as reference.
  const sortedAmp = Float64Array.from(bgIndices, amplitude).sort();
  const referenceAmp = sortedAmp[Math.floor(sortedAmp.length * 0.8)] ?? 0;
  const gapLimit = referenceAmp * 10 ** (-GAP_DROP_DB / 20);
  // Blocks where the hum is clearly present carry its phase; the others are gaps.
  const withHum = bgIndices.filter((b) => amplitude(b) >= gapLimit);
  const offsetHz = driftOf(blocks, withHum, 0, 0.3);

  return {
    presence,
    offsetHz,
    jumps: phaseJumps(blocks, withHum, offsetHz, { confirmSeconds: SHORT_SIDE_SECONDS, ...search }),
    gaps: humGaps(blocks, referenceAmp),
  };
}

/** Wrapped angle in (−π, π]. */
const wrap = (x: number): number => {
  let y = x % (2 * Math.PI);
  if (y <= -Math.PI) y += 2 * Math.PI;
  if (y > Math.PI) y -= 2 * Math.PI;
  return y;
};

/** Options for the jump search: candidates weaker than these end it. */
export interface JumpSearch {
  minDegrees: number;
  minScore: number;
  /** At most this many jumps are reported. */
  maxJumps: number;
  /** Seconds of blocks on each side of a point (default SIDE_SECONDS). */
  sideSeconds?: number;
  /** Also measure each jump at its point with this many seconds a side (`PhaseJump.confirm`). */
  confirmSeconds?: number;
}

interface Candidate extends PhaseJump {
  /** Position in `indices` of the first block after the point, and the side range used. */
  k: number;
  lo: number;
  hi: number;
  offset: number;
}

/** Side sums of hum blocks around a point, the frequency that keeps both sides steadiest, and the jump there. */
interface SideMeasures {
  sides: (lo: number, k: number, hi: number, at: number, d: number) => [number, number, number, number];
  bestOffset: (lo: number, k: number, hi: number, at: number) => number;
  /** The jump at `at` from the nearest `blocksPerSide` blocks a side within `maxSeconds` (at least MIN_SIDE_BLOCKS). */
  measure: (at: number, blocksPerSide: number, maxSeconds: number) => PhaseJump | undefined;
}

function sideMeasures(
  blocks: HumBlocks,
  re: Float64Array,
  im: Float64Array,
  indices: number[],
  globalOffset: number,
  sigma: number,
): SideMeasures {
  const n = indices.length;
  const dt = blocks.seconds;
  // Side sums rotated to the candidate time: the rotator steps block by block (no trig per block).
  // Results go to `sum` (re, im) to keep this hot loop free of allocations.
  const sum = new Float64Array(2);
  const side = (from: number, to: number, centre: number, d: number): void => {
    sum[0] = 0;
    sum[1] = 0;
    if (from >= to) return;
    const first = indices[from]!;
    const w = -2 * Math.PI * d * dt;
    const wr = Math.cos(w);
    const wi = Math.sin(w);
    const start = -2 * Math.PI * d * (blocks.time[first]! + dt / 2 - centre);
    let rr = Math.cos(start);
    let ri = Math.sin(start);
    let at = first;
    let sr = 0;
    let si = 0;
    for (let j = from; j < to; j++) {
      const b = indices[j]!;
      for (; at < b; at++) {
        const t = rr * wr - ri * wi;
        ri = rr * wi + ri * wr;
        rr = t;
      }
      sr += re[b]! * rr - im[b]! * ri;
      si += re[b]! * ri + im[b]! * rr;
    }
    sum[0] = sr;
    sum[1] = si;
  };
  const sides = (
    lo: number,
    k: number,
    hi: number,
    at: number,
    d: number,
  ): [number, number, number, number] => {
    side(lo, k, at, d);
    const lr = sum[0]!;
    const li = sum[1]!;
    side(k, hi, at, d);
    return [lr, li, sum[0]!, sum[1]!];
  };
  // Coarse-to-fine search around the recording's offset for the frequency that keeps each side of the
  // point most coherent (the sum of the two sides' magnitudes: a jump between them costs nothing, so the
  // frequency does not bend to hide it): the grid's own frequency there.
  const bestOffset = (lo: number, k: number, hi: number, at: number): number => {
    let d = globalOffset;
    for (const step of OFFSET_STEPS) {
      let best = d;
      let bestValue = -1;
      for (let m = -3; m <= 3; m++) {
        side(lo, k, at, d + m * step);
        const left = Math.hypot(sum[0]!, sum[1]!);
        side(k, hi, at, d + m * step);
        const value = left + Math.hypot(sum[0]!, sum[1]!);
        if (value > bestValue) {
          bestValue = value;
          best = d + m * step;
        }
      }
      d = best;
    }
    return d;
  };
  // The jump at one given point from the nearest `blocksPerSide` blocks on each side that lie within
  // `maxSeconds` of it; near the start or end of the hum a side may hold fewer, down to MIN_SIDE_BLOCKS
  // (the score then carries the larger error).
  const measure = (at: number, blocksPerSide: number, maxSeconds: number): PhaseJump | undefined => {
    let k = 0;
    while (k < n && blocks.time[indices[k]!]! < at) k++;
    let lo = k;
    while (lo > 0 && k - lo < blocksPerSide && blocks.time[indices[lo - 1]!]! >= at - maxSeconds) lo--;
    let hi = k;
    while (hi < n && hi - k < blocksPerSide && blocks.time[indices[hi]!]! <= at + maxSeconds) hi++;
    const left = k - lo;
    const right = hi - k;
    if (left < MIN_SIDE_BLOCKS || right < MIN_SIDE_BLOCKS) return undefined;
    const d = bestOffset(lo, k, hi, at);
    const [lr, li, rr, ri] = sides(lo, k, hi, at, d);
    const jump = wrap(Math.atan2(ri, rr) - Math.atan2(li, lr));
    let reach = 0;
    for (let j = lo; j < k; j++) reach += (at - blocks.time[indices[j]!]! - blocks.seconds / 2) / left;
    for (let j = k; j < hi; j++) reach += (blocks.time[indices[j]!]! + blocks.seconds / 2 - at) / right;
    return {
      at,
      degrees: (jump * 180) / Math.PI,
      score: Math.abs(jump) / (sigma * Math.sqrt(1 / left + 1 / right)),
      left,
      right,
      reach,
    };
  };
  return { sides, bestOffset, measure };
}

/**
 * The phase-jump candidate at each gap between consecutive hum-bearing background blocks. The model is
 * "steady phase with one frequency offset on both sides, plus a jump at this point": the offset
 * maximises the coherence of each side separately (so the jump itself does not bend it), and the jump
 * is the phase difference of the two sides at the point.
 */
function jumpCandidates(
  measures: SideMeasures,
  blocks: HumBlocks,
  indices: number[],
  sigma: number,
  sideSeconds: number,
  from = Number.NEGATIVE_INFINITY,
  to = Number.POSITIVE_INFINITY,
): Candidate[] {
  const n = indices.length;
  const out: Candidate[] = [];
  const dt = blocks.seconds;
  const { sides, bestOffset } = measures;
  let lo = 0;
  let hi = 0;
  let lastCandidate = -Infinity;
  for (let k = 1; k < n; k++) {
    // Candidates at every gap between pauses and every few blocks inside a pause: the strongest one is
    // refined to the block afterwards, so a coarse grid inside long pauses loses nothing.
    const gap = indices[k]! - indices[k - 1]! > 1;
    if (!gap && k - lastCandidate < CANDIDATE_STRIDE) continue;
    const at = (blocks.time[indices[k - 1]!]! + dt + blocks.time[indices[k]!]!) / 2;
    if (at < from) continue;
    if (at > to) break;
    while (lo < k && blocks.time[indices[lo]!]! < at - sideSeconds) lo++;
    while (hi < n && blocks.time[indices[hi]!]! <= at + sideSeconds) hi++;
    const left = k - lo;
    const right = hi - k;
    if (left < MIN_SIDE_BLOCKS || right < MIN_SIDE_BLOCKS) continue;
    lastCandidate = k;
    // One frequency for both sides: the drift's curvature then cancels in the difference of the two
    // sides (to first order); a separate frequency per side, fitted on a few blocks, is too noisy.
    const d = bestOffset(lo, k, hi, at);
    const [lr, li, rr, ri] = sides(lo, k, hi, at, d);
    const jump = wrap(Math.atan2(ri, rr) - Math.atan2(li, lr));
    const error = sigma * Math.sqrt(1 / left + 1 / right);
    out.push({
      at,
      degrees: (jump * 180) / Math.PI,
      score: Math.abs(jump) / error,
      left,
      right,
      k,
      lo,
      hi,
      offset: d,
    });
  }
  return out;
}

/** Turns every block from the jump on back by the jump's angle, so the phase runs on as if uncut. */
function undoJump(time: Float64Array, re: Float64Array, im: Float64Array, jump: PhaseJump): void {
  const c = Math.cos((-jump.degrees * Math.PI) / 180);
  const s = Math.sin((-jump.degrees * Math.PI) / 180);
  for (let b = 0; b < re.length; b++) {
    if (time[b]! < jump.at) continue;
    const r = re[b]! * c - im[b]! * s;
    im[b] = re[b]! * s + im[b]! * c;
    re[b] = r;
  }
}

/**
 * Phase jumps, strongest first: the strongest candidate is accepted, the phase after it is corrected by
 * its jump (so it does not echo into candidates up to SIDE_SECONDS away), and the search repeats.
 */
function phaseJumps(
  blocks: HumBlocks,
  indices: number[],
  globalOffset: number,
  search: JumpSearch,
): PhaseJump[] {
  const n = indices.length;
  if (n < 2 * MIN_SIDE_BLOCKS) return [];
  const re = Float64Array.from(blocks.re);
  const im = Float64Array.from(blocks.im);
  const phase = (b: number): number => Math.atan2(im[b]!, re[b]!);
  // Per-block phase noise from adjacent blocks (robust): median |difference of two| = 0.954·σ·√2.
  const noise: number[] = [];
  for (let k = 1; k < n; k++) {
    const a = indices[k - 1]!;
    const b = indices[k]!;
    if (b === a + 1)
      noise.push(Math.abs(wrap(phase(b) - phase(a) - 2 * Math.PI * globalOffset * blocks.seconds)));
  }
  const sigma = Math.max(0.02, median(noise) / (0.954 * Math.SQRT2) || 0.02);

  const jumps: PhaseJump[] = [];
  const sideSeconds = search.sideSeconds ?? SIDE_SECONDS;
  // The side sums read `re`/`im` as they are: after each accepted jump is undone in them, the same
  // measures see the corrected phase.
  const measures = sideMeasures(blocks, re, im, indices, globalOffset, sigma);
  let all = jumpCandidates(measures, blocks, indices, sigma, sideSeconds);
  while (jumps.length < search.maxJumps) {
    const candidates = all.filter((c) => !jumps.some((j) => Math.abs(j.at - c.at) < JUMP_SEPARATION));
    let strongest: Candidate | undefined;
    for (const c of candidates) if (!strongest || c.score > strongest.score) strongest = c;
    if (!strongest || strongest.score < search.minScore || Math.abs(strongest.degrees) < search.minDegrees)
      break;
    // The score favours points with more blocks on each side, even when one side already holds the
    // jump: within the strongest candidate's own range, the point is where splitting gains most.
    const { lo, hi, offset } = strongest;
    let best: PhaseJump = strongest;
    let bestGain = -1;
    for (let k = lo + MIN_SIDE_BLOCKS; k <= hi - MIN_SIDE_BLOCKS; k++) {
      const at = (blocks.time[indices[k - 1]!]! + blocks.seconds + blocks.time[indices[k]!]!) / 2;
      const [lr, li, rr, ri] = measures.sides(lo, k, hi, at, offset);
      const gain = Math.hypot(lr, li) + Math.hypot(rr, ri) - Math.hypot(lr + rr, li + ri);
      if (gain > bestGain) {
        bestGain = gain;
        const jump = wrap(Math.atan2(ri, rr) - Math.atan2(li, lr));
        const left = k - lo;
        const right = hi - k;
        best = {
          at,
          degrees: (jump * 180) / Math.PI,
          score: Math.abs(jump) / (sigma * Math.sqrt(1 / left + 1 / right)),
          left,
          right,
        };
      }
    }
    jumps.push(best);
    undoJump(blocks.time, re, im, best);
    // Only candidates whose sides straddle the corrected point change: recompute those.
    const reach = sideSeconds + blocks.seconds;
    const from = best.at - reach;
    const to = best.at + reach;
    all = [
      ...all.filter((c) => c.at < from || c.at > to),
      ...jumpCandidates(measures, blocks, indices, sigma, sideSeconds, from, to),
    ];
  }
  // Each jump measured again at its own point over `confirmSeconds` a side, with the other jumps taken out.
  for (const jump of jumps) {
    if (!search.confirmSeconds) break;
    const cre = Float64Array.from(blocks.re);
    const cim = Float64Array.from(blocks.im);
    for (const other of jumps) if (other !== jump) undoJump(blocks.time, cre, cim, other);
    const check = sideMeasures(blocks, cre, cim, indices, globalOffset, sigma);
    const short = check.measure(jump.at, CONFIRM_BLOCKS, search.confirmSeconds);
    if (short) jump.confirm = short;
  }
  return jumps;
}

/**
 * Stretches without the hum the rest of the recording carries. Any block whose hum component is far below
 * the reference counts as "without hum" (speech can add energy at the mains frequency but not take the
 * hum away); a background block at the reference level ends a stretch; speech blocks in between do not.
 */
function humGaps(blocks: HumBlocks, reference: number): HumGap[] {
  const absent = reference * 10 ** (-GAP_DROP_DB / 20);
  const present = reference * 10 ** (-PRESENT_DROP_DB / 20);
  const gaps: HumGap[] = [];
  let first = -1;
  let last = -1;
  let drops: number[] = [];
  const flush = (): void => {
    const at = blocks.time[first]!;
    const end = blocks.time[last]! + blocks.seconds;
    // Most blocks of a real gap lack the hum; a few scattered dips between speech blocks are not a gap.
    const density = drops.length / (last - first + 1);
    if (drops.length >= MIN_GAP_BLOCKS && end - at >= MIN_GAP_SECONDS && density >= MIN_GAP_DENSITY)
      gaps.push({ at, end, drop: median(drops), blocks: drops.length });
    first = -1;
    drops = [];
  };
  for (let b = 0; b < blocks.time.length; b++) {
    const amp = Math.hypot(blocks.re[b]!, blocks.im[b]!);
    if (amp < absent) {
      if (first < 0) first = b;
      last = b;
      drops.push(amp > 0 ? 20 * Math.log10(reference / amp) : 60);
    } else if (first >= 0 && blocks.background[b] && amp >= present) flush();
  }
  if (first >= 0) flush();
  return gaps;
}
