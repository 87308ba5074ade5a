// Registry of every detector, in one sorted literal array.
import { appendedOrConcatenated } from './appended-or-concatenated.js';
import { audioChecksum } from './audio-checksum.js';
import { backgroundChange } from './background-change.js';
import { bandwidthHistory } from './bandwidth-history.js';
import { digitalSilence } from './digital-silence.js';
import { durationMismatch } from './duration-mismatch.js';
import { exemplarComparison } from './exemplar-comparison.js';
import { extensionMismatch } from './extension-mismatch.js';
import { fileDamage } from './file-damage.js';
import { frameDamage } from './frame-damage.js';
import { mainsHum } from './mains-hum.js';
import { metadataTimes } from './metadata-times.js';
import { mp3FrameIntegrity } from './mp3-frame-integrity.js';
import { parameterChange } from './parameter-change.js';
import { spliceDiscontinuity } from './splice-discontinuity.js';
import { timestampGap } from './timestamp-gap.js';
import { truncation } from './truncation.js';
import type { Detector } from './types.js';
import { writerSignature } from './writer-signature.js';

export const DETECTORS: readonly Detector[] = [
  appendedOrConcatenated,
  audioChecksum,
  backgroundChange,
  bandwidthHistory,
  digitalSilence,
  durationMismatch,
  exemplarComparison,
  extensionMismatch,
  fileDamage,
  frameDamage,
  mainsHum,
  metadataTimes,
  mp3FrameIntegrity,
  parameterChange,
  spliceDiscontinuity,
  timestampGap,
  truncation,
  writerSignature,
];
