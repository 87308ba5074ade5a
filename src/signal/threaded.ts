// Runs the window analysis of a long recording on a worker thread, beside the decode and the hashing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PcmConsumer } from '../decode/types.js';
import { logger } from '../tools/logger.js';
import type { AnalysisWorkerData, FromAnalysisWorker, ToAnalysisWorker } from './analysis-worker.js';
import type { RunStats, WindowStats } from './types.js';

const debug = logger('signal');

/** Samples per block handed over (~11 s at 48 kHz): few messages, and filling one is a memcpy. */
const SLOT_SAMPLES = 1 << 19;
/** Blocks in circulation: the decode may run this far ahead of the analysis before it waits (8 MB). */
const SLOTS = 8;

/** The compiled worker beside this file; absent when the sources run untranspiled (the tests). */
const WORKER_URL = new URL('./analysis-worker.js', import.meta.url);

/** Whether the worker can run here (the compiled library); otherwise the analysis stays in-thread. */
export function analysisWorkerAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

export interface AnalysisOutcome {
  stats: WindowStats | undefined;
  runs: RunStats;
}

/**
 * A `PcmConsumer` that hands the samples to `WindowAnalyser` on a worker thread. Samples are copied at
 * once into one of a few blocks that travel to the worker and back by transfer, never copied again (the
 * caller's array is free when `push` returns; shared memory was tried, but typed-array copies out of it
 * run element by element, several times slower). `push` returns a promise only when every block is
 * away, so the decode waits for the analysis instead of queueing audio without bound. `outcome()` gives
 * the same statistics the in-thread analyser would.
 */
export class ThreadedWindowAnalyser implements PcmConsumer {
  private worker: Worker | undefined;
  private readonly free: Int16Array[] = [];
  private current: Int16Array | undefined;
  private fill = 0;
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;
  private done: Promise<AnalysisOutcome> | undefined;
  private settle: ((outcome: AnalysisOutcome) => void) | undefined;
  private fail: ((error: Error) => void) | undefined;

  begin(sampleRate: number, expectedSamples?: number): void {
    for (let i = 0; i < SLOTS; i++) this.free.push(new Int16Array(SLOT_SAMPLES));
    const workerData: AnalysisWorkerData = {
      sampleRate,
      ...(expectedSamples === undefined ? {} : { expectedSamples }),
    };
    this.done = new Promise<AnalysisOutcome>((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
    });
    // Never an unhandled rejection: the failure is reported by outcome().
    this.done.catch(() => undefined);
    const worker = new Worker(WORKER_URL, { workerData });
    this.worker = worker;
    worker.on('message', (message: FromAnalysisWorker) => {
      if ('block' in message) {
        this.free.push(new Int16Array(message.block));
        this.wake();
      } else if ('error' in message) this.stop(new Error(`signal analysis failed: ${message.error}`));
      else {
        this.settle?.({ stats: message.stats, runs: message.runs });
        void worker.terminate();
      }
    });
    worker.on('error', (error) => this.stop(error));
    worker.on('exit', (code) => this.stop(new Error(`signal analysis worker exited (code ${code})`)));
    debug('window analysis on a worker thread (%d Hz)', sampleRate);
  }

  private stop(error: Error): void {
    this.failure ??= error;
    this.wake();
    this.fail?.(this.failure);
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  /** Hands the filled part of the current block to the worker. */
  private flush(): void {
    const block = this.current;
    if (!block || this.fill === 0) return;
    const message: ToAnalysisWorker = { block: block.buffer as ArrayBuffer, length: this.fill };
    this.worker?.postMessage(message, [block.buffer as ArrayBuffer]);
    this.current = undefined;
    this.fill = 0;
  }

  push(samples: Int16Array): Promise<void> | undefined {
    if (!this.worker || this.failure) return undefined;
    let i = 0;
    while (i < samples.length) {
      if (!this.current) {
        const block = this.free.pop();
        if (!block) {
          // Every block is away (a push larger than the room left): the rest goes as a copy of its own.
          const rest = samples.slice(i);
          const message: ToAnalysisWorker = { block: rest.buffer, length: rest.length, once: true };
          this.worker.postMessage(message, [rest.buffer]);
          break;
        }
        this.current = block;
        this.fill = 0;
      }
      const n = Math.min(samples.length - i, SLOT_SAMPLES - this.fill);
      this.current.set(samples.subarray(i, i + n), this.fill);
      this.fill += n;
      i += n;
      if (this.fill === SLOT_SAMPLES) this.flush();
    }
    if (this.free.length > 0 || this.current) return undefined;
    return new Promise<void>((resolve) => {
      this.waiting = resolve;
    });
  }

  end(): void {
    if (!this.worker || this.failure) return;
    this.flush();
    this.worker.postMessage({ end: true });
  }

  /** Stops the worker, whatever it was doing. */
  async dispose(): Promise<void> {
    this.failure ??= new Error('signal analysis stopped');
    this.worker?.removeAllListeners('exit');
    await this.worker?.terminate();
  }

  /** The statistics, once the worker has analysed everything handed to it before `end()`. */
  async outcome(): Promise<AnalysisOutcome> {
    if (!this.done) return { stats: undefined, runs: { minLength: 1, runs: [], count: 0, samples: 0 } };
    try {
      return await this.done;
    } finally {
      this.worker?.removeAllListeners('exit');
      await this.worker?.terminate();
    }
  }
}
