// meta/README-verify.txt: the bilingual how-to-verify text, filled in from templates/README-verify.txt.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { shellQuote } from '../tools/shell.js';

/** The template ships in the package's templates/ folder, two levels above src/bundle and dist/bundle. */
const TEMPLATE = fileURLToPath(new URL('../../templates/README-verify.txt', import.meta.url));

export interface ReadmeFacts {
  bag: string;
  zip: string;
  /** Paths of the originals inside the bag, with `/`. */
  originals: readonly string[];
  packedAt: string;
  tool: string;
  /** Bag paths of the playable access copies (data/access/…); empty when none could be made. */
  access?: readonly string[];
  /** Name of the folder of editable forms beside the bundle (default `<bag>-forms`). */
  forms?: string;
}

/**
 * A word for a POSIX shell (sh, bash, zsh): single quotes, inside which nothing is special; a single quote
 * itself closes, is escaped, and reopens ('\''). A leading "-" would read as an option: "./" keeps it a path.
 */
export function shQuote(word: string): string {
  return shellQuote(word.startsWith('-') ? `./${word}` : word);
}

/**
 * A word for PowerShell: single quotes (no $ or ` expansion), with every single quote doubled; PowerShell
 * takes the typographic single quotes (U+2018–U+201B) as quotes too, so they are doubled as well.
 */
export function psQuote(word: string): string {
  return `'${word.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/**
 * Fills every `{{name}}`; throws on a placeholder the facts do not provide, so none slips through.
 * Names are pasted into commands only quoted for the shell the line is meant for (`…Sh` POSIX, `…Ps`
 * PowerShell); cmd.exe has no quoting that stops every expansion, so its lines never carry a name.
 */
export async function renderReadme(facts: ReadmeFacts): Promise<string> {
  const template = await readFile(TEMPLATE, 'utf8');
  const first = facts.originals[0] ?? 'data/original';
  const firstWin = first.replaceAll('/', '\\');
  const values: Record<string, string> = {
    bag: facts.bag,
    zip: facts.zip,
    originals: facts.originals.join(', '),
    packedAt: facts.packedAt,
    tool: facts.tool,
    accessZh: facts.access?.length ? facts.access.join('、') : '（本证据包中没有播放副本）',
    accessEn: facts.access?.length ? facts.access.join(', ') : '(this bundle holds no playable copy)',
    forms: facts.forms ?? `${facts.bag}-forms`,
    bagSh: shQuote(facts.bag),
    zipSh: shQuote(facts.zip),
    zipSumSh: shQuote(`${facts.zip}.sha256`),
    originalSh: shQuote(first),
    zipPs: psQuote(facts.zip),
    zipSumPs: psQuote(`${facts.zip}.sha256`),
    originalWinPs: psQuote(firstWin),
    // Timestamp section: names as single shell words ('…', with ' written '\'').
    qZip: shQuote(facts.zip),
    qTsr: shQuote(`${facts.zip}.tsr`),
    qBag: shQuote(facts.bag),
    qBagTsr: shQuote(`${facts.bag}.tsr`),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`README-verify template: unknown placeholder {{${name}}}`);
    return value;
  });
}
