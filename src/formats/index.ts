// Registry of container structure parsers, one folder per container.

import { logger } from '../tools/logger.js';
import { adtsParser } from './adts/index.js';
import { amrParser } from './amr/index.js';
import { flacParser } from './flac/index.js';
import { mp3Parser } from './mp3/index.js';
import { mp4Parser } from './mp4/index.js';
import { oggParser } from './ogg/index.js';
import { silkParser } from './silk/index.js';
import { type ByteSource, emptyReport, type StructureParser, type StructureReport } from './types.js';
import { wavParser } from './wav/index.js';

const debug = logger('formats');

/** One entry per container family; sorted by folder name. */
export const PARSERS: readonly StructureParser[] = [
  adtsParser,
  amrParser,
  flacParser,
  mp3Parser,
  mp4Parser,
  oggParser,
  silkParser,
  wavParser,
];

/** Parse the structure of a file whose container `identify` recognised. Never throws. */
export async function parseStructure(
  container: string,
  source: ByteSource,
): Promise<StructureReport | undefined> {
  const parser = PARSERS.find((p) => p.containers.includes(container));
  if (!parser) return undefined;
  try {
    return await parser.parse(source);
  } catch (error) {
    debug('parser for %s failed: %o', container, error);
    const report = emptyReport(container);
    report.warnings.push(
      `structure parser failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return report;
  }
}
