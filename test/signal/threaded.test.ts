// The window analysis on a worker thread gives exactly the statistics of the in-thread analysis.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as SignalModule from '../../src/signal/index.js';
import type { SignalSummary } from '../../src/signal/types.js';
import { ensureBuilt } from '../hardening/support.js';
import { ROOT } from '../helpers.js';
import { addSine, dbToAmp, toPcm, whiteNoise } from './synthetic.js';

// The worker runs compiled JavaScript, so both sides are taken from the build (dist/).
let signal: typeof SignalModule;
beforeAll(async () => {
  ensureBuilt();
  signal = (await import(pathToFileURL(join(ROOT, 'dist/signal/index.js')).href)) as typeof SignalModule;
});

const rate = 48_000;
/** 100 s of noise with mains hum, a burst, a stretch of digital silence and a click. */
function recording(): Int16Array {
  const x = addSine(whiteNoise(100 * rate, -45, 3), rate, 50, dbToAmp(-50));
  for (let i = 5 * rate; i < 9 * rate; i++) x[i] = x[i]! + 0.3 * Math.sin(i / 7);
  for (let i = 20 * rate; i < 20.5 * rate; i++) x[i] = 0;
  x[30 * rate + 17] = 0.9;
  return toPcm(x);
}

/** Pushes `pcm` in `chunk`-sized pieces, waiting whenever the consumer asks to. */
async function analyse(pcm: Int16Array, thread: 'always' | 'never', chunk: number): Promise<SignalSummary> {
  const analysis = signal.createSignalAnalysis({ thread });
  for (const c of analysis.consumers) c.begin(rate, pcm.length);
  for (let i = 0; i < pcm.length; i += chunk)
    for (const c of analysis.consumers) await c.push(pcm.subarray(i, Math.min(pcm.length, i + chunk)));
  for (const c of analysis.consumers) c.end();
  await analysis.ready();
  return analysis.summarize(rate, pcm.length);
}

const plain = (summary: SignalSummary) =>
  JSON.stringify(summary, (_key, value: unknown) =>
    ArrayBuffer.isView(value) ? Array.from(value as Uint8Array) : value,
  );

describe('window analysis on a worker thread', () => {
  it('is available from the build', () => {
    expect(signal.WORKER_MIN_SECONDS).toBeGreaterThan(0);
  });

  // 65,537 samples: pieces that split hops and blocks; all 4,800,000 at once: more than the blocks hold.
  it.each([65_537, 4_800_000])(
    'gives the same statistics, runs and speech in pieces of %i samples',
    async (chunk) => {
      const pcm = recording();
      const inThread = await analyse(pcm, 'never', chunk);
      const onWorker = await analyse(pcm, 'always', chunk);
      expect(onWorker.windows).toBe(5000);
      expect(onWorker.runs?.runs.length).toBeGreaterThan(0);
      expect(plain(onWorker)).toBe(plain(inThread));
    },
  );

  it('stops a worker whose results are not wanted', async () => {
    const analysis = signal.createSignalAnalysis({ thread: 'always' });
    for (const c of analysis.consumers) c.begin(rate, rate);
    for (const c of analysis.consumers) await c.push(new Int16Array(rate));
    await analysis.dispose();
  });
});
