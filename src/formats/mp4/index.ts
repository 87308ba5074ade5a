// mp4 structure parser. Placeholder: returns an empty report until the parser lands.
import { type ByteSource, emptyReport, type StructureParser, type StructureReport } from '../types.js';

export const mp4Parser: StructureParser = {
  containers: ['mp4', 'mov', '3gp', '3g2'],
  async parse(_source: ByteSource): Promise<StructureReport> {
    const report = emptyReport('mp4');
    report.warnings.push('structure parser not implemented yet');
    return report;
  },
};
