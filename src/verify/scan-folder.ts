// Reads an extracted bag folder: every regular file is hashed; links and special files are reported,
// never followed.
import { createReadStream, type Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AudioEvidenceError } from '../errors.js';
import { digestStream, type Scan, type ScannedFile, type ScanProblem, wantsText } from './scan.js';

const MARKERS = ['bagit.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt'];

async function names(dir: string): Promise<Dirent[]> {
  return readdir(dir, { withFileTypes: true });
}

/**
 * The bag root: the folder itself when it holds bagit.txt (or a manifest), else its only subfolder that
 * does — unzipping "x.zip" into a folder "x" gives "x/x-evidence/…".
 */
async function bagRoot(path: string): Promise<string | undefined> {
  const entries = await names(path);
  if (entries.some((e) => e.isFile() && MARKERS.includes(e.name))) return path;
  const folders = entries.filter((e) => e.isDirectory());
  if (folders.length !== 1) return undefined;
  const only = join(path, folders[0]!.name);
  const inner = await names(only);
  return inner.some((e) => e.isFile() && MARKERS.includes(e.name)) ? only : undefined;
}

/** Hashes every file of the bag folder at `path`. */
export async function scanFolder(path: string): Promise<Scan> {
  let root: string | undefined;
  try {
    root = await bagRoot(path);
  } catch (cause) {
    const detail = (cause as Error).message;
    throw new AudioEvidenceError('bundle-unreadable', detail, { params: { path, detail }, cause });
  }
  if (!root) {
    const detail = 'no bagit.txt or manifest in this folder: not an evidence bundle';
    throw new AudioEvidenceError('bundle-unreadable', detail, { params: { path, detail } });
  }
  const files: ScannedFile[] = [];
  const problems: ScanProblem[] = [];
  const walk = async (relative: string): Promise<void> => {
    const entries = await names(join(root, relative));
    for (const entry of entries) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      else if (entry.isSymbolicLink()) problems.push({ path: rel, problem: 'symbolic link', kind: 'unsafe' });
      else if (!entry.isFile())
        problems.push({ path: rel, problem: 'special file (not a regular file)', kind: 'unsafe' });
      else {
        try {
          const digest = await digestStream(createReadStream(join(root, rel)), {
            sm3: rel.startsWith('data/'),
            text: wantsText(rel),
          });
          files.push({ path: rel, ...digest });
        } catch (error) {
          problems.push({
            path: rel,
            problem: `unreadable: ${(error as Error).message}`,
            kind: 'unreadable',
          });
        }
      }
    }
  };
  await walk('');
  return { kind: 'folder', bag: basename(root), files, problems };
}
