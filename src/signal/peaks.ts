// Waveform peaks for the report picture: a fixed number of buckets, whatever the recording's length.
import type { PcmConsumer } from '../decode/types.js';

/** Collects per-block peaks, then folds them into `buckets` values once the length is known. */
export class PeakCollector implements PcmConsumer {
  private blockSize = 1;
  private blocks: number[] = [];
  private current = 0;
  private filled = 0;

  constructor(private readonly blockSeconds = 0.05) {}

  begin(sampleRate: number): void {
    this.blockSize = Math.max(1, Math.round(sampleRate * this.blockSeconds));
  }

  push(samples: Int16Array): void {
    for (let i = 0; i < samples.length; i++) {
      const v = Math.abs(samples[i]!);
      if (v > this.current) this.current = v;
      if (++this.filled === this.blockSize) {
        this.blocks.push(this.current / 32768);
        this.current = 0;
        this.filled = 0;
      }
    }
  }

  end(): void {
    if (this.filled > 0) this.blocks.push(this.current / 32768);
    this.filled = 0;
  }

  /** Peaks folded into at most `buckets` values. */
  peaks(buckets = 1000): number[] {
    const n = this.blocks.length;
    if (n <= buckets) return this.blocks.map((v) => Math.round(v * 1000) / 1000);
    const out: number[] = [];
    for (let b = 0; b < buckets; b++) {
      const from = Math.floor((b * n) / buckets);
      const to = Math.max(from + 1, Math.floor(((b + 1) * n) / buckets));
      let max = 0;
      for (let i = from; i < to; i++) max = Math.max(max, this.blocks[i]!);
      out.push(Math.round(max * 1000) / 1000);
    }
    return out;
  }
}
