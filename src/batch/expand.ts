// Turns the files and folders a user named into the list of recordings to process, in a stable order.
import { constants, type Dirent } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { AudioEvidenceError } from '../errors.js';
import { identify, SNIFF_BYTES } from '../formats/identify.js';
import { checkPath } from '../input.js';
import { logger } from '../tools/logger.js';

const debug = logger('batch:expand');

/** A recording to process: a file named by the user, or one found by walking a folder they named. */
export interface BatchFile {
  kind: 'file';
  /** Path to hand to inspect/pack (as given for explicit files, joined for walked ones). */
  path: string;
  /** The argument it came from. */
  given: string;
  /** Named on the command line (always processed) rather than found in a folder. */
  explicit: boolean;
  /** Short name for people: the file name, or "folder/sub/name" for walked files. */
  label: string;
  /** Size in bytes when known (for progress weighting). */
  size: number;
}

/** Something the user named that yields nothing to process: a folder without recordings, an unreadable folder. */
export interface BatchProblem {
  kind: 'problem';
  given: string;
  label: string;
  /** Message key (i18n/messages.ts) and its parameters. */
  code: 'batch.no-recordings' | 'batch.folder-unreadable' | 'batch.is-bag';
  params: Record<string, string>;
}

export type BatchEntry = BatchFile | BatchProblem;

/** A file found in a folder that is not processed, and why. */
export interface SkippedFile {
  path: string;
  /** Short name for people, like BatchFile.label. */
  label: string;
  reason: 'hidden' | 'own-output' | 'not-audio' | 'bag' | 'link-to-folder' | 'not-a-file';
}

export interface Expansion {
  entries: BatchEntry[];
  skipped: SkippedFile[];
}

/** Names this tool writes beside the inputs; a folder walk must never feed them back in. */
const OWN_OUTPUT = /(?:-evidence(?:-\d+)?\.zip(?:\.sha256)?|^audio-evidence-log\.txt)$/i;
/** The folder of editable forms beside a bundle: `<stem>-evidence[-N]-forms[-N]`. */
const OWN_FORMS = /-evidence(?:-\d+)?-forms(?:-\d+)?$/i;

/** Containers `identify` gives for bytes that are not a recording. */
const NOT_AUDIO = new Set(['unknown', 'not-audio', 'empty']);

/** Opens without touching the access time when the system allows it (Linux, own files). */
async function openQuietly(path: string) {
  const noatime = constants.O_NOATIME;
  if (noatime !== undefined) {
    try {
      return await open(path, constants.O_RDONLY | noatime);
    } catch {
      // EPERM for files owned by someone else: fall back to a plain read-only open.
    }
  }
  return open(path, 'r');
}

/** The container `identify` sees in the head of `path`; "unreadable" when it cannot be read. */
export async function sniff(path: string): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await openQuietly(path);
  } catch {
    return 'unreadable';
  }
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return identify(buffer.subarray(0, bytesRead)).container;
  } catch {
    return 'unreadable';
  } finally {
    await handle.close();
  }
}

const byName = (a: Dirent, b: Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

async function isBag(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, 'bagit.txt'))).isFile();
  } catch {
    return false;
  }
}

interface WalkState {
  root: string;
  /** Parent of the folder the user named: labels are relative to it, so they start with the folder name. */
  labelBase: string;
  given: string;
  files: BatchFile[];
  skipped: SkippedFile[];
  problems: BatchProblem[];
}

