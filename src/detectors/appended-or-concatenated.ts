// One recording, nothing appended. Placeholder: registered so the pipeline and report know the check; not implemented yet.
import { type Detector, type DetectorMeta, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'appended-or-concatenated',
  title: 'One recording, nothing appended',
  category: 'structure',
  aspect: 'integrity',
  description: 'One recording, nothing appended.',
};

export const appendedOrConcatenated: Detector = {
  meta,
  run() {
    return notAssessable('check not implemented yet');
  },
};
