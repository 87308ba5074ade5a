// Shared test helpers: fixture paths, the shared samples folder, and an in-process CLI runner.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Io, run } from '../src/cli.js';
import { identify, SNIFF_BYTES } from '../src/formats/identify.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(ROOT, 'fixtures');
export const SAMPLES = resolve(ROOT, '..', 'shared', 'samples');
export const HAS_SAMPLES = existsSync(SAMPLES);

export const fixture = (relative: string): string => join(FIXTURES, relative);

/** Every file in a shared-samples folder (empty when the samples are not present). */
export function samples(folder: string): string[] {
  const dir = join(SAMPLES, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !/\.(tsv|md|txt)$/i.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** The shared-sample folders, from plausible device originals to broken and non-audio files. */
export const SAMPLE_FOLDERS = ['device', 'voice', 'encoder', 'corrupt', 'other'] as const;

/** Every shared sample whose bytes identify as one of `containers` (empty when the samples are absent). */
export function samplesOf(
  containers: readonly string[],
): Array<{ folder: string; path: string; name: string }> {
  return SAMPLE_FOLDERS.flatMap((folder) =>
    samples(folder)
      .filter((path) => containers.includes(identify(readFileSync(path).subarray(0, SNIFF_BYTES)).container))
      .map((path) => ({ folder, path, name: basename(path) })),
  );
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process and captures what it writes. */
export async function cli(argv: string[], env: NodeJS.ProcessEnv = { LANG: 'en_US.UTF-8' }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
