// The editable forms beside a bundle (<bag>-forms/): transcript and evidence list naming the bundle's SHA-256, outside the seal.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashFile } from '../hash/digest.js';
import type { DocumentContext } from '../render/model.js';
import type { FormSeal } from '../render/seal.js';
import { TAG_MANIFEST } from './bagit.js';
import { publishFolder } from './temp.js';

/** "<bag>-forms", then "<bag>-forms-2", "-3"… when a folder of that name is already there. */
export function formsName(bag: string, attempt: number): string {
  return attempt <= 1 ? `${bag}-forms` : `${bag}-forms-${attempt}`;
}

/** Most names tried before giving up (a folder full of old forms is not worth an endless loop). */
const MAX_ATTEMPTS = 1000;

/** The first forms folder name not yet taken in `outDir` (what README-verify names). */
export async function freeFormsName(outDir: string, bag: string): Promise<string> {
  for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
    const name = formsName(bag, attempt);
    if (!(await stat(join(outDir, name)).catch(() => undefined))) return name;
  }
  return formsName(bag, MAX_ATTEMPTS);
}

/** What the forms name as their bundle: the zip's SHA-256, or for a bag folder its tag manifest's. */
export async function sealOf(published: { path: string; name: string; sha256?: string }): Promise<FormSeal> {
  if (published.sha256 !== undefined)
    return { kind: 'zip', sha256: published.sha256, name: `${published.name}.zip` };
  // The tag manifest covers the payload manifest (so every payload file) and every tag file: its hash
  // fingerprints the whole bag.
  const { digests } = await hashFile(join(published.path, TAG_MANIFEST), ['sha256']);
  return { kind: 'bag', sha256: digests.sha256, name: published.name };
}

/**
 * Writes the forms into `tempDir`, then moves the folder beside the bundle in one rename, never over
 * an existing folder (the next free suffix is taken instead). Returns the folder's path.
 */
export async function publishForms(args: {
  tempDir: string;
  outDir: string;
  bag: string;
  preferred: string;
  ctx: DocumentContext;
  seal: FormSeal;
}): Promise<string> {
  // Loaded here: the forms pull in docx, like the documents.
  const { renderForms } = await import('../render/documents.js');
  const documents = await renderForms({ ...args.ctx, seal: args.seal });
  const folder = join(args.tempDir, 'forms');
  await mkdir(folder);
  for (const document of documents)
    await writeFile(join(folder, document.path), document.content, { flag: 'wx' });
  let name = args.preferred;
  for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
    const final = join(args.outDir, name);
    if (await publishFolder(folder, final)) return final;
    name = formsName(args.bag, attempt + 1);
  }
  throw new Error(`no free name for the forms folder beside ${args.bag}`);
}
