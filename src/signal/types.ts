// Compact results of the streaming signal analysis that detectors and documents read.

/** Per-window statistics over the decoded audio; arrays are indexed by window. */
export interface SignalSummary {
  sampleRate: number;
  /** Samples per analysis window (hop). */
  windowSize: number;
  windows: number;
  duration: number;
  /** Waveform peaks (0..1) over `peakBuckets` evenly spread buckets. */
  peaks: number[];
  /** Detected speech segments [start, end] in seconds. */
  speech: Array<[number, number]>;
  /** Further statistics, added by the signal analysis (level, noise floor, bandwidth…). */
  [key: string]: unknown;
}
