// pack --case-file: the case's facts and each recording's 证据名称/证明对象 from a small JSON or CSV file.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { keyMatches, type PackOptions, type RecordingText, usage } from './pack-options.js';

/** What a case file may set; the command line's own options win over it. */
export type CaseFileOptions = Pick<
  PackOptions,
  'caseId' | 'court' | 'submitter' | 'partyRole' | 'title' | 'proves' | 'recordings'
>;

/** Header names a CSV case file may use for each column (Chinese as on a 证据目录, or English). */
const CSV_COLUMNS = {
  key: ['序号', '编号', '文件', '文件名', 'number', 'no', 'file', 'key'],
  title: ['证据名称', 'title', 'name'],
  proves: ['证明对象', '证明目的', '证明对象/证明目的', 'proves'],
} as const;

/** The fields of a JSON case file, by the option they set. */
const JSON_FIELDS = [
  ['caseId', ['case', 'caseId']],
  ['court', ['court']],
  ['submitter', ['submitter']],
  ['partyRole', ['partyRole', 'party']],
  ['title', ['title']],
  ['proves', ['proves']],
] as const;

/** Reads a case file: `.json` (an object) or `.csv` (a header row, then one row per recording). */
export async function readCaseFile(path: string): Promise<CaseFileOptions> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).replace(/^\ufeff/, '');
  } catch (error) {
    throw usage(`cannot read the case file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return extname(path).toLowerCase() === '.csv' ? caseFromCsv(text, path) : caseFromJson(text, path);
}

const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number'
      ? String(value)
      : undefined;

/** One recording's texts, or nothing when it names neither. */
function recordingText(title: unknown, proves: unknown): RecordingText | undefined {
  const t = textOf(title);
  const p = textOf(proves);
  if (t === undefined && p === undefined) return undefined;
  return { ...(t === undefined ? {} : { title: t }), ...(p === undefined ? {} : { proves: p }) };
}

/**
 * `{ "case": "…", "court": "…", "submitter": "…", "partyRole": "原告", "recordings": { "01": { "title":
 * "…", "proves": "…" } } }`; `recordings` may also be an array of `{ "file" | "number", "title", "proves" }`.
 */
export function caseFromJson(text: string, path = 'case file'): CaseFileOptions {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw usage(`the case file ${path} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw usage(`the case file ${path} must hold a JSON object`);
  const object = data as Record<string, unknown>;
  const out: CaseFileOptions = {};
  for (const [option, names] of JSON_FIELDS)
    for (const name of names) {
      const value = textOf(object[name]);
      if (value !== undefined) out[option] = value;
    }
  const list = object['recordings'];
  const recordings: Record<string, RecordingText> = {};
  const entries: Array<[unknown, unknown]> = Array.isArray(list)
    ? list.map((row) => {
        const r = (row ?? {}) as Record<string, unknown>;
        return [r['file'] ?? r['number'] ?? r['key'], row];
      })
    : typeof list === 'object' && list !== null
      ? Object.entries(list)
      : [];
  for (const [key, value] of entries) {
    const k = textOf(key);
    const r = (value ?? {}) as Record<string, unknown>;
    const own = recordingText(r['title'], r['proves']);
    if (k === undefined) throw usage(`the case file ${path}: a recording has no "file" or "number"`);
    if (own) recordings[k] = own;
  }
  if (Object.keys(recordings).length > 0) out.recordings = recordings;
  return out;
}

/** Rows of an RFC 4180 CSV text (quoted fields may hold commas, quotes and line breaks). */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

/** A header row naming a key column (序号 or 文件) and 证据名称 and/or 证明对象, then a row per recording. */
export function caseFromCsv(text: string, path = 'case file'): CaseFileOptions {
  const [head, ...rows] = parseCsvRows(text);
  const column = (names: readonly string[]): number =>
    (head ?? []).findIndex((h) => names.includes(h.trim().toLowerCase()));
  const key = column(CSV_COLUMNS.key);
  const title = column(CSV_COLUMNS.title);
  const proves = column(CSV_COLUMNS.proves);
  if (key < 0 || (title < 0 && proves < 0))
    throw usage(
      `the case file ${path} needs a header row with 序号 or 文件 (number/file) and 证据名称 or 证明对象 (title/proves)`,
    );
  const recordings: Record<string, RecordingText> = {};
  for (const row of rows) {
    const k = textOf(row[key]);
    const own = recordingText(title < 0 ? undefined : row[title], proves < 0 ? undefined : row[proves]);
    if (k !== undefined && own) recordings[k] = own;
  }
  return Object.keys(recordings).length > 0 ? { recordings } : {};
}

/** "01=TEXT", "rec-a=TEXT" (ASCII or full-width "="): the key and the text, when the key names an input. */
function keyed(value: string, files: readonly string[]): [string, string] | undefined {
  const match = /^([^=＝]{1,200}?)\s*[=＝]\s*([\s\S]*)$/.exec(value);
  if (!match) return undefined;
  const key = match[1]!.trim();
  // A number is always a key (an unknown one is then refused); other text only when it names an input,
  // so that "证明 a=b" stays one text.
  if (/^\d+$/.test(key) || files.some((file, index) => keyMatches(key, index, file)))
    return [key, match[2]!.trim()];
  return undefined;
}

/**
 * The repeatable --title and --proves values: at most one plain value each (for every recording) and any
 * number of "KEY=TEXT" values for single recordings. `twice` names the option given twice without a key.
 */
export function keyedOptions(
  values: { title: readonly string[]; proves: readonly string[] },
  files: readonly string[],
): { options: Pick<PackOptions, 'title' | 'proves' | 'recordings'>; twice?: string } {
  const options: Pick<PackOptions, 'title' | 'proves' | 'recordings'> = {};
  const recordings: Record<string, RecordingText> = {};
  let twice: string | undefined;
  for (const field of ['title', 'proves'] as const)
    for (const value of values[field]) {
      const pair = keyed(value, files);
      if (pair) recordings[pair[0]] = { ...recordings[pair[0]], [field]: pair[1] };
      else if (options[field] === undefined) options[field] = value;
      else twice ??= `--${field}`;
    }
  if (Object.keys(recordings).length > 0) options.recordings = recordings;
  return twice === undefined ? { options } : { options, twice };
}
