// `audio-evidence profile learn`: a writer profile JSON from exemplar recordings, for --exemplar.
import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { Io } from '../cli.js';
import { AudioEvidenceError, EXIT } from '../errors.js';
import { learnProfile, mergeProfiles, type WriterProfile } from './compare.js';
import { profileExemplars } from './load.js';

/** Learns one profile from recordings (and profile JSONs) given as files or folders. */
export async function learnFromExemplars(paths: readonly string[], name: string): Promise<WriterProfile> {
  const { files, profiles } = await profileExemplars(paths);
  const all = [...(files.length > 0 ? [learnProfile(name, files)] : []), ...profiles];
  const merged = all.length === 1 ? all[0]! : mergeProfiles(name, all);
  return { ...merged, name };
}

export function learnCommand(io: Io, setExit: (code: number) => void): Command {
  const profile = new Command('profile').description('Writer profiles from exemplar recordings');
  profile
    .command('learn')
    .description('Write a writer profile (JSON) learned from exemplar recordings; --exemplar accepts it')
    .argument('<files...>', 'exemplar recordings, folders of them, or profile JSONs')
    .requiredOption('--name <text>', 'name of the writer, e.g. "iPhone 12, Voice Memos, iOS 17.5"')
    .option('--out <file>', 'write the profile here (default: print it)')
    .action(async (files: string[], opts: { name: string; out?: string }) => {
      const learned = await learnFromExemplars(files, opts.name);
      const text = `${JSON.stringify(learned, null, 2)}\n`;
      if (opts.out) {
        try {
          await writeFile(opts.out, text, { flag: 'wx' });
        } catch (cause) {
          const exists = (cause as NodeJS.ErrnoException).code === 'EEXIST';
          throw new AudioEvidenceError(exists ? 'output-exists' : 'output-failed', String(cause), {
            params: { path: opts.out, detail: (cause as Error).message },
            cause,
          });
        }
      } else io.stdout(text);
      setExit(EXIT.ok);
    });
  return profile;
}
