// Declared against counted duration. Placeholder: registered so the pipeline and report know the check; not implemented yet.
import { type Detector, type DetectorMeta, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'duration-mismatch',
  title: 'Declared against counted duration',
  category: 'duration',
  aspect: 'integrity',
  description: 'Declared against counted duration.',
};

export const durationMismatch: Detector = {
  meta,
  run() {
    return notAssessable('check not implemented yet');
  },
};
