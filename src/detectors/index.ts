// Registry of every detector, in one sorted literal array.
import { extensionMismatch } from './extension-mismatch.js';
import { fileDamage } from './file-damage.js';
import type { Detector } from './types.js';

export const DETECTORS: readonly Detector[] = [extensionMismatch, fileDamage];
