// Resolves and checks an input path before anything reads it: exists, is a regular file, is readable.

import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { access, lstat, realpath, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { AudioEvidenceError, InputError } from './errors.js';

export interface InputFile {
  /** Absolute path of the file itself (symlinks followed). */
  path: string;
  /** Absolute path as given, when it was a symlink. */
  linkPath?: string;
  /** The name the user sees (of the path they gave). */
  name: string;
  stat: Stats;
}

/**
 * An empty path resolves to the current folder, so "" would mean "everything here": it is bad usage, as
 * is a path that is not a string at all (a library caller's mistake, said plainly instead of a TypeError).
 */
export function checkPath(given: unknown): asserts given is string {
  if (typeof given !== 'string') {
    const detail = `a path must be a string, not ${given === null ? 'null' : typeof given}`;
    throw new AudioEvidenceError('usage', detail, { params: { detail } });
  }
  if (given === '') throw new InputError('input-empty', given);
}

/** Throws InputError (exit 2) with the path and the reason when the input cannot be used. */
export async function resolveInput(given: string): Promise<InputFile> {
  checkPath(given);
  const absolute = resolve(given);
  let link: Stats;
  try {
    link = await lstat(absolute);
  } catch (cause) {
    throw new InputError('input-missing', given, { cause });
  }
  let real = absolute;
  if (link.isSymbolicLink()) {
    try {
      real = await realpath(absolute);
    } catch (cause) {
      throw new InputError('input-missing', given, { cause, detail: 'broken symbolic link' });
    }
  }
  const info = await stat(real).catch((cause: unknown) => {
    throw new InputError('input-missing', given, { cause });
  });
  if (!info.isFile()) {
    throw new InputError('input-not-file', given, {
      detail: info.isDirectory() ? 'directory' : 'not a regular file',
    });
  }
  try {
    await access(real, constants.R_OK);
  } catch (cause) {
    throw new InputError('input-unreadable', given, { cause });
  }
  const result: InputFile = { path: real, name: basename(absolute), stat: info };
  if (real !== absolute) result.linkPath = absolute;
  return result;
}
