// The transcript template as Markdown: readable as plain text, renders as tables on GitHub-style viewers.
import type { TranscriptDoc } from './transcript.js';

/**
 * Backslash-escapes the characters that would turn a value into markup (raw HTML, links, emphasis,
 * table cells), so a hostile tag stays text in any Markdown viewer.
 */
export function mdEscape(text: string): string {
  return text.replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

/** A GFM table; cells in `raw` columns are the tool's own time stamps, which need no escaping. */
function mdTable(columns: string[], rows: string[][], raw: ReadonlySet<number> = new Set()): string {
  const line = (cells: string[], escaping: boolean): string =>
    `| ${cells.map((c, i) => (escaping && !raw.has(i) ? mdEscape(c) : c) || ' ').join(' | ')} |`;
  return [
    line(columns.map(mdEscape), false),
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((r) => line(r, true)),
  ].join('\n');
}

export function renderTranscriptMarkdown(doc: TranscriptDoc, colon: string): string {
  const out: string[] = [];
  out.push(`# ${mdEscape(doc.title)}`, '');
  for (const line of doc.sealLines) out.push(`**${mdEscape(line)}**`, '');
  out.push(`## ${mdEscape(doc.headerHeading)}`, '');
  for (const [label, value] of doc.header) {
    const shown = value
      ? doc.monoLabels.has(label)
        ? `\`${value}\``
        : mdEscape(value)
      : '\\_\\_\\_\\_\\_\\_\\_\\_';
    out.push(`- **${mdEscape(label)}**${colon}${shown}`);
  }
  out.push('', `## ${mdEscape(doc.lawfulHeading)}`, '', mdEscape(doc.lawfulIntro), '');
  doc.lawfulPrompts.forEach((prompt, i) => {
    out.push(`${i + 1}. ${mdEscape(prompt)}`, `   ${mdEscape(doc.answer)}\\_\\_\\_\\_\\_\\_\\_\\_`, '');
  });
  out.push(
    `## ${mdEscape(doc.participantsHeading)}`,
    '',
    mdTable(doc.participants.columns, doc.participants.rows),
    '',
  );
  out.push(`## ${mdEscape(doc.bodyHeading)}`, '', mdEscape(doc.bodyIntro), '');
  if (doc.bodyNote) out.push(`> ${mdEscape(doc.bodyNote)}`, '');
  out.push(
    mdTable(
      doc.bodyColumns,
      doc.body.map((r) => [r.time, r.speaker, r.content, r.key]),
      new Set([0]),
    ),
    '',
  );
  out.push(`## ${mdEscape(doc.keyHeading)}`, '', mdEscape(doc.keyIntro), '');
  out.push(mdTable(doc.keyMoments.columns, doc.keyMoments.rows), '');
  out.push(mdEscape(doc.declaration), '', mdEscape(doc.signature), '');
  return out.join('\n');
}
