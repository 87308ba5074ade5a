// What `pack` shows on the terminal: the bundle path first (for scripts), then its facts for people.

import { detailText } from '../i18n/details.js';
import type { Lang } from '../i18n/lang.js';
import { t } from '../i18n/messages.js';
import type { PackedBundle } from './pack.js';

/** Lines for stdout: the bundle path alone, then indented facts. */
export function packSummary(bundle: PackedBundle, lang: Lang): string {
  const lines = [bundle.path];
  if (bundle.sha256) lines.push(`  ${t(lang, 'pack.zip-sha256')}: ${bundle.sha256}`);
  if (bundle.sidecar) lines.push(`  ${t(lang, 'pack.sidecar')}: ${bundle.sidecar}`);
  for (const item of bundle.items) {
    lines.push(`  ${t(lang, 'pack.original')}: ${item.bagPath}`);
    lines.push(`    SHA-256 ${item.sha256}`, `    SM3     ${item.sm3}`);
    lines.push(`    ${t(lang, 'label.verdict')}: ${t(lang, `verdict.${item.verdict}`)}`);
  }
  for (const path of bundle.access ?? []) lines.push(`  ${t(lang, 'pack.access')}: ${path}`);
  if (bundle.forms) {
    lines.push(`  ${t(lang, 'pack.forms')}: ${bundle.forms}`);
    lines.push(`    ${t(lang, 'pack.forms-note', { path: bundle.forms })}`);
    lines.push(`    ${t(lang, 'pack.forms-note-declaration')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The warning every pack run ends with: the phone is the original carrier; keep it, bring it to court. */
export function keepOriginalWarning(lang: Lang): string {
  return `${t(lang, 'pack.keep-original')}\n`;
}

/**
 * A verbatim name for the terminal: JSON escapes C0 controls and quotes; DEL, C1 controls and the bidi
 * overrides/isolates (which reorder what the terminal shows) get the same \uXXXX form.
 */
function terminalSafe(name: string): string {
  return JSON.stringify(name)
    .slice(1, -1)
    .replace(
      /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
}

/** Notices for stderr: a suffix chosen, a stale folder removed, a name made portable, tool warnings. */
export function packNotices(bundle: PackedBundle, lang: Lang): string[] {
  const notices: string[] = [];
  if (bundle.renamedFrom)
    notices.push(
      t(lang, bundle.renamedBecause === 'in-progress' ? 'pack.renamed-busy' : 'pack.renamed', {
        preferred: bundle.renamedFrom,
        path: bundle.path,
      }),
    );
  if (bundle.outsideBag)
    notices.push(
      t(lang, 'pack.outside-bag', {
        input: terminalSafe(bundle.input),
        bag: terminalSafe(bundle.outsideBag),
        path: bundle.path,
      }),
    );
  if (bundle.sharedStem)
    notices.push(t(lang, 'pack.shared-stem', { stem: bundle.sharedStem, path: bundle.path }));
  for (const path of bundle.removedStale) notices.push(t(lang, 'pack.stale-removed', { path }));
  for (const item of bundle.items)
    if (item.nameChanged)
      notices.push(
        t(lang, 'pack.name-changed', {
          name: terminalSafe(item.originalName),
          bagPath: item.bagPath,
        }),
      );
  for (const detail of bundle.warnings)
    notices.push(t(lang, 'pack.warning', { detail: detailText(detail, lang) }));
  return notices;
}
