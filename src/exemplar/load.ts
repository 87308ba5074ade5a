// Exemplars from the command line (files, folders, PROFILE.json) profiled and checked, ready for comparison.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { ExemplarError } from '../errors.js';
import { FileByteSource } from '../formats/byte-source.js';
import { identify, readHead } from '../formats/identify.js';
import { parseStructure } from '../formats/index.js';
import { hashFile } from '../hash/digest.js';
import { probeFormat } from '../probe/ffprobe.js';
import { binaries } from '../tools/ffmpeg.js';
import {
  isWriterProfile,
  learnProfile,
  mergeProfiles,
  type ProfiledFile,
  type WriterProfile,
} from './compare.js';
import { profileOf } from './profile.js';

const NOT_AUDIO = new Set(['not-audio', 'empty']);

/**
 * Profiles one recording from its bytes (identify, structure parse, ffprobe) without decoding it.
 * Throws ExemplarError when it is missing, not audio or too damaged to serve as a reference.
 */
export async function profileFile(path: string): Promise<ProfiledFile> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch((cause: unknown) => {
    throw new ExemplarError('exemplar-missing', path, { cause });
  });
  if (!info.isFile()) throw new ExemplarError('exemplar-missing', path, { detail: 'not a file' });
  const head = await readHead(absolute).catch((cause: unknown) => {
    throw new ExemplarError('exemplar-missing', path, { cause, detail: 'unreadable' });
  });
  const identified = identify(head);
  if (NOT_AUDIO.has(identified.container))
    throw new ExemplarError('exemplar-not-audio', path, {
      detail: identified.description ?? identified.container,
    });
  const source = await FileByteSource.open(absolute);
  let structure: Awaited<ReturnType<typeof parseStructure>>;
  try {
    structure = await parseStructure(identified.container, source);
  } finally {
    await source.close();
  }
  const tools = await binaries();
  const probe = identified.container === 'silk' ? undefined : await probeFormat(tools.ffprobe.path, absolute);
  if ((probe && !probe.audio) || (!probe && identified.container === 'unknown'))
    throw new ExemplarError('exemplar-not-audio', path, {
      detail: probe?.error ? `ffprobe: ${probe.error}` : (identified.description ?? 'no audio stream'),
    });
  const cut = structure?.truncation.find((sign) => sign.strong);
  if (structure && (cut || (!structure.complete && structure.frameIssues.some((s) => s.kind === 'bad-atom'))))
    throw new ExemplarError('exemplar-damaged', path, { detail: cut?.detail ?? 'damaged structure' });
  const { digests } = await hashFile(absolute, ['sha256']);
  return {
    name: basename(absolute),
    sha256: digests.sha256,
    profile: profileOf({
      container: identified.container,
      ...(structure ? { structure } : {}),
      ...(probe ? { probe } : {}),
    }),
  };
}

/** Reads a writer profile JSON; throws ExemplarError when it is not one. */
export async function readProfile(path: string): Promise<WriterProfile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ExemplarError(missing ? 'exemplar-missing' : 'exemplar-bad-profile', path, {
      cause,
      ...(missing ? {} : { detail: 'not valid JSON' }),
    });
  }
  if (!isWriterProfile(parsed))
    throw new ExemplarError('exemplar-bad-profile', path, { detail: 'unexpected shape' });
  return parsed;
}

/** Recordings (and profile JSONs) of a folder, in name order; files that are not audio are passed over. */
async function folderEntries(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  const out: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    if (extname(name).toLowerCase() === '.json') {
      out.push(path);
      continue;
    }
    const container = identify(await readHead(path).catch(() => Buffer.alloc(0))).container;
    // Bytes we do not sniff count as audio in a folder only under an audio name (WebM, CAF, Matroska).
    const named = /\.(webm|weba|caf|mka|mkv|m4a|ogg|oga|opus)$/i.test(name);
    if (!NOT_AUDIO.has(container) && (container !== 'unknown' || named)) out.push(path);
  }
  return out;
}

/** Profiles recordings and reads profiles; exemplars of different formats or codecs are refused. */
export async function profileExemplars(
  paths: readonly string[],
): Promise<{ files: ProfiledFile[]; profiles: WriterProfile[] }> {
  const files: ProfiledFile[] = [];
  const profiles: WriterProfile[] = [];
  for (const given of paths) {
    const info = await stat(given).catch((cause: unknown) => {
      throw new ExemplarError('exemplar-missing', given, { cause });
    });
    const members = info.isDirectory() ? await folderEntries(given) : [given];
    if (info.isDirectory() && members.length === 0) throw new ExemplarError('exemplar-empty', given);
    for (const path of members) {
      if (extname(path).toLowerCase() === '.json') profiles.push(await readProfile(path));
      else files.push(await profileFile(path));
    }
  }
  // One app writes one format with one codec; a mixture cannot be a reference for "the file that app writes".
  const kinds = new Map<string, string>();
  const kindOf = (fields: Record<string, unknown>) =>
    `${String(fields['container'] ?? '?')}/${String(fields['codec.name'] ?? '?')}`;
  for (const file of files) kinds.set(kindOf(file.profile.fields), file.name);
  for (const profile of profiles) {
    const containers = profile.fields['container'] ?? [];
    const codecs = profile.fields['codec.name'] ?? [null];
    for (const c of containers)
      for (const k of codecs) kinds.set(`${String(c ?? '?')}/${String(k ?? '?')}`, profile.name);
  }
  if (kinds.size > 1)
    throw new ExemplarError('exemplar-mixed', [...kinds.values()].join(', '), {
      detail: [...kinds.keys()].join(' ≠ '),
    });
  return { files, profiles };
}

/**
 * The exemplars given to --exemplar (recordings, folders of recordings, profile JSONs) as one writer
 * profile. Throws ExemplarError (exit 2) for a missing path, a file that is not audio, a damaged recording
 * or exemplars of different formats.
 */
export async function loadExemplars(paths: readonly string[], name = 'exemplars'): Promise<WriterProfile> {
  if (paths.length === 0) throw new ExemplarError('exemplar-missing', '', { detail: 'no exemplar given' });
  const { files, profiles } = await profileExemplars(paths);
  const learned = files.length > 0 ? [learnProfile(name, files)] : [];
  const all = [...learned, ...profiles];
  return all.length === 1 ? all[0]! : mergeProfiles(name, all);
}

/** Learns one profile from recordings (and profile JSONs) given as files or folders. */
export async function learnFromExemplars(paths: readonly string[], name: string): Promise<WriterProfile> {
  const { files, profiles } = await profileExemplars(paths);
  const all = [...(files.length > 0 ? [learnProfile(name, files)] : []), ...profiles];
  const merged = all.length === 1 ? all[0]! : mergeProfiles(name, all);
  return { ...merged, name };
}
