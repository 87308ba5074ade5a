// Speech/background decision per window from level against an adaptive noise floor, and the background it leaves.
import type { NoiseFloor, WindowStats } from './types.js';
import { bandDb, SILENT_DB } from './windows.js';

/** Floor estimate: this percentile of window levels … */
const FLOOR_PERCENTILE = 0.1;
/** … over this many seconds on one side (long enough to span a sentence, short enough to follow AGC). */
const FLOOR_SPAN = 2;
/** A window starts foreground sound this far above the floor (dB) … */
const ONSET_DB = 9;
/** … and stays foreground while above this (hysteresis). */
const HOLD_DB = 5;
/** Foreground is extended by this much after it falls below the hold level (reverberant tails). */
const HANGOVER_SECONDS = 0.1;
/** Utterance segments: gaps shorter than this are merged, segments shorter than this dropped. */
const MERGE_GAP_SECONDS = 0.3;
const MIN_SEGMENT_SECONDS = 0.3;
/** Windows this close to foreground are left out of background measurements. */
const GUARD_WINDOWS = 2;

/** Levels at or below this are digital silence, not background noise. */
export const DIGITAL_SILENCE_DB = SILENT_DB + 1;

export interface SpeechDecision {
  floor: Float32Array;
  /** 1 = speech or other foreground sound, 0 = background. */
  mask: Uint8Array;
  segments: Array<[number, number]>;
  noise: NoiseFloor;
}

/**
 * A low quantile of the last (or next) few seconds of values, for several tracks at once (the level and
 * every band), updated in O(1) per window. One flat histogram per track and shared counts: values of all
 * tracks come and go together, and flat typed arrays keep this loop (27 tracks × 2 sides × every window
 * of an hour) free of per-object dispatch.
 */
class SlidingQuantiles {
  private readonly hist: Uint32Array;
  private total = 0;
  /** The quantile's rank among `total` values (it changes only with `total`). */
  private rank = 1;
  /** Per track: the bin the quantile was last found in, and how many values lie below it. */
  private readonly bin: Int32Array;
  private readonly below: Int32Array;

  constructor(
    readonly tracks: number,
    private readonly bins: number,
    private readonly fraction: number,
  ) {
    this.hist = new Uint32Array(tracks * bins);
    this.bin = new Int32Array(tracks);
    this.below = new Int32Array(tracks);
  }

  /** Adds one value per track: `first` for track 0, `rest[from + t - 1]` for track t ≥ 1. */
  add(first: number, rest: Uint8Array, from: number): void {
    this.change(first, rest, from, 1);
  }

  remove(first: number, rest: Uint8Array, from: number): void {
    this.change(first, rest, from, -1);
  }

  private change(first: number, rest: Uint8Array, from: number, delta: 1 | -1): void {
    const { hist, bins, bin, below } = this;
    hist[first]! += delta;
    if (first < bin[0]!) below[0]! += delta;
    for (let t = 1; t < this.tracks; t++) {
      const v = rest[from + t - 1]!;
      hist[t * bins + v]! += delta;
      if (v < bin[t]!) below[t]! += delta;
    }
    this.total += delta;
    this.rank = Math.max(1, Math.ceil(this.total * this.fraction));
  }

  get count(): number {
    return this.total;
  }

  /** The bin holding track t's quantile (−1 when empty). */
  value(t: number): number {
    if (this.total === 0) return -1;
    const rank = this.rank;
    const hist = this.hist;
    const base = t * this.bins;
    let bin = this.bin[t]!;
    let below = this.below[t]!;
    while (below + hist[base + bin]! < rank) below += hist[base + bin++]!;
    while (below >= rank) below -= hist[base + --bin]!;
    this.bin[t] = bin;
    this.below[t] = below;
    return bin;
  }
}

const LEVEL_BINS = 320;
/** Levels in 0.5 dB bins from −140 dB. */
const levelBin = (db: number): number =>
  Math.max(0, Math.min(LEVEL_BINS - 1, Math.floor((db - SILENT_DB) * 2)));
const levelOfBin = (bin: number): number => SILENT_DB + bin * 0.5 + 0.25;

/**
 * Local floors of the level and of every band: the low percentile of the FLOOR_SPAN seconds before and
 * of those after each window, whichever is closer to the window itself. One-sided spans follow a step
 * in the background at once (a two-sided span would mix both sides for seconds); digital silence is
 * left out unless it is all there is.
 */
