// pack --tsa: timestamps a bundle right after it is published. A TSA failure leaves the bundle in place
// and is reported with the result (the CLI exits 2), never thrown.
import { TimestampError } from '../errors.js';
import type { StampHash } from './algorithms.js';
import { type TimestampResult, timestampBundle } from './stamp.js';

export interface PackStampOptions {
  tsa: readonly string[];
  hash?: StampHash;
  timeoutMs?: number;
}

/** Stamps the just-packed bundle at `path` (no re-verification: pack has just checked every byte). */
export async function stampPacked(path: string, options: PackStampOptions): Promise<TimestampResult> {
  try {
    return await timestampBundle(path, {
      tsa: options.tsa,
      checkBundle: false,
      ...(options.hash ? { hash: options.hash } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
  } catch (error) {
    const failure =
      error instanceof TimestampError
        ? error
        : new TimestampError('unreachable', options.tsa.join(', '), (error as Error).message, {
            cause: error,
            params: { error: (error as Error).message },
          });
    return {
      bundle: path,
      kind: 'zip',
      data: path,
      stored: [],
      failures: [{ tsa: String(failure.params['tsa']), error: failure }],
    };
  }
}
