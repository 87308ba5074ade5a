// Reads a bundle zip in place with yauzl: names are checked before anything else, entries are hashed
// from their streams, and nothing is ever extracted or written.
import { basename } from 'node:path';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AudioEvidenceError } from '../errors.js';
import {
  digestStream,
  type Scan,
  type ScannedFile,
  type ScanProblem,
  unsafeName,
  wantsText,
} from './scan.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
/** "Version made by" hosts whose external attributes carry Unix mode bits: Unix and OS X. */
const UNIX_HOSTS = new Set([3, 19]);

interface Named {
  entry: Entry;
  name: string;
  problem?: string;
}

function decodeName(entry: Entry): { name: string; problem?: string } {
  const raw = entry.fileName as unknown as Buffer;
  try {
    return { name: UTF8.decode(raw) };
  } catch {
    // Not UTF-8 (a legacy code page): shown as Latin-1, and never matched against the manifests.
    return { name: raw.toString('latin1'), problem: 'name is not UTF-8' };
  }
}

function entryProblem(entry: Entry, name: string): string | undefined {
  const unsafe = unsafeName(name);
  if (unsafe) return unsafe;
  if (UNIX_HOSTS.has(entry.versionMadeBy >> 8)) {
    const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
    if (type === S_IFLNK) return 'symbolic link';
    if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) return 'special file (not a regular file)';
  }
  if (entry.isEncrypted()) return 'encrypted entry';
  return undefined;
}

async function listEntries(zip: ZipFile): Promise<Named[]> {
  const out: Named[] = [];
  for await (const entry of zip.eachEntry()) {
    const { name, problem } = decodeName(entry);
    const named: Named = { entry, name };
    const found = problem ?? entryProblem(entry, name);
    if (found) named.problem = found;
    out.push(named);
  }
  return out;
}

/** The bag root inside the zip: the folder of the shallowest bagit.txt (or manifest, when it is gone). */
function bagRoot(names: readonly string[]): string | undefined {
  for (const marker of ['bagit.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt']) {
    const roots = names
      .filter((name) => name === marker || name.endsWith(`/${marker}`))
      .map((name) => name.slice(0, name.length - marker.length));
    if (roots.length > 0) return roots.sort((a, b) => a.length - b.length)[0];
  }
  return undefined;
}

/** Opens the zip or throws `bundle-unreadable` (exit 2): a file that is not a readable zip at all. */
async function openZip(path: string): Promise<ZipFile> {
  try {
    return await yauzl.openPromise(path, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (cause) {
    const detail = `not a readable zip: ${(cause as Error).message}`;
    throw new AudioEvidenceError('bundle-unreadable', detail, { params: { path, detail }, cause });
  }
}

/** Hashes every safe file entry of the bag in the zip at `path`. */
export async function scanZip(path: string): Promise<Scan> {
  const zip = await openZip(path);
  try {
    let named: Named[];
    try {
      named = await listEntries(zip);
    } catch (cause) {
      const detail = `damaged central directory: ${(cause as Error).message}`;
      throw new AudioEvidenceError('bundle-unreadable', detail, { params: { path, detail }, cause });
    }
    const problems: ScanProblem[] = [];
    const seen = new Set<string>();
    for (const item of named) {
      // Names equal after Unicode normalisation collide when extracted on macOS or Windows.
      const key = item.name.normalize('NFC');
      if (!item.problem && seen.has(key)) item.problem = 'duplicate name';
      seen.add(key);
    }
    const root = bagRoot(named.filter((n) => !n.problem).map((n) => n.name));
    if (root === undefined) {
      const detail = 'no bagit.txt or manifest inside: not an evidence bundle';
      throw new AudioEvidenceError('bundle-unreadable', detail, { params: { path, detail } });
    }
    const files: ScannedFile[] = [];
    for (const item of named) {
      const inside = item.name.startsWith(root);
      const relative = inside ? item.name.slice(root.length) : item.name;
      if (item.problem) {
        problems.push({ path: relative, problem: item.problem, kind: 'unsafe' });
        continue;
      }
      if (item.name.endsWith('/')) continue;
      if (!inside) {
        problems.push({ path: item.name, problem: 'outside the bag folder', kind: 'outside' });
        continue;
      }
      // Java's ZipInputStream and other streaming readers use the local header's name, so it must agree.
      try {
        const local = await zip.readLocalFileHeaderPromise(item.entry);
        if (!local.fileName.equals(item.entry.fileName as unknown as Buffer)) {
          problems.push({ path: relative, problem: 'local header names another file', kind: 'unsafe' });
          continue;
        }
        const stream = await zip.openReadStreamPromise(item.entry);
        const digest = await digestStream(stream, {
          sm3: relative.startsWith('data/'),
          text: wantsText(relative),
        });
        files.push({ path: relative, ...digest });
      } catch (error) {
        problems.push({
          path: relative,
          problem: `unreadable: ${(error as Error).message}`,
          kind: 'unreadable',
        });
      }
    }
    const bag = root === '' ? basename(path).replace(/\.zip$/i, '') : root.replace(/\/$/, '');
    return { kind: 'zip', bag, files, problems };
  } finally {
    zip.close();
  }
}
