// Step changes of the background (noise floor level and spectral shape) inside stretches of non-speech.
import { backgroundWindows } from './speech.js';
import type { SignalSummary } from './types.js';
import { bandDb } from './windows.js';

/** A side of a split holds at least this many windows (~160 ms) … */
const MIN_SIDE = 8;
/** … and at most this many (~1 s): a slow drift over a long silence is not a step. */
const MAX_SIDE = 50;
/** Bands whose background median is below this (dB) are empty (above a codec's cutoff) and ignored. */
const EMPTY_BAND_DB = -95;
/** Band levels are clamped here so that empty bins do not dominate differences. */
const FLOOR_DB = -100;

/** The best split of one background stretch. */
export interface BackgroundStep {
  /** Seconds: the start of the first window after the split. */
  at: number;
  /** Window index of that window. */
  window: number;
  /** Stretch this split lies in, seconds. */
  from: number;
  to: number;
  /** Mean level after minus before, dB. */
  levelStep: number;
  /** levelStep over its standard error. */
  levelZ: number;
  /** How much better a step fits the level than a straight line (residual ratio, ≥ 1 for a step). */
  sharpness: number;
  /** RMS over bands of the band-level change after removing the common (level) part, dB. */
  shapeStep: number;
  /** Mean squared shape change over its standard error (≈1 for an unchanged background). */
  shapeQ: number;
  /** Share (0..1) of the band-level change a smooth (quadratic) curve over the bands explains. */
  shapeSmoothness: number;
  /** Windows on each side. */
  left: number;
  right: number;
}

/** Robust standard deviation of a series from its successive differences (steps barely move it). */
function successiveSigma(values: ArrayLike<number>, from: number, to: number, floor: number): number {
  if (to - from < 2) return floor;
  // A typed array sorts numerically in place, many times faster than an array with a comparator.
  const diffs = new Float64Array(to - from - 1);
  for (let i = from + 1; i < to; i++) diffs[i - from - 1] = Math.abs(values[i]! - values[i - 1]!);
  diffs.sort();
  // median |X1 − X2| = 0.954·σ for Gaussian X.
  return Math.max(floor, diffs[diffs.length >> 1]! / 0.954 || floor);
}

/** For every background stretch long enough to split, its strongest shape step and level step. */
export function backgroundSteps(summary: SignalSummary): BackgroundStep[] {
  const { stats, speechMask, noise } = summary;
  if (!stats || !speechMask || !noise) return [];
  const background = backgroundWindows(speechMask, stats.level);
  const used: number[] = [];
  for (let b = 0; b < stats.bandCount; b++) if ((noise.bands[b] ?? FLOOR_DB) > EMPTY_BAND_DB) used.push(b);
  if (used.length < 3) return [];
  const steps: BackgroundStep[] = [];
  let start = -1;
  for (let i = 0; i <= stats.count; i++) {
    const on = i < stats.count && background[i] === 1;
    if (on && start < 0) start = i;
    else if (!on && start >= 0) {
      if (i - start >= 2 * MIN_SIDE) steps.push(...stretchSteps(summary, used, start, i));
      start = -1;
    }
  }
  return steps;
}

