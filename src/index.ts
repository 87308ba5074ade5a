// Public library API: everything the CLI does is importable — inspect, pack, verify, hash.
import { AudioEvidenceError } from './errors.js';
import { HASH_ALGOS, type HashAlgo, hashFile } from './hash/digest.js';
import { resolveInput } from './input.js';

export { type BatchEntry, type BatchFile, type BatchProblem, expandInputs } from './batch/expand.js';
export { type BatchOutcome, inspectMany, packMany } from './batch/run.js';
export {
  type PackedBundle,
  type PackedItem,
  type PackOptions,
  pack,
  parseSpeaker,
  type RecordingText,
  type Speaker,
} from './bundle/pack.js';
export { DETECTORS } from './detectors/index.js';
export type { Detector, DetectorMeta, DetectorResult } from './detectors/types.js';
export { AudioEvidenceError, EXIT, InputError, TimestampError } from './errors.js';
export { HASH_ALGOS, type HashAlgo, hashFile } from './hash/digest.js';
export type { Lang } from './i18n/lang.js';
export { type InspectOptions, inspect, inspectFile, type Progress } from './inspect.js';
export {
  type StoredTimestamp,
  type TimestampFailure,
  type TimestampOptions,
  type TimestampResult,
  timestampBundle,
} from './timestamp/stamp.js';
export type * from './types.js';
export type { ExpectCheck, Proof, TimestampCheck } from './verify/timestamps.js';
export { type VerifyOptions, type VerifyReport, verify } from './verify/verify.js';

export interface HashOptions {
  /** Digests to compute in the one read; default SHA-256 and SM3. */
  algorithms?: readonly HashAlgo[];
  /** Called with the share of the file read so far, 0..1. */
  onProgress?: (fraction: number) => void;
}

export interface HashResult {
  /** Absolute path of the file that was read (symbolic links followed). */
  path: string;
  size: number;
  /** Lower-case hex digest per requested algorithm. */
  digests: Partial<Record<HashAlgo, string>>;
}

/**
 * Hashes one file in a single read-only pass. Throws InputError (exit code 2) when the path is missing,
 * not a regular file, or unreadable.
 */
export async function hash(path: string, options: HashOptions = {}): Promise<HashResult> {
  const input = await resolveInput(path);
  const requested: unknown = options.algorithms;
  if (
    requested !== undefined &&
    (!Array.isArray(requested) || requested.some((a) => !(HASH_ALGOS as readonly unknown[]).includes(a)))
  ) {
    const detail = `algorithms must be a list of: ${HASH_ALGOS.join(', ')}`;
    throw new AudioEvidenceError('usage', detail, { params: { detail } });
  }
  const algorithms = options.algorithms?.length
    ? [...new Set(options.algorithms)]
    : (['sha256', 'sm3'] as const);
  const total = input.stat.size;
  const { size, digests } = await hashFile(input.path, algorithms, {
    ...(options.onProgress
      ? { onProgress: (bytes: number) => options.onProgress?.(total > 0 ? Math.min(1, bytes / total) : 1) }
      : {}),
  });
  return { path: input.path, size, digests };
}
export {
  type Comparison,
  compareProfile,
  type Difference,
  learnProfile,
  rankProfiles,
  type WriterProfile,
} from './exemplar/compare.js';
export { builtinProfiles } from './exemplar/library.js';
export { learnFromExemplars, loadExemplars, profileFile } from './exemplar/load.js';
export { profileOf, type StructureProfile } from './exemplar/profile.js';
