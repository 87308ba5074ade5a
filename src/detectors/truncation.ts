// Complete to the end. Placeholder: registered so the pipeline and report know the check; not implemented yet.
import { type Detector, type DetectorMeta, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'truncation',
  title: 'Complete to the end',
  category: 'structure',
  aspect: 'integrity',
  description: 'Complete to the end.',
};

export const truncation: Detector = {
  meta,
  run() {
    return notAssessable('check not implemented yet');
  },
};
