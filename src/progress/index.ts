// Terminal progress for a batch: when to show it, and one object the CLI feeds with inspect's reports.
import type { Lang } from '../i18n/lang.js';
import type { Progress } from '../inspect.js';
import { ProgressLine } from './line.js';
import { renderProgress } from './render.js';
import { BatchTracker } from './tracker.js';

export interface TerminalState {
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  json: boolean;
  env: NodeJS.ProcessEnv;
}

/**
 * Progress is for a person watching a terminal: never when either stream goes to a file or a pipe
 * (the bar's carriage returns would end up in logs and in data), never with --json, never on a dumb
 * terminal that cannot erase a line.
 */
export function progressWanted(state: TerminalState): boolean {
  if (state.json || !state.stdoutIsTTY || !state.stderrIsTTY) return false;
  if (state.env['TERM'] === 'dumb') return false;
  return true;
}

export interface BatchProgress {
  update(index: number, progress: Progress, label?: string): void;
  finish(index: number): void;
  /** Erase the line before printing something else. */
  clear(): void;
  /** Draw the line again after something else was printed. */
  refresh(): void;
  /** Erase the line for good. */
  stop(): void;
}

const SILENT: BatchProgress = {
  update: () => undefined,
  finish: () => undefined,
  clear: () => undefined,
  refresh: () => undefined,
  stop: () => undefined,
};

export interface BatchProgressOptions {
  enabled: boolean;
  write: (text: string) => void;
  columns: () => number;
  lang: Lang;
  /** Sizes of the inputs in bytes, in order. */
  sizes: readonly number[];
  /** Share of an item's work that inspect's reports cover (see BatchTracker). */
  inspectShare?: number;
  now?: () => number;
}

export function batchProgress(options: BatchProgressOptions): BatchProgress {
  if (!options.enabled || options.sizes.length === 0) return SILENT;
  const now = options.now ?? Date.now;
  const started = now();
  const tracker = new BatchTracker(options.sizes, options.inspectShare);
  const line = new ProgressLine({
    write: options.write,
    now,
    tickMs: 1000,
    render: () =>
      renderProgress({
        ...tracker.snapshot(),
        elapsedMs: now() - started,
        lang: options.lang,
        columns: options.columns(),
      }),
  });
  return {
    update(index, progress, label) {
      tracker.update(index, progress, label);
      line.update();
    },
    finish(index) {
      tracker.finish(index);
      line.update();
    },
    clear: () => line.clear(),
    refresh: () => line.update(),
    stop: () => line.stop(),
  };
}
