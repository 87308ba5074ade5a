// verify's terminal lines about timestamps and --expect, and the plain statement of what was proven
// and against what (both languages).
import type { Lang } from '../i18n/lang.js';
import { t } from '../i18n/messages.js';
import { hashLabel, parseStampHash } from '../timestamp/algorithms.js';
import type { TimestampCheck } from './timestamps.js';
import type { VerifyReport } from './verify.js';

function algoLabel(check: TimestampCheck): string {
  const hash = check.hashAlgorithm ? parseStampHash(check.hashAlgorithm) : undefined;
  return hash ? hashLabel(hash) : (check.hashAlgorithm ?? '?');
}

function timestampLine(check: TimestampCheck, lang: Lang): string {
  const file = check.file;
  if (check.problem !== undefined) return t(lang, 'verify.ts.unreadable', { file, detail: check.problem });
  const chain =
    check.chain === 'trusted'
      ? t(lang, 'verify.ts.trusted')
      : check.chain === 'untrusted'
        ? t(lang, 'verify.ts.untrusted', { detail: check.chainDetail ?? '' })
        : check.signature === 'valid'
          ? t(lang, 'verify.ts.not-checked')
          : '';
  return t(lang, 'verify.ts.line', {
    file,
    local: check.timeLocal ?? '',
    utc: check.time ?? '',
    tsa: check.tsa ?? '',
    algo: algoLabel(check),
    imprint: t(lang, check.imprintMatches ? 'verify.ts.imprint-ok' : 'verify.ts.imprint-differs'),
    signature:
      check.signature === 'valid'
        ? t(lang, 'verify.ts.signature-valid')
        : t(lang, 'verify.ts.signature-invalid', { detail: check.signatureDetail ?? '' }),
    chain,
  });
}

/** The timestamp lines and the "what this proves" block, before verify's summary line. */
export function proofLines(report: VerifyReport, lang: Lang): string[] {
  const lines: string[] = [];
  const timestamps = report.timestamps ?? [];
  for (const check of timestamps) lines.push(timestampLine(check, lang));
  if (timestamps.length > 0) lines.push('');
  const proof = report.proof;
  if (!proof) return lines;
  lines.push(t(lang, 'verify.proof.title'));
  lines.push(t(lang, proof.consistent ? 'verify.proof.consistent' : 'verify.proof.inconsistent'));
  const subject = t(lang, report.kind === 'zip' ? 'verify.subject.zip' : 'verify.subject.tagmanifest');
  for (const check of timestamps) {
    if (check.ok)
      lines.push(
        t(lang, 'verify.proof.timestamp', {
          subject,
          algo: algoLabel(check),
          tsa: check.tsa ?? '',
          local: check.timeLocal ?? '',
          utc: check.time ?? '',
          trust: t(
            lang,
            check.chain === 'trusted' ? 'verify.proof.timestamp-trusted' : 'verify.proof.timestamp-unchecked',
          ),
        }),
      );
    else {
      const why =
        check.problem ??
        (check.imprintMatches === false
          ? t(lang, 'verify.proof.why-imprint')
          : check.signature !== 'valid'
            ? t(lang, 'verify.ts.signature-invalid', { detail: check.signatureDetail ?? '' })
            : t(lang, 'verify.ts.untrusted', { detail: check.chainDetail ?? '' }));
      lines.push(
        t(lang, 'verify.proof.timestamp-failed', {
          file: check.file,
          tsa: check.tsa ?? '?',
          local: check.timeLocal ?? '?',
          why,
        }),
      );
    }
  }
  const expect = report.expect;
  if (expect) {
    if (!expect.matched) lines.push(t(lang, 'verify.proof.expect-failed', { value: expect.value }));
    for (const match of expect.matches)
      lines.push(
        t(lang, 'verify.proof.expect', {
          what:
            match.what === 'original'
              ? t(lang, 'verify.what.original', { path: match.path })
              : t(lang, match.what === 'zip' ? 'verify.what.zip' : 'verify.what.tag-manifest'),
          algo: hashLabel(match.algorithm),
          value: expect.value,
        }),
      );
  }
  if (proof.consistent && timestamps.length === 0 && !expect)
    lines.push(t(lang, 'verify.proof.unanchored', { original: proof.originalSha256 ?? '?' }));
  lines.push('');
  return lines;
}
