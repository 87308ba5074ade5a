// `audio-evidence profile learn`: a writer profile JSON from exemplar recordings, for --exemplar.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Io } from '../cli.js';
import { AudioEvidenceError, EXIT } from '../errors.js';
import { learnFromExemplars } from './load.js';

/**
 * Adds the `profile` command group to `program` (made with `.command()` so it inherits the program's exit
 * override and output settings); `learn` prints or writes (never overwrites) the learned profile.
 */
export function addProfileCommand(program: Command, io: Io, setExit: (code: number) => void): Command {
  const profile = program.command('profile').description('Writer profiles from exemplar recordings');
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
