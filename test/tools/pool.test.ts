// The batch pool: bounded concurrency, results in input order, a fatal error stops new work; --jobs values.
import { describe, expect, it } from 'vitest';
import { InOrder, parseJobs, runPool } from '../../src/tools/pool.js';

/** A promise the test settles by hand, so the order of completion is chosen, not timed. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('runPool', () => {
  it('never runs more than `jobs` at once and returns results in input order', async () => {
    const gates = Array.from({ length: 5 }, () => deferred<void>());
    let active = 0;
    let most = 0;
    const started: number[] = [];
    const running = runPool([0, 1, 2, 3, 4], 2, async (item) => {
      started.push(item);
      active++;
      most = Math.max(most, active);
      await gates[item]!.promise;
      active--;
      return `r${item}`;
    });
    await tick();
    expect(started).toEqual([0, 1]);
    // Finish out of order: the second input first.
    gates[1]!.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const gate of [gates[3], gates[0], gates[2], gates[4]]) gate!.resolve();
    expect(await running).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(most).toBe(2);
  });

  it('on a rejection starts nothing new, waits for the running ones, then rejects', async () => {
    const gate = deferred<void>();
    const started: number[] = [];
    const finished: number[] = [];
    const running = runPool([0, 1, 2, 3], 2, async (item) => {
      started.push(item);
      if (item === 0) throw new Error('no ffmpeg');
      await gate.promise;
      finished.push(item);
      return item;
    });
    await tick();
    gate.resolve();
    await expect(running).rejects.toThrow('no ffmpeg');
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([1]);
  });

  it('handles no items and more jobs than items', async () => {
    expect(await runPool([], 4, async () => 1)).toEqual([]);
    expect(await runPool(['a'], 8, async (item) => item.toUpperCase())).toEqual(['A']);
  });
});

describe('InOrder', () => {
  it('hands results out in input order as soon as every earlier one is there', () => {
    const out: string[] = [];
    const order = new InOrder<string>((value, index) => out.push(`${index}:${value}`));
    order.push(2, 'c');
    expect(out).toEqual([]);
    order.push(0, 'a');
    expect(out).toEqual(['0:a']);
    order.push(1, 'b');
    expect(out).toEqual(['0:a', '1:b', '2:c']);
  });
});

describe('parseJobs', () => {
  it.each([
    ['1', 1],
    ['4', 4],
    [' 8 ', 8],
    ['256', 256],
    ['0', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    ['two', undefined],
    ['257', undefined],
    ['', undefined],
  ])('%j → %j', (value, expected) => {
    expect(parseJobs(value)).toBe(expected);
  });
});
