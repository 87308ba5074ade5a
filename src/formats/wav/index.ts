// wav structure parser. Placeholder: returns an empty report until the parser lands.
import { type ByteSource, emptyReport, type StructureParser, type StructureReport } from '../types.js';

export const wavParser: StructureParser = {
  containers: ['wav'],
  async parse(_source: ByteSource): Promise<StructureReport> {
    const report = emptyReport('wav');
    report.warnings.push('structure parser not implemented yet');
    return report;
  },
};
