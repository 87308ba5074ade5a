// The table of known writers (recorder apps, editors, transcoders), kept as data users can extend.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type WriterKind = 'recorder' | 'editor' | 'transcoder' | 'library';

/** One known writer and the traces that identify it. All match fields are case-insensitive regexes. */
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
  /** Match against tag names present in the file (e.g. "com.android.version"). */
  tag?: string;
  /** Match against structural markers (e.g. "xmp", "lame-tag", "isft"). */
  marker?: string;
  note?: string;
}

export interface SignatureTable {
  signatures: Signature[];
  /** Where each part came from (built-in file, --signatures FILE). */
  sources: string[];
}

const BUILTIN = fileURLToPath(new URL('../../templates/signatures.json', import.meta.url));

/** Loads the built-in table and any extra tables (JSON files with a "signatures" array). */
export function loadSignatures(extra: readonly string[] = []): SignatureTable {
  const table: SignatureTable = { signatures: [], sources: [] };
  for (const file of [BUILTIN, ...extra]) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { signatures?: Signature[] };
    if (!Array.isArray(parsed.signatures)) throw new Error(`${file}: no "signatures" array`);
    // User entries come later and win over built-in ones with the same id.
    for (const sig of parsed.signatures) {
      const at = table.signatures.findIndex((s) => s.id === sig.id);
      if (at >= 0) table.signatures.splice(at, 1);
      table.signatures.push(sig);
    }
    table.sources.push(file);
  }
  return table;
}
