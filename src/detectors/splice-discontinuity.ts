// Splice-like discontinuities. Placeholder: registered so the pipeline and report know the check; not implemented yet.
import { type Detector, type DetectorMeta, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'splice-discontinuity',
  title: 'Splice-like discontinuities',
  category: 'signal',
  aspect: 'integrity',
  description: 'Splice-like discontinuities.',
};

export const spliceDiscontinuity: Detector = {
  meta,
  run() {
    return notAssessable('check not implemented yet');
  },
};