export function localFloors(stats: WindowStats): { level: Float32Array; bands: Uint8Array } {
  const { level, count, bandCount, bands, hopSeconds } = stats;
  const span = Math.max(1, Math.round(FLOOR_SPAN / hopSeconds));
  const tracks = bandCount + 1;
  const bins = Math.max(LEVEL_BINS, 256);
  const enough = Math.max(3, span / 10);
  // Digital silence is left out.
  const add = (q: SlidingQuantiles, i: number): void => {
    if (level[i]! > DIGITAL_SILENCE_DB) q.add(levelBin(level[i]!), bands, i * bandCount);
  };
  const remove = (q: SlidingQuantiles, i: number): void => {
    if (level[i]! > DIGITAL_SILENCE_DB) q.remove(levelBin(level[i]!), bands, i * bandCount);
  };
  const floorLevel = new Float32Array(count);
  // Band floors stay in the bands' own byte quantisation (a quarter of the memory of floats).
  const floorBands = new Uint8Array(count * bandCount);

  // The span before window i (i − span … i) is the span after window i − span: one sliding quantile
  // gives both sides. Its bins for the last span + 1 windows are kept in a ring: track t of window j
  // at ring[(j mod (span + 1)) · tracks + t], with the number of windows it was taken over.
  const ringSize = span + 1;
  const ring = new Int32Array(ringSize * tracks);
  const ringCount = new Int32Array(ringSize);
  const store = (q: SlidingQuantiles, j: number): void => {
    const slot = j % ringSize;
    ringCount[slot] = q.count;
    if (q.count < enough) return;
    const at = slot * tracks;
    for (let t = 0; t < tracks; t++) ring[at + t] = q.value(t);
  };
  /** Window i's floors from its left side (ring slot of i) and its right side (`right` of track t). */
  const decide = (i: number, rightCount: number, right: (t: number) => number): void => {
    const slot = (i % ringSize) * tracks;
    const useLeft = ringCount[i % ringSize]! >= enough;
    const useRight = rightCount >= enough;
    const base = i * bandCount;
    if (!useLeft && !useRight) {
      floorLevel[i] = SILENT_DB;
      return;
    }
    // Of the two one-sided floors, the one closer to the window's own value.
    if (useLeft && useRight) {
      const l = levelOfBin(ring[slot]!);
      const r = levelOfBin(right(0));
      const own = level[i]!;
      floorLevel[i] = Math.abs(own - l) <= Math.abs(own - r) ? l : r;
      for (let b = 0; b < bandCount; b++) {
        const own8 = bands[base + b]!;
        const lb = ring[slot + b + 1]!;
        const rb = right(b + 1);
        floorBands[base + b] = Math.abs(own8 - lb) <= Math.abs(own8 - rb) ? lb : rb;
      }
    } else if (useLeft) {
      floorLevel[i] = levelOfBin(ring[slot]!);
      for (let b = 0; b < bandCount; b++) floorBands[base + b] = ring[slot + b + 1]!;
    } else {
      floorLevel[i] = levelOfBin(right(0));
      for (let b = 0; b < bandCount; b++) floorBands[base + b] = right(b + 1);
    }
  };

  const sliding = new SlidingQuantiles(tracks, bins, FLOOR_PERCENTILE);
  for (let j = 0; j < count; j++) {
    add(sliding, j);
    if (j - span - 1 >= 0) remove(sliding, j - span - 1);
    store(sliding, j);
    // Window j − span: its left side was stored span windows ago, its right side is the one just stored.
    const i = j - span;
    if (i >= 0) {
      const slot = (j % ringSize) * tracks;
      decide(i, ringCount[j % ringSize]!, (t) => ring[slot + t]!);
    }
  }
  // The last windows: their right side runs into the end of the recording (i … count − 1).
  const tail = new SlidingQuantiles(tracks, bins, FLOOR_PERCENTILE);
  const first = Math.max(0, count - span);
  for (let i = first; i < count; i++) add(tail, i);
  for (let i = first; i < count; i++) {
    decide(i, tail.count, (t) => tail.value(t));
    remove(tail, i);
  }
  return { level: floorLevel, bands: floorBands };
}

/** Speech mask, utterance segments and the background measured where nobody speaks. */
export function detectSpeech(stats: WindowStats): SpeechDecision {
  const floors = localFloors(stats);
  const mask = foregroundMask(stats, floors);
  return {
    floor: floors.level,
    mask,
    segments: segmentsOf(mask, stats.hopSeconds),
    noise: measureNoise(stats, mask),
  };
}

/** Bands this far beyond the range noise reaches above their floor (dB) make a window foreground … */
const BAND_ONSET_DB = 6;
/** … and keep it foreground while this far beyond. */
const BAND_HOLD_DB = 2;
/** How many bands must be that far above. */
const BAND_COUNT = 2;

/**
 * How far (dB) the level of a band of `bins` FFT bins rises in stationary noise above its 10th percentile
 * (the floor), 99.9 times out of 100: band power is chi-squared with ~bins degrees of freedom (Hann
 * windows correlate neighbouring bins, halving the 2·bins of independent bins); Wilson–Hilferty quantiles.
 */
export function noiseExcursionDb(bins: number): number {
  const k = Math.max(2, bins);
  const quantile = (z: number): number => {
    const a = 2 / (9 * k);
    return Math.max(1e-6, (1 - a + z * Math.sqrt(a)) ** 3);
  };
  return 10 * Math.log10(quantile(3.09) / quantile(-1.2816));
}

