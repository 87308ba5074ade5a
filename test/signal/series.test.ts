// Per-window arrays: sized once from a declared duration, or grown when there is none or it was wrong;
// the statistics never depend on which.
import { describe, expect, it } from 'vitest';
import { createSignalAnalysis } from '../../src/signal/index.js';
import { Series } from '../../src/signal/series.js';
import { toPcm, whiteNoise } from './synthetic.js';

describe('Series', () => {
  it('keeps every entry through reservations and growth', () => {
    const series = new Series(Float32Array, 2, 4);
    for (let i = 0; i < 10; i++) {
      const at = series.next();
      series.buffer[at] = i;
      series.buffer[at + 1] = -i;
    }
    series.reserve(5);
    series.reserve(1000);
    for (let i = 10; i < 3000; i++) {
      const at = series.next();
      series.buffer[at] = i;
      series.buffer[at + 1] = -i;
    }
    const values = series.toArray();
    expect(series.length).toBe(3000);
    expect(values.length).toBe(6000);
    for (let i = 0; i < 3000; i++) expect([values[2 * i], values[2 * i + 1]]).toEqual([i, -i]);
  });
});

describe('analysis with a declared length', () => {
  const rate = 16_000;
  const pcm = toPcm(whiteNoise(5 * rate, -30));
  const run = (expected?: number) => {
    const analysis = createSignalAnalysis();
    for (const c of analysis.consumers) c.begin(rate, expected);
    for (let i = 0; i < pcm.length; i += 7_777)
      for (const c of analysis.consumers) c.push(pcm.subarray(i, Math.min(pcm.length, i + 7_777)));
    for (const c of analysis.consumers) c.end();
    return analysis.summarize(rate, pcm.length);
  };

  it.each([
    ['exact', pcm.length],
    ['too short', 1000],
    ['far too long', 3600 * rate],
  ])('gives the same statistics when the declared length is %s', (_, expected) => {
    const plain = run();
    const sized = run(expected);
    expect(sized.windows).toBe(plain.windows);
    const { stats } = sized;
    expect(Array.from(stats!.level)).toEqual(Array.from(plain.stats!.level));
    expect(Array.from(stats!.bands)).toEqual(Array.from(plain.stats!.bands));
    expect(Array.from(stats!.hum)).toEqual(Array.from(plain.stats!.hum));
    expect(stats!.count).toBe(plain.stats!.count);
  });
});
