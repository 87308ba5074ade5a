// The table printed (on stderr) after a batch: one row per input with its result and bundle or problem.
import { basename, dirname, relative, resolve, sep } from 'node:path';
import type { PackedBundle } from '../bundle/pack.js';
import type { Lang } from '../i18n/lang.js';
import { t } from '../i18n/messages.js';
import { fitMiddle, padCells, textWidth } from '../progress/width.js';
import { plain } from '../render/terminal-summary.js';
import type { InspectResult, Severity, Verdict } from '../types.js';
import type { BatchFile } from './expand.js';
import type { BatchOutcome } from './run.js';

const GAP = '  ';
/** Columns are never cut below this many cells. */
const MIN_COLUMN = 10;

/**
 * A plain-text table, columns padded by cell width (Chinese names line up). When `maxWidth` is given and
 * the table is wider, the columns listed in `shrinkable` are cut in the middle, widest first.
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: { maxWidth?: number; shrinkable?: readonly number[] } = {},
): string {
  const cells = [headers, ...rows].map((row) => headers.map((_, i) => plain(row[i] ?? '')));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => textWidth(row[i] ?? ''))));
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
  const shrinkable = options.shrinkable ?? [];
  if (options.maxWidth !== undefined) {
    while (total() > options.maxWidth) {
      let widest = -1;
      for (const i of shrinkable)
        if ((widths[i] ?? 0) > MIN_COLUMN && (widest < 0 || (widths[i] ?? 0) > (widths[widest] ?? 0)))
          widest = i;
      if (widest < 0) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  }
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => {
        const fitted = fitMiddle(cell, widths[i] ?? 0);
        // The last column is not padded: no trailing spaces.
        return i === row.length - 1 ? fitted : padCells(fitted, widths[i] ?? 0);
      })
      .join(GAP)
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join(GAP);
  const [head, ...body] = cells;
  return [line(head ?? []), rule, ...body.map(line)].join('\n');
}

/** A path for people: relative to the working folder when it lies inside it, else as it is. */
export function shortPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep) ? rel : path;
}

/**
 * The bundle as the table shows it: just its name when it sits beside the recording (the file column
 * already says where), so that a narrow terminal cuts nothing that tells bundles apart.
 */
function bundleCell(entry: BatchFile, bundle: PackedBundle, cwd: string): string {
  const beside = dirname(resolve(entry.path)) === dirname(bundle.path);
  return beside ? basename(bundle.path) : shortPath(bundle.path, cwd);
}

export interface SummaryOptions {
  lang: Lang;
  /** Terminal width in cells; no cutting when undefined (a log file keeps whole paths). */
  columns?: number;
  /** Files passed over while walking folders because their content is not audio (labels). */
  skipped: readonly string[];
  cwd: string;
  describeError: (error: unknown) => string;
}

function title(outcomes: readonly BatchOutcome<unknown>[], lang: Lang): string {
  const ok = outcomes.filter((o) => o.ok).length;
  return t(lang, 'batch.title', { total: outcomes.length, ok, failed: outcomes.length - ok });
}

function failure(outcome: BatchOutcome<unknown>, options: SummaryOptions): [string, string] {
  const { entry } = outcome;
  const reason =
    entry.kind === 'problem'
      ? t(options.lang, entry.code, entry.params)
      : options.describeError(outcome.ok ? undefined : outcome.error);
  return [t(options.lang, 'batch.failed'), reason];
}

/** Names shown after "skipped"; more would drown the table. */
const SKIPPED_SHOWN = 5;

function footer(text: string, options: SummaryOptions): string {
  const { skipped, lang } = options;
  if (skipped.length === 0) return `${text}\n`;
  const names = skipped.slice(0, SKIPPED_SHOWN).map(plain);
  if (skipped.length > SKIPPED_SHOWN) names.push('...');
  const line = t(lang, 'batch.skipped', {
    count: skipped.length,
    names: names.join(t(lang, 'batch.count.separator')),
  });
  return `${text}\n${line}\n`;
}

/** The summary after `pack` of several inputs: file, result, bundle (or what went wrong). */
export function packTable(outcomes: readonly BatchOutcome<PackedBundle>[], options: SummaryOptions): string {
  const { lang } = options;
  const rows = outcomes.map((outcome) => {
    const [result, detail] = outcome.ok
      ? [
          t(lang, `short.${outcome.value.verdict as Verdict}`),
          bundleCell(outcome.entry, outcome.value, options.cwd),
        ]
      : failure(outcome, options);
    return [outcome.entry.label, result, detail];
  });
  const table = renderTable(
    [t(lang, 'batch.col.file'), t(lang, 'batch.col.result'), t(lang, 'batch.col.bundle')],
    rows,
    { ...(options.columns ? { maxWidth: options.columns - 1 } : {}), shrinkable: [0, 2] },
  );
  return footer(`${title(outcomes, lang)}\n${table}`, options);
}

/** "1 critical, 2 warning(s)": only the severities present, or "none". */
export function findingCounts(counts: Record<Severity, number>, lang: Lang): string {
  const parts = (['critical', 'warning', 'info'] as const)
    .filter((severity) => counts[severity] > 0)
    .map((severity) => t(lang, `batch.count.${severity}`, { count: counts[severity] }));
  return parts.length > 0 ? parts.join(t(lang, 'batch.count.separator')) : t(lang, 'label.none');
}

/** The summary after `inspect` of several inputs: file, result, finding counts (or what went wrong). */
export function inspectTable(
  outcomes: readonly BatchOutcome<InspectResult>[],
  options: SummaryOptions,
): string {
  const { lang } = options;
  const rows = outcomes.map((outcome) => {
    if (!outcome.ok) return [outcome.entry.label, ...failure(outcome, options)];
    const { verdict, counts } = outcome.value.summary;
    return [outcome.entry.label, t(lang, `short.${verdict}`), findingCounts(counts, lang)];
  });
  const table = renderTable(
    [t(lang, 'batch.col.file'), t(lang, 'batch.col.result'), t(lang, 'batch.col.details')],
    rows,
    { ...(options.columns ? { maxWidth: options.columns - 1 } : {}), shrinkable: [0, 2] },
  );
  return footer(`${title(outcomes, lang)}\n${table}`, options);
}

/** The summary after `pack --combine`: the case bundle, then one row per recording inside it. */
export function caseTable(bundle: PackedBundle, labels: readonly string[], options: SummaryOptions): string {
  const { lang } = options;
  const rows = bundle.items.map((item, i) => [
    labels[i] ?? item.originalName,
    t(lang, `short.${item.verdict}`),
    item.bagPath,
  ]);
  const table = renderTable(
    [t(lang, 'batch.col.file'), t(lang, 'batch.col.result'), t(lang, 'batch.col.in-bundle')],
    rows,
    { ...(options.columns ? { maxWidth: options.columns - 1 } : {}), shrinkable: [0, 2] },
  );
  const head = t(lang, 'batch.case-bundle', { path: shortPath(bundle.path, options.cwd) });
  return footer(`${head}\n${table}`, options);
}
