// Effective bandwidth of the recording: where its content ends, how sharply, and whether that changes in time.
import type { SignalSummary } from './types.js';

/** Windows quieter than this (dBFS) say nothing about bandwidth. */
const ACTIVE_DB = -100;
/** Per-segment bandwidth: this quantile of the windows' bandwidth in each segment of … */
const SEGMENT_QUANTILE = 0.9;
/** … this many seconds, when at least MIN_SEGMENT_WINDOWS windows are active. */
const SEGMENT_SECONDS = 1;
const MIN_SEGMENT_WINDOWS = 20;

export interface BandwidthSegment {
  at: number;
  end: number;
  /** Hz. */
  bandwidth: number;
}

export interface BandwidthProfile {
  /** Where the content ends: the 95th percentile of the active windows' bandwidth, Hz. */
  top: number;
  nyquist: number;
  /** Long-term spectrum just below the top minus just above it (≈1 kHz each), dB; NaN at Nyquist. */
  edgeDropDb: number;
  /** Where the long-term spectrum falls 6 dB below its level under the top, Hz. */
  edgeHz: number;
  /** From there to where it is 36 dB down, Hz: narrow for a codec's lowpass, wide for a resampler. */
  edgeWidthHz: number;
  /** Active windows the top was measured over. */
  windows: number;
  segments: BandwidthSegment[];
}

const quantile = (sorted: ArrayLike<number>, q: number): number =>
  sorted[Math.floor(q * (sorted.length - 1))] ?? 0;

/** The recording's bandwidth profile, or undefined when nothing audible was decoded. */
export function bandwidthProfile(summary: SignalSummary): BandwidthProfile | undefined {
  const stats = summary.stats;
  if (!stats) return undefined;
  // A typed array: an hour holds 180 000 windows, and typed arrays sort numerically in place.
  const all = new Float32Array(stats.count);
  let used = 0;
  for (let i = 0; i < stats.count; i++) if (stats.level[i]! > ACTIVE_DB) all[used++] = stats.bandwidth[i]!;
  if (used === 0) return undefined;
  const active = all.subarray(0, used).sort();
  const top = quantile(active, 0.95);
  const nyquist = summary.sampleRate / 2;

  const binHz = summary.sampleRate / stats.fftSize;
  const ltas = stats.ltas;
  const mean = (fromHz: number, toHz: number): number => {
    let sum = 0;
    let n = 0;
    const last = Math.min(ltas.length - 1, Math.floor(toHz / binHz));
    for (let k = Math.max(1, Math.ceil(fromHz / binHz)); k <= last; k++) {
      sum += ltas[k]!;
      n++;
    }
    return n > 0 ? sum / n : Number.NaN;
  };
  const edgeDropDb =
    top + 200 >= nyquist ? Number.NaN : mean(top - 1000, top - 100) - mean(top + 200, top + 1200);
  // The edge's own shape, against the level of the upper part of the content.
  const reference = mean(top * 0.5, top * 0.85);
  let k6 = Math.min(ltas.length - 1, Math.floor((top + 1000) / binHz));
  while (k6 > 1 && !(ltas[k6]! >= reference - 6)) k6--;
  let k36 = k6;
  while (k36 < ltas.length - 1 && ltas[k36]! >= reference - 36) k36++;
  const edgeHz = k6 * binHz;
  const edgeWidthHz = (k36 - k6) * binHz;

  const per = Math.max(1, Math.round(SEGMENT_SECONDS / stats.hopSeconds));
  const segments: BandwidthSegment[] = [];
  for (let a = 0; a + per <= stats.count; a += per) {
    const values: number[] = [];
    for (let i = a; i < a + per; i++) if (stats.level[i]! > ACTIVE_DB) values.push(stats.bandwidth[i]!);
    if (values.length < MIN_SEGMENT_WINDOWS) continue;
    values.sort((x, y) => x - y);
    segments.push({
      at: a * stats.hopSeconds,
      end: (a + per) * stats.hopSeconds,
      bandwidth: quantile(values, SEGMENT_QUANTILE),
    });
  }
  return { top, nyquist, edgeDropDb, edgeHz, edgeWidthHz, windows: active.length, segments };
}

/**
 * Where the bandwidth crosses `limit` near `around` (seconds), to the window: the first window (searching
 * from a second before) whose five-window median is on the far side. Falls back to `around`.
 */
export function refineCrossing(
  summary: SignalSummary,
  around: number,
  limit: number,
  below: boolean,
): number {
  const stats = summary.stats;
  if (!stats) return around;
  const from = Math.max(0, Math.floor((around - 1) / stats.hopSeconds));
  const to = Math.min(stats.count - 5, Math.ceil((around + 1) / stats.hopSeconds));
  for (let i = from; i <= to; i++) {
    const five: number[] = [];
    for (let j = i; j < i + 5; j++) if (stats.level[j]! > ACTIVE_DB) five.push(stats.bandwidth[j]!);
    if (five.length < 3) continue;
    five.sort((a, b) => a - b);
    const m = five[five.length >> 1]!;
    if (below ? m < limit : m >= limit) return i * stats.hopSeconds;
  }
  return around;
}
