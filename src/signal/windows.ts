// The streaming window analysis: one pass over the decoded PCM yields compact per-window statistics.
import FFT from 'fft.js';
import type { PcmConsumer } from '../decode/types.js';
import { Series } from './series.js';
import type { ConstantRun, RunStats, WindowStats } from './types.js';

/** Bark-like band edges (Hz); bands above the Nyquist frequency are dropped. */
const BAND_EDGES = [
  0, 100, 200, 300, 400, 510, 630, 770, 920, 1080, 1270, 1480, 1720, 2000, 2320, 2700, 3150, 3700, 4400, 5300,
  6400, 7700, 9500, 12000, 15500, 20000, 24000,
];

/** Mains fundamentals and their second and third harmonics, for 50 Hz and 60 Hz grids. */
export const HUM_FREQUENCIES = [50, 100, 150, 60, 120, 180];

/** Hops per stored hum value: 5 × 20 ms = 100 ms holds whole cycles of 50 Hz (5) and 60 Hz (6). */
export const HUM_BLOCK_HOPS = 5;
/** Blocks (of ~1 ms) per hop: a hop is ~20 ms, one 50 Hz cycle. */
const BLOCKS_PER_HOP = 20;
/** Runs of identical samples shorter than this (seconds) are not recorded. */
const MIN_RUN_SECONDS = 0.005;
/** Cap on recorded runs: a noise-gated recording can have thousands; the totals keep counting. */
const MAX_RUNS = 20_000;
/** A bin counts as content when it is this far (dB) above the 16-bit rounding floor. */
const CONTENT_ABOVE_ROUNDING_DB = 15;
/**
 * Longest FFT: 256 points is a radix-4 size that fft.js transforms in a third of the time of 512, which
 * keeps a one-hour 48 kHz analysis within the decode's own time; 187 Hz bins still resolve a lowpass.
 */
const MAX_FFT = 256;
/** Floor for logarithms, dB: digital silence reads as this. */
export const SILENT_DB = -140;

/** Quantise a band level (dB) into one byte: 0.625 dB steps from −140 dB. */
export function quantiseDb(db: number): number {
  const q = Math.round((db - SILENT_DB) * 1.6);
  return q < 0 ? 0 : Math.min(q, 255);
}

/** The band level (dB) a quantised byte stands for. */
export function bandDb(q: number): number {
  return q / 1.6 + SILENT_DB;
}

/** Per-window arrays are sized up front for at most this much declared audio; longer recordings grow. */
const MAX_RESERVE_SECONDS = 6 * 3600;
/** Longest period (in hops) of the hum phasor kept as a table. */
const MAX_PHASOR_PERIOD = 4096;

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y > 0) [x, y] = [y, x % y];
  return x;
}

const toDb = (power: number): number => (power > 1e-14 ? 10 * Math.log10(power) : SILENT_DB);

/** Analysis geometry for a sample rate: ~1 ms blocks, 20 blocks per hop, FFT ≤ hop. */
export function geometry(sampleRate: number): { block: number; hop: number; fftSize: number } {
  const block = Math.max(1, Math.round(sampleRate / 1000));
  const hop = block * BLOCKS_PER_HOP;
  let fftSize = 16;
  while (fftSize * 2 <= Math.min(hop, MAX_FFT)) fftSize *= 2;
  return { block, hop, fftSize };
}

/** Consumes the shared decode and keeps per-hop statistics; `result()` after `end()`. */
export class WindowAnalyser implements PcmConsumer {
  private sampleRate = 0;
  private block = 1;
  private hop = 20;
  private fftSize = 16;
  /** The hop being filled across chunk boundaries. */
  private buf = new Float64Array(0);
  /** Whole hops of a chunk, converted to doubles in one go (one view per chunk, not one per hop). */
  private scratch = new Float64Array(0);
  /** Where the hop being processed is: `data[base … base + hop)`. */
  private data: Float64Array = new Float64Array(0);
  private base = 0;
  private fill = 0;
  /** Samples seen before the current hop buffer. */
  private hopStart = 0;
  private prevSample = 0;
  private started = false;

