// Public library API: everything the CLI does is importable.

export { type PackedBundle, type PackOptions, pack } from './bundle/pack.js';
export { DETECTORS } from './detectors/index.js';
export type { Detector, DetectorMeta, DetectorResult } from './detectors/types.js';
export { AudioEvidenceError, EXIT, InputError } from './errors.js';
export { type HashAlgo, hashFile } from './hash/digest.js';
export { type InspectOptions, inspect, inspectFile, type Progress } from './inspect.js';
export type * from './types.js';
export { type VerifyOptions, type VerifyReport, verify } from './verify/verify.js';
