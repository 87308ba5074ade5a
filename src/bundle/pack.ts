// Evidence bundle writer (BagIt bag + zip). Placeholder until the bundle work lands.
import type { Lang } from '../i18n/lang.js';
import type { Progress } from '../inspect.js';

export interface PackOptions {
  out?: string;
  zip?: boolean;
  combine?: string;
  caseId?: string;
  title?: string;
  submitter?: string;
  proves?: string;
  lang?: Lang;
  signatures?: string[];
  onProgress?: (progress: Progress) => void;
}

export interface PackedBundle {
  input: string;
  /** Final path of the zip or bag folder. */
  path: string;
  /** Path of the .sha256 sidecar, for zips. */
  sidecar?: string;
  sha256?: string;
  verdict: string;
  /** Set when the preferred name was taken and a suffix was chosen. */
  renamedFrom?: string;
}

export async function pack(_files: string[], _options: PackOptions = {}): Promise<PackedBundle[]> {
  throw new Error('pack is not implemented yet');
}
