// The evidence list (证据目录): one row per recording, as CSV (every column, Excel-friendly) and as a portrait Word
// table with the seven columns courts use, hashes shortened in the table and given in full in notes below it.

import type { Paragraph, Table } from 'docx';
import { type CellSpec, CONTENT_WIDTH, docx, para, table, title } from './docx-kit.js';
import { exemplarRemark } from './exemplar-section.js';
import { localTime } from './local-time.js';
import type { DocumentContext } from './model.js';
import { durationOf, itemTexts } from './model.js';
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
    const mine = itemTexts(ctx, item);
    return {
      number: String(item.number),
      name: mine.title
        ? fill(l.nameWithTitle, { title: clean(mine.title, 300), file })
        : fill(l.nameDefault, { file }),
      source: sourceText(ctx, text),
      proves: mine.proves ? clean(mine.proves, 2000) : '',
      pages: '',
      original: l.originalValue,
      // The tool's conclusions (verdict, exemplar comparison) are for the parties to argue, not for the
      // list a clerk files: they appear only when asked for (pack --list-verdict).
      remarks:
        (ctx.listVerdict
          ? fill(text.court.remarksVerdict, {
              verdict: text.verdict[result.summary.verdict]?.title ?? result.summary.verdict,
            })
          : '') +
        fill(text.court.remarksDocs, { report: own?.report ?? '', transcript: own?.transcript ?? '' }) +
        (recorded ? fill(l.recordedAt, recorded) : '') +
        (ctx.speakers?.length ? fill(l.speakers, { speakers: speakersText(ctx, text) }) : '') +
        (ctx.listVerdict ? exemplarRemark(result, text.lang) : ''),
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

/** The columns of the Word table: the seven a court's list has; the file's facts go into 证据名称 and 备注. */
const COURT_COLUMNS = ['number', 'name', 'source', 'proves', 'pages', 'original', 'remarks'] as const;

/** Relative column widths of the portrait table: the prose columns get room, 序号 and 页码 stay narrow. */
const WIDTHS: Record<(typeof COURT_COLUMNS)[number], number> = {
  number: 6,
  name: 19,
  source: 14,
  proves: 19,
  // Wide enough for "Pages" in one piece (LibreOffice breaks a word that does not fit).
  pages: 8,
  original: 12,
  remarks: 22,
};

/** "3c434155…7d1e3358b": enough of a hash to tell files apart at a glance; the note below holds all of it. */
export function shortHash(hex: string): string {
  return hex.length > 20 ? `${hex.slice(0, 8)}…${hex.slice(-8)}` : hex;
}

/** "提交人（原告）" when the role is known, else "提交人". */
function submitterLabel(ctx: DocumentContext, text: DocText): string {
  return ctx.partyRole
    ? fill(text.court.submitterWithRole, { role: clean(ctx.partyRole, 100) })
    : text.list.submitter;
}

export async function renderListDocx(
  ctx: DocumentContext,
  rows: readonly ListRow[],
  text: DocText,
  creator: string,
): Promise<Buffer> {
  const l = text.list;
  const c = text.court;
  const colon = text.common.colon;
  const total = COURT_COLUMNS.reduce((sum, col) => sum + WIDTHS[col], 0);
  const blank = text.common.blank;
  const header = [
    `${c.listTo}${colon}${ctx.court ? clean(ctx.court, 200) : c.courtBlank}`,
    `${l.caseId}${colon}${ctx.caseId ? clean(ctx.caseId, 200) : blank}`,
    `${submitterLabel(ctx, text)}${colon}${ctx.submitter ? clean(ctx.submitter, 200) : blank}　　${l.date}${colon}${clean(localTime(ctx.packedAt, zoneOf(ctx)).slice(0, 10), 20)}`,
  ];
  const notes = rows.map((row, i) =>
    fill(c.hashFull, {
      note: i + 1,
      number: row.number,
      file: row.fileName,
      sha256: row.sha256,
      sm3: row.sm3,
    }),
  );
  const children: Array<Paragraph | Table> = [
    title(l.docTitle),
    ...sealLines(ctx, text).map((line) => para(line, { style: { bold: true, size: 18 } })),
    ...header.map((line, i) => para(line, { after: i === header.length - 1 ? 160 : 40 })),
    table({
      width: CONTENT_WIDTH.portrait,
      widths: COURT_COLUMNS.map((col) => WIDTHS[col] / total),
      header: COURT_COLUMNS.map((col) => l.columns[col]),
      size: 18,
      keepWithNext: true,
      rows: rows.map((row, i) =>
        COURT_COLUMNS.map((col): CellSpec => {
          if (col === 'number' || col === 'pages') return { text: row[col] };
          if (col === 'name')
            return {
              text: `${row.name}\n${fill(c.fileLine, {
                file: row.fileName,
                // Whole seconds: a clerk's table needs no milliseconds, and they broke the line mid-number.
                duration: row.duration.replace(/\.\d+$/, '') || text.common.unknown,
                size: Number(row.size).toLocaleString('en-US'),
              })}`,
            };
          if (col === 'original') return { text: c.originalShort };
          if (col === 'remarks')
            return {
              text: `${fill(c.hashShort, { short: shortHash(row.sha256), note: i + 1 })}\n${row.remarks}`,
            };
          return { text: row[col] };
        }),
      ),
    }),
    // Notes, the hash explanation and the signature travel with the table's last row: a signature on a
    // page of its own signs nothing.
    ...notes.map((note) => para(note, { style: { size: 16 }, keepNext: true, after: 40 })),
    para(l.hashNote, { style: { size: 16 }, keepNext: true, after: 240 }),
    para(fill(c.listSignature, { who: submitterLabel(ctx, text) })),
  ];
  return docx({ lang: text.lang, title: l.docTitle, creator, children });
}
