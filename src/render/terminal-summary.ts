// The short readable summary `inspect` prints without --json, in the user's language.

import type { Lang } from '../i18n/lang.js';
import { t } from '../i18n/messages.js';
import type { InspectResult } from '../types.js';
import { findingTitle, formatDescription } from './finding-text.js';
import { creationTimeMeaning, localTime, resolveTimeZone } from './local-time.js';
import { formatTimestamp } from './time.js';

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = size / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Terminal control characters in tags or names must not reach the terminal. */
export function plain(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '�');
}

/** `zone`: where times are shown (default: TZ, else the system's); each carries its offset. */
export function terminalSummary(result: InspectResult, lang: Lang, zone = resolveTimeZone()): string {
  const lines: string[] = [];
  const unknown = t(lang, 'label.unknown');
  const d = result.media.duration;
  const duration = d.decoded ?? d.container ?? d.stream;
  lines.push(`${t(lang, 'label.file')}: ${plain(result.file.name)}`);
  lines.push(`  SHA-256: ${result.file.sha256}`);
  lines.push(`  SM3:     ${result.file.sm3}`);
  lines.push(
    `  ${t(lang, 'label.size')}: ${result.file.size} ${t(lang, 'label.bytes')} (${formatBytes(result.file.size)})`,
  );
  lines.push(
    `  ${t(lang, 'label.format')}: ${plain(result.format.description === undefined ? result.format.container : formatDescription(result.format.description, lang))}`,
  );
  lines.push(
    `  ${t(lang, 'label.codec')}: ${plain(result.media.codec ?? unknown)}` +
      (result.media.sampleRate ? `, ${result.media.sampleRate} Hz` : '') +
      (result.media.channels ? `, ${t(lang, 'label.channels', { count: result.media.channels })}` : ''),
  );
  lines.push(
    `  ${t(lang, 'label.duration')}: ${duration === undefined ? unknown : formatTimestamp(duration)}`,
  );
  if (result.media.encoder) lines.push(`  ${t(lang, 'label.encoder')}: ${plain(result.media.encoder)}`);
  if (result.media.device) lines.push(`  ${t(lang, 'label.device')}: ${plain(result.media.device)}`);
  if (result.media.created) {
    const meaning = creationTimeMeaning(result);
    const label = meaning === undefined ? 'label.created' : (`label.created-${meaning}` as const);
    lines.push(`  ${t(lang, label)}: ${plain(localTime(String(result.media.created), zone))}`);
  }
  lines.push(`  ${t(lang, 'label.verdict')}: ${t(lang, `verdict.${result.summary.verdict}`)}`);
  if (result.findings.length === 0) {
    lines.push(`  ${t(lang, 'label.findings')}: ${t(lang, 'label.none')}`);
  } else {
    lines.push(`  ${t(lang, 'label.findings')}:`);
    for (const f of result.findings) {
      const at =
        f.at === undefined
          ? ''
          : ` [${formatTimestamp(f.at)}${f.end === undefined ? '' : `–${formatTimestamp(f.end)}`}]`;
      lines.push(
        `   - ${t(lang, `severity.${f.severity}`)}${at} ${plain(findingTitle(f, lang, { place: f.at === undefined, zone }))}`,
      );
    }
  }
  const notAssessable = result.checks.filter((c) => c.outcome !== 'consistent').length;
  lines.push(
    `  ${t(lang, 'label.checks')}: ${result.checks.length} (${result.checks.length - notAssessable} ${t(lang, 'check.consistent')})`,
  );
  lines.push(`  ${t(lang, 'note.never-authentic')}`);
  return lines.join('\n');
}
