// Shared helpers for the exemplar tests: sample paths by WRITERS.tsv name, cached profiles, a detector context.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisContext } from '../../src/analysis/context.js';
import { learnProfile, type ProfiledFile, type WriterProfile } from '../../src/exemplar/compare.js';
import { profileFile } from '../../src/exemplar/load.js';
import { FileByteSource } from '../../src/formats/byte-source.js';
import { identify, SNIFF_BYTES } from '../../src/formats/identify.js';
import { parseStructure } from '../../src/formats/index.js';
import { probeFormat } from '../../src/probe/ffprobe.js';
import { binaries } from '../../src/tools/ffmpeg.js';
import { SAMPLES } from '../helpers.js';

/** A shared sample by folder and name ("genuine/…"). */
export const sample = (relative: string): string => join(SAMPLES, relative);

const cache = new Map<string, Promise<ProfiledFile>>();

/** The profile of a recording, profiled once per test file. */
export function profiled(path: string): Promise<ProfiledFile> {
  let found = cache.get(path);
  if (!found) {
    found = profileFile(path);
    cache.set(path, found);
  }
  return found;
}

/** A writer profile learned from recordings. */
export async function exemplarOf(...paths: string[]): Promise<WriterProfile> {
  return learnProfile('exemplars', await Promise.all(paths.map(profiled)));
}

/**
 * The part of the analysis context the exemplar comparison reads (identify, structure parse, ffprobe),
 * built without decoding, so tables over many real recordings stay fast.
 */
export async function structureContext(
  path: string,
  extra: Partial<AnalysisContext> = {},
): Promise<AnalysisContext> {
  const head = readFileSync(path).subarray(0, SNIFF_BYTES);
  const identified = identify(head);
  const source = await FileByteSource.open(path);
  const structure = await parseStructure(identified.container, source);
  await source.close();
  const probe =
    identified.container === 'silk' ? undefined : await probeFormat((await binaries()).ffprobe.path, path);
  return {
    identified,
    head,
    ...(structure ? { structure } : {}),
    ...(probe ? { probe } : {}),
    ...extra,
  } as unknown as AnalysisContext;
}

/** WRITERS.tsv rows: file, writer, group. */
export function writers(): Array<{ file: string; writer: string; group: string }> {
  const text = readFileSync(sample('genuine/WRITERS.tsv'), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [file = '', writer = '', group = ''] = line.split('\t');
      return { file, writer, group };
    });
}
