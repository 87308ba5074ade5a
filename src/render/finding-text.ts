// Findings, check names and check notes in the reader's language; inspect --json keeps the detectors' English.
import { DETECTORS } from '../detectors/index.js';
import type { Lang } from '../i18n/lang.js';
import type { CheckResult, Finding } from '../types.js';
import { localizeTimes } from './local-time.js';
import { clean } from './sanitize.js';
import { templateFile } from './text.js';
import { formatTimestamp } from './time.js';

/** One wording of a finding; the first variant that applies and can be filled is used. */
export interface TitleVariant {
  title: string;
  /** Evidence values (or the finding's `severity` / `check`) this variant is for. */
  when?: Record<string, string | number | boolean>;
  /** A regex over the English title whose named groups become placeholders (names the evidence lacks). */
  from?: string;
}

export type TitleEntry = string | TitleVariant | Array<string | TitleVariant>;

/** Shape of templates/findings.<lang>.json. */
export interface FindingTable {
  labels: { detail: string };
  checks: Record<string, { title: string; description: string }>;
  findings: Record<string, TitleEntry>;
  /**
   * What each finding means, for a lay reader, in the same entry forms as `findings`: shown in place of the
   * detectors' English detail. Every finding id needs one; a new detector's ids are added here and in
   * `findings` (test/render/finding-text.test.ts fails until they are).
   */
  explanations: Record<string, TitleEntry>;
  /** Words from the file or the detectors (time sources, codec and container names) in the reader's language. */
  terms: Record<string, string>;
  /** Writer names of the signature table (templates/signatures.json) in the reader's language. */
  writers: Record<string, string>;
  /** Check notes: a regex over the English note (or one '; '-separated part of it) and its wording. */
  notes: Array<{ match: string; text: string }>;
}

/** The formats a placeholder may ask for ("{at:time}"); see `formatValue`. */
export const FORMATS = [
  'time',
  'sec',
  'abs',
  'ms',
  'khz',
  'rate',
  'int',
  'upper',
  'utc',
  'date',
  'term',
  'writer',
  'secs',
] as const;
export type Format = (typeof FORMATS)[number];

/** Placeholders every finding can offer, whatever its evidence. */
export const BUILTIN_PLACEHOLDERS = ['at', 'end', 'span'] as const;

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)(?::([a-z]+))?\}/g;
/** An optional part of a template, or one placeholder outside such a part. */
const TOKEN = /\[([^[\]]*)\]|\{([A-Za-z][A-Za-z0-9]*)(?::([a-z]+))?\}/g;
/** Values from the file (tag names, chunk ids, writer names) are shortened to this many characters. */
const MAX_PART = 120;

const META = new Map(DETECTORS.map((d) => [d.meta.id, d.meta]));
const tables = new Map<Lang, FindingTable | undefined>();
const noteRegexes = new Map<string, RegExp>();

/** The table for `lang` (templates/findings.<lang>.json), or undefined for English (the detectors' own words). */
export function findingTable(lang: Lang): FindingTable | undefined {
  if (lang === 'en') return undefined;
  if (!tables.has(lang)) tables.set(lang, JSON.parse(templateFile(`findings.${lang}.json`)) as FindingTable);
  return tables.get(lang);
}

/** Placeholders of a template as [name, format] pairs (format undefined when none is given). */
export function placeholders(template: string): Array<[string, string | undefined]> {
  return [...template.matchAll(PLACEHOLDER)].map((m) => [m[1]!, m[2]]);
}

/** The variants of an entry in order, strings read as variants without conditions. */
export function variants(entry: TitleEntry): TitleVariant[] {
  return (Array.isArray(entry) ? entry : [entry]).map((v) => (typeof v === 'string' ? { title: v } : v));
}

