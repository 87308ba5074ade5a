// Tables kept as data (writer signatures, writer quirks): the built-in file plus the user's, merged by id.
import { readFileSync } from 'node:fs';
import { AudioEvidenceError } from '../errors.js';

/** A usage error that names the table file and what is wrong with it. */
export function invalidTable(file: string, problem: string): AudioEvidenceError {
  const detail = `${file}: ${problem}`;
  return new AudioEvidenceError('usage', detail, { params: { path: file, detail } });
}

/**
 * Reads the `key` array of each file in order, validates every entry, and lets a later entry replace an
 * earlier one with the same id (user tables come after the built-in one). A file that cannot be read or
 * parsed is a usage error naming it.
 */
export function loadTables<T extends { id: string }>(
  files: readonly string[],
  key: string,
  what: string,
  validate: (file: string, value: unknown, index: number) => T,
): { entries: T[]; sources: string[] } {
  const entries: T[] = [];
  const sources: string[] = [];
  for (const file of files) {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      const detail = `${file}: cannot read ${what} (${error instanceof Error ? error.message : String(error)})`;
      throw new AudioEvidenceError('usage', detail, { params: { path: file, detail }, cause: error });
    }
    const list = parsed?.[key];
    if (!Array.isArray(list)) throw invalidTable(file, `no "${key}" array`);
    list.forEach((value, index) => {
      const entry = validate(file, value, index);
      const at = entries.findIndex((e) => e.id === entry.id);
      if (at >= 0) entries.splice(at, 1);
      entries.push(entry);
    });
    sources.push(file);
  }
  return { entries, sources };
}
