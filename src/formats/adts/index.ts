// adts structure parser. Placeholder: returns an empty report until the parser lands.
import { type ByteSource, emptyReport, type StructureParser, type StructureReport } from '../types.js';

export const adtsParser: StructureParser = {
  containers: ['aac'],
  async parse(_source: ByteSource): Promise<StructureReport> {
    const report = emptyReport('aac');
    report.warnings.push('structure parser not implemented yet');
    return report;
  },
};
