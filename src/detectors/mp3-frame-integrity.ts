// MP3 frames, Xing/LAME counts and bit reservoir. Placeholder: registered so the pipeline and report know the check; not implemented yet.
import { type Detector, type DetectorMeta, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'mp3-frame-integrity',
  title: 'MP3 frames, Xing/LAME counts and bit reservoir',
  category: 'encoding',
  aspect: 'integrity',
  description: 'MP3 frames, Xing/LAME counts and bit reservoir.',
};

export const mp3FrameIntegrity: Detector = {
  meta,
  run() {
    return notAssessable('check not implemented yet');
  },
};
