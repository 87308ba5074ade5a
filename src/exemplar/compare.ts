// Writer profiles learned from exemplar recordings, and the field-by-field comparison of a questioned file.
import type { Lang } from '../i18n/lang.js';
import { fieldMeaning, VERSION_FIELDS } from './meanings.js';
import type { FieldValue, StructureProfile } from './profile.js';

/** Marks a writer-profile JSON file (what `profile learn` writes and `--exemplar` reads). */
export const PROFILE_KIND = 'audio-evidence-writer-profile';

/** A value a field may take in a writer profile; null = the field is absent from the file. */
export type AllowedValue = FieldValue | null;

/** A writer profile: for every field, the values its exemplar recordings showed (one, unless they disagreed). */
export interface WriterProfile {
  kind: typeof PROFILE_KIND;
  version: 1;
  name: string;
  /** The exemplar recordings it was learned from. */
  files: Array<{ name: string; sha256: string }>;
  fields: Record<string, AllowedValue[]>;
}

/** One exemplar recording's profile with the facts the report names it by. */
export interface ProfiledFile {
  name: string;
  sha256: string;
  profile: StructureProfile;
}

export interface Difference {
  field: string;
  questioned: AllowedValue;
  /** The exemplars' value, or every value they showed when they disagree among themselves. */
  exemplar: AllowedValue | AllowedValue[];
  meaning: string;
}

export interface Comparison {
  /** Fields compared (present in the questioned file or in the exemplars). */
  compared: string[];
  /** Fields on which the questioned file agrees. */
  agreeing: string[];
  differences: Difference[];
  /** Fields on which the exemplars themselves disagree (several values allowed). */
  disagreements: string[];
}

/** One JSON text per value, so lists and numbers compare by content. */
export const canonical = (value: AllowedValue): string => JSON.stringify(value);

/** The profile of a set of exemplar recordings: per field, the distinct values they show (null = absent). */
export function learnProfile(name: string, files: readonly ProfiledFile[]): WriterProfile {
  const keys = [...new Set(files.flatMap((f) => Object.keys(f.profile.fields)))].sort();
  const fields: Record<string, AllowedValue[]> = {};
  for (const key of keys) {
    const seen = new Map<string, AllowedValue>();
    for (const file of files) {
      const value = file.profile.fields[key] ?? null;
      seen.set(canonical(value), value);
    }
    fields[key] = [...seen.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([, v]) => v);
  }
  return {
    kind: PROFILE_KIND,
    version: 1,
    name,
    files: files.map((f) => ({ name: f.name, sha256: f.sha256 })),
    fields,
  };
}

/** Several profiles as one: every field allows what any of them allows (absent where one lacks it). */
export function mergeProfiles(name: string, profiles: readonly WriterProfile[]): WriterProfile {
  const keys = [...new Set(profiles.flatMap((p) => Object.keys(p.fields)))].sort();
  const fields: Record<string, AllowedValue[]> = {};
  for (const key of keys) {
    const seen = new Map<string, AllowedValue>();
    for (const p of profiles) for (const v of p.fields[key] ?? [null]) seen.set(canonical(v), v);
    fields[key] = [...seen.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([, v]) => v);
  }
  return { kind: PROFILE_KIND, version: 1, name, files: profiles.flatMap((p) => p.files), fields };
}

/** Fields on which a writer profile's exemplars disagree among themselves. */
export function disagreements(profile: WriterProfile): string[] {
  return Object.entries(profile.fields)
    .filter(([, values]) => values.length > 1)
    .map(([field]) => field);
}

/** Compares a questioned recording's profile with a writer profile, field by field. */
export function compareProfile(
  questioned: StructureProfile,
  exemplar: WriterProfile,
  lang: Lang = 'en',
): Comparison {
  const keys = [...new Set([...Object.keys(questioned.fields), ...Object.keys(exemplar.fields)])].sort();
  const compared: string[] = [];
  const agreeing: string[] = [];
  const differences: Difference[] = [];
  for (const field of keys) {
    const value = questioned.fields[field] ?? null;
    const allowed = exemplar.fields[field] ?? [null];
    compared.push(field);
    if (allowed.some((a) => canonical(a) === canonical(value))) {
      agreeing.push(field);
      continue;
    }
    differences.push({
      field,
      questioned: value,
      exemplar: allowed.length === 1 ? (allowed[0] ?? null) : allowed,
      meaning: fieldMeaning(field, lang),
    });
  }
  // Differences a re-save causes come first; a version string alone comes last.
  differences.sort((a, b) => Number(VERSION_FIELDS.has(a.field)) - Number(VERSION_FIELDS.has(b.field)));
  return { compared, agreeing, differences, disagreements: disagreements(exemplar) };
}

/** True when a value is a writer profile JSON (the shape `profile learn` writes). */
export function isWriterProfile(value: unknown): value is WriterProfile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v['kind'] !== PROFILE_KIND || v['version'] !== 1 || typeof v['name'] !== 'string') return false;
  if (!Array.isArray(v['files'])) return false;
  const fields = v['fields'];
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return false;
  // Field names reach reports and terminals: only the plain dotted names profiles use are accepted.
  return Object.entries(fields).every(
    ([key, list]) => /^[A-Za-z0-9._-]{1,80}$/.test(key) && Array.isArray(list) && list.length > 0,
  );
}

/** MP4, 3GP and QuickTime are one box format: sniffing names them by brand, which a writer may change. */
const family = (container: string): string => (/^(mp4|3gp|3g2|mov)$/.test(container) ? 'mp4' : container);

export interface ProfileMatch {
  name: string;
  agreeing: number;
  compared: number;
  /** Fields that differ, for the finding's evidence. */
  differing: string[];
}

/** Ranks known writer profiles by the share of fields the questioned recording agrees on (best first). */
export function rankProfiles(
  questioned: StructureProfile,
  library: readonly WriterProfile[],
): ProfileMatch[] {
  const ranked: ProfileMatch[] = [];
  for (const profile of library) {
    const containers = profile.fields['container'] ?? [];
    if (!containers.some((c) => typeof c === 'string' && family(c) === family(questioned.container)))
      continue;
    const result = compareProfile(questioned, profile);
    ranked.push({
      name: profile.name,
      agreeing: result.agreeing.length,
      compared: result.compared.length,
      differing: result.differences.map((d) => d.field),
    });
  }
  // On a tie a recorder app is named before a transcoder: both fit, and an editor is not the likelier writer.
  const tool = (m: ProfileMatch): number => (/^FFmpeg/.test(m.name) ? 1 : 0);
  return ranked.sort(
    (a, b) =>
      b.agreeing / b.compared - a.agreeing / a.compared ||
      b.agreeing - a.agreeing ||
      tool(a) - tool(b) ||
      a.name.localeCompare(b.name),
  );
}
