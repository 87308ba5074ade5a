// amr structure parser. Placeholder: returns an empty report until the parser lands.
import { type ByteSource, emptyReport, type StructureParser, type StructureReport } from '../types.js';

export const amrParser: StructureParser = {
  containers: ['amr'],
  async parse(_source: ByteSource): Promise<StructureReport> {
    const report = emptyReport('amr');
    report.warnings.push('structure parser not implemented yet');
    return report;
  },
};
