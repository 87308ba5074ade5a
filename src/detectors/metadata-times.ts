// Creation and modification times. Placeholder: registered so the pipeline and report know the check; not implemented yet.
import { type Detector, type DetectorMeta, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'metadata-times',
  title: 'Creation and modification times',
  category: 'metadata',
  aspect: 'originality',
  description: 'Creation and modification times.',
};

export const metadataTimes: Detector = {
  meta,
  run() {
    return notAssessable('check not implemented yet');
  },
};
