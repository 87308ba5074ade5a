// Inspects or packs every expanded input with bounded concurrency; one input failing never stops the rest.
import {
  batchStems,
  checkPackOptions,
  type PackedBundle,
  type PackOptions,
  packBundle,
  singleOptions,
} from '../bundle/pack.js';
import { recordingTexts } from '../bundle/pack-options.js';
import { isAudioEvidenceError } from '../errors.js';
import { type InspectOptions, inspect, type Progress } from '../inspect.js';
import { runPool } from '../tools/pool.js';
import type { InspectResult } from '../types.js';
import type { BatchEntry, BatchFile } from './expand.js';

/** What became of one input: its value, or why there is none (a thrown error, or a folder problem). */
export type BatchOutcome<R> =
  | { ok: true; entry: BatchFile; value: R }
  | { ok: false; entry: BatchEntry; error?: unknown };

export interface BatchHooks<R> {
  /** An input started (in the order the pool takes them). */
  onStart?: (index: number) => void;
  onProgress?: (index: number, progress: Progress) => void;
  /** An input finished, in completion order (use InOrder to print in input order). */
  onDone?: (index: number, outcome: BatchOutcome<R>) => void;
}

export interface BatchOptions<R> {
  /** Inputs processed at once. */
  jobs: number;
  hooks?: BatchHooks<R>;
}

/** Errors that would repeat for every input (no ffmpeg): stop the batch instead of failing each file. */
export function isFatal(error: unknown): boolean {
  return isAudioEvidenceError(error) && error.code === 'ffmpeg-missing';
}

async function runBatch<R>(
  entries: readonly BatchEntry[],
  options: BatchOptions<R>,
  work: (file: BatchFile, onProgress: (progress: Progress) => void) => Promise<R>,
): Promise<BatchOutcome<R>[]> {
  const hooks = options.hooks ?? {};
  return runPool(entries, options.jobs, async (entry, index) => {
    hooks.onStart?.(index);
    let outcome: BatchOutcome<R>;
    if (entry.kind === 'problem') outcome = { ok: false, entry };
    else {
      try {
        const value = await work(entry, (progress) => hooks.onProgress?.(index, progress));
        outcome = { ok: true, entry, value };
      } catch (error) {
        if (isFatal(error)) throw error;
        outcome = { ok: false, entry, error };
      }
    }
    hooks.onDone?.(index, outcome);
    return outcome;
  });
}

/** Inspects every file; results in input order. */
export function inspectMany(
  entries: readonly BatchEntry[],
  options: BatchOptions<InspectResult> & { inspect?: InspectOptions },
): Promise<BatchOutcome<InspectResult>[]> {
  return runBatch(entries, options, (file, onProgress) =>
    inspect(file.path, { ...options.inspect, onProgress }),
  );
}

/** Packs every file into its own bundle; results in input order. */
export function packMany(
  entries: readonly BatchEntry[],
  options: BatchOptions<PackedBundle> & { pack?: PackOptions },
): Promise<BatchOutcome<PackedBundle>[]> {
  if (options.pack) checkPackOptions(options.pack);
  // Recordings of one batch that would share a bundle name each keep their whole name instead.
  const files = entries.flatMap((entry) => (entry.kind === 'file' ? [entry.path] : []));
  const stems = new Map<string, string>();
  batchStems(files, options.pack?.out).forEach((stem, index) => {
    if (stem !== undefined) stems.set(files[index]!, stem);
  });
  // Per-recording --title/--proves keys are resolved against the whole batch, before anything is packed.
  const texts = recordingTexts(options.pack?.recordings, files);
  const own = new Map(files.map((path, index) => [path, texts[index]]));
  return runBatch(entries, options, (file, onProgress) => {
    const stem = stems.get(file.path);
    return packBundle([file.path], {
      ...singleOptions(options.pack ?? {}, own.get(file.path)),
      combine: undefined,
      ...(stem === undefined ? {} : { stem }),
      onProgress,
    });
  });
}
