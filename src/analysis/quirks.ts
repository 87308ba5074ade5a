// Writers' known habits (templates/writer-quirks.json): a structural oddity the identified writer leaves by
// itself is context (info with the explanation), not a sign of editing.
import { fileURLToPath } from 'node:url';
import type { Finding } from '../types.js';
import { invalidTable, loadTables } from './data-table.js';

/** One habit of one or more writers. */
export interface WriterQuirk {
  id: string;
  /** Signature ids (templates/signatures.json) of the writers that have this habit. */
  writers: string[];
  /** Finding ids the habit explains. */
  findings: string[];
  /** Evidence values that must match (case-insensitive regex over the value as text). */
  evidence?: Record<string, string>;
  /** The finding sits at the end of the audio (within END_SLACK seconds), as an appended block does. */
  atEnd?: boolean;
  explain: string;
  explainZh?: string;
}

export interface QuirkTable {
  quirks: WriterQuirk[];
  sources: string[];
}

const BUILTIN = fileURLToPath(new URL('../../templates/writer-quirks.json', import.meta.url));
/** Seconds from the end of the audio within which an `atEnd` habit applies. */
const END_SLACK = 0.5;

const invalid = invalidTable;

function validate(file: string, value: unknown, index: number): WriterQuirk {
  const where = `quirk #${index + 1}`;
  if (typeof value !== 'object' || value === null) throw invalid(file, `${where} is not an object`);
  const q = value as Record<string, unknown>;
  if (typeof q['id'] !== 'string' || q['id'] === '') throw invalid(file, `${where}: "id" missing`);
  if (typeof q['explain'] !== 'string' || q['explain'] === '')
    throw invalid(file, `${where}: "explain" missing`);
  for (const key of ['writers', 'findings'] as const) {
    const list = q[key];
    if (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== 'string'))
      throw invalid(file, `${where}: "${key}" must be a non-empty array of strings`);
  }
  const evidence = q['evidence'];
  if (evidence !== undefined) {
    if (typeof evidence !== 'object' || evidence === null)
      throw invalid(file, `${where}: "evidence" must be an object`);
    for (const [key, pattern] of Object.entries(evidence)) {
      if (typeof pattern !== 'string') throw invalid(file, `${where}: evidence "${key}" must be a string`);
      try {
        new RegExp(pattern, 'i');
      } catch (error) {
        throw invalid(
          file,
          `${where}: evidence "${key}" is not a valid regular expression (${String(error)})`,
        );
      }
    }
  }
  return q as unknown as WriterQuirk;
}

/** Loads the built-in table and any extra tables (JSON files with a "quirks" array). */
export function loadQuirks(extra: readonly string[] = []): QuirkTable {
  const { entries, sources } = loadTables([BUILTIN, ...extra], 'quirks', 'writer-quirk table', validate);
  return { quirks: entries, sources };
}

/** The identified writers of a file: signature ids with their display names. */
export type Writers = ReadonlyMap<string, string>;

function matches(quirk: WriterQuirk, finding: Finding, writers: Writers, duration?: number): boolean {
  if (!quirk.findings.includes(finding.id)) return false;
  if (!quirk.writers.some((w) => writers.has(w))) return false;
  for (const [key, pattern] of Object.entries(quirk.evidence ?? {})) {
    const value = finding.evidence?.[key];
    if (value === undefined || !new RegExp(pattern, 'i').test(String(value))) return false;
  }
  if (quirk.atEnd) {
    if (duration === undefined || finding.at === undefined) return false;
    if (finding.at < duration - END_SLACK) return false;
  }
  return true;
}

/**
 * Findings explained by a habit of the identified writer become info, with the habit named in the title,
 * the detail and the evidence (`knownWriter`, `writerQuirk`). Critical findings are never explained away.
 */
export function explainByWriter(
  findings: readonly Finding[],
  writers: Writers,
  table: QuirkTable,
  duration?: number,
): Finding[] {
  if (writers.size === 0) return [...findings];
  return findings.map((f) => {
    if (f.severity !== 'warning') return f;
    const quirk = table.quirks.find((q) => matches(q, f, writers, duration));
    if (!quirk) return f;
    const writer = writers.get(quirk.writers.find((w) => writers.has(w))!)!;
    return {
      ...f,
      severity: 'info',
      title: `${f.title} (known behaviour of ${writer})`,
      detail: `${f.detail} Known behaviour of ${writer}, not a sign of editing: ${quirk.explain}`,
      evidence: { ...(f.evidence ?? {}), writerQuirk: quirk.id, knownWriter: writer },
    };
  });
}
