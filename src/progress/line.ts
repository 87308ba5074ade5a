// A status line redrawn in place on a terminal, at most every `intervalMs`, and cleared before any
// other output so that messages and data never get mixed with it.

export interface ProgressLineOptions {
  /** Writes raw text to the terminal (stderr). */
  write: (text: string) => void;
  /** The current line's text. */
  render: () => string;
  /** Minimum time between two draws (about 10 per second). */
  intervalMs?: number;
  /**
   * Redraw at least this often even when nothing reports (the analysis after decoding is silent), so the
   * estimate keeps moving instead of freezing; 0 turns it off.
   */
  tickMs?: number;
  now?: () => number;
}

const CLEAR = '\r\u001b[K';

export class ProgressLine {
  private drawn = false;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ProgressLineOptions) {
    this.intervalMs = options.intervalMs ?? 100;
    this.now = options.now ?? Date.now;
    const tickMs = options.tickMs ?? 0;
    if (tickMs > 0) {
      this.ticker = setInterval(() => {
        if (this.drawn) this.update();
      }, tickMs);
      this.ticker.unref();
    }
  }

  /** Something changed: draw now if the last draw is old enough, else once the interval has passed. */
  update(): void {
    if (this.stopped || this.timer) return;
    const wait = this.lastDraw + this.intervalMs - this.now();
    if (wait <= 0) {
      this.draw();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stopped) this.draw();
    }, wait);
    // A pending redraw must never keep the process alive.
    this.timer.unref();
  }

  /** Erases the line (before other output); the next update draws it again. */
  clear(): void {
    if (!this.drawn) return;
    this.options.write(CLEAR);
    this.drawn = false;
  }

  /** Erases the line for good. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.ticker) clearInterval(this.ticker);
    this.timer = undefined;
    this.ticker = undefined;
    this.clear();
  }

  private draw(): void {
    this.options.write(`${CLEAR}${this.options.render()}`);
    this.drawn = true;
    this.lastDraw = this.now();
  }
}
