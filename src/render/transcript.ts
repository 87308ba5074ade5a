// The transcript template of one recording as plain data (header, lawfulness prompts, speakers, rows, key moments),
// written out by the Markdown, WebVTT and DOCX writers.
import type { Severity } from '../types.js';
import { exemplarHeaderRow } from './exemplar-section.js';
import { findingTitle } from './finding-text.js';
import type { DocumentContext, DocumentItem } from './model.js';
import {
  durationOf,
  itemTexts,
  numberFindings,
  placeFromTags,
  type TranscriptPlan,
  transcriptPlan,
} from './model.js';
import { recordedAt, zoneOf } from './recorded-at.js';
import { clean } from './sanitize.js';
import { sealLines } from './seal.js';
import { type DocText, fill } from './text.js';
import { formatTimestamp } from './time.js';

export interface TranscriptRowText {
  time: string;
  speaker: string;
  content: string;
  key: string;
  /** Set on inserted "listen here" rows. */
  flag?: Severity;
}

export interface TranscriptTable {
  columns: string[];
  rows: string[][];
}

/** Everything a transcript shows, already cleaned: writers only format it. */
export interface TranscriptDoc {
  title: string;
  /** Lines under the title of an editable form: the bundle it belongs to (empty in the sealed blank). */
  sealLines: string[];
  headerHeading: string;
  /** [label, value]; an empty value is a blank to fill in. */
  header: Array<[string, string]>;
  /** Values set in monospace (hashes). */
  monoLabels: Set<string>;
  lawfulHeading: string;
  lawfulIntro: string;
  lawfulPrompts: string[];
  answer: string;
  participantsHeading: string;
  participants: TranscriptTable;
  bodyHeading: string;
  bodyIntro: string;
  /** Explains the rows when they are not detected speech (blocks, or none at all). */
  bodyNote?: string;
  bodyColumns: string[];
  body: TranscriptRowText[];
  keyHeading: string;
  keyIntro: string;
  keyMoments: TranscriptTable;
  declaration: string;
  signature: string;
  plan: TranscriptPlan;
}

/** The participants table: the --speaker people first (name, role), then the usual blank rows up to three. */
function participantRows(ctx: DocumentContext, text: DocText): string[][] {
  const tr = text.transcript;
  const given = ctx.speakers ?? [];
  const count = Math.max(given.length, tr.speakers.length);
  return Array.from({ length: count }, (_, i) => {
    const label = tr.speakers[i] ?? `${i + 1}`;
    const speaker = given[i];
    return [
      label,
      speaker ? clean(speaker.name, 100) : '',
      speaker?.role ? clean(speaker.role, 100) : '',
      '',
    ];
  });
}

const span = (start: number, end?: number): string =>
  end === undefined ? `[${formatTimestamp(start)}]` : `[${formatTimestamp(start)} – ${formatTimestamp(end)}]`;

/** The "⚠ 00:02:10.400 listen here: <title>" text of a flagged moment. */
export function flagText(text: DocText, severity: Severity, at: number, title: string): string {
  const tr = text.transcript;
  return fill(tr.flagText, {
    mark: severity === 'info' ? tr.flagInfo : tr.flagWarning,
    time: formatTimestamp(at),
    title: clean(title, 300),
  });
}

/** "张三（原告）、李四" / "Zhang San (plaintiff), Li Si": the --speaker list, cleaned; '' without one. */
export function speakersText(ctx: DocumentContext, text: DocText): string {
  const tr = text.transcript;
  return (ctx.speakers ?? [])
    .map((s) =>
      s.role
        ? fill(tr.speakerWithRole, { name: clean(s.name, 100), role: clean(s.role, 100) })
        : clean(s.name, 100),
    )
    .join(tr.speakerJoin);
}

