// The header lines of the editable forms beside a bundle: which bundle they belong to, by its SHA-256.
import type { DocText } from './text.js';
import { fill } from './text.js';

/** The bundle a form belongs to: the zip's SHA-256, or for a bag folder that of its tagmanifest-sha256.txt. */
export interface FormSeal {
  kind: 'zip' | 'bag';
  sha256: string;
  /** The zip's file name or the bag folder's name. */
  name: string;
}

/** The header lines of a form: which bundle it belongs to, and that it is the copy to fill in. */
export function sealLines(ctx: { seal?: FormSeal }, text: DocText): string[] {
  if (!ctx.seal) return [];
  const { kind, sha256, name } = ctx.seal;
  return [fill(kind === 'zip' ? text.forms.sealZip : text.forms.sealBag, { sha256, name }), text.forms.note];
}