async function walk(dir: string, state: WalkState): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const label = relative(state.labelBase, dir) || dir;
    state.problems.push({
      kind: 'problem',
      given: state.given,
      label,
      code: 'batch.folder-unreadable',
      params: { path: dir, detail: (error as NodeJS.ErrnoException).code ?? String(error) },
    });
    return;
  }
  for (const entry of entries.sort(byName)) {
    const path = join(dir, entry.name);
    // Hidden files (.DS_Store, ._AppleDouble, our own .…-evidence.tmp-* folders) are never recordings.
    if (entry.name.startsWith('.')) {
      state.skipped.push({ path, label: relative(state.labelBase, path), reason: 'hidden' });
      continue;
    }
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined);
      // A linked folder could loop back on itself; linked files are followed like pack does.
      if (target?.isDirectory()) {
        state.skipped.push({ path, label: relative(state.labelBase, path), reason: 'link-to-folder' });
        continue;
      }
      isDir = false;
      isFile = target?.isFile() ?? false;
    }
    if (isDir && OWN_FORMS.test(entry.name)) {
      // The editable forms pack writes beside a bundle (transcript, evidence list): never recordings.
      state.skipped.push({ path, label: relative(state.labelBase, path), reason: 'own-output' });
      continue;
    }
    if (isDir) {
      // A bag (ours or anyone's) holds originals that were already packaged.
      if (await isBag(path))
        state.skipped.push({ path, label: relative(state.labelBase, path), reason: 'bag' });
      else await walk(path, state);
      continue;
    }
    if (!isFile) {
      state.skipped.push({ path, label: relative(state.labelBase, path), reason: 'not-a-file' });
      continue;
    }
    if (OWN_OUTPUT.test(entry.name)) {
      state.skipped.push({ path, label: relative(state.labelBase, path), reason: 'own-output' });
      continue;
    }
    const container = await sniff(path);
    // An unreadable file might be a recording: keep it, so the user is told it could not be read.
    if (NOT_AUDIO.has(container)) {
      state.skipped.push({ path, label: relative(state.labelBase, path), reason: 'not-audio' });
      continue;
    }
    const size = (await stat(path).catch(() => undefined))?.size ?? 0;
    state.files.push({
      kind: 'file',
      path,
      given: state.given,
      explicit: false,
      label: relative(state.labelBase, path),
      size,
    });
  }
}

/**
 * Expands `inputs` in order: a file is taken as it is (whatever its bytes: the user's only copy is never
 * refused), a folder is walked recursively for files whose bytes are audio, skipping hidden files, bags
 * and this tool's own outputs. A file reached twice is processed once. Missing inputs are kept as files
 * so that inspect/pack report them in the user's words.
 */
export async function expandInputs(inputs: readonly string[]): Promise<Expansion> {
  const entries: BatchEntry[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  if (!Array.isArray(inputs)) {
    const detail = 'expected an array of paths (a single path goes in brackets: [path])';
    throw new AudioEvidenceError('usage', detail, { params: { detail } });
  }
  for (const given of inputs) checkPath(given);
  const add = async (file: BatchFile) => {
    const key = await realpath(file.path).catch(() => resolve(file.path));
    if (seen.has(key)) {
      debug('%s reached twice; processed once', file.path);
      return;
    }
    seen.add(key);
    entries.push(file);
  };
  for (const given of inputs) {
    const absolute = resolve(given);
    const info = await stat(absolute).catch(() => undefined);
    if (!info?.isDirectory()) {
      const size = info?.isFile() ? info.size : 0;
      await add({ kind: 'file', path: given, given, explicit: true, label: basename(absolute), size });
      continue;
    }
    const linked = (await lstat(absolute)).isSymbolicLink();
    const root = linked ? await realpath(absolute) : absolute;
    // Packing inside a bag would add files to it and break its manifests: a bag is checked with verify.
    if (await isBag(root)) {
      entries.push({
        kind: 'problem',
        given,
        label: basename(absolute) + sep,
        code: 'batch.is-bag',
        params: { path: given },
      });
      continue;
    }
    const state: WalkState = {
      root,
      labelBase: dirname(absolute),
      given,
      files: [],
      skipped,
      problems: [],
    };
    await walk(root, state);
    // Labels of a linked folder are shown under the link's name, not the target's.
    if (linked)
      for (const file of state.files) file.label = join(basename(absolute), relative(root, file.path));
    entries.push(...state.problems);
    for (const file of state.files) await add(file);
    if (state.files.length === 0 && state.problems.length === 0)
      entries.push({
        kind: 'problem',
        given,
        label: basename(absolute) + sep,
        code: 'batch.no-recordings',
        params: { path: given },
      });
  }
  return { entries, skipped };
}
