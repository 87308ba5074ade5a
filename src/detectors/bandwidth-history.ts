// Bandwidth and lossy history. Placeholder: registered so the pipeline and report know the check; not implemented yet.
import { type Detector, type DetectorMeta, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'bandwidth-history',
  title: 'Bandwidth and lossy history',
  category: 'signal',
  aspect: 'originality',
  description: 'Bandwidth and lossy history.',
};

export const bandwidthHistory: Detector = {
  meta,
  run() {
    return notAssessable('check not implemented yet');
  },
};
