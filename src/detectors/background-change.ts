// Background noise changes. Placeholder: registered so the pipeline and report know the check; not implemented yet.
import { type Detector, type DetectorMeta, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'background-change',
  title: 'Background noise changes',
  category: 'signal',
  aspect: 'integrity',
  description: 'Background noise changes.',
};

export const backgroundChange: Detector = {
  meta,
  run() {
    return notAssessable('check not implemented yet');
  },
};
