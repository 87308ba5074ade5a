// The progress line as a pure function of the batch's state: bar, percent, ETA, stage, file count, name.
import type { Lang } from '../i18n/lang.js';
import { t } from '../i18n/messages.js';
import { plain } from '../render/terminal-summary.js';
import { fitMiddle, textWidth } from './width.js';

export type ProgressStage = 'hash' | 'decode' | 'finish';

export interface ProgressView {
  /** Share of the whole batch done, 0..1. */
  fraction: number;
  /** Milliseconds since the batch started. */
  elapsedMs: number;
  /** Inputs finished and in total. */
  done: number;
  total: number;
  stage: ProgressStage;
  /** Name of the file that reported last. */
  current: string;
  lang: Lang;
  /** Terminal width in cells. */
  columns: number;
}

/** Below this much work or time an estimate is noise (ffmpeg start-up, the first block). */
const ETA_MIN_FRACTION = 0.02;
const ETA_MIN_MS = 1500;

/** "m:ss", or "h:mm:ss" from an hour on. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * Remaining time from the pace so far, or undefined while there is too little to go on. Never under a
 * second while work remains: "0:00" on a bar that is still running reads as stuck.
 */
export function estimateRemainingMs(fraction: number, elapsedMs: number): number | undefined {
  if (!(fraction >= ETA_MIN_FRACTION) || elapsedMs < ETA_MIN_MS) return undefined;
  if (fraction >= 1) return 0;
  return Math.max(1000, (elapsedMs * (1 - fraction)) / fraction);
}

/** ASCII bar: block characters are ambiguous-width and take two cells in many Chinese terminals. */
export function renderBar(fraction: number, width: number): string {
  const inner = Math.max(1, width - 2);
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * inner);
  return `[${'#'.repeat(filled)}${'-'.repeat(inner - filled)}]`;
}

/**
 * One line, never wider than `columns - 1` cells (writing into the last cell makes some terminals wrap,
 * and a wrapped line can no longer be redrawn in place). The file name goes first when room runs out,
 * then the file count, then the bar shrinks.
 */
export function renderProgress(view: ProgressView): string {
  const fraction = Math.min(1, Math.max(0, Number.isFinite(view.fraction) ? view.fraction : 0));
  const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
  const remaining = estimateRemainingMs(fraction, view.elapsedMs);
  const eta = t(view.lang, 'progress.eta', {
    time: remaining === undefined ? '--:--' : formatClock(remaining),
  });
  const stage = t(view.lang, `progress.${view.stage}`);
  const files = view.total > 1 ? t(view.lang, 'progress.files', { done: view.done, total: view.total }) : '';
  const limit = Math.max(10, view.columns - 1);

  const fixed = [percent, eta, stage, files].filter(Boolean).join('  ');
  let barWidth = Math.min(32, Math.max(8, limit - textWidth(fixed) - 2 - 24));
  let line = `${renderBar(fraction, barWidth)} ${fixed}`;
  const room = limit - textWidth(line) - 2;
  const name = plain(view.current);
  if (name && room >= 8) line += `  ${fitMiddle(name, room)}`;
  if (textWidth(line) <= limit) return line;
  // A narrow terminal: drop the count, then shrink the bar, then keep what fits.
  const short = [percent, eta, stage].join('  ');
  barWidth = Math.max(4, Math.min(barWidth, limit - textWidth(short) - 1));
  line = `${renderBar(fraction, barWidth)} ${short}`;
  if (textWidth(line) <= limit) return line;
  const bare = `${percent}  ${eta}`;
  return textWidth(bare) <= limit ? bare : percent.trim();
}
