// Builds the PCM consumers of the shared decode and folds their results into one SignalSummary.
import type { PcmConsumer } from '../decode/types.js';
import { foldPeaks } from './peaks.js';
import { detectSpeech } from './speech.js';
import { type AnalysisOutcome, analysisWorkerAvailable, ThreadedWindowAnalyser } from './threaded.js';
import type { SignalSummary } from './types.js';
import { WindowAnalyser } from './windows.js';

/**
 * Recordings declared at least this long are analysed on a worker thread (starting one costs ~30 ms;
 * beside a long decode it frees the main thread for the pipe, the parsers and the packet listing).
 */
export const WORKER_MIN_SECONDS = 120;

export interface SignalAnalysisOptions {
  /** Analyse on a worker thread: `auto` (default) for long recordings when the compiled worker exists. */
  thread?: 'auto' | 'always' | 'never';
}

export interface SignalAnalysis {
  consumers: PcmConsumer[];
  /** After the decode ended: waits for an analysis running on a worker thread (at once in-thread). */
  ready(): Promise<void>;
  /** Call after the decode ended and `ready()` resolved. */
  summarize(sampleRate: number, samples: number): SignalSummary;
  /** Stops a worker thread whose results will not be used (a read that failed, a decode redone). */
  dispose(): Promise<void>;
}

/** The window analysis, in this thread or on a worker, chosen when the decode begins. */
class WindowStage implements PcmConsumer {
  private inline: WindowAnalyser | undefined;
  private threaded: ThreadedWindowAnalyser | undefined;
  private received: AnalysisOutcome | undefined;

  constructor(private readonly thread: 'auto' | 'always' | 'never') {}

  begin(sampleRate: number, expectedSamples?: number): void {
    const long = expectedSamples !== undefined && expectedSamples >= WORKER_MIN_SECONDS * sampleRate;
    const useWorker =
      this.thread !== 'never' && (this.thread === 'always' || long) && analysisWorkerAvailable();
    if (useWorker) this.threaded = new ThreadedWindowAnalyser();
    else this.inline = new WindowAnalyser();
    (this.threaded ?? this.inline)?.begin(sampleRate, expectedSamples);
  }

  push(samples: Int16Array): Promise<void> | undefined {
    if (this.threaded) return this.threaded.push(samples);
    this.inline?.push(samples);
    return undefined;
  }

  end(): void {
    (this.threaded ?? this.inline)?.end();
  }

  async ready(): Promise<void> {
    if (this.threaded && !this.received) this.received = await this.threaded.outcome();
  }

  async dispose(): Promise<void> {
    await this.threaded?.dispose();
  }

  outcome(): AnalysisOutcome {
    if (this.threaded) {
      if (!this.received) throw new Error('signal analysis summarised before its worker finished');
      return this.received;
    }
    const inline = this.inline ?? new WindowAnalyser();
    return { stats: inline.result(), runs: inline.runStats() };
  }
}

export function createSignalAnalysis(options: SignalAnalysisOptions = {}): SignalAnalysis {
  // AUDIO_EVIDENCE_ANALYSIS_THREAD=always|never overrides the choice (benchmarks, comparisons).
  const env = process.env.AUDIO_EVIDENCE_ANALYSIS_THREAD;
  const windows = new WindowStage(options.thread ?? (env === 'always' || env === 'never' ? env : 'auto'));
  return {
    consumers: [windows],
    ready: () => windows.ready(),
    dispose: () => windows.dispose(),
    summarize(sampleRate, samples) {
      const { stats, runs } = windows.outcome();
      const summary: SignalSummary = {
        sampleRate,
        windowSize: stats?.hop ?? 0,
        windows: stats?.count ?? 0,
        duration: sampleRate > 0 ? samples / sampleRate : 0,
        peaks: stats ? foldPeaks(stats.peak, 1000) : [],
        speech: [],
        runs,
      };
      if (stats && stats.count > 0) {
        const speech = detectSpeech(stats);
        summary.stats = stats;
        summary.floor = speech.floor;
        summary.speechMask = speech.mask;
        summary.speech = speech.segments;
        summary.noise = speech.noise;
      }
      return summary;
    },
  };
}
