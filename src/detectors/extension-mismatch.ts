// The file name's extension against the format found in its bytes (context only, never editing).
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'extension-mismatch',
  title: 'File extension against content',
  category: 'metadata',
  aspect: 'originality',
  description: 'Compares the file name extension with the container identified from the bytes.',
};

export const extensionMismatch: Detector = {
  meta,
  run(ctx) {
    const { format, identified } = ctx;
    if (identified.extensions.length === 0) return notAssessable('format not identified from the bytes');
    if (!format.extension) return notAssessable('the file name has no extension');
    if (format.extensionMatches) return fromFindings([]);
    return fromFindings([
      finding(meta, {
        id: 'extension-mismatch',
        severity: 'info',
        title: `The name ends in .${format.extension} but the content is ${identified.description}`,
        detail:
          `Identified from the bytes as ${identified.description}; usual extensions: ${identified.extensions.join(', ')}. ` +
          'Apps often use a different extension than the container (e.g. Android recorders writing 3GP/MP4 as .amr); this is not a sign of editing.',
        evidence: {
          extension: format.extension,
          container: format.container,
          expected: identified.extensions,
        },
      }),
    ]);
  },
};
