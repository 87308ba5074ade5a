// Which program wrote the file. Placeholder: registered so the pipeline and report know the check; not implemented yet.
import { type Detector, type DetectorMeta, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'writer-signature',
  title: 'Which program wrote the file',
  category: 'encoding',
  aspect: 'originality',
  description: 'Which program wrote the file.',
};

export const writerSignature: Detector = {
  meta,
  run() {
    return notAssessable('check not implemented yet');
  },
};