const round = (x: number, digits: number): string => String(Math.round(x * 10 ** digits) / 10 ** digits);
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** An ISO-8601 time as "2024-05-01 08:30:00 UTC" (the detectors state times in UTC). */
function utc(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return undefined;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Text for one placeholder value, or undefined when the value cannot be shown in that format. */
export function formatValue(
  value: unknown,
  format: string | undefined,
  table: FindingTable,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' || finite(v) ? clean(v, MAX_PART) : undefined;
  switch (format) {
    case undefined:
      if (Array.isArray(value)) {
        const parts = value.map(text);
        return parts.length > 0 && parts.every((p) => p !== undefined) ? parts.join('、') : undefined;
      }
      return text(value);
    case 'time':
      return finite(value) && value >= 0 ? formatTimestamp(value) : undefined;
    case 'sec':
      return finite(value) ? round(value, 3) : undefined;
    case 'abs':
      return finite(value) ? round(Math.abs(value), 3) : undefined;
    case 'ms':
      return finite(value) ? String(Math.round(value * 1000)) : undefined;
    case 'khz':
      // A measured frequency: one decimal is as precise as the measurement.
      return finite(value) ? round(value / 1000, 1) : undefined;
    case 'rate':
      // A sample rate is exact (22050 Hz is 22.05 kHz, not 22.1).
      return finite(value) ? round(value / 1000, 3) : undefined;
    case 'int':
      return finite(value) ? String(Math.round(value)) : undefined;
    case 'upper':
      return typeof value === 'string' ? clean(value.toUpperCase(), MAX_PART) : undefined;
    case 'utc':
      return utc(value);
    case 'date':
      return utc(value)?.slice(0, 10);
    case 'term':
      return typeof value === 'string' ? (table.terms[value] ?? clean(value, MAX_PART)) : text(value);
    case 'writer':
      // A note lists several writers joined by "; ".
      return typeof value === 'string'
        ? value
            .split('; ')
            .map((name) => table.writers[name] ?? clean(name, MAX_PART))
            .join('；')
        : undefined;
    case 'secs':
      // A detector's list such as "mvhd 20.022 s, tkhd 20.022 s".
      return typeof value === 'string'
        ? clean(value, MAX_PART)
            .replace(/(\d) s(?=,|$)/g, '$1 秒')
            .replace(/, /g, '、')
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Fills a template in one pass (a value that itself holds "{x}" is never expanded again). A part in [square
 * brackets] is left out when one of its placeholders has no value; any other placeholder without a value
 * makes the whole template unusable (undefined).
 */
export function fillTemplate(
  template: string,
  lookup: (name: string, format: string | undefined) => string | undefined,
): string | undefined {
  let complete = true;
  const out = template.replace(
    TOKEN,
    (_whole, optional: string | undefined, name?: string, format?: string) => {
      if (optional !== undefined) {
        let usable = true;
        const part = optional.replace(PLACEHOLDER, (_p, n: string, f?: string) => {
          const value = lookup(n, f);
          if (value === undefined) usable = false;
          return value ?? '';
        });
        return usable ? part : '';
      }
      const value = lookup(name!, format);
      if (value === undefined) complete = false;
      return value ?? '';
    },
  );
  return complete ? out : undefined;
}

function findingValue(finding: Finding, captures: Record<string, string>, name: string): unknown {
  if (name === 'at') return finding.at;
  if (name === 'end') return finding.end;
  if (name === 'span')
    return finite(finding.at) && finite(finding.end) && finding.end >= finding.at
      ? finding.end - finding.at
      : undefined;
  if (Object.hasOwn(captures, name)) return captures[name];
  return finding.evidence && Object.hasOwn(finding.evidence, name) ? finding.evidence[name] : undefined;
}

function applies(variant: TitleVariant, finding: Finding): Record<string, string> | undefined {
  for (const [key, expected] of Object.entries(variant.when ?? {})) {
    const actual =
      key === 'severity' ? finding.severity : key === 'check' ? finding.check : finding.evidence?.[key];
    if (actual !== expected) return undefined;
  }
  if (!variant.from) return {};
  const match = new RegExp(variant.from).exec(finding.title);
  if (!match) return undefined;
  return Object.fromEntries(
    Object.entries(match.groups ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

export interface TitleOptions {
  /**
   * False where the time is shown beside the title (a time column, a "[00:01:02.300]" prefix): the title then
   * leaves out its place ({at}/{end} shown as times), so a reader does not meet the same time twice.
   */
  place?: boolean;
  /** Show the instants in the title (the detectors state them in UTC) as local times of this zone. */
  zone?: string;
}

/** The finding's one-line title in `lang`; English (and any finding the table cannot word) keeps its own title. */
export function findingTitle(finding: Finding, lang: Lang, options: TitleOptions = {}): string {
  const title = titleIn(finding, lang, options);
  return options.zone === undefined ? title : localizeTimes(title, options.zone);
}

function titleIn(finding: Finding, lang: Lang, options: TitleOptions): string {
  const table = findingTable(lang);
  const entry = table?.findings[finding.id];
  if (!table || entry === undefined) return finding.title;
  const title = wording(entry, finding, table, options.place ?? true);
  return title === undefined ? finding.title : withKnownWriter(title, finding, table);
}

/** The first variant of `entry` that applies to `finding` and can be filled, filled. */
function wording(
  entry: TitleEntry,
  finding: Finding,
  table: FindingTable,
  place: boolean,
): string | undefined {
  for (const variant of variants(entry)) {
    const captures = applies(variant, finding);
    if (!captures) continue;
    const text = fillTemplate(variant.title, (name, given) => {
      const isTime = name === 'at' || name === 'end';
      const format = given ?? (isTime ? 'time' : name === 'span' ? 'sec' : undefined);
      if (!place && isTime && format === 'time') return undefined;
      return formatValue(findingValue(finding, captures, name), format, table);
    });
    if (text !== undefined) return text;
  }
  return undefined;
}

/**
 * What the finding means, in `lang`, for a reader who is not an examiner (undefined in English, where the
 * detector's own detail says it, and for an id the table does not know).
 */
export function findingExplanation(finding: Finding, lang: Lang): string | undefined {
  const table = findingTable(lang);
  const entry = table?.explanations?.[finding.id];
  if (!table || entry === undefined) return undefined;
  return wording(entry, finding, table, true);
}

/** A finding a writer's known habit explains says so in the reader's language too. */
function withKnownWriter(title: string, finding: Finding, table: FindingTable): string {
  const writer = finding.evidence?.['knownWriter'];
  if (typeof writer !== 'string') return title;
  return `${title}（${formatValue(writer, 'writer', table)}的已知写入方式，不是编辑痕迹）`;
}

/** A check's name in `lang` (English: the detector's own title; unknown ids: the id). */
export function checkTitle(checkId: string, lang: Lang): string {
  return findingTable(lang)?.checks[checkId]?.title ?? META.get(checkId)?.title ?? checkId;
}

/** One sentence on what a check looks at, in `lang` (empty for an unknown id). */
export function checkDescription(checkId: string, lang: Lang): string {
  return findingTable(lang)?.checks[checkId]?.description ?? META.get(checkId)?.description ?? '';
}

function noteRegex(source: string): RegExp {
  let re = noteRegexes.get(source);
  if (!re) {
    re = new RegExp(source);
    noteRegexes.set(source, re);
  }
  return re;
}

function notePart(part: string, table: FindingTable): string | undefined {
  for (const { match, text } of table.notes) {
    const m = noteRegex(match).exec(part);
    if (!m) continue;
    const groups = m.groups ?? {};
    const filled = fillTemplate(text, (name, format) =>
      formatValue(Object.hasOwn(groups, name) ? groups[name] : undefined, format, table),
    );
    if (filled !== undefined) return filled;
  }
  return undefined;
}

/**
 * A check's note in `lang`: the whole note when a pattern matches it, else each '; '-separated part; a note
 * with any part the table does not know stays in English (a half-translated sentence helps nobody).
 */
export function checkNote(check: Pick<CheckResult, 'note'>, lang: Lang): string | undefined {
  const note = check.note;
  const table = findingTable(lang);
  if (note === undefined || !table) return note;
  const whole = notePart(note, table);
  if (whole !== undefined) return whole;
  const parts = note.split('; ').map((p) => notePart(p, table));
  return parts.every((p) => p !== undefined) ? parts.join('；') : note;
}

/** The label for the English detail shown under a translated title (undefined in English). */
export function detailLabel(lang: Lang): string | undefined {
  return findingTable(lang)?.labels.detail;
}

/**
 * The stage of a tool warning ("metadata", "detector:mains-hum") in `lang`: stages are words of the `terms`
 * table, a detector's stage is its check's name; English and unknown stages stay as they are.
 */
export function stageName(stage: string, lang: Lang): string {
  const table = findingTable(lang);
  if (!table) return stage;
  if (stage.startsWith('detector:')) return checkTitle(stage.slice('detector:'.length), lang);
  return table.terms[`stage:${stage}`] ?? stage;
}

/** The tool's name for a file format ("empty file", "MPEG audio layer III (MP3)") in `lang`. */
export function formatDescription(description: string, lang: Lang): string {
  return findingTable(lang)?.terms[`format:${description}`] ?? description;
}
