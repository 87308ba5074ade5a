// The output folder of a pack: made when missing, checked to be a writable folder, and every failure to
// write into it worded plainly (no space, read-only, not a folder) instead of as a raw errno line.
import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { AudioEvidenceError, isAudioEvidenceError } from '../errors.js';

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

function noSpace(dir: string, cause: unknown): AudioEvidenceError {
  return new AudioEvidenceError('output-no-space', `not enough space in ${dir}`, {
    params: { path: dir },
    cause,
  });
}

function unwritable(dir: string, cause: unknown): AudioEvidenceError {
  return new AudioEvidenceError('output-unwritable', `cannot write to the output folder ${dir}`, {
    params: { path: dir },
    cause,
  });
}

function notFolder(dir: string, cause?: unknown): AudioEvidenceError {
  return new AudioEvidenceError('output-not-folder', `the output path is not a folder: ${dir}`, {
    params: { path: dir },
    cause,
  });
}

/**
 * Makes `dir` when it is missing and checks that it is a folder this process may write to. Throws
 * `output-not-folder` or `output-unwritable` (exit 2), naming the folder.
 */
export async function ensureOutDir(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (info && !info.isDirectory()) throw notFolder(dir);
  if (!info) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (cause) {
      // EEXIST/ENOTDIR: a part of the path is a file. Anything else (EACCES, EROFS, and the ENOENT a
      // recursive mkdir gives on a read-only file system or through a dangling link) means not writable.
      if (errno(cause) === 'EEXIST' || errno(cause) === 'ENOTDIR') throw notFolder(dir, cause);
      if (errno(cause) === 'ENOSPC' || errno(cause) === 'EDQUOT') throw noSpace(dir, cause);
      throw unwritable(dir, cause);
    }
  }
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (cause) {
    throw unwritable(dir, cause);
  }
}

/**
 * A failure while writing a bundle into `dir`, as the error a user can act on: a full disk, a folder
 * that turned read-only, or (for anything else) `output-failed` with the system's own words.
 */
export function outputError(error: unknown, dir: string): AudioEvidenceError {
  if (isAudioEvidenceError(error)) return error;
  const code = errno(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return noSpace(dir, error);
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return unwritable(dir, error);
  const detail = error instanceof Error ? error.message : String(error);
  return new AudioEvidenceError('output-failed', detail, { params: { detail }, cause: error });
}