  // Runs of identical samples, tracked sample by sample across chunk boundaries.
  private runValue = 0;
  private runStart = 0;
  private runLength = 0;
  private minRun = 1;
  private readonly runs: ConstantRun[] = [];
  private runCount = 0;
  private runSamples = 0;

  // FFT work areas.
  private fft: FFT | undefined;
  private window = new Float64Array(0);
  private windowPower = 1;
  private frame = new Float64Array(0);
  private spectrum = new Float64Array(0);
  private binBand = new Int16Array(0);
  private binCount = new Float64Array(0);
  private bandPower = new Float64Array(0);
  private bandLevel = new Float64Array(0);
  private prevBandLevel = new Float64Array(0);
  private bandLogFreq = new Float64Array(0);
  private tiltFrom = 0;
  private tiltXMean = 0;
  private tiltSxx = 1;
  private edges: number[] = [];
  private ltasSum = new Float64Array(0);
  private contentThreshold = 0;

  // Hum demodulation: per frequency, the per-block rotation.
  private humCos = new Float64Array(0);
  private humSin = new Float64Array(0);
  private humRe = new Float64Array(0);
  private humIm = new Float64Array(0);
  private humAcc = new Float64Array(0);
  private humBlock = new Float64Array(0);
  private humHops = 0;
  /**
   * The phasor at each hop's first block repeats with a short period (one hop holds whole cycles of
   * 50 Hz at 48 kHz; at 44.1 kHz it repeats every 441 hops): per frequency, its cos and sin for each
   * hop of the period, computed by the same exact integer arithmetic, so values are identical to
   * computing them per hop. Empty when the period is too long to be worth a table.
   */
  private humStartCos: Float64Array[] = [];
  private humStartSin: Float64Array[] = [];
  private hopIndex = 0;

  private readonly level = new Series(Float32Array);
  private readonly peak = new Series(Uint16Array);
  private readonly residual = new Series(Float32Array);
  private readonly residualPeak = new Series(Float32Array);
  private readonly residualPeakAt = new Series(Uint16Array);
  private readonly flux = new Series(Float32Array);
  private readonly centroid = new Series(Float32Array);
  private readonly tilt = new Series(Float32Array);
  private readonly bandwidth = new Series(Float32Array);
  private bands = new Series(Uint8Array, 1);
  private hum = new Series(Float32Array, 2 * HUM_FREQUENCIES.length);

