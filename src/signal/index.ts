// Builds the PCM consumers of the shared decode and folds their results into one SignalSummary.
import type { PcmConsumer } from '../decode/types.js';
import { foldPeaks } from './peaks.js';
import { detectSpeech } from './speech.js';
import type { SignalSummary } from './types.js';
import { WindowAnalyser } from './windows.js';

export interface SignalAnalysis {
  consumers: PcmConsumer[];
  /** Call after the decode ended. */
  summarize(sampleRate: number, samples: number): SignalSummary;
}

export function createSignalAnalysis(): SignalAnalysis {
  const windows = new WindowAnalyser();
  return {
    consumers: [windows],
    summarize(sampleRate, samples) {
      const stats = windows.result();
      const summary: SignalSummary = {
        sampleRate,
        windowSize: stats?.hop ?? 0,
        windows: stats?.count ?? 0,
        duration: sampleRate > 0 ? samples / sampleRate : 0,
        peaks: stats ? foldPeaks(stats.peak, 1000) : [],
        speech: [],
        runs: windows.runStats(),
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
