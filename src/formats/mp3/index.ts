// mp3 structure parser. Placeholder: returns an empty report until the parser lands.
import { type ByteSource, emptyReport, type StructureParser, type StructureReport } from '../types.js';

export const mp3Parser: StructureParser = {
  containers: ['mp3'],
  async parse(_source: ByteSource): Promise<StructureReport> {
    const report = emptyReport('mp3');
    report.warnings.push('structure parser not implemented yet');
    return report;
  },
};
