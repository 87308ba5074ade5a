// What `verify` shows on the terminal: one line per file like `sha256sum -c`, the bag checks, a summary.
import type { Lang } from '../i18n/lang.js';
import { hasMessage, t } from '../i18n/messages.js';
import { proofLines } from './proof-lines.js';
import type { VerifyReport } from './verify.js';

export function verifyLines(report: VerifyReport, lang: Lang): string {
  const lines: string[] = [];
  for (const file of report.files)
    lines.push(
      `${file.path}: ${file.status}${file.status === 'OK' || !file.detail ? '' : ` (${file.detail})`}`,
    );
  lines.push('');
  for (const check of report.checks) {
    // English keeps the machine id; Chinese names the check in words and keeps the technical detail.
    const key = `verify.check.${check.id}`;
    const name = lang === 'en' || !hasMessage(key) ? check.id : t(lang, key);
    const status =
      lang === 'en' ? (check.ok ? 'OK' : 'FAILED') : t(lang, check.ok ? 'verify.passed' : 'verify.failed');
    // In Chinese a passed check needs no English detail; a failed one keeps it for the examiner.
    if (lang === 'en') lines.push(`[${status}] ${name}: ${check.detail}`);
    else lines.push(check.ok ? `[${status}] ${name}` : `[${status}] ${name}：${check.detail}`);
  }
  lines.push('');
  if (report.original) {
    lines.push(
      report.original.identical
        ? t(lang, 'verify.original-identical', {
            path: report.original.path,
            match: report.original.matches ?? '',
          })
        : t(lang, 'verify.original-differs', { path: report.original.path }),
    );
  }
  lines.push(...proofLines(report, lang));
  const failed = report.checks.filter((c) => !c.ok).length;
  lines.push(
    report.ok
      ? t(lang, 'verify.intact', { ok: report.summary.OK, checks: report.checks.length })
      : t(lang, 'verify.not-intact', {
          changed: report.summary.CHANGED,
          missing: report.summary.MISSING,
          extra: report.summary.EXTRA,
          failed,
        }),
  );
  return `${lines.join('\n')}\n`;
}