export function buildTranscript(ctx: DocumentContext, item: DocumentItem, text: DocText): TranscriptDoc {
  const tr = text.transcript;
  const result = item.inspection;
  const fromMeta = (value: unknown): string =>
    value === undefined || value === null || value === ''
      ? ''
      : fill(text.common.fromMetadata, { value: clean(value, 200) });
  const duration = durationOf(result);
  const recorded = recordedAt(result, text, zoneOf(ctx));
  const header: Array<[string, string]> = [
    [tr.caseId, ctx.caseId ? clean(ctx.caseId, 200) : ''],
    [tr.evidenceNo, fill(text.common.evidenceNo, { number: item.number })],
    [tr.evidenceTitle, clean(itemTexts(ctx, item).title ?? '', 300)],
    [tr.fileName, clean(item.originalName, 300)],
    ['SHA-256', result.file.sha256],
    ['SM3', result.file.sm3],
    [tr.duration, duration === undefined ? '' : formatTimestamp(duration)],
    // Named for what the file's time is (start or end, per writer), in the reader's zone with its offset.
    recorded ? [recorded.label, fromMeta(recorded.time)] : [tr.recordedAt, ''],
    // What the submitter states (pack --place, --device) comes before what the file's metadata says.
    [tr.place, ctx.place ? clean(ctx.place, 300) : fromMeta(placeFromTags(result.media.tags ?? {}))],
    [tr.recordedBy, ctx.recordedBy ? clean(ctx.recordedBy, 200) : ''],
    [tr.present, speakersText(ctx, text)],
    [tr.device, ctx.device ? clean(ctx.device, 300) : fromMeta(result.media.device)],
    ...exemplarHeaderRow(result, text.lang),
    [tr.preparedBy, ''],
    [tr.preparedOn, ''],
  ];

  // Flag rows show the time twice already (time column, "⚠ 00:01:02.300 listen here"): titles leave it out.
  const plan = transcriptPlan(result, numberFindings(result.findings), (f) =>
    findingTitle(f, text.lang, { place: false, zone: zoneOf(ctx) }),
  );
  const body: TranscriptRowText[] = plan.rows.map((row) => {
    if (row.kind === 'flag')
      return {
        time: span(row.start, row.end),
        speaker: fill(tr.flagSpeaker, {
          number: row.number,
          severity: text.severity[row.severity] ?? row.severity,
        }),
        content: flagText(text, row.severity, row.start, row.title),
        key: '',
        flag: row.severity,
      };
    return { time: span(row.start, row.end), speaker: tr.speakerBlank, content: '', key: tr.keyBox };
  });
  const bodyNote =
    plan.basis === 'blocks'
      ? fill(tr.bodyBlocks, { seconds: plan.blockSeconds })
      : plan.basis === 'empty'
        ? tr.bodyEmpty
        : undefined;

  return {
    title: tr.docTitle,
    sealLines: sealLines(ctx, text),
    headerHeading: tr.headerHeading,
    header,
    monoLabels: new Set(['SHA-256', 'SM3']),
    lawfulHeading: tr.lawfulHeading,
    lawfulIntro: tr.lawfulIntro,
    lawfulPrompts: tr.lawfulPrompts,
    answer: tr.answer,
    participantsHeading: tr.participantsHeading,
    participants: {
      columns: [tr.colSpeaker, tr.colIdentity, tr.colRelation, tr.colRecognised],
      rows: participantRows(ctx, text),
    },
    bodyHeading: tr.bodyHeading,
    bodyIntro: tr.bodyIntro,
    ...(bodyNote ? { bodyNote } : {}),
    bodyColumns: [tr.colTime, tr.colSpeaker, tr.colContent, tr.colKey],
    body,
    keyHeading: tr.keyHeading,
    keyIntro: tr.keyIntro,
    keyMoments: {
      columns: [tr.colKeyTime, tr.colKeyType, tr.colKeySummary, tr.colKeyProves],
      rows: tr.keyTypes.map((type) => ['', type, '', '']),
    },
    declaration: tr.declaration,
    signature: tr.signature,
    plan,
  };
}
