// Atomic output: a recognisable temporary folder beside the destination, removed on error and on
// SIGINT/SIGTERM/SIGHUP/SIGQUIT, stale ones from killed runs swept, and final names reserved and taken
// without overwriting.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { link, lstat, mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { logger } from '../tools/logger.js';

const debug = logger('bundle:temp');

/** `.<bag>.tmp-<pid>-<8 hex>`: hidden, and enough to know which process made it. */
const TEMP_PATTERN = /^\..+-evidence(?:-\d+)?\.tmp-(\d+)-[0-9a-f]{8}$/;

/** `.<bag>.lock`: the reservation of a bundle name by a running pack (see reserveName). */
const LOCK_PATTERN = /^\..+-evidence(?:-\d+)?\.lock$/;

/** The owner record inside a temporary folder, and the content of a name reservation. */
export const MARKER = 'owner.json';

/** Past this age a temporary folder or reservation is stale whoever made it (no pack runs for a day). */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export function tempName(bag: string): string {
  return `.${bag}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export const lockName = (bag: string): string => `.${bag}.lock`;

/** Who runs a pack: a PID means something only on the same host, since the same boot. */
export interface Owner {
  host: string;
  /** /proc/sys/kernel/random/boot_id, where the system has one. */
  bootId?: string;
  pid: number;
  started: string;
}

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

const BOOT_ID = readBootId();

export function currentOwner(): Owner {
  return {
    host: hostname(),
    ...(BOOT_ID ? { bootId: BOOT_ID } : {}),
    pid: process.pid,
    started: new Date().toISOString(),
  };
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

async function readOwner(path: string): Promise<Owner | undefined> {
  try {
    const info = await lstat(path);
    // A reservation or marker is a few hundred bytes; anything else is not ours to trust.
    if (!info.isFile() || info.size > 4096) return undefined;
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<Owner>;
    if (typeof value.host !== 'string' || typeof value.pid !== 'number') return undefined;
    return value as Owner;
  } catch {
    return undefined;
  }
}

/**
 * Whether what `owner` left is stale: its run is certainly over. A PID is checked only when the owner is
 * this host (another machine sharing a NAS folder, or another PID namespace, has its own PIDs); a
 * different boot of this host means the run is over. Without an owner only age tells.
 */
export function isStale(owner: Owner | undefined, ageMs: number, self = currentOwner()): boolean {
  if (ageMs > STALE_AFTER_MS) return true;
  if (!owner || owner.host !== self.host) return false;
  if (owner.bootId && self.bootId && owner.bootId !== self.bootId) return true;
  return !alive(owner.pid);
}

/**
 * Removes temporary folders and name reservations left in `dir` by runs that are certainly over: of this
 * host and a dead process (or an earlier boot), or older than a day.
 */
export async function sweepStale(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const now = Date.now();
  for (const name of names) {
    const folder = TEMP_PATTERN.test(name);
    if (!folder && !LOCK_PATTERN.test(name)) continue;
    const path = join(dir, name);
    const info = await lstat(path).catch(() => undefined);
    if (!info || (folder ? !info.isDirectory() : !info.isFile())) continue;
    const owner = await readOwner(folder ? join(path, MARKER) : path);
    if (!isStale(owner, now - info.mtimeMs)) continue;
    await rm(path, { recursive: true, force: true });
    debug('removed stale %s', path);
    if (folder) removed.push(path);
  }
  return removed;
}

const active = new Set<string>();
// Every signal that ends a run from the terminal by default: Ctrl-C, kill, a closed terminal, Ctrl-\\.
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

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
  /**
   * Reserves the bundle name `bag` in `dir` for this run (until dispose): false when another run holds
   * it. The name recorded inside the bag is decided once, by this, before anything records it.
   */
  reserve(dir: string, bag: string): Promise<boolean>;
  /** Removes the folder (and stops guarding it). */
  dispose(): Promise<void>;
}

/** Creates `dir/.<bag>.tmp-<pid>-<random>`; signal handlers are installed only while one exists. */
export async function createTemp(dir: string, bag: string): Promise<TempFolder> {
  const path = join(dir, tempName(bag));
  // Guarded before it exists: a signal right after mkdir must not leave the folder behind.
  active.add(path);
  install();
  const owner = currentOwner();
  try {
    await mkdir(path);
    await writeFile(join(path, MARKER), `${JSON.stringify(owner)}\n`, { flag: 'wx' });
  } catch (error) {
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
    active.delete(path);
    if (active.size === 0) uninstall();
    throw error;
  }
  const locks: string[] = [];
  return {
    path,
    async reserve(dir: string, bag: string) {
      const lock = join(dir, lockName(bag));
      active.add(lock);
      if (await reserveName(join(path, MARKER), lock)) {
        locks.push(lock);
        return true;
      }
      active.delete(lock);
      return false;
    },
    async dispose() {
      try {
        for (const lock of locks) await rm(lock, { force: true });
        await rm(path, { recursive: true, force: true });
      } finally {
        for (const lock of locks) active.delete(lock);
        active.delete(path);
        if (active.size === 0) uninstall();
      }
    },
  };
}

/**
 * Reserves a bundle name for this run: `lock` is made as a hard link to the run's owner record, which
 * fails atomically when another run holds it. File systems without hard links get an exclusive create.
 */
async function reserveName(marker: string, lock: string): Promise<boolean> {
  try {
    await link(marker, lock);
    return true;
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    debug('hard link %s failed (%s); creating it exclusively', lock, code(error));
  }
  try {
    await writeFile(lock, await readFile(marker), { flag: 'wx' });
    return true;
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    throw error;
  }
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

/** The first thing of a bundle named `bag` (folder, zip, sidecar or a run's reservation) found in `dir`. */
export async function takenBy(dir: string, bag: string): Promise<string | undefined> {
  for (const candidate of [bag, `${bag}.zip`, `${bag}.zip.sha256`, lockName(bag)])
    if (await exists(join(dir, candidate))) return join(dir, candidate);
  return undefined;
}

/** True when nothing of a bundle named `bag` (folder, zip, sidecar or a run's reservation) is in `dir`. */
export async function nameFree(dir: string, bag: string): Promise<boolean> {
  return (await takenBy(dir, bag)) === undefined;
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
