// Runs work over many inputs with a bounded number at a time, keeping results in input order.
import { availableParallelism } from 'node:os';

/** Default concurrency: one job per core the process may use. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** Parses a --jobs value; undefined for anything that is not a whole number from 1 to 256. */
export function parseJobs(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (!/^\d+$/.test(text)) return undefined;
  const jobs = Number(text);
  return jobs >= 1 && jobs <= 256 ? jobs : undefined;
}

/**
 * Calls `work` on every item with at most `jobs` running at once; results come back in input order.
 * `work` should settle per-item failures itself: a rejection is taken as fatal, so no new item starts,
 * the running ones are awaited, and the first rejection is thrown.
 */
export async function runPool<T, R>(
  items: readonly T[],
  jobs: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(jobs) || 1, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure) throw failure.error;
  return results;
}

/**
 * Hands out results in input order as soon as every earlier one is there, so output printed while a
 * batch runs in parallel reads in the order the user gave the inputs.
 */
export class InOrder<R> {
  private readonly ready = new Map<number, R>();
  private next = 0;

  constructor(private readonly emit: (result: R, index: number) => void) {}

  push(index: number, result: R): void {
    this.ready.set(index, result);
    while (this.ready.has(this.next)) {
      const value = this.ready.get(this.next) as R;
      this.ready.delete(this.next);
      this.emit(value, this.next);
      this.next++;
    }
  }
}
