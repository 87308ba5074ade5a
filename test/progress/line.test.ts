// The redrawn line: at most one draw per interval, erased before other output, silent once stopped.
// Time is a fake clock and vitest's fake timers, so nothing here depends on how fast the machine is.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressLine } from '../../src/progress/line.js';

const CLEAR = '\r\u001b[K';

describe('ProgressLine', () => {
  let now = 0;
  let writes: string[] = [];
  let text = 'a';

  beforeEach(() => {
    vi.useFakeTimers();
    now = 1000;
    writes = [];
    text = 'a';
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const line = (options: { tickMs?: number } = {}) =>
    new ProgressLine({
      write: (chunk) => writes.push(chunk),
      render: () => text,
      now: () => now,
      intervalMs: 100,
      ...options,
    });

  it('draws the first update at once and folds a burst of updates into one later draw', () => {
    const progress = line();
    progress.update();
    expect(writes).toEqual([`${CLEAR}a`]);
    text = 'b';
    for (let i = 0; i < 50; i++) progress.update();
    expect(writes).toHaveLength(1);
    now += 100;
    vi.advanceTimersByTime(100);
    expect(writes).toEqual([`${CLEAR}a`, `${CLEAR}b`]);
  });

  it('draws right away once the interval has passed', () => {
    const progress = line();
    progress.update();
    now += 250;
    text = 'c';
    progress.update();
    expect(writes).toEqual([`${CLEAR}a`, `${CLEAR}c`]);
  });

  it('clear erases only a drawn line; stop erases it and ignores later updates', () => {
    const progress = line();
    progress.clear();
    expect(writes).toEqual([]);
    progress.update();
    progress.clear();
    progress.clear();
    expect(writes).toEqual([`${CLEAR}a`, CLEAR]);
    now += 200;
    progress.update();
    progress.stop();
    progress.update();
    now += 1000;
    vi.advanceTimersByTime(1000);
    expect(writes).toEqual([`${CLEAR}a`, CLEAR, `${CLEAR}a`, CLEAR]);
  });

  it('a pending redraw is dropped by stop', () => {
    const progress = line();
    progress.update();
    progress.update();
    progress.stop();
    vi.advanceTimersByTime(500);
    expect(writes).toEqual([`${CLEAR}a`, CLEAR]);
  });

  it('ticks while drawn so the estimate keeps moving when nothing reports', () => {
    const progress = line({ tickMs: 1000 });
    vi.advanceTimersByTime(3000);
    expect(writes).toEqual([]);
    progress.update();
    text = 'later';
    now += 1000;
    vi.advanceTimersByTime(1000);
    expect(writes).toEqual([`${CLEAR}a`, `${CLEAR}later`]);
    progress.stop();
    vi.advanceTimersByTime(5000);
    expect(writes).toHaveLength(3);
  });
});
