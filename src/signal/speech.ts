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

/** A low quantile of the last (or next) few seconds of values, updated in O(1) per window. */
class SlidingQuantile {
  private readonly hist: Uint32Array;
  private total = 0;
  private bin = 0;
  /** Values in bins below `bin`. */
  private below = 0;

  constructor(
    bins: number,
    private readonly fraction: number,
  ) {
    this.hist = new Uint32Array(bins);
  }

  add(bin: number): void {
    this.hist[bin]!++;
    this.total++;
    if (bin < this.bin) this.below++;
  }

  remove(bin: number): void {
    this.hist[bin]!--;
    this.total--;
    if (bin < this.bin) this.below--;
  }

  get count(): number {
    return this.total;
  }

  /** The bin holding the quantile (−1 when empty). */
  value(): number {
    if (this.total === 0) return -1;
    const rank = Math.max(1, Math.ceil(this.total * this.fraction));
    const hist = this.hist;
    while (this.below + hist[this.bin]! < rank) this.below += hist[this.bin++]!;
    while (this.below >= rank) this.below -= hist[--this.bin]!;
    return this.bin;
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
  const make = (): SlidingQuantile[] =>
    Array.from(
      { length: tracks },
      (_, k) => new SlidingQuantile(k === 0 ? LEVEL_BINS : 256, FLOOR_PERCENTILE),
    );
  const left = make();
  const right = make();
  const silent = (i: number): boolean => level[i]! <= DIGITAL_SILENCE_DB;
  const add = (q: SlidingQuantile[], i: number): void => {
    if (silent(i)) return;
    q[0]!.add(levelBin(level[i]!));
    const base = i * bandCount;
    for (let b = 0; b < bandCount; b++) q[b + 1]!.add(bands[base + b]!);
  };
  const remove = (q: SlidingQuantile[], i: number): void => {
    if (silent(i)) return;
    q[0]!.remove(levelBin(level[i]!));
    const base = i * bandCount;
    for (let b = 0; b < bandCount; b++) q[b + 1]!.remove(bands[base + b]!);
  };
  const floorLevel = new Float32Array(count);
  // Band floors stay in the bands' own byte quantisation (a quarter of the memory of floats).
  const floorBands = new Uint8Array(count * bandCount);
  const enough = Math.max(3, span / 10);
  // Windows i - span .. i are in `left`, i .. i + span in `right`.
  for (let i = 0; i <= Math.min(span, count - 1); i++) add(right, i);
  for (let i = 0; i < count; i++) {
    add(left, i);
    if (i - span - 1 >= 0) remove(left, i - span - 1);
    if (i > 0) {
      remove(right, i - 1);
      if (i + span < count) add(right, i + span);
    }
    const useLeft = left[0]!.count >= enough;
    const useRight = right[0]!.count >= enough;
    const base = i * bandCount;
    if (!useLeft && !useRight) {
      floorLevel[i] = SILENT_DB;
      floorBands.fill(0, base, base + bandCount);
      continue;
    }
    // Of the two one-sided floors, the one closer to the window's own value.
    if (useLeft && useRight) {
      const l = levelOfBin(left[0]!.value());
      const r = levelOfBin(right[0]!.value());
      const own = level[i]!;
      floorLevel[i] = Math.abs(own - l) <= Math.abs(own - r) ? l : r;
      for (let b = 0; b < bandCount; b++) {
        const own8 = bands[base + b]!;
        const lb = left[b + 1]!.value();
        const rb = right[b + 1]!.value();
        floorBands[base + b] = Math.abs(own8 - lb) <= Math.abs(own8 - rb) ? lb : rb;
      }
    } else {
      const q = useLeft ? left : right;
      floorLevel[i] = levelOfBin(q[0]!.value());
      for (let b = 0; b < bandCount; b++) floorBands[base + b] = q[b + 1]!.value();
    }
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
  const levels: number[] = [];
  const { bandCount, bands } = stats;
  const hist = new Uint32Array(256 * bandCount);
  for (let i = from; i < to; i++) {
    if (!background[i]) continue;
    levels.push(stats.level[i]!);
    for (let b = 0; b < bandCount; b++) hist[b * 256 + bands[i * bandCount + b]!]!++;
  }
  const windows = levels.length;
  if (windows === 0) return { bands: [], windows };
  levels.sort((a, b) => a - b);
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
