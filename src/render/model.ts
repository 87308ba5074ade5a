// Facts every document shares, derived once from an inspect object: numbered findings, times, transcript rows.
import { strengthOf } from '../analysis/review.js';
import type { Lang } from '../i18n/lang.js';
import type { Aspect, Finding, InspectResult, RecordingFacts, Severity } from '../types.js';
import type { FormSeal } from './seal.js';

export const ASPECTS: readonly Aspect[] = ['originality', 'integrity'];

/** A finding with the number it carries everywhere (report list, waveform marker, transcript row). */
export interface NumberedFinding {
  number: number;
  finding: Finding;
}

/** Findings numbered in reading order: originality first, then integrity, each in the inspect order. */
export function numberFindings(findings: readonly Finding[]): NumberedFinding[] {
  const out: NumberedFinding[] = [];
  for (const aspect of ASPECTS)
    for (const finding of findings)
      if (finding.aspect === aspect) out.push({ number: out.length + 1, finding });
  // An aspect we do not know yet still gets a number rather than vanishing from the documents.
  for (const finding of findings)
    if (!ASPECTS.includes(finding.aspect)) out.push({ number: out.length + 1, finding });
  return out;
}

/** Placed "info" marks a report shows in its findings and on its waveform; the rest go to an appendix. */
export const MINOR_SHOWN = 3;

/**
 * The numbers of the minor marks a report leaves to its appendix: placed `info` findings beyond the
 * MINOR_SHOWN strongest (by the measure their detector recorded; ties keep reading order). Critical and
 * warning findings, and info findings without a place (context such as the recognised writer), always show.
 */
