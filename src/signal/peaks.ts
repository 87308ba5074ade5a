// Waveform peaks for the report picture: a fixed number of buckets, whatever the recording's length.

/** Per-window peaks (0..32768) folded into at most `buckets` values in 0..1, rounded to 0.001. */
export function foldPeaks(windowPeaks: Uint16Array, buckets = 1000): number[] {
  const n = windowPeaks.length;
  const scale = (v: number): number => Math.round((Math.min(v, 32768) / 32768) * 1000) / 1000;
  if (n <= buckets) return Array.from(windowPeaks, scale);
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.max(from + 1, Math.floor(((b + 1) * n) / buckets));
    let max = 0;
    for (let i = from; i < to; i++) max = Math.max(max, windowPeaks[i]!);
    out.push(scale(max));
  }
  return out;
}
