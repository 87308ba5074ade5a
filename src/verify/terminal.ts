// What `verify` shows on the terminal: one line per file like `sha256sum -c`, the bag checks, a summary.

import { detailText, verifyStatus } from '../i18n/details.js';
import type { Lang } from '../i18n/lang.js';
import { hasMessage, t } from '../i18n/messages.js';
import { visible } from '../tools/visible.js';
import { proofLines } from './proof-lines.js';
import type { VerifyReport } from './verify.js';

/** Checks against something outside the bundle (the phone's file, a timestamp, a value the user gave). */
const OUTSIDE_CHECKS = new Set(['original', 'timestamp', 'expect']);

/**
 * The report as lines for people. Every name and detail that comes from the bundle (entry names, manifest
 * lines, the sidecar) is shown with its control characters escaped: a crafted entry name must not move the
 * cursor, clear a line or paint a fake "Bundle intact" on the terminal.
 */
export function verifyLines(report: VerifyReport, lang: Lang): string {
  const lines: string[] = [];
  for (const file of report.files) {
    const detail = file.status === 'OK' || !file.detail ? '' : visible(detailText(file.detail, lang));
    const status = verifyStatus(file.status, lang);
    if (lang === 'en') lines.push(`${visible(file.path)}: ${status}${detail ? ` (${detail})` : ''}`);
    else lines.push(`${visible(file.path)}: ${status}${detail ? `：${detail}` : ''}`);
  }
  lines.push('');
  for (const check of report.checks) {
    // English keeps the machine id; Chinese names the check in words and keeps the technical detail.
    const key = `verify.check.${check.id}`;
    const name = lang === 'en' || !hasMessage(key) ? check.id : t(lang, key);
    const status =
      lang === 'en' ? (check.ok ? 'OK' : 'FAILED') : t(lang, check.ok ? 'verify.passed' : 'verify.failed');
    // In Chinese a passed check needs no detail; a failed one says what failed.
    const detail = visible(detailText(check.detail, lang));
    if (lang === 'en') lines.push(`[${status}] ${name}: ${detail}`);
    else lines.push(check.ok ? `[${status}] ${name}` : `[${status}] ${name}：${detail}`);
  }
  lines.push('');
  const original = report.original;
  if (original) {
    const path = visible(original.path);
    if (original.identical) {
      const match = visible(original.matches ?? '');
      lines.push(t(lang, 'verify.original-sealed', { path, match, sealedIn: original.sealedIn ?? '' }));
      lines.push(
        t(lang, original.bundledCopyIntact ? 'verify.copy-intact' : 'verify.copy-changed', { match }),
      );
    } else
      lines.push(
        t(lang, original.sealedOriginals === 0 ? 'verify.original-no-seal' : 'verify.original-differs', {
          path,
        }),
      );
  }
  lines.push(...proofLines(report, lang));
  // The bundle's own verdict counts only its own checks: a different phone file, a timestamp or an
  // expected value the user gave are outside anchors, judged on their own lines.
  const bundleChecks = report.checks.filter((c) => !OUTSIDE_CHECKS.has(c.id));
  const failed = bundleChecks.filter((c) => !c.ok).length;
  lines.push(
    report.bundleOk
      ? t(lang, 'verify.intact', { ok: report.summary.OK, checks: bundleChecks.length })
      : t(lang, 'verify.not-intact', {
          changed: report.summary.CHANGED,
          missing: report.summary.MISSING,
          extra: report.summary.EXTRA,
          failed,
        }),
  );
  return `${lines.join('\n')}\n`;
}
