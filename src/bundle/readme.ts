// meta/README-verify.txt: the bilingual how-to-verify text, filled in from templates/README-verify.txt.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { shellQuote } from '../timestamp/shell.js';

/** The template ships in the package's templates/ folder, two levels above src/bundle and dist/bundle. */
const TEMPLATE = fileURLToPath(new URL('../../templates/README-verify.txt', import.meta.url));

export interface ReadmeFacts {
  bag: string;
  zip: string;
  /** Paths of the originals inside the bag, with `/`. */
  originals: readonly string[];
  packedAt: string;
  tool: string;
}

/** Fills every `{{name}}`; throws on a placeholder the facts do not provide, so none slips through. */
export async function renderReadme(facts: ReadmeFacts): Promise<string> {
  const template = await readFile(TEMPLATE, 'utf8');
  const first = facts.originals[0] ?? 'data/original';
  const values: Record<string, string> = {
    bag: facts.bag,
    zip: facts.zip,
    originals: facts.originals.join(', '),
    original: first,
    originalWin: first.replaceAll('/', '\\'),
    packedAt: facts.packedAt,
    tool: facts.tool,
    // Timestamp section: names as single shell words ('…', with ' written '\'').
    qZip: shellQuote(facts.zip),
    qTsr: shellQuote(`${facts.zip}.tsr`),
    qBag: shellQuote(facts.bag),
    qBagTsr: shellQuote(`${facts.bag}.tsr`),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`README-verify template: unknown placeholder {{${name}}}`);
    return value;
  });
}
