// Continuous packet timestamps. Placeholder: registered so the pipeline and report know the check; not implemented yet.
import { type Detector, type DetectorMeta, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'timestamp-gap',
  title: 'Continuous packet timestamps',
  category: 'duration',
  aspect: 'integrity',
  description: 'Continuous packet timestamps.',
};

export const timestampGap: Detector = {
  meta,
  run() {
    return notAssessable('check not implemented yet');
  },
};
