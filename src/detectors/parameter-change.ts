// Constant stream parameters. Placeholder: registered so the pipeline and report know the check; not implemented yet.
import { type Detector, type DetectorMeta, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'parameter-change',
  title: 'Constant stream parameters',
  category: 'encoding',
  aspect: 'integrity',
  description: 'Constant stream parameters.',
};

export const parameterChange: Detector = {
  meta,
  run() {
    return notAssessable('check not implemented yet');
  },
};
