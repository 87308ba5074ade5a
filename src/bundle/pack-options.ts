// What pack accepts: its options, checked so that a wrong type is bad usage said plainly.

import { basename } from 'node:path';
import { AudioEvidenceError } from '../errors.js';
import type { WriterProfile } from '../exemplar/compare.js';
import { LANGS, type Lang } from '../i18n/lang.js';
import type { Progress } from '../inspect.js';
import { checkTimeZone } from '../render/local-time.js';
import type { RecordingFacts, Speaker } from '../types.js';

export interface PackOptions extends RecordingFacts {
  out?: string;
  zip?: boolean;
  combine?: string;
  caseId?: string;
  title?: string;
  submitter?: string;
  proves?: string;
  /** The court the evidence list is addressed to (致：…), e.g. "北京市朝阳区人民法院". */
  court?: string;
  /** The submitter's role in the case: 原告, 被告, 第三人… (free text). */
  partyRole?: string;
  /** Also write the tool's verdict into the evidence list's 备注; by default the list states facts only. */
  listVerdict?: boolean;
  /**
   * 证据名称 and 证明对象 of single recordings, in place of `title` and `proves`: keyed by the recording's
   * number among the inputs ("1", "01") or its file name or stem ("rec-a.m4a", "rec-a").
   */
  recordings?: Record<string, RecordingText>;
  lang?: Lang;
  signatures?: string[];
  /** Exemplar recordings' profile (see `loadExemplars`): every recording is compared with it. */
  exemplar?: WriterProfile;
  /** Called as each recording is read and decoded; `file` is the path as given. */
  onProgress?: (progress: Progress) => void;
  /** IANA time zone for every human-facing time (report, transcript, list, README); default TZ, else the system's. */
  timeZone?: string;
  /** Recordings up to this many seconds get a WAV access copy, longer ones AAC/M4A (default 600). */
  accessWavMaxSeconds?: number;
  /** How many recordings of a case bundle (`combine`) are read at once; default 1. */
  jobs?: number;
  /**
   * The bundle's stem instead of the file name without its extension (`pack` and `packMany` pass the
   * whole name when two recordings of a batch would otherwise share one).
   */
  stem?: string;
  /** pack --tsa: timestamp the finished bundle at these TSAs (see src/timestamp/). */
  tsa?: readonly string[];
}

/** Bad usage, worded for people; the CLI maps it to exit 2. */
export function usage(detail: string): AudioEvidenceError {
  return new AudioEvidenceError('usage', detail, { params: { detail } });
}

const STRING_OPTIONS = [
  'out',
  'combine',
  'caseId',
  'title',
  'submitter',
  'proves',
  'stem',
  'timeZone',
  'recordedBy',
  'place',
  'device',
  'court',
  'partyRole',
] as const;

/** Options of the wrong type are bad usage, said as such (a number for a path is not a TypeError deep inside). */
export function checkPackOptions(options: PackOptions): void {
  if (typeof options !== 'object' || options === null) throw usage('pack options must be an object');
  for (const key of STRING_OPTIONS) {
    const value: unknown = options[key];
    if (value !== undefined && typeof value !== 'string') throw usage(`option ${key} must be a string`);
  }
  if (options.out === '') throw usage('option out is an empty path');
  if (options.zip !== undefined && typeof options.zip !== 'boolean')
    throw usage('option zip must be true or false');
  if (options.lang !== undefined && !(LANGS as readonly unknown[]).includes(options.lang))
    throw usage(`option lang must be one of ${LANGS.join(', ')}`);
  if (
    options.signatures !== undefined &&
    (!Array.isArray(options.signatures) || options.signatures.some((s) => typeof s !== 'string'))
  )
    throw usage('option signatures must be an array of paths');
  if (options.jobs !== undefined && !(Number.isInteger(options.jobs) && options.jobs >= 1))
    throw usage('option jobs must be a whole number from 1');
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function')
    throw usage('option onProgress must be a function');
  if (options.timeZone !== undefined) checkTimeZone(options.timeZone);
  if (options.listVerdict !== undefined && typeof options.listVerdict !== 'boolean')
    throw usage('option listVerdict must be true or false');
  if (options.recordings !== undefined) checkRecordings(options.recordings);
  if (options.speakers !== undefined) checkSpeakers(options.speakers);
  if (
    options.accessWavMaxSeconds !== undefined &&
    !(typeof options.accessWavMaxSeconds === 'number' && options.accessWavMaxSeconds >= 0)
  )
    throw usage('option accessWavMaxSeconds must be a number of seconds');
}

