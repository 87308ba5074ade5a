import { describe, expect, it } from 'vitest';
import { analyseHum } from '../../src/signal/hum.js';
import { bandDb, geometry } from '../../src/signal/windows.js';
import { addSine, analyse, dbToAmp, toPcm, whiteNoise } from './synthetic.js';

const median = (values: ArrayLike<number>): number => {
  const sorted = Array.from(values).sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
};

describe('window geometry', () => {
  it.each([
    [8000, 8, 160, 128],
    [16000, 16, 320, 256],
    [22050, 22, 440, 256],
    [44100, 44, 880, 256],
    [48000, 48, 960, 256],
  ])('%i Hz: blocks of %i, hops of %i, FFT of %i', (rate, block, hop, fft) => {
    expect(geometry(rate)).toEqual({ block, hop, fftSize: fft });
  });
});

describe('window statistics', () => {
  it('gives a sine its level, centroid and a bandwidth just above its frequency', () => {
    const rate = 16000;
    const s = analyse(toPcm(addSine(new Float64Array(2 * rate), rate, 1000, dbToAmp(-20))), rate).stats!;
    // A sine of peak −20 dBFS has an RMS level of −23.0 dBFS.
    expect(median(s.level)).toBeCloseTo(-23.0, 1);
    expect(median(s.centroid)).toBeGreaterThan(950);
    expect(median(s.centroid)).toBeLessThan(1050);
    expect(median(s.bandwidth)).toBeGreaterThan(1000);
    expect(median(s.bandwidth)).toBeLessThan(2000);
  });

  it('reads white noise at its level in every band and across the whole bandwidth', () => {
    const rate = 16000;
    const summary = analyse(toPcm(whiteNoise(3 * rate, -30)), rate);
    const s = summary.stats!;
    expect(median(s.level)).toBeCloseTo(-30, 0);
    expect(median(s.bandwidth)).toBe(8000);
    for (let b = 0; b < s.bandCount; b++) {
      const levels = Array.from({ length: s.count }, (_, i) => bandDb(s.bands[i * s.bandCount + b]!));
      expect(Math.abs(median(levels) - -30)).toBeLessThan(4);
    }
    // Stationary noise is all background.
    expect(summary.speech).toEqual([]);
    expect(summary.noise?.level).toBeCloseTo(-30, 0);
  });

  it('records runs of exact zeros and of a constant value to the sample, across chunk boundaries', () => {
    const rate = 8000;
    const pcm = toPcm(whiteNoise(4 * rate, -40));
    pcm.fill(0, 12_345, 12_345 + 800);
    pcm.fill(7, 20_000, 20_000 + 400);
    const runs = analyse(pcm, rate, 1000 + 3).runs!;
    expect(runs.runs).toContainEqual({ start: 12_345, length: 800, value: 0 });
    expect(runs.runs).toContainEqual({ start: 20_000, length: 400, value: 7 });
    expect(runs.count).toBe(2);
  });

  it('records a run that reaches the end of the recording', () => {
    const rate = 8000;
    const pcm = toPcm(whiteNoise(2 * rate, -40));
    pcm.fill(0, 15_000);
    expect(analyse(pcm, rate).runs!.runs).toEqual([{ start: 15_000, length: 1000, value: 0 }]);
  });

  it('finds the residual peak of a waveform step inside its window', () => {
    const rate = 8000;
    const samples = whiteNoise(2 * rate, -50);
    // A step of 0.2 full scale at sample 8000 + 37.
    for (let i = 8037; i < samples.length; i++) samples[i] = samples[i]! + 0.2;
    const s = analyse(toPcm(samples), rate).stats!;
    const w = Math.floor(8037 / s.hop);
    expect(s.residualPeakAt[w]! + w * s.hop).toBe(8037);
    // 160 samples per window: a single difference holding all the energy would read 22 dB.
    expect(s.residualPeak[w]!).toBeGreaterThan(18);
  });

  it('folds window peaks into the waveform picture', () => {
    const rate = 8000;
    const summary = analyse(toPcm(addSine(new Float64Array(rate), rate, 440, 0.5)), rate);
    expect(summary.peaks.length).toBeLessThanOrEqual(1000);
    expect(Math.max(...summary.peaks)).toBeCloseTo(0.5, 2);
  });
});