/** Scans the splits of one stretch [a, b) with prefix sums; returns the best shape and level splits. */
function stretchSteps(summary: SignalSummary, used: number[], a: number, b: number): BackgroundStep[] {
  const stats = summary.stats!;
  const n = b - a;
  const B = used.length;
  const { bandCount, bands, hopSeconds } = stats;
  const level = stats.level.subarray(a, b);
  // Band levels of the stretch, band-major, clamped.
  const v = new Float64Array(B * n);
  for (let k = 0; k < B; k++)
    for (let i = 0; i < n; i++)
      v[k * n + i] = Math.max(FLOOR_DB, bandDb(bands[(a + i) * bandCount + used[k]!]!));
  const sigmaL = successiveSigma(level, 0, n, 0.1);
  const sigmaB = used.map((_, k) => successiveSigma(v.subarray(k * n, (k + 1) * n), 0, n, 0.3));
  // Prefix sums: level (y, y², x·y) and bands (y).
  const py = new Float64Array(n + 1);
  const py2 = new Float64Array(n + 1);
  const pxy = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const y = level[i]!;
    py[i + 1] = py[i]! + y;
    py2[i + 1] = py2[i]! + y * y;
    pxy[i + 1] = pxy[i]! + i * y;
  }
  const pb = new Float64Array(B * (n + 1));
  for (let k = 0; k < B; k++)
    for (let i = 0; i < n; i++) pb[k * (n + 1) + i + 1] = pb[k * (n + 1) + i]! + v[k * n + i]!;
  const sum = (p: Float64Array, from: number, to: number): number => p[to]! - p[from]!;
  const rss = (from: number, to: number): number => {
    const m = to - from;
    const s = sum(py, from, to);
    return sum(py2, from, to) - (s * s) / m;
  };

  let bestShape: BackgroundStep | undefined;
  let bestLevel: BackgroundStep | undefined;
  /** levelZ · min(sharpness, 3) of bestLevel. */
  let bestStrength = 0;
  const deltas = new Float64Array(B);
  for (let j = MIN_SIDE; j <= n - MIN_SIDE; j++) {
    const lo = Math.max(0, j - MAX_SIDE);
    const hi = Math.min(n, j + MAX_SIDE);
    const nl = j - lo;
    const nr = hi - j;
    const k2 = Math.sqrt(1 / nl + 1 / nr);
    const levelStep = sum(py, j, hi) / nr - sum(py, lo, j) / nl;
    const levelZ = Math.abs(levelStep) / (sigmaL * k2);
    // Straight line over [lo, hi) against the two-mean step model.
    const m = hi - lo;
    const sx = ((lo + hi - 1) * m) / 2;
    const sxx = ((hi - 1) * hi * (2 * hi - 1)) / 6 - ((lo - 1) * lo * (2 * lo - 1)) / 6;
    const sy = sum(py, lo, hi);
    const sxy = sum(pxy, lo, hi);
    const slope = (m * sxy - sx * sy) / Math.max(1e-9, m * sxx - sx * sx);
    const intercept = (sy - slope * sx) / m;
    const rssLine = Math.max(0, sum(py2, lo, hi) - intercept * sy - slope * sxy);
    const rssStep = rss(lo, j) + rss(j, hi);
    const sharpness = rssLine / Math.max(rssStep, 1e-9);
    for (let k = 0; k < B; k++) {
      const off = k * (n + 1);
      const right = pb[off + hi]! - pb[off + j]!;
      const leftSum = pb[off + j]! - pb[off + lo]!;
      deltas[k] = right / nr - leftSum / nl;
    }
    // The common (level) part of the change: the mean over bands (a median would allocate per split).
    let common = 0;
    for (let k = 0; k < B; k++) common += deltas[k]!;
    common /= B;
    let shapeSq = 0;
    let q = 0;
    for (let k = 0; k < B; k++) {
      const d = deltas[k]! - common;
      shapeSq += d * d;
      const z = d / (sigmaB[k]! * k2);
      q += z * z;
    }
    // A split is made an object only when it is the best so far (an hour has some 100 000 splits).
    const shapeQ = q / B;
    const strength = levelZ * Math.min(sharpness, 3);
    const betterShape = !bestShape || shapeQ > bestShape.shapeQ;
    const betterLevel = !bestLevel || strength > bestStrength;
    if (betterShape || betterLevel) {
      const step: BackgroundStep = {
        at: (a + j) * hopSeconds,
        window: a + j,
        from: a * hopSeconds,
        to: b * hopSeconds,
        levelStep,
        levelZ,
        sharpness,
        shapeStep: Math.sqrt(shapeSq / B),
        shapeQ,
        shapeSmoothness: 0,
        left: nl,
        right: nr,
      };
      if (betterShape) bestShape = step;
      if (betterLevel) {
        bestLevel = step;
        bestStrength = strength;
      }
    }
  }
  const out: BackgroundStep[] = [];
  for (const step of [bestShape, bestLevel]) {
    if (!step || out.includes(step)) continue;
    // How smooth the change is across the spectrum: a quadratic in band position explains most of a
    // change of noise colour; noise suppressors gate bands independently and explain little.
    const j = step.window - a;
    for (let k = 0; k < B; k++) {
      const off = k * (n + 1);
      deltas[k] =
        (pb[off + j + step.right]! - pb[off + j]!) / step.right -
        (pb[off + j]! - pb[off + j - step.left]!) / step.left;
    }
    step.shapeSmoothness = quadraticFit(deltas);
    out.push(step);
  }
  return out;
}

/** Share of the variance of `y` (over evenly spaced x) that a least-squares quadratic explains, 0..1. */
export function quadraticFit(y: ArrayLike<number>): number {
  const n = y.length;
  if (n < 4) return 0;
  // Orthogonal polynomials on x ∈ [−1, 1]: 1, x, x² − mean(x²); projections give the fit directly.
  const xs = Array.from({ length: n }, (_, i) => (2 * i) / (n - 1) - 1);
  const m2 = xs.reduce((p, x) => p + x * x, 0) / n;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  let total = 0;
  let p1 = 0;
  let n1 = 0;
  let p2 = 0;
  let n2 = 0;
  for (let i = 0; i < n; i++) {
    const d = y[i]! - mean;
    const x = xs[i]!;
    const q = x * x - m2;
    total += d * d;
    p1 += d * x;
    n1 += x * x;
    p2 += d * q;
    n2 += q * q;
  }
  if (total <= 0) return 0;
  return Math.min(1, (p1 * p1) / n1 / total + (n2 > 0 ? (p2 * p2) / n2 / total : 0));
}
