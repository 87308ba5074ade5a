// The window analysis on a worker thread: blocks of PCM arrive by transfer and go back, the statistics at the end.
import { parentPort, workerData } from 'node:worker_threads';
import type { RunStats, WindowStats } from './types.js';
import { WindowAnalyser } from './windows.js';

/** What the main thread sends: a block of `length` samples (handed back unless `once`), or the end. */
export type ToAnalysisWorker = { block: ArrayBuffer; length: number; once?: boolean } | { end: true };

/** What the worker answers: a block it is done with, or the statistics (typed arrays transferred). */
export type FromAnalysisWorker =
  | { block: ArrayBuffer }
  | { stats: WindowStats | undefined; runs: RunStats }
  | { error: string };

export interface AnalysisWorkerData {
  sampleRate: number;
  expectedSamples?: number;
}

/** Samples per piece handed to the analyser (a 256 kB array of doubles). */
const PIECE = 1 << 15;

const port = parentPort;
if (port) {
  const data = workerData as AnalysisWorkerData;
  const analyser = new WindowAnalyser();
  analyser.begin(data.sampleRate, data.expectedSamples);
  port.on('message', (message: ToAnalysisWorker) => {
    try {
      if ('end' in message) {
        analyser.end();
        const stats = analyser.result();
        const runs = analyser.runStats();
        const transfer = new Set<ArrayBuffer>();
        if (stats)
          for (const value of Object.values(stats))
            if (ArrayBuffer.isView(value)) transfer.add(value.buffer as ArrayBuffer);
        port.postMessage({ stats, runs } satisfies FromAnalysisWorker, [...transfer]);
        return;
      }
      // In pieces of a few hundred kB: the analyser converts each piece to doubles before it reads it,
      // and a piece that fits in the cache is read back from the cache.
      const block = new Int16Array(message.block, 0, message.length);
      for (let i = 0; i < block.length; i += PIECE) analyser.push(block.subarray(i, i + PIECE));
      if (!message.once)
        port.postMessage({ block: message.block } satisfies FromAnalysisWorker, [message.block]);
    } catch (error) {
      port.postMessage({
        error: error instanceof Error ? error.message : String(error),
      } satisfies FromAnalysisWorker);
    }
  });
}
