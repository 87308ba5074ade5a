// What verify learns from a bundle before judging it: each file's path, size and digests, the text of
// the bag's own small files, and any entry that is unsafe or unreadable.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** One file found in the bundle, relative to the bag root. */
export interface ScannedFile {
  path: string;
  size: number;
  sha256: string;
  /** Computed for payload files (data/…), which meta/sm3sums.txt covers. */
  sm3?: string;
  /** Kept for the bag's own text files (bagit.txt, manifests, bag-info.txt, meta/evidence.json). */
  text?: string;
}

/** An entry that was not hashed as part of the bag, and why. */
export interface ScanProblem {
  /** The name as found (relative to the bag root when it is inside it). */
  path: string;
  problem: string;
  /** Unsafe names (zip-slip, links, duplicates) versus entries that could not be read. */
  kind: 'unsafe' | 'unreadable' | 'outside';
}

export interface Scan {
  kind: 'zip' | 'folder';
  /** Name of the bag folder (the zip's top folder, or the folder itself). */
  bag: string;
  files: ScannedFile[];
  problems: ScanProblem[];
}

/**
 * Largest tag file whose text is kept: a manifest this tool writes is a few kB (a line per file), its
 * evidence.json well under a megabyte. A bigger one is hashed like any file but not read into memory.
 */
export const TEXT_LIMIT = 8 * 1024 * 1024;

/** The same limit in words, for check details. */
export const TEXT_LIMIT_LABEL = '8 MB';

/**
 * The bag files whose text verify needs, and only those (a zip of many large top-level "text" files must
 * not be held in memory).
 */
const TEXT_FILES = new Set([
  'bagit.txt',
  'bag-info.txt',
  'manifest-sha256.txt',
  'tagmanifest-sha256.txt',
  'meta/sm3sums.txt',
  'meta/evidence.json',
]);

export function wantsText(path: string): boolean {
  return TEXT_FILES.has(path.normalize('NFC'));
}

/** Hashes a stream (SHA-256, plus SM3 when asked) and keeps its text when asked and small enough. */
export async function digestStream(
  stream: Readable,
  options: { sm3: boolean; text: boolean },
): Promise<{ size: number; sha256: string; sm3?: string; text?: string }> {
  const sha256 = createHash('sha256');
  const sm3 = options.sm3 ? createHash('sm3') : undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  let keep = options.text;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    sha256.update(buffer);
    sm3?.update(buffer);
    size += buffer.length;
    if (keep && size > TEXT_LIMIT) {
      // Too large to be one of ours: stop holding it (the digests still cover every byte).
      keep = false;
      chunks.length = 0;
    }
    if (keep) chunks.push(buffer);
  }
  const out: { size: number; sha256: string; sm3?: string; text?: string } = {
    size,
    sha256: sha256.digest('hex'),
  };
  if (sm3) out.sm3 = sm3.digest('hex');
  if (keep) out.text = Buffer.concat(chunks).toString('utf8');
  return out;
}

/**
 * Why a zip entry name could not be extracted safely anywhere, or undefined when it is a plain
 * relative path. Checked before anything else is done with the entry.
 */
export function unsafeName(name: string): string | undefined {
  if (name.length === 0) return 'empty name';
  if (name.includes('\\')) return 'backslash in the name';
  if (/^[A-Za-z]:/.test(name)) return 'drive letter';
  if (name.startsWith('/')) return 'absolute path';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control character in the name';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.includes('..')) return 'parent-directory segment (..)';
  if (segments.some((s) => s === '' || s === '.')) return 'empty or "." path segment';
  return undefined;
}
