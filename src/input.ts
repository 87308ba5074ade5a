// Resolves and checks an input path before anything reads it: exists, is a regular file, is readable.

import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { access, lstat, realpath, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { InputError } from './errors.js';

export interface InputFile {
  /** Absolute path of the file itself (symlinks followed). */
  path: string;
  /** Absolute path as given, when it was a symlink. */
  linkPath?: string;
  /** The name the user sees (of the path they gave). */
  name: string;
  stat: Stats;
}

/** Throws InputError (exit 2) with the path and the reason when the input cannot be used. */
export async function resolveInput(given: string): Promise<InputFile> {
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