/**
 * Foreground where the level rises above its floor, or where several bands rise well above theirs (quiet
 * syllables in loud noise barely move the overall level but lift their formant bands by 20 dB).
 */
function foregroundMask(stats: WindowStats, floors: { level: Float32Array; bands: Uint8Array }): Uint8Array {
  const { level, hopSeconds, count, bandCount, bands } = stats;
  const mask = new Uint8Array(count);
  const hangover = Math.max(1, Math.round(HANGOVER_SECONDS / hopSeconds));
  const excursion = stats.binsPerBand.map(noiseExcursionDb);
  const bandsAbove = (i: number, margin: number): number => {
    let n = 0;
    for (let b = 0; b < bandCount; b++) {
      const floor = bandDb(floors.bands[i * bandCount + b]!);
      if (floor > -100 && bandDb(bands[i * bandCount + b]!) >= floor + excursion[b]! + margin) n++;
    }
    return n;
  };
  let active = false;
  let hold = 0;
  for (let i = 0; i < count; i++) {
    const above = level[i]! - floors.level[i]!;
    if (!active && (above >= ONSET_DB || bandsAbove(i, BAND_ONSET_DB) >= BAND_COUNT)) active = true;
    if (active) {
      if (above >= HOLD_DB || bandsAbove(i, BAND_HOLD_DB) >= BAND_COUNT) hold = hangover;
      else if (--hold < 0) active = false;
    }
    if (active) mask[i] = 1;
  }
  // One window of pre-roll: onsets start inside the window before the threshold is crossed.
  for (let i = 0; i + 1 < count; i++) if (!mask[i] && mask[i + 1] === 1) mask[i] = 2;
  for (let i = 0; i < count; i++) if (mask[i] === 2) mask[i] = 1;
  return mask;
}

/** Utterance-level segments: merged over short gaps, short blips dropped. */
export function segmentsOf(mask: Uint8Array, hopSeconds: number): Array<[number, number]> {
  const raw: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= mask.length; i++) {
    const on = i < mask.length && mask[i] === 1;
    if (on && start < 0) start = i;
    else if (!on && start >= 0) {
      raw.push([start * hopSeconds, i * hopSeconds]);
      start = -1;
    }
  }
  const merged: Array<[number, number]> = [];
  for (const seg of raw) {
    const last = merged[merged.length - 1];
    if (last && seg[0] - last[1] < MERGE_GAP_SECONDS) last[1] = seg[1];
    else merged.push([seg[0], seg[1]]);
  }
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return merged.filter(([a, b]) => b - a >= MIN_SEGMENT_SECONDS).map(([a, b]) => [round(a), round(b)]);
}

/** True for windows that are background and not next to foreground (tails and onsets excluded). */
export function backgroundWindows(mask: Uint8Array, level: Float32Array): Uint8Array {
  const n = mask.length;
  const out = new Uint8Array(n);
  let lastForeground = -Infinity;
  for (let i = 0; i < n; i++) {
    if (mask[i]) lastForeground = i;
    out[i] = !mask[i] && i - lastForeground > GUARD_WINDOWS && level[i]! > DIGITAL_SILENCE_DB ? 1 : 0;
  }
  let nextForeground = Infinity;
  for (let i = n - 1; i >= 0; i--) {
    if (mask[i]) nextForeground = i;
    if (nextForeground - i <= GUARD_WINDOWS) out[i] = 0;
  }
  return out;
}

/** Median level and band levels over background windows (exact medians from byte histograms). */
export function measureNoise(stats: WindowStats, mask: Uint8Array, from = 0, to = stats.count): NoiseFloor {
  const background = backgroundWindows(mask, stats.level);
  const all = new Float32Array(Math.max(0, to - from));
  let windows = 0;
  const { bandCount, bands } = stats;
  const hist = new Uint32Array(256 * bandCount);
  for (let i = from; i < to; i++) {
    if (!background[i]) continue;
    all[windows++] = stats.level[i]!;
    for (let b = 0; b < bandCount; b++) hist[b * 256 + bands[i * bandCount + b]!]!++;
  }
  if (windows === 0) return { bands: [], windows };
  // A typed array sorts numerically in place (an hour holds 180 000 windows).
  const levels = all.subarray(0, windows).sort();
  const median = (n: number, at: (i: number) => number): number => {
    let seen = 0;
    for (let q = 0; q < 256; q++) {
      seen += at(q);
      if (seen * 2 >= n) return bandDb(q);
    }
    return bandDb(255);
  };
  const bandMedians: number[] = [];
  for (let b = 0; b < bandCount; b++) bandMedians.push(median(windows, (q) => hist[b * 256 + q]!));
  return { level: levels[windows >> 1]!, bands: bandMedians, windows };
}