export function minorMarks(numbered: readonly NumberedFinding[], keep = MINOR_SHOWN): Set<number> {
  const marks = numbered.filter((n) => n.finding.severity === 'info' && placeOf(n.finding) !== undefined);
  const ranked = [...marks].sort(
    (a, b) => strengthOf(b.finding) - strengthOf(a.finding) || a.number - b.number,
  );
  return new Set(ranked.slice(keep).map((n) => n.number));
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The recording's length in seconds, from the best source available. */
export function durationOf(result: InspectResult): number | undefined {
  const d = result.media.duration;
  for (const value of [result.timeline?.duration, d.decoded, d.container, d.stream])
    if (finite(value) && value > 0) return value;
  return undefined;
}

/** A place for a finding on the timeline, when it has one. */
export function placeOf(finding: Finding): { at: number; end?: number } | undefined {
  if (!finite(finding.at) || finding.at < 0) return undefined;
  return finite(finding.end) && finding.end > finding.at
    ? { at: finding.at, end: finding.end }
    : { at: finding.at };
}

/** Speech segments that make sense (finite, ordered, non-empty), sorted by start. */
export function speechSegments(result: InspectResult): Array<[number, number]> {
  const speech = result.timeline?.speech ?? [];
  return speech
    .filter(
      (s): s is [number, number] =>
        Array.isArray(s) && finite(s[0]) && finite(s[1]) && s[1] > s[0] && s[0] >= 0,
    )
    .map((s): [number, number] => [s[0], s[1]])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Length of one transcript row when no speech segments were detected. */
export const BLOCK_SECONDS = 30;

/** At most this many block rows (a day of 30 s blocks); longer recordings get longer blocks. */
export const MAX_BLOCK_ROWS = 2880;

/**
 * Fewer bytes per second than any speech codec writes (Codec2 at 700 bit/s is ~88): a header that
 * claims more seconds than its file could hold at this rate is not believed.
 */
const MIN_BYTES_PER_SECOND = 50;

/**
 * The span the transcript blocks cover. A header's declared length is not trusted on its own (a
 * 184-byte file may claim 58 years): what was decoded wins, and a declared length is bounded by
 * what the file's size could hold.
 */
export function blockSpan(result: InspectResult): number | undefined {
  const decoded = result.timeline?.duration;
  if (finite(decoded) && decoded > 0) return decoded;
  const declared = durationOf(result);
  if (declared === undefined) return undefined;
  const size = finite(result.file.size) && result.file.size > 0 ? result.file.size : 0;
  const bounded = Math.min(declared, size / MIN_BYTES_PER_SECOND);
  return bounded > 0 ? bounded : undefined;
}

export type TranscriptRow =
  | { kind: 'segment' | 'block'; start: number; end: number }
  | { kind: 'flag'; start: number; end?: number; number: number; severity: Severity; title: string };

export interface TranscriptPlan {
  /** How the speech rows were made: detected segments, fixed blocks, or none (length unknown). */
  basis: 'segments' | 'blocks' | 'empty';
  /** Length of one block row (30 s, longer when a day of blocks would not cover the recording). */
  blockSeconds: number;
  rows: TranscriptRow[];
}

/**
 * Speech rows (or 30 s blocks) with every placed finding inserted as its own row, in time order; `titleOf`
 * words each finding for the reader (default: its own English title).
 */
export function transcriptPlan(
  result: InspectResult,
  numbered: readonly NumberedFinding[],
  titleOf: (finding: Finding) => string = (finding) => finding.title,
): TranscriptPlan {
  const segments = speechSegments(result);
  const duration = blockSpan(result);
  let basis: TranscriptPlan['basis'] = 'segments';
  let blockSeconds = BLOCK_SECONDS;
  const rows: TranscriptRow[] = segments.map(([start, end]) => ({ kind: 'segment', start, end }));
  if (rows.length === 0) {
    if (duration === undefined) basis = 'empty';
    else {
      basis = 'blocks';
      // Rows are bounded whatever the length: a longer recording gets blocks of whole minutes.
      if (duration / BLOCK_SECONDS > MAX_BLOCK_ROWS)
        blockSeconds = Math.ceil(duration / MAX_BLOCK_ROWS / 60) * 60;
      for (let start = 0; start < duration; start += blockSeconds)
        rows.push({ kind: 'block', start, end: Math.min(duration, start + blockSeconds) });
    }
  }
  for (const { number, finding } of numbered) {
    const place = placeOf(finding);
    if (!place) continue;
    rows.push({
      kind: 'flag',
      start: place.at,
      ...(place.end === undefined ? {} : { end: place.end }),
      number,
      severity: finding.severity,
      title: titleOf(finding),
    });
  }
  // A flag at the same instant as a segment start goes first: the reader is warned before listening.
  rows.sort((a, b) => a.start - b.start || (a.kind === 'flag' ? 0 : 1) - (b.kind === 'flag' ? 0 : 1));
  return { basis, blockSeconds, rows };
}

/** Tag keys that devices use for the place of a recording (QuickTime, Android, ID3 user text). */
const PLACE_KEY = /(location|xyz|gps|place|geo)/i;

/** Where the recording was made, when its metadata says so. */
export function placeFromTags(tags: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(tags))
    if (
      PLACE_KEY.test(key) &&
      (typeof value === 'string' || typeof value === 'number') &&
      String(value).trim()
    )
      return String(value).trim();
  return undefined;
}

/** The recording's 证据名称 and 证明对象: its own (per-recording options) or the bundle's. */
export function itemTexts(ctx: DocumentContext, item: DocumentItem): { title?: string; proves?: string } {
  const title = item.title ?? ctx.title;
  const proves = item.proves ?? ctx.proves;
  return { ...(title === undefined ? {} : { title }), ...(proves === undefined ? {} : { proves }) };
}

/** "report-01.html" for item 1 of several, "report.html" when the bundle holds one recording. */
export function itemFileName(stem: string, ext: string, number: number, several: boolean): string {
  return several ? `${stem}-${String(number).padStart(2, '0')}.${ext}` : `${stem}.${ext}`;
}

// The documents' shared types: the renderers and documents.ts import them from here, not from each other.

/** One recording in a bundle, as the documents see it. */
export interface DocumentItem {
  /** 1-based number in the evidence list. */
  number: number;
  /** The inspect object of this recording. */
  inspection: InspectResult;
  /** Path of the original inside the bag, e.g. "data/original/录音 1.m4a". */
  bagPath: string;
  /** The verbatim original file name. */
  originalName: string;
  /** Path of this recording's inspect JSON in the bag; defaults to "data/report/inspection.json". */
  inspectionPath?: string;
  /** The playable derivative in the bag (data/access/…), when one was made. */
  access?: DocumentAccess;
  /** This recording's own 证据名称 (pack --title "01=…"), in place of the bundle's title. */
  title?: string;
  /** What this recording is meant to prove (pack --proves "01=…"), in place of the bundle's. */
  proves?: string;
  /** Tool-side notices about this recording's bundle (e.g. why no access copy was made), shown with the report's own. */
  notices?: Array<{ stage: string; message: string }>;
}

/** The access copy (播放副本) the report's player uses: not the original, made from it for listening only. */
export interface DocumentAccess {
  /** Bag path, e.g. "data/access/rec-a.wav". */
  path: string;
  /** The exact command that made it from the bag's copy of the original, run in the bag folder. */
  command: string;
}

export interface DocumentContext extends RecordingFacts {
  lang: Lang;
  caseId?: string;
  title?: string;
  submitter?: string;
  proves?: string;
  /** The court the evidence list is addressed to (pack --court). */
  court?: string;
  /** The submitter's role in the case, e.g. 原告 (pack --party-role). */
  partyRole?: string;
  /** Write the tool's verdict into the evidence list's 备注 (pack --list-verdict); off by default. */
  listVerdict?: boolean;
  /** When the bundle was made (ISO-8601 with offset). */
  packedAt: string;
  /** IANA zone every human-facing time is shown in (default: TZ, else the system's). */
  timeZone?: string;
  /** Set for the editable forms beside the bundle: the bundle they belong to, named in a header line. */
  seal?: FormSeal;
  items: DocumentItem[];
}

/** A file to place in the bag, relative to the bag root (e.g. "data/report/report.html"). */
export interface BagDocument {
  path: string;
  content: Buffer | string;
}
