// Adds up the progress of many recordings processed at once into one fraction for the whole batch.
import type { Progress } from '../inspect.js';
import type { ProgressStage } from './render.js';

/** Share of reading (hashing) in inspect's own work; the rest is the decode that feeds the analysis. */
const HASH_SHARE = 0.3;

interface Item {
  weight: number;
  hash: number;
  decode: number;
  decodeSeen: boolean;
  /** Highest fraction shown so far: the bar never moves back. */
  shown: number;
  done: boolean;
}

/** Reading and decoding overlap; once the read is done the analysis runs, reported by the decoder or not. */
function stageOf(item: Item): ProgressStage {
  if (item.decodeSeen && item.decode >= 1) return item.hash < 1 ? 'hash' : 'finish';
  if (item.decodeSeen && item.decode > 0) return 'decode';
  return item.hash < 1 ? 'hash' : 'decode';
}

export interface TrackerSnapshot {
  fraction: number;
  done: number;
  total: number;
  stage: ProgressStage;
  current: string;
}

/**
 * Progress of a batch. Each item weighs its size in bytes (time grows with it). `inspectShare` is the part
 * of an item's work that inspect's hash/decode reports cover: packing still checks the copy and writes
 * the zip after them, so the bar stops short of full until the item is finished.
 */
export class BatchTracker {
  private readonly items: Item[];
  private stage: ProgressStage = 'hash';
  private current = '';

  constructor(
    sizes: readonly number[],
    private readonly inspectShare = 0.7,
  ) {
    // A floor keeps empty and unknown-size files from counting as no work at all.
    this.items = sizes.map((size) => ({
      weight: Math.max(size, 64 * 1024),
      hash: 0,
      decode: 0,
      decodeSeen: false,
      shown: 0,
      done: false,
    }));
  }

  update(index: number, progress: Progress, label = progress.file): void {
    const item = this.items[index];
    if (!item || item.done) return;
    const fraction = Math.min(1, Math.max(0, Number.isFinite(progress.fraction) ? progress.fraction : 0));
    if (progress.stage === 'hash') item.hash = Math.max(item.hash, fraction);
    else {
      item.decodeSeen = true;
      item.decode = Math.max(item.decode, fraction);
    }
    const own = item.decodeSeen
      ? HASH_SHARE * item.hash + (1 - HASH_SHARE) * item.decode
      : HASH_SHARE * item.hash;
    item.shown = Math.max(item.shown, own * this.inspectShare);
    this.stage = stageOf(item);
    this.current = label;
  }

  finish(index: number): void {
    const item = this.items[index];
    if (!item) return;
    item.done = true;
    item.shown = 1;
  }

  snapshot(): TrackerSnapshot {
    let total = 0;
    let done = 0;
    let count = 0;
    for (const item of this.items) {
      total += item.weight;
      done += item.weight * item.shown;
      if (item.done) count++;
    }
    return {
      fraction: total > 0 ? done / total : 0,
      done: count,
      total: this.items.length,
      stage: this.stage,
      current: this.current,
    };
  }
}
