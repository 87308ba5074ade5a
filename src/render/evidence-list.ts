// The evidence list (证据目录): one row per recording, as CSV (Excel-friendly) and as a landscape Word table.

import type { Paragraph, Table } from 'docx';
import { type CellSpec, CONTENT_WIDTH, docx, para, table, title } from './docx-kit.js';
import { exemplarRemark } from './exemplar-section.js';
import { localTime } from './local-time.js';
import type { DocumentContext } from './model.js';
import { durationOf } from './model.js';
import { recordedAt, zoneOf } from './recorded-at.js';
import { clean } from './sanitize.js';
import { sealLines } from './seal.js';
import { type DocText, fill, type ListColumn } from './text.js';
import { formatTimestamp } from './time.js';
import { speakersText } from './transcript.js';

export const LIST_COLUMNS: readonly ListColumn[] = [
  'number',
  'name',
  'source',
  'proves',
  'pages',
  'original',
  'remarks',
  'fileName',
  'carrier',
  'duration',
  'size',
  'sha256',
  'sm3',
];

export type ListRow = Record<ListColumn, string>;

/** Where each recording's own documents sit in the bag, for the remarks column. */
export interface ItemPaths {
  report: string;
  transcript: string;
}

/** 证据来源: "录音人张三使用 iPhone 13 于北京市…录制；李四提供", from whichever of the options were given. */
export function sourceText(ctx: DocumentContext, text: DocText): string {
  const l = text.list;
  const parts = [
    ctx.recordedBy ? fill(l.sourceBy, { name: clean(ctx.recordedBy, 200) }) : '',
    ctx.device ? fill(l.sourceWith, { device: clean(ctx.device, 200) }) : '',
    ctx.place ? fill(l.sourceAt, { place: clean(ctx.place, 300) }) : '',
  ].join('');
  return [
    parts ? fill(l.sourceRecorded, { parts }) : '',
    ctx.submitter ? fill(l.sourceSubmitter, { submitter: clean(ctx.submitter, 200) }) : '',
  ]
    .filter(Boolean)
    .join(l.sourceJoin);
}

export function listRows(
  ctx: DocumentContext,
  text: DocText,
  paths: ReadonlyMap<number, ItemPaths>,
): ListRow[] {
  const l = text.list;
  return ctx.items.map((item) => {
    const result = item.inspection;
    const file = clean(item.originalName, 300);
    const duration = durationOf(result);
    const own = paths.get(item.number);
    const recorded = recordedAt(result, text, zoneOf(ctx));
    return {
      number: String(item.number),
      name: ctx.title
        ? fill(l.nameWithTitle, { title: clean(ctx.title, 300), file })
        : fill(l.nameDefault, { file }),
      source: sourceText(ctx, text),
      proves: ctx.proves ? clean(ctx.proves, 2000) : '',
      pages: '',
      original: l.originalValue,
      remarks:
        fill(l.remarks, {
          verdict: text.verdict[result.summary.verdict]?.title ?? result.summary.verdict,
          report: own?.report ?? '',
          transcript: own?.transcript ?? '',
        }) +
        (recorded ? fill(l.recordedAt, recorded) : '') +
        (ctx.speakers?.length ? fill(l.speakers, { speakers: speakersText(ctx, text) }) : '') +
        exemplarRemark(result, text.lang),
      fileName: file,
      carrier: result.media.device
        ? fill(text.common.fromMetadata, { value: clean(result.media.device, 200) })
        : l.carrierBlank,
      duration: duration === undefined ? '' : formatTimestamp(duration),
      size: String(result.file.size),
      sha256: result.file.sha256,
      sm3: result.file.sm3,
    };
  });
}

/**
 * One CSV field: cells a spreadsheet would run as a formula get an apostrophe (OWASP CSV injection), and
 * fields with separators, quotes or line breaks are quoted (RFC 4180).
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** UTF-8 with a byte-order mark so Excel reads the Chinese headings; CRLF line ends as RFC 4180 asks. */
export function renderListCsv(rows: readonly ListRow[], text: DocText, seal: readonly string[] = []): string {
  const lines = [
    // An editable form names its bundle above the table, one line each.
    ...seal.map(csvField),
    LIST_COLUMNS.map((c) => csvField(text.list.columns[c])).join(','),
  ];
  for (const row of rows) lines.push(LIST_COLUMNS.map((c) => csvField(row[c])).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

/** Relative column widths of the landscape table: hashes get room, the short facts stay narrow. */
const WIDTHS: Record<ListColumn, number> = {
  number: 4,
  name: 9,
  source: 7,
  proves: 9,
  pages: 4,
  original: 7,
  remarks: 10,
  fileName: 8,
  carrier: 7,
  duration: 7.5,
  size: 6,
  sha256: 11,
  sm3: 11,
};

export async function renderListDocx(
  ctx: DocumentContext,
  rows: readonly ListRow[],
  text: DocText,
  creator: string,
): Promise<Buffer> {
  const l = text.list;
  const total = LIST_COLUMNS.reduce((sum, c) => sum + WIDTHS[c], 0);
  const meta = [
    `${l.caseId}${text.common.colon}${ctx.caseId ? clean(ctx.caseId, 200) : '＿＿＿＿＿＿'}`,
    `${l.submitter}${text.common.colon}${ctx.submitter ? clean(ctx.submitter, 200) : '＿＿＿＿＿＿'}`,
    `${l.date}${text.common.colon}${clean(localTime(ctx.packedAt, zoneOf(ctx)).slice(0, 10), 20)}`,
  ].join('　　');
  const children: Array<Paragraph | Table> = [
    title(l.docTitle),
    ...sealLines(ctx, text).map((line) => para(line, { style: { bold: true, size: 18 } })),
    para(meta, { after: 160 }),
    table({
      width: CONTENT_WIDTH.landscape,
      widths: LIST_COLUMNS.map((c) => WIDTHS[c] / total),
      header: LIST_COLUMNS.map((c) => l.columns[c]),
      size: 16,
      rows: rows.map((row) =>
        LIST_COLUMNS.map(
          (c): CellSpec =>
            c === 'sha256' || c === 'sm3' ? { text: row[c], mono: true, size: 14 } : { text: row[c] },
        ),
      ),
    }),
    para(l.hashNote, { after: 240 }),
    para(l.signature),
  ];
  return docx({ lang: text.lang, title: l.docTitle, creator, landscape: true, children });
}
