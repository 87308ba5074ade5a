// Adding up many recordings' progress: weighted by size, never moving back, stages named right.
import { describe, expect, it } from 'vitest';
import { BatchTracker } from '../../src/progress/tracker.js';

const MB = 1024 * 1024;

describe('BatchTracker', () => {
  it('weighs each input by its size and counts finished ones', () => {
    const tracker = new BatchTracker([3 * MB, 1 * MB], 1);
    tracker.update(0, { stage: 'hash', fraction: 1, file: 'big.m4a' });
    tracker.update(0, { stage: 'decode', fraction: 1, file: 'big.m4a' });
    expect(tracker.snapshot()).toMatchObject({ fraction: 0.75, done: 0, total: 2, stage: 'finish' });
    tracker.finish(1);
    expect(tracker.snapshot()).toMatchObject({ fraction: 1, done: 1 });
  });

  it('keeps part of each input for the work after the analysis (checking the copy, writing the zip)', () => {
    const tracker = new BatchTracker([MB], 0.6);
    tracker.update(0, { stage: 'hash', fraction: 1, file: 'a' });
    tracker.update(0, { stage: 'decode', fraction: 1, file: 'a' });
    expect(tracker.snapshot().fraction).toBeCloseTo(0.6);
    tracker.finish(0);
    expect(tracker.snapshot().fraction).toBe(1);
  });

  it('never moves back when the decoder starts reporting after the read has gone ahead', () => {
    const tracker = new BatchTracker([MB], 1);
    tracker.update(0, { stage: 'hash', fraction: 1, file: 'a' });
    const afterRead = tracker.snapshot().fraction;
    tracker.update(0, { stage: 'decode', fraction: 0.05, file: 'a' });
    expect(tracker.snapshot().fraction).toBeGreaterThanOrEqual(afterRead);
    tracker.update(0, { stage: 'decode', fraction: 0.8, file: 'a' });
    expect(tracker.snapshot().fraction).toBeGreaterThan(afterRead);
  });

  it('names the stage: reading, then analysing (reported or not), then writing', () => {
    const tracker = new BatchTracker([MB, MB], 1);
    tracker.update(0, { stage: 'hash', fraction: 0.4, file: 'a.m4a' }, '案件/a.m4a');
    expect(tracker.snapshot()).toMatchObject({ stage: 'hash', current: '案件/a.m4a' });
    tracker.update(0, { stage: 'hash', fraction: 1, file: 'a.m4a' });
    expect(tracker.snapshot().stage).toBe('decode');
    tracker.update(1, { stage: 'decode', fraction: 0.3, file: 'b.silk' });
    expect(tracker.snapshot()).toMatchObject({ stage: 'decode', current: 'b.silk' });
    tracker.update(1, { stage: 'hash', fraction: 1, file: 'b.silk' });
    tracker.update(1, { stage: 'decode', fraction: 1, file: 'b.silk' });
    expect(tracker.snapshot().stage).toBe('finish');
  });

  it('ignores reports for unknown or finished inputs and odd fractions', () => {
    const tracker = new BatchTracker([0, 0], 1);
    tracker.finish(0);
    tracker.update(0, { stage: 'hash', fraction: 0.1, file: 'x' });
    tracker.update(7, { stage: 'hash', fraction: 0.5, file: 'x' });
    tracker.update(1, { stage: 'hash', fraction: Number.NaN, file: 'y' });
    expect(tracker.snapshot()).toMatchObject({ fraction: 0.5, done: 1, total: 2 });
  });
});
