// Synthetic PCM for the signal-analysis tests: deterministic noise, tones and bursts pushed straight into the consumers.
import { createSignalAnalysis } from '../../src/signal/index.js';
import type { SignalSummary } from '../../src/signal/types.js';

/** Deterministic uniform PRNG in [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Amplitude (full scale = 1) of a level in dBFS. */
export const dbToAmp = (db: number): number => 10 ** (db / 20);

/** White noise with the given RMS level (dBFS), as floats. */
export function whiteNoise(samples: number, db: number, seed = 1): Float64Array {
  const rand = rng(seed);
  // Uniform noise in [−a, a] has RMS a/√3.
  const a = dbToAmp(db) * Math.sqrt(3);
  const out = new Float64Array(samples);
  for (let i = 0; i < samples; i++) out[i] = (rand() * 2 - 1) * a;
  return out;
}

/** Adds a sine of peak amplitude `amp` at `hz` with a phase (radians) that may depend on the sample index. */
export function addSine(
  target: Float64Array,
  rate: number,
  hz: number,
  amp: number,
  phase: (i: number) => number = () => 0,
): Float64Array {
  for (let i = 0; i < target.length; i++)
    target[i] = target[i]! + amp * Math.sin((2 * Math.PI * hz * i) / rate + phase(i));
  return target;
}

/** Floats (±1) to 16-bit PCM, rounded and clipped. */
export function toPcm(samples: Float64Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++)
    out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32767)));
  return out;
}

/** Runs the analysis over PCM, pushed in decoder-sized chunks (to exercise hops spanning chunks). */
export function analyse(pcm: Int16Array, rate: number, chunk = 16_384 + 77): SignalSummary {
  const analysis = createSignalAnalysis();
  for (const c of analysis.consumers) c.begin(rate);
  for (let i = 0; i < pcm.length; i += chunk)
    for (const c of analysis.consumers) c.push(pcm.subarray(i, Math.min(pcm.length, i + chunk)));
  for (const c of analysis.consumers) c.end();
  return analysis.summarize(rate, pcm.length);
}
