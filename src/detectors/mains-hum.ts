// Mains hum continuity. Placeholder: registered so the pipeline and report know the check; not implemented yet.
import { type Detector, type DetectorMeta, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'mains-hum',
  title: 'Mains hum continuity',
  category: 'signal',
  aspect: 'integrity',
  description: 'Mains hum continuity.',
};

export const mainsHum: Detector = {
  meta,
  run() {
    return notAssessable('check not implemented yet');
  },
};
