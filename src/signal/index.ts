// Builds the PCM consumers of the shared decode and folds their results into one SignalSummary.
import type { PcmConsumer } from '../decode/types.js';
import { PeakCollector } from './peaks.js';
import type { SignalSummary } from './types.js';

export interface SignalAnalysis {
  consumers: PcmConsumer[];
  /** Call after the decode ended. */
  summarize(sampleRate: number, samples: number): SignalSummary;
}

export function createSignalAnalysis(): SignalAnalysis {
  const peaks = new PeakCollector();
  return {
    consumers: [peaks],
    summarize(sampleRate, samples) {
      return {
        sampleRate,
        windowSize: 0,
        windows: 0,
        duration: sampleRate > 0 ? samples / sampleRate : 0,
        peaks: peaks.peaks(1000),
        speech: [],
      };
    },
  };
}
