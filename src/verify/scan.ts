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

/** Largest tag file read into memory; a bigger "manifest" is not one this tool wrote. */
export const TEXT_LIMIT = 64 * 1024 * 1024;

/** The bag files whose text verify needs. */
export function wantsText(path: string): boolean {
  return (
    !path.includes('/') ||
    path === 'meta/sm3sums.txt' ||
    path === 'meta/evidence.json' ||
    /^(tag)?manifest-[a-z0-9]+\.txt$/.test(path)
  );
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
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    sha256.update(buffer);
    sm3?.update(buffer);
    size += buffer.length;
    if (options.text && size <= TEXT_LIMIT) chunks.push(buffer);
  }
  const out: { size: number; sha256: string; sm3?: string; text?: string } = {
    size,
    sha256: sha256.digest('hex'),
  };
  if (sm3) out.sm3 = sm3.digest('hex');
  if (options.text && size <= TEXT_LIMIT) out.text = Buffer.concat(chunks).toString('utf8');
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
