// The table of known writers (recorder apps, editors, transcoders), kept as data users can extend.
import { fileURLToPath } from 'node:url';
import { invalidTable, loadTables } from './data-table.js';

export type WriterKind = 'recorder' | 'editor' | 'transcoder' | 'library';

/**
 * One known writer and the traces that identify it. All match fields are case-insensitive regexes; a
 * signature matches when every field it sets matches (fields it leaves out are not looked at).
 */
export interface Signature {
  id: string;
  name: string;
  kind: WriterKind;
  /** Containers this writer produces (identify's names); empty = any. */
  containers?: string[];
  /** Match against encoder / software / vendor strings. */
  software?: string;
  /** Match against MP4 handler names. */
  handler?: string;
  /** Match against the MP4 major brand. */
  brand?: string;
  /** Match against any MP4 compatible brand. */
  compatibleBrand?: string;
  /** The MP4 ftyp minor version, exactly. */
  minorVersion?: number;
  /** Match against tag names present in the file (e.g. "com.android.version"). */
  tag?: string;
  /** Match against structural markers (e.g. "xmp", "lame-tag", "isft", "udta:SDLN"). */
  marker?: string;
  /** Match against the codec name (ffprobe's, e.g. "amr_nb", "opus"). */
  codec?: string;
  /**
   * A trace that some recorder apps or devices share (a library's file layout, an unversioned
   * library string): reported as context, not as an editor's trace, unless the file also claims a
   * recorder that never writes it.
   */
  weak?: boolean;
  /** What the container's creation time marks for this writer: the start or the end of the recording. */
  creationTime?: 'start' | 'end';
  /**
   * The built-in writer profiles (templates/profiles.json names) of files this writer writes: what its
   * own layout looks like, so a file that names this writer can be held against that layout.
   */
  profiles?: string[];
  note?: string;
}

export interface SignatureTable {
  signatures: Signature[];
  /** Where each part came from (built-in file, --signatures FILE). */
  sources: string[];
}

const BUILTIN = fileURLToPath(new URL('../../templates/signatures.json', import.meta.url));
const KINDS: readonly WriterKind[] = ['recorder', 'editor', 'transcoder', 'library'];
const PATTERN_FIELDS = [
  'software',
  'handler',
  'brand',
  'compatibleBrand',
  'tag',
  'marker',
  'codec',
] as const satisfies readonly (keyof Signature)[];

const invalid = invalidTable;

/** Checks one entry; a bad user table is a usage error that names the entry and the field. */
function validate(file: string, value: unknown, index: number): Signature {
  const where = `signature #${index + 1}`;
  if (typeof value !== 'object' || value === null) throw invalid(file, `${where} is not an object`);
  const sig = value as Record<string, unknown>;
  for (const key of ['id', 'name'] as const)
    if (typeof sig[key] !== 'string' || sig[key] === '') throw invalid(file, `${where}: "${key}" missing`);
  if (!KINDS.includes(sig['kind'] as WriterKind))
    throw invalid(file, `${where} (${String(sig['id'])}): "kind" must be one of ${KINDS.join(', ')}`);
  let matchers = 0;
  for (const field of PATTERN_FIELDS) {
    const pattern = sig[field];
    if (pattern === undefined) continue;
    if (typeof pattern !== 'string') throw invalid(file, `${where}: "${field}" must be a string`);
    try {
      new RegExp(pattern, 'i');
    } catch (error) {
      throw invalid(file, `${where}: "${field}" is not a valid regular expression (${String(error)})`);
    }
    matchers++;
  }
  if (sig['minorVersion'] !== undefined) {
    if (typeof sig['minorVersion'] !== 'number')
      throw invalid(file, `${where}: "minorVersion" must be a number`);
    matchers++;
  }
  if (sig['creationTime'] !== undefined && sig['creationTime'] !== 'start' && sig['creationTime'] !== 'end')
    throw invalid(file, `${where}: "creationTime" must be "start" or "end"`);
  const profiles = sig['profiles'];
  if (profiles !== undefined && (!Array.isArray(profiles) || profiles.some((c) => typeof c !== 'string')))
    throw invalid(file, `${where}: "profiles" must be an array of strings`);
  const containers = sig['containers'];
  if (
    containers !== undefined &&
    (!Array.isArray(containers) || containers.some((c) => typeof c !== 'string'))
  )
    throw invalid(file, `${where}: "containers" must be an array of strings`);
  // A signature that only names containers would claim every such file: allowed (raw AMR, SILK), but
  // one that names nothing at all would claim every file.
  if (matchers === 0 && (!Array.isArray(containers) || containers.length === 0))
    throw invalid(
      file,
      `${where}: no match field (software, handler, brand, tag, marker, codec, containers)`,
    );
  return sig as unknown as Signature;
}

/** Loads the built-in table and any extra tables (JSON files with a "signatures" array). */
export function loadSignatures(extra: readonly string[] = []): SignatureTable {
  const { entries, sources } = loadTables([BUILTIN, ...extra], 'signatures', 'signature table', validate);
  return { signatures: entries, sources };
}

/** What a file tells about its writer, gathered from the structure parser, ffprobe and music-metadata. */
export interface WriterTraces {
  container: string;
  codec?: string;
  software: string[];
  handlers: string[];
  brand?: string;
  compatibleBrands: string[];
  minorVersion?: number;
  tags: string[];
  markers: string[];
}

/** Which fields of a signature matched which trace, for the finding's evidence. */
export interface SignatureMatch {
  signature: Signature;
  matched: Record<string, string>;
}

function firstMatch(pattern: string, values: readonly string[]): string | undefined {
  const re = new RegExp(pattern, 'i');
  return values.find((v) => re.test(v));
}

/** Every signature whose fields all match the traces. */
export function matchSignatures(table: SignatureTable, traces: WriterTraces): SignatureMatch[] {
  const out: SignatureMatch[] = [];
  for (const signature of table.signatures) {
    if (signature.containers?.length && !signature.containers.includes(traces.container)) continue;
    const matched: Record<string, string> = {};
    const lists: Record<(typeof PATTERN_FIELDS)[number], string[]> = {
      software: traces.software,
      handler: traces.handlers,
      brand: traces.brand ? [traces.brand] : [],
      compatibleBrand: traces.compatibleBrands,
      tag: traces.tags,
      marker: traces.markers,
      codec: traces.codec ? [traces.codec] : [],
    };
    let ok = true;
    for (const field of PATTERN_FIELDS) {
      const pattern = signature[field];
      if (pattern === undefined) continue;
      const hit = firstMatch(pattern, lists[field]);
      if (hit === undefined) {
        ok = false;
        break;
      }
      matched[field] = hit;
    }
    if (ok && signature.minorVersion !== undefined) {
      if (traces.minorVersion === signature.minorVersion)
        matched['minorVersion'] = String(traces.minorVersion);
      else ok = false;
    }
    if (ok && signature.containers?.length) matched['container'] = traces.container;
    if (ok) out.push({ signature, matched });
  }
  return out;
}