  begin(sampleRate: number, expectedSamples?: number): void {
    this.sampleRate = sampleRate;
    const g = geometry(sampleRate);
    this.block = g.block;
    this.hop = g.hop;
    this.fftSize = g.fftSize;
    this.buf = new Float64Array(g.hop);
    // At least two blocks, so that any recorded run makes a whole block flat (see edgeRuns).
    this.minRun = Math.max(2 * g.block, Math.round(sampleRate * MIN_RUN_SECONDS));

    const n = g.fftSize;
    this.fft = new FFT(n);
    this.frame = new Float64Array(n);
    this.spectrum = new Float64Array(2 * n);
    // Hann window on samples scaled to ±1.
    this.window = new Float64Array(n);
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n);
      this.window[i] = w / 32768;
      sumSq += w * w;
    }
    this.windowPower = sumSq;
    // White noise of variance σ² gives E|X_k|² = σ²·Σw²; 16-bit rounding has σ² = 1/12 LSB².
    this.contentThreshold = (sumSq / 12 / 32768 ** 2) * 10 ** (CONTENT_ABOVE_ROUNDING_DB / 10);

    const nyquist = sampleRate / 2;
    const binHz = sampleRate / n;
    const half = n / 2;
    // Map bins to bands, dropping bands that hold no bin at this resolution (bin 0 is DC: excluded).
    const lows: number[] = [];
    const highs: number[] = [];
    for (let b = 0; b + 1 < BAND_EDGES.length; b++) {
      const lo = BAND_EDGES[b]!;
      const hi = Math.min(BAND_EDGES[b + 1]!, nyquist);
      if (lo >= nyquist) break;
      lows.push(lo);
      highs.push(hi);
    }
    this.binBand = new Int16Array(half + 1).fill(-1);
    const counts: number[] = [];
    const edges: number[] = [];
    let band = -1;
    let currentSource = -1;
    for (let k = 1; k <= half; k++) {
      const f = k * binHz;
      let source = lows.findIndex(
        (lo, i) => f >= lo && (f < highs[i]! || (i === lows.length - 1 && f <= nyquist)),
      );
      if (source < 0) source = lows.length - 1;
      if (source !== currentSource) {
        band++;
        currentSource = source;
        counts.push(0);
        edges.push(lows[source]!);
      }
      this.binBand[k] = band;
      counts[band]!++;
    }
    edges.push(nyquist);
    this.edges = edges;
    const bandCount = counts.length;
    this.binCount = Float64Array.from(counts);
    this.bandPower = new Float64Array(bandCount);
    this.bandLevel = new Float64Array(bandCount);
    this.prevBandLevel = new Float64Array(bandCount).fill(Number.NaN);
    this.bandLogFreq = new Float64Array(bandCount);
    for (let b = 0; b < bandCount; b++)
      this.bandLogFreq[b] = Math.log2(Math.max(1, (edges[b]! + edges[b + 1]!) / 2));
    // Tilt is fitted over bands centred above 100 Hz: below, mains hum and handling noise dominate.
    this.tiltFrom = edges.findIndex((e, i) => i < bandCount && (e + edges[i + 1]!) / 2 >= 100);
    if (this.tiltFrom < 0) this.tiltFrom = 0;
    let xs = 0;
    for (let b = this.tiltFrom; b < bandCount; b++) xs += this.bandLogFreq[b]!;
    const m = bandCount - this.tiltFrom;
    this.tiltXMean = m > 0 ? xs / m : 0;
    let sxx = 0;
    for (let b = this.tiltFrom; b < bandCount; b++) sxx += (this.bandLogFreq[b]! - this.tiltXMean) ** 2;
    this.tiltSxx = sxx > 0 ? sxx : 1;
    this.bands = new Series(Uint8Array, bandCount);
    this.ltasSum = new Float64Array(half + 1);
    if (expectedSamples !== undefined && expectedSamples > 0) {
      // Sized once for the declared duration (bounded: a header can claim anything).
      const hops = Math.min(expectedSamples, MAX_RESERVE_SECONDS * sampleRate) / g.hop + 2;
      for (const series of [
        this.level,
        this.peak,
        this.residual,
        this.residualPeak,
        this.residualPeakAt,
        this.flux,
        this.centroid,
        this.tilt,
        this.bandwidth,
        this.bands,
      ])
        series.reserve(hops);
      this.hum.reserve(hops / HUM_BLOCK_HOPS + 1);
    }

    const k = HUM_FREQUENCIES.length;
    this.humCos = new Float64Array(k);
    this.humSin = new Float64Array(k);
    this.humRe = new Float64Array(k);
    this.humIm = new Float64Array(k);
    this.humAcc = new Float64Array(2 * k);
    this.humBlock = new Float64Array(2 * k);
    for (let j = 0; j < k; j++) {
      const step = (2 * Math.PI * HUM_FREQUENCIES[j]! * g.block) / sampleRate;
      this.humCos[j] = Math.cos(step);
      this.humSin[j] = Math.sin(step);
    }
    this.humStartCos = [];
    this.humStartSin = [];
    this.hopIndex = 0;
    for (let j = 0; j < k; j++) {
      const f = HUM_FREQUENCIES[j]!;
      const sr2 = 2 * sampleRate;
      const period = Number.isInteger(sr2) && Number.isInteger(g.hop) ? sr2 / gcd(2 * f * g.hop, sr2) : 0;
      const size = period >= 1 && period <= MAX_PHASOR_PERIOD ? period : 0;
      const cos = new Float64Array(size);
      const sin = new Float64Array(size);
      for (let h = 0; h < size; h++) {
        const cycles = ((2 * f * (h * g.hop) + f * (g.block - 1)) % sr2) / sr2;
        cos[h] = Math.cos(2 * Math.PI * cycles);
        sin[h] = Math.sin(2 * Math.PI * cycles);
      }
      this.humStartCos.push(cos);
      this.humStartSin.push(sin);
    }
    this.started = true;
  }

  push(samples: Int16Array): void {
    if (!this.started) return;
    const hop = this.hop;
    const buf = this.buf;
    const n = samples.length;
    let i = 0;
    // Int16 → Float64 once: the statistics loop runs faster on doubles than on small integers.
    if (this.fill > 0) {
      // Complete the hop a previous chunk began.
      const take = Math.min(hop - this.fill, n);
      buf.set(samples.subarray(0, take), this.fill);
      this.fill += take;
      i = take;
      if (this.fill < hop) return;
      this.processHop(buf, 0);
      this.fill = 0;
    }
    const whole = Math.floor((n - i) / hop) * hop;
    if (whole > 0) {
      if (this.scratch.length < whole) this.scratch = new Float64Array(whole);
      const scratch = this.scratch;
      scratch.set(samples.subarray(i, i + whole));
      for (let h = 0; h < whole; h += hop) this.processHop(scratch, h);
      i += whole;
    }
    if (i < n) {
      buf.set(samples.subarray(i, n), 0);
      this.fill = n - i;
    }
  }

  end(): void {
    if (!this.started) return;
    // The tail (< one hop) still counts for runs of identical samples; it is dropped from the window
    // statistics because padding it would invent a discontinuity.
    this.data = this.buf;
    this.base = 0;
    this.scanRuns(this.fill);
    if (this.runLength >= this.minRun) this.recordRun(this.runValue, this.runStart, this.runLength);
    this.runLength = 0;
    this.hopStart += this.fill;
    this.fill = 0;
  }

  private recordRun(value: number, start: number, length: number): void {
    this.runCount++;
    this.runSamples += length;
    if (this.runs.length < MAX_RUNS) this.runs.push({ start, length, value });
  }

  /** Exact run tracking over the first `count` samples of the hop buffer (only where runs can be long). */
  private scanRuns(count: number): void {
    const buf = this.data;
    const base = this.base;
    let value = this.runValue;
    let start = this.runStart;
    let length = this.runLength;
    for (let i = 0; i < count; i++) {
      const x = buf[base + i]!;
      if (length > 0 && x === value) length++;
      else {
        if (length >= this.minRun) this.recordRun(value, start, length);
        value = x;
        start = this.hopStart + i;
        length = 1;
      }
    }
    this.runValue = value;
    this.runStart = start;
    this.runLength = length;
  }

  /**
   * Cheap run tracking for a hop without any flat block: a run of ≥ minRun samples (≥ 2 blocks) would
   * have made a whole block flat, so only the run entering the hop and the run leaving it matter.
   */
  private edgeRuns(): void {
    const buf = this.data;
    const base = this.base;
    const hop = this.hop;
    let p = 0;
    if (this.runLength > 0) while (p < hop && buf[base + p] === this.runValue) p++;
    const entering = this.runLength + p;
    if (this.runLength > 0 && entering >= this.minRun) this.recordRun(this.runValue, this.runStart, entering);
    const last = buf[base + hop - 1]!;
    let q = hop - 1;
    while (q > p && buf[base + q - 1] === last) q--;
    this.runValue = last;
    this.runStart = this.hopStart + q;
    this.runLength = hop - q;
  }

  /** One hop, `buf[base … base + hop)`: time-domain statistics, hum demodulation, runs, then the spectrum. */
  private processHop(buf: Float64Array, base: number): void {
    this.data = buf;
    this.base = base;
    const block = this.block;
    const hop = this.hop;
    const humCount = HUM_FREQUENCIES.length;
    const humRe = this.humRe;
    const humIm = this.humIm;
    const humCos = this.humCos;
    const humSin = this.humSin;
    const sr2 = 2 * this.sampleRate;
    const hopStart = this.hopStart;
    // Phasor at the centre of the first block, from exact integer arithmetic (no drift over hours).
    const hopIndex = this.hopIndex++;
    for (let j = 0; j < humCount; j++) {
      const cosTable = this.humStartCos[j]!;
      if (cosTable.length > 0) {
        const h = hopIndex % cosTable.length;
        humRe[j] = cosTable[h]!;
        humIm[j] = this.humStartSin[j]![h]!;
        continue;
      }
      const f = HUM_FREQUENCIES[j]!;
      const cycles = ((2 * f * hopStart + f * (block - 1)) % sr2) / sr2;
      humRe[j] = Math.cos(2 * Math.PI * cycles);
      humIm[j] = Math.sin(2 * Math.PI * cycles);
    }
    const humAcc = this.humAcc;
    humAcc.fill(0);

    let sum = 0;
    let sumSq = 0;
    let diffSq = 0;
    let diffMax = 0;
    let peak = 0;
    let flatBlocks = 0;
    let maxBlock = 0;
    const prevAtStart = hopStart === 0 ? buf[base]! : this.prevSample;
    let prev = prevAtStart;
    let idx = base;
    for (let b = 0; b < BLOCKS_PER_HOP; b++) {
      let blockSum = 0;
      let blockDiffSq = 0;
      let blockMaxAbs = 0;
      const stop = idx + block;
      // Keep this loop free of data-dependent branches: it runs for every sample of the recording.
      // Largest |x| and |d| rather than max and min of x and max of d²: fewer operations per sample,
      // the same values (samples are integers, so |d|² is exactly the largest d²).
      for (; idx < stop; idx++) {
        const x = buf[idx]!;
        blockSum += x;
        sumSq += x * x;
        peak = Math.max(peak, Math.abs(x));
        const d = x - prev;
        prev = x;
        blockDiffSq += d * d;
        blockMaxAbs = Math.max(blockMaxAbs, Math.abs(d));
      }
      const blockMax = blockMaxAbs * blockMaxAbs;
      if (blockMax > diffMax) {
        diffMax = blockMax;
        maxBlock = b;
      }
      sum += blockSum;
      diffSq += blockDiffSq;
      if (blockDiffSq === 0) flatBlocks++;
      // Complex demodulation of the ~1 ms block sums (a boxcar low-pass) at each mains frequency.
      for (let j = 0; j < humCount; j++) {
        const c = humRe[j]!;
        const s = humIm[j]!;
        humAcc[2 * j] = humAcc[2 * j]! + blockSum * c;
        humAcc[2 * j + 1] = humAcc[2 * j + 1]! - blockSum * s;
        humRe[j] = c * humCos[j]! - s * humSin[j]!;
        humIm[j] = s * humCos[j]! + c * humSin[j]!;
      }
    }
    this.prevSample = prev;
    if (flatBlocks > 0) this.scanRuns(hop);
    else this.edgeRuns();
    this.hopStart = hopStart + hop;

    // Hum is kept per block of HUM_BLOCK_HOPS hops (100 ms: whole cycles of 50 and 60 Hz), a fifth of the
    // memory of per-hop values and all the resolution the phase tracking uses.
    const block5 = this.humBlock;
    for (let j = 0; j < 2 * humCount; j++) block5[j] = block5[j]! + humAcc[j]!;
    if (++this.humHops === HUM_BLOCK_HOPS) {
      const humOut = this.hum.next();
      const humBuf = this.hum.buffer;
      const norm = 1 / (32768 * hop * HUM_BLOCK_HOPS);
      for (let j = 0; j < 2 * humCount; j++) humBuf[humOut + j] = block5[j]! * norm;
      block5.fill(0);
      this.humHops = 0;
    }

    // Locate the largest difference within its block (keeping the index per sample costs a branch).
    let diffMaxAt = maxBlock * block;
    let before = diffMaxAt === 0 ? prevAtStart : buf[base + diffMaxAt - 1]!;
    for (let i = diffMaxAt; i < diffMaxAt + block; i++) {
      const x = buf[base + i]!;
      const d = x - before;
      before = x;
      if (d * d === diffMax) {
        diffMaxAt = i;
        break;
      }
    }

    const mean = sum / hop;
    const variance = sumSq / hop - mean * mean;
    const scale = 1 / 32768 ** 2;
    this.level.push(toDb(variance * scale));
    this.peak.push(peak);
    const diffMs = diffSq / hop;
    this.residual.push(toDb(diffMs * scale));
    this.residualPeak.push(diffMs > 0 ? 10 * Math.log10(diffMax / diffMs) : 0);
    this.residualPeakAt.push(diffMaxAt);

    this.spectralStats(mean);
  }

  private spectralStats(mean: number): void {
    const n = this.fftSize;
    const half = n / 2;
    const frame = this.frame;
    const window = this.window;
    const from = this.base + ((this.hop - n) >> 1);
    const buf = this.data;
    for (let i = 0; i < n; i++) frame[i] = (buf[from + i]! - mean) * window[i]!;
    this.fft!.realTransform(this.spectrum, frame);
    const spectrum = this.spectrum;
    const bandPower = this.bandPower;
    bandPower.fill(0);
    const binBand = this.binBand;
    const ltas = this.ltasSum;
    let total = 0;
    let moment = 0;
    for (let k = 1; k <= half; k++) {
      const re = spectrum[2 * k]!;
      const im = spectrum[2 * k + 1]!;
      const p = re * re + im * im;
      const band = binBand[k]!;
      bandPower[band] = bandPower[band]! + p;
      ltas[k] = ltas[k]! + p;
      total += p;
      moment += k * p;
    }
    const binHz = this.sampleRate / n;
    this.centroid.push(total > 0 ? (moment / total) * binHz : 0);
    let top = half;
    const threshold = this.contentThreshold;
    while (top > 0) {
      const re = spectrum[2 * top]!;
      const im = spectrum[2 * top + 1]!;
      if (re * re + im * im > threshold) break;
      top--;
    }
    this.bandwidth.push(top * binHz);

    const bandCount = this.bandLevel.length;
    const level = this.bandLevel;
    const prev = this.prevBandLevel;
    const at = this.bands.next();
    const out = this.bands.buffer;
    const norm = this.windowPower;
    let flux = 0;
    let ys = 0;
    for (let b = 0; b < bandCount; b++) {
      const db = toDb(bandPower[b]! / (this.binCount[b]! * norm));
      level[b] = db;
      out[at + b] = quantiseDb(db);
      // Clamp both sides so a stretch of digital silence does not read as an infinite change.
      const p = prev[b]!;
      if (!Number.isNaN(p)) flux += Math.abs(Math.max(db, -120) - Math.max(p, -120));
      prev[b] = db;
      if (b >= this.tiltFrom) ys += db;
    }
    this.flux.push(flux / bandCount);
    const yMean = ys / Math.max(1, bandCount - this.tiltFrom);
    let sxy = 0;
    for (let b = this.tiltFrom; b < bandCount; b++)
      sxy += (this.bandLogFreq[b]! - this.tiltXMean) * (level[b]! - yMean);
    this.tilt.push(sxy / this.tiltSxx);
  }

  /** Runs of identical samples seen so far. */
  runStats(): RunStats {
    return { minLength: this.minRun, runs: [...this.runs], count: this.runCount, samples: this.runSamples };
  }

  /** The statistics, once the decode has ended; undefined when `begin` never ran. */
  result(): WindowStats | undefined {
    if (!this.started) return undefined;
    const count = this.level.length;
    const norm = count * this.windowPower;
    const ltas = new Float32Array(this.ltasSum.length);
    for (let k = 0; k < ltas.length; k++) ltas[k] = count > 0 ? toDb(this.ltasSum[k]! / norm) : SILENT_DB;
    return {
      hop: this.hop,
      hopSeconds: this.hop / this.sampleRate,
      block: this.block,
      fftSize: this.fftSize,
      count,
      level: this.level.toArray(),
      peak: this.peak.toArray(),
      residual: this.residual.toArray(),
      residualPeak: this.residualPeak.toArray(),
      residualPeakAt: this.residualPeakAt.toArray(),
      flux: this.flux.toArray(),
      centroid: this.centroid.toArray(),
      tilt: this.tilt.toArray(),
      bandwidth: this.bandwidth.toArray(),
      bandEdges: this.edges,
      bandCount: this.bandLevel.length,
      binsPerBand: Array.from(this.binCount),
      bands: this.bands.toArray(),
      humFrequencies: [...HUM_FREQUENCIES],
      humBlockHops: HUM_BLOCK_HOPS,
      hum: this.hum.toArray(),
      ltas,
    };
  }
}
