// Compact results of the streaming signal analysis that detectors and documents read.

/** A run of identical samples (exact zeros or a constant value), sample-exact. */
export interface ConstantRun {
  /** First sample of the run. */
  start: number;
  /** Number of identical samples. */
  length: number;
  /** The repeated 16-bit value (0 for digital silence). */
  value: number;
}

/** Runs of identical samples of at least `minLength` samples; the list is capped, the totals are not. */
export interface RunStats {
  minLength: number;
  runs: ConstantRun[];
  /** Runs seen in total (may exceed runs.length when the cap was reached). */
  count: number;
  /** Samples inside recorded runs, in total. */
  samples: number;
}

/**
 * Statistics per analysis window (hop), indexed by window. Levels are dB re full scale; band levels are
 * power densities scaled so that white noise of RMS level L dB reads L dB in every band.
 */
export interface WindowStats {
  /** Samples per hop (20 blocks of ~1 ms). */
  hop: number;
  hopSeconds: number;
  /** Samples per ~1 ms block used for the mains-hum demodulation. */
  block: number;
  /** FFT length (largest power of two not above the hop), centred in each hop. */
  fftSize: number;
  count: number;
  /** RMS level of the hop without its DC part, dBFS (−140 for digital silence). */
  level: Float32Array;
  /** Largest absolute sample value in the hop (0..32768). */
  peak: Uint16Array;
  /** RMS of the first difference (a high-pass residual), dBFS. */
  residual: Float32Array;
  /** Largest |first difference| in the hop over the hop's residual RMS, dB. */
  residualPeak: Float32Array;
  /** Sample offset of that largest difference within the hop. */
  residualPeakAt: Uint16Array;
  /** Mean absolute change of the band levels from the previous hop, dB. */
  flux: Float32Array;
  /** Spectral centroid, Hz. */
  centroid: Float32Array;
  /** Slope of band level against log frequency above 100 Hz, dB per octave. */
  tilt: Float32Array;
  /** Highest frequency clearly above the 16-bit rounding floor, Hz (0 when nothing is). */
  bandwidth: Float32Array;
  /** Band edges in Hz (bandCount + 1 values). */
  bandEdges: number[];
  bandCount: number;
  /** FFT bins in each band (their number sets how much a band's level fluctuates in noise). */
  binsPerBand: number[];
  /** Band levels, `bandCount` per hop, quantised by `bandDb()` (0 = at or below −140 dB). */
  bands: Uint8Array;
  /** Frequencies tracked for mains hum, Hz. */
  humFrequencies: number[];
  /** Hops per hum value (a 100 ms block). */
  humBlockHops: number;
  /** Complex amplitude (re, im) per hum frequency per block of `humBlockHops` hops, phase referenced to sample 0. */
  hum: Float32Array;
  /** Long-term mean power per FFT bin (bin width sampleRate / fftSize), dB on the band scale. */
  ltas: Float32Array;
}

/** The background measured in non-speech windows. */
export interface NoiseFloor {
  /** Median level of non-speech windows, dBFS (undefined when there are none). */
  level?: number;
  /** Median band levels of non-speech windows, dB (band scale). */
  bands: number[];
  /** Non-speech windows the medians were taken over. */
  windows: number;
}

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
  /** The window statistics (absent when nothing was decoded). */
  stats?: WindowStats;
  /** Runs of exact zeros or constant samples. */
  runs?: RunStats;
  /** Adaptive noise floor per window, dBFS. */
  floor?: Float32Array;
  /** 1 where the window is speech (or other foreground sound), 0 where it is background. */
  speechMask?: Uint8Array;
  noise?: NoiseFloor;
  /** Further statistics other analyses may add. */
  [key: string]: unknown;
}
