// The last stage of packing: the finished bag folder published atomically as a zip (+ .sha256) or a folder.
import { readdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AudioEvidenceError } from '../errors.js';
import { logger } from '../tools/logger.js';
import { BAGIT_FILE, PAYLOAD_DIR } from './bagit.js';
import { publishFile, publishFolder } from './temp.js';
import { writeZip, type ZipFile } from './zip.js';

const debug = logger('bundle:pack');

/** Every file under `dir` (relative paths with `/`), in a stable order. */
export async function listFiles(root: string, dir = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(join(root, dir), { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, relative)));
    else if (entry.isFile()) out.push(relative);
    else throw new Error(`unexpected non-file in the bag: ${relative}`);
  }
  return out;
}

/** Where a bundle ended up. */
export interface Published {
  path: string;
  name: string;
  sidecar?: string;
  sha256?: string;
}

/** Zip entries: tag files first (a streaming reader meets bagit.txt first), then the payload. */
async function zipFiles(bagDir: string): Promise<ZipFile[]> {
  const all = await listFiles(bagDir);
  const order = (path: string) => (path === BAGIT_FILE ? 0 : path.startsWith(`${PAYLOAD_DIR}/`) ? 2 : 1);
  const sorted = [...all].sort((a, b) => order(a) - order(b));
  const out: ZipFile[] = [];
  for (const path of sorted) {
    const info = await stat(join(bagDir, path));
    out.push({ path, size: info.size, mtime: info.mtime });
  }
  return out;
}

/**
 * Zips the bag in the temporary folder, re-checks the sources (`recheck`), then moves the zip and its
 * .sha256 sidecar under their final names, never over anything.
 */
export async function publishZip(
  bagDir: string,
  tempDir: string,
  outDir: string,
  name: string,
  recheck: () => Promise<void>,
): Promise<Published> {
  const files = await zipFiles(bagDir);
  const tempZip = join(tempDir, `${name}.zip`);
  const { sha256 } = await writeZip(bagDir, name, files, tempZip);
  debug('zip written: %s', name);
  await recheck();
  const finalZip = join(outDir, `${name}.zip`);
  // The name was reserved; only a writer that ignores reservations can have taken it since. The bag
  // records its name, so it is never published under another one.
  if (!(await publishFile(tempZip, finalZip))) throw takenMeanwhile(finalZip);
  // The sidecar comes after the zip it describes, and names it by its base name as sha256sum does.
  const tempSidecar = join(tempDir, `${name}.zip.sha256`);
  const sidecar = `${finalZip}.sha256`;
  try {
    await writeFile(tempSidecar, `${sha256}  ${name}.zip\n`, { flag: 'wx' });
    if (!(await publishFile(tempSidecar, sidecar))) throw takenMeanwhile(sidecar);
  } catch (error) {
    await unlink(finalZip).catch(() => undefined);
    throw error;
  }
  return { path: finalZip, name, sidecar, sha256 };
}

/** Re-checks the sources (`recheck`), then moves the bag folder under its final name, never over anything. */
export async function publishBag(
  bagDir: string,
  outDir: string,
  name: string,
  recheck: () => Promise<void>,
): Promise<Published> {
  await recheck();
  const final = join(outDir, name);
  if (!(await publishFolder(bagDir, final))) throw takenMeanwhile(final);
  return { path: final, name };
}

function takenMeanwhile(path: string): AudioEvidenceError {
  return new AudioEvidenceError('output-exists', `${path} appeared while packing`, { params: { path } });
}
