// Where timestamps live beside a bundle (`<zip>.tsr`, `<zip>.2.tsr` …, `<zip>.tsq`), what they stamp
// (the zip, or a bag folder's tagmanifest-sha256.txt), and how they are read and written safely.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TAG_MANIFEST } from '../bundle/bagit.js';
import { publishFile } from '../bundle/temp.js';

/** Largest .tsr / .tsq read: a token with its certificates is a few KiB. */
export const TOKEN_FILE_LIMIT = 1024 * 1024;

/** What a bundle's timestamps stamp, and where they are filed. */
export interface StampTarget {
  kind: 'zip' | 'folder';
  /** The bundle as given. */
  bundle: string;
  /** The file whose digest is stamped: the zip, or the bag's tagmanifest-sha256.txt (it pins every file). */
  data: string;
  /** Sidecars are `<base>.tsr`, `<base>.2.tsr` …: the zip's path, or the bag folder's. */
  base: string;
}

/** The stamp target of a bundle path; undefined when it is neither a regular file nor a bag folder. */
export async function stampTarget(bundle: string): Promise<StampTarget | undefined> {
  const info = await stat(bundle).catch(() => undefined);
  if (info?.isFile()) return { kind: 'zip', bundle, data: bundle, base: bundle };
  if (info?.isDirectory()) {
    const base = bundle.replace(/[/\\]+$/, '') || bundle;
    const data = join(base, TAG_MANIFEST);
    const manifest = await lstat(data).catch(() => undefined);
    if (manifest?.isFile()) return { kind: 'folder', bundle, data, base };
  }
  return undefined;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The sidecar name for the n-th file of a kind: `.tsr`, `.2.tsr`, … */
export const sidecarName = (base: string, n: number, ext: 'tsr' | 'tsq'): string =>
  n === 1 ? `${base}.${ext}` : `${base}.${n}.${ext}`;

/** Every `<base>.tsr` / `<base>.N.tsr` (or .tsq) beside the bundle, in order. */
export async function listSidecars(base: string, ext: 'tsr' | 'tsq'): Promise<string[]> {
  const dir = dirname(base);
  const pattern = new RegExp(`^${escapeRegExp(basename(base))}(?:\\.([1-9][0-9]{0,5}))?\\.${ext}$`);
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((entry) => entry.match !== null)
    .map((entry) => ({ name: entry.name, n: Number(entry.match?.[1] ?? 1) }))
    .sort((a, b) => a.n - b.n)
    .map((entry) => join(dir, entry.name));
}

/**
 * Reads a small regular file without following a link or blocking on a FIFO: checked with lstat, opened
 * non-blocking and without following links, checked again on the open handle.
 */
export async function readSmallFile(path: string, limit = TOKEN_FILE_LIMIT): Promise<Buffer> {
  const info = await lstat(path);
  if (!info.isFile()) throw new Error('not a regular file');
  if (info.size > limit) throw new Error(`larger than ${limit} bytes`);
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.ino !== info.ino) throw new Error('changed while being opened');
    if (opened.size > limit) throw new Error(`larger than ${limit} bytes`);
    const buffer = Buffer.alloc(opened.size);
    const { bytesRead } = await handle.read(buffer, 0, opened.size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Writes `data` as the first free `<base>.tsr`, `<base>.2.tsr` … (or .tsq): a temporary file beside it,
 * then a link that fails rather than overwrite. Returns the path written.
 */
export async function writeSidecar(base: string, ext: 'tsr' | 'tsq', data: Uint8Array): Promise<string> {
  const temp = join(
    dirname(base),
    `.${basename(base)}.${ext}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  await writeFile(temp, data, { flag: 'wx' });
  try {
    for (let n = 1; n < 1000; n++) {
      const target = sidecarName(base, n, ext);
      if (await publishFile(temp, target)) return target;
    }
    throw new Error(`no free name for another .${ext} beside ${base}`);
  } finally {
    await rm(temp, { force: true });
  }
}