describe('speech segments', () => {
  it('marks loud bursts in quiet noise as utterances', () => {
    const rate = 8000;
    const samples = whiteNoise(9 * rate, -60, 3);
    const loud = whiteNoise(9 * rate, -20, 4);
    // Bursts at 1–2.5 s, 4–5 s and 6.5–8 s.
    for (const [a, b] of [
      [1, 2.5],
      [4, 5],
      [6.5, 8],
    ] as const)
      for (let i = a * rate; i < b * rate; i++) samples[i] = loud[i]!;
    const summary = analyse(toPcm(samples), rate);
    expect(summary.speech).toHaveLength(3);
    const expected = [
      [1, 2.5],
      [4, 5],
      [6.5, 8],
    ];
    summary.speech.forEach(([a, b], k) => {
      expect(Math.abs(a - expected[k]![0]!)).toBeLessThan(0.06);
      expect(Math.abs(b - expected[k]![1]!)).toBeLessThan(0.15);
    });
    expect(summary.noise?.level).toBeCloseTo(-60, 0);
  });
});

describe('mains hum', () => {
  const search = { minDegrees: 40, minScore: 6, maxJumps: 5 };
  const rate = 8000;
  const seconds = 20;

  it('locates a phase jump of a 50 Hz tone', () => {
    const samples = addSine(whiteNoise(seconds * rate, -60), rate, 50, dbToAmp(-40), (i) =>
      i >= 10 * rate ? Math.PI / 2 : 0,
    );
    const hum = analyseHum(analyse(toPcm(samples), rate), search)!;
    expect(hum.presence.present).toBe(true);
    expect(hum.presence.frequency).toBe(50);
    expect(hum.jumps).toHaveLength(1);
    expect(Math.abs(hum.jumps[0]!.at - 10)).toBeLessThan(0.2);
    expect(Math.abs(hum.jumps[0]!.degrees - 90)).toBeLessThan(10);
  });

  it('follows a wandering mains frequency without reporting jumps', () => {
    // ±0.03 Hz of wander over 7 s: the phase drifts by tens of degrees, smoothly.
    const samples = addSine(whiteNoise(seconds * rate, -60), rate, 60, dbToAmp(-40), (i) => {
      const t = i / rate;
      return ((2 * Math.PI * 0.03 * 7) / (2 * Math.PI)) * (1 - Math.cos((2 * Math.PI * t) / 7));
    });
    const hum = analyseHum(analyse(toPcm(samples), rate), search)!;
    expect(hum.presence.present).toBe(true);
    expect(hum.presence.mains).toBe(60);
    expect(hum.jumps).toEqual([]);
    expect(hum.gaps).toEqual([]);
  });

  it('finds the stretch where the hum is missing', () => {
    const samples = addSine(whiteNoise(seconds * rate, -60), rate, 50, dbToAmp(-40));
    const quiet = whiteNoise(seconds * rate, -60, 9);
    for (let i = 8 * rate; i < 12 * rate; i++) samples[i] = quiet[i]!;
    const hum = analyseHum(analyse(toPcm(samples), rate), search)!;
    expect(hum.gaps).toHaveLength(1);
    expect(Math.abs(hum.gaps[0]!.at - 8)).toBeLessThan(0.15);
    expect(Math.abs(hum.gaps[0]!.end - 12)).toBeLessThan(0.15);
  });

  it('does not find hum in plain noise', () => {
    const hum = analyseHum(analyse(toPcm(whiteNoise(seconds * rate, -50)), rate), search)!;
    expect(hum.presence.present).toBe(false);
  });
});
