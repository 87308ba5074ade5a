// Digital silence inside the recording. Placeholder: registered so the pipeline and report know the check; not implemented yet.
import { type Detector, type DetectorMeta, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'digital-silence',
  title: 'Digital silence inside the recording',
  category: 'signal',
  aspect: 'integrity',
  description: 'Digital silence inside the recording.',
};

export const digitalSilence: Detector = {
  meta,
  run() {
    return notAssessable('check not implemented yet');
  },
};
