// The built-in library of known writer profiles (templates/profiles.json), learned from genuine recordings.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isWriterProfile, type WriterProfile } from './compare.js';

const BUILTIN = fileURLToPath(new URL('../../templates/profiles.json', import.meta.url));

let cached: readonly WriterProfile[] | undefined;

/** The known writer profiles shipped with the tool, read once; an unreadable table yields none. */
export function builtinProfiles(): readonly WriterProfile[] {
  if (cached) return cached;
  try {
    const parsed = JSON.parse(readFileSync(BUILTIN, 'utf8')) as { profiles?: unknown };
    cached = Array.isArray(parsed.profiles) ? parsed.profiles.filter(isWriterProfile) : [];
  } catch {
    cached = [];
  }
  return cached;
}
