// Atomic output: a recognisable temporary folder beside the destination, removed on error and on
// SIGINT/SIGTERM, stale ones from killed runs swept, and final names taken without overwriting.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { link, lstat, mkdir, readdir, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '../tools/logger.js';

const debug = logger('bundle:temp');

/** `.<bag>.tmp-<pid>-<8 hex>`: hidden, and enough to know which process made it. */
const TEMP_PATTERN = /^\..+-evidence(?:-\d+)?\.tmp-(\d+)-[0-9a-f]{8}$/;

export function tempName(bag: string): string {
  return `.${bag}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporary folders left in `dir` by runs that were killed (their process is gone). */
export async function sweepStale(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP_PATTERN.exec(name);
    if (!match || alive(Number(match[1]))) continue;
    const path = join(dir, name);
    await rm(path, { recursive: true, force: true });
    debug('removed stale temporary folder %s', path);
    removed.push(path);
  }
  return removed;
}

const active = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function removeActive(): void {
  for (const path of active) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // Best effort while the process is going away; the next run sweeps what is left.
    }
  }
  active.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeActive();
  uninstall();
  // Re-raise so the process ends the conventional way (128 + signal number), unless someone else
  // (an embedding application) also listens and decides what happens next.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function uninstall(): void {
  for (const signal of SIGNALS) process.off(signal, onSignal);
  process.off('exit', removeActive);
}

function install(): void {
  if (process.listeners('exit').includes(removeActive)) return;
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('exit', removeActive);
}

/** A temporary folder that exists only while a pack runs. */
export interface TempFolder {
  path: string;
  /** Removes the folder (and stops guarding it). */
  dispose(): Promise<void>;
}

/** Creates `dir/.<bag>.tmp-<pid>-<random>`; signal handlers are installed only while one exists. */
export async function createTemp(dir: string, bag: string): Promise<TempFolder> {
  const path = join(dir, tempName(bag));
  // Guarded before it exists: a signal right after mkdir must not leave the folder behind.
  active.add(path);
  install();
  try {
    await mkdir(path);
  } catch (error) {
    active.delete(path);
    if (active.size === 0) uninstall();
    throw error;
  }
  return {
    path,
    async dispose() {
      try {
        await rm(path, { recursive: true, force: true });
      } finally {
        active.delete(path);
        if (active.size === 0) uninstall();
      }
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** True when nothing of a bundle named `bag` (folder, zip or sidecar) is in `dir`. */
export async function nameFree(dir: string, bag: string): Promise<boolean> {
  for (const candidate of [bag, `${bag}.zip`, `${bag}.zip.sha256`])
    if (await exists(join(dir, candidate))) return false;
  return true;
}

const code = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

/**
 * Moves a finished file to `final` only if nothing is there: a hard link fails atomically when the
 * name is taken. File systems without hard links (FAT, exFAT) fall back to check-then-rename.
 * Returns false when the name is taken.
 */
export async function publishFile(temp: string, final: string): Promise<boolean> {
  try {
    await link(temp, final);
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    debug('hard link %s failed (%s); renaming instead', final, code(error));
    if (await exists(final)) return false;
    await rename(temp, final);
    return true;
  }
  await unlink(temp);
  return true;
}

/** Moves a finished folder to `final` unless something is there (rename refuses a non-empty folder). */
export async function publishFolder(temp: string, final: string): Promise<boolean> {
  if (await exists(final)) return false;
  try {
    await rename(temp, final);
    return true;
  } catch (error) {
    if (code(error) === 'EEXIST' || code(error) === 'ENOTEMPTY') return false;
    throw error;
  }
}
