// The documents of a bundle (report, transcripts, evidence list). Placeholder until the documents work lands.
import type { Lang } from '../i18n/lang.js';
import type { InspectResult } from '../types.js';

/** One recording in a bundle, as the documents see it. */
export interface DocumentItem {
  /** 1-based number in the evidence list. */
  number: number;
  /** The inspect object of this recording. */
  inspection: InspectResult;
  /** Path of the original inside the bag, e.g. "data/original/录音 1.m4a". */
  bagPath: string;
  /** The verbatim original file name. */
  originalName: string;
}

export interface DocumentContext {
  lang: Lang;
  caseId?: string;
  title?: string;
  submitter?: string;
  proves?: string;
  /** When the bundle was made (ISO-8601 with offset). */
  packedAt: string;
  items: DocumentItem[];
}

/** A file to place in the bag, relative to the bag root (e.g. "data/report/report.html"). */
export interface BagDocument {
  path: string;
  content: Buffer | string;
}

/** Renders every document for the bag. */
export async function renderDocuments(_ctx: DocumentContext): Promise<BagDocument[]> {
  return [];
}