/** Speakers must be `{ name, role? }` objects with a name that is not blank. */
function checkSpeakers(speakers: unknown): void {
  if (!Array.isArray(speakers)) throw usage('option speakers must be an array of { name, role? }');
  for (const speaker of speakers as unknown[]) {
    if (typeof speaker !== 'object' || speaker === null)
      throw usage('option speakers must be an array of { name, role? }');
    const { name, role } = speaker as { name?: unknown; role?: unknown };
    if (typeof name !== 'string' || name.trim() === '')
      throw usage('option speakers: every speaker needs a name');
    if (role !== undefined && typeof role !== 'string') throw usage('option speakers: role must be a string');
  }
}

/**
 * A --speaker value, "NAME" or "NAME:ROLE" (split at the first colon, ASCII or full-width); undefined when
 * the name is blank.
 */
export function parseSpeaker(value: string): Speaker | undefined {
  const at = value.search(/[:：]/);
  const name = (at < 0 ? value : value.slice(0, at)).trim();
  const role = at < 0 ? '' : value.slice(at + 1).trim();
  if (!name) return undefined;
  return role ? { name, role } : { name };
}

/** One recording's own 证据名称 and 证明对象. */
export interface RecordingText {
  title?: string;
  proves?: string;
}

function checkRecordings(recordings: unknown): void {
  if (typeof recordings !== 'object' || recordings === null || Array.isArray(recordings))
    throw usage('option recordings must be an object of { title?, proves? } by number or file name');
  for (const [key, value] of Object.entries(recordings)) {
    const { title, proves } = (value ?? {}) as { title?: unknown; proves?: unknown };
    if (
      typeof value !== 'object' ||
      value === null ||
      [title, proves].some((v) => v !== undefined && typeof v !== 'string')
    )
      throw usage(`option recordings: "${key}" must be { title?, proves? } with text values`);
  }
}

const stemOf = (name: string): string => name.replace(/\.[^.]*$/, '');

/** Whether `key` names the recording at `index` (0-based) of `files`: its number, file name or stem. */
export function keyMatches(key: string, index: number, file: string): boolean {
  const k = key.trim().normalize('NFC');
  if (/^\d+$/.test(k)) return Number(k) === index + 1;
  const name = basename(file).normalize('NFC');
  return k === name || k === stemOf(name);
}

/**
 * Each file's own texts from `recordings` (later keys win over earlier ones for the same file). A key
 * that names none of the files is bad usage: a 证明对象 must never be dropped silently.
 */
export function recordingTexts(
  recordings: Readonly<Record<string, RecordingText>> | undefined,
  files: readonly string[],
): RecordingText[] {
  const out = files.map((): RecordingText => ({}));
  for (const [key, text] of Object.entries(recordings ?? {})) {
    let found = false;
    files.forEach((file, index) => {
      if (!keyMatches(key, index, file)) return;
      found = true;
      if (text.title !== undefined) out[index]!.title = text.title;
      if (text.proves !== undefined) out[index]!.proves = text.proves;
    });
    if (!found)
      throw usage(
        `no recording numbered or named "${key}" among the ${files.length} input(s) (per-recording --title/--proves)`,
      );
  }
  return out;
}

/**
 * The options for a bundle of one recording out of a batch: its own texts (resolved by the caller over
 * the whole batch) replace the shared ones, and no per-recording keys are left to resolve again.
 */
export function singleOptions(options: PackOptions, text: RecordingText = {}): PackOptions {
  const { recordings: _resolved, ...rest } = options;
  const title = text.title ?? options.title;
  const proves = text.proves ?? options.proves;
  return { ...rest, ...(title === undefined ? {} : { title }), ...(proves === undefined ? {} : { proves }) };
}
