// Shared test helpers: fixture paths, the shared samples folder, and an in-process CLI runner.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Io, run } from '../src/cli.js';

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
    .sort()
    .map((name) => join(dir, name));
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
