// Registry of container structure parsers, one folder per container.
import { logger } from '../tools/logger.js';
import { type ByteSource, emptyReport, type StructureParser, type StructureReport } from './types.js';

const debug = logger('formats');

/** One entry per container family; sorted by folder name. */
export const PARSERS: readonly StructureParser[] = [];

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
