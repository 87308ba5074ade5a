// The JSON contract of DESIGN.md ("inspect --json") as TypeScript types, shared by every stage.

export type Severity = 'info' | 'warning' | 'critical';
export type Aspect = 'originality' | 'integrity';
export type Category = 'duration' | 'encoding' | 'structure' | 'metadata' | 'signal';
export type CheckOutcome = 'consistent' | 'inconsistent' | 'not-assessable';
export type Verdict = 'no-signs-found' | 'review-recommended' | 'signs-of-editing';

/** A sign found in the recording, placed on its timeline when it has a place. */
export interface Finding {
  id: string;
  check: string;
  severity: Severity;
  aspect: Aspect;
  category: Category;
  title: string;
  detail: string;
  /** Seconds in the file's own timeline. */
  at?: number;
  end?: number;
  evidence?: Record<string, unknown>;
}

/** One check that ran, and what it concluded. */
export interface CheckResult {
  id: string;
  outcome: CheckOutcome;
  note?: string;
}

export interface ToolInfo {
  name: string;
  version: string;
  node: string;
  ffmpeg?: string;
  ffprobe?: string;
}

export interface FileInfo {
  name: string;
  path: string;
  /** Set when the given path was a symlink: the path the user gave. */
  linkPath?: string;
  size: number;
  modified: string;
  created?: string;
  accessed?: string;
  sha256: string;
  sm3: string;
  [algo: string]: unknown;
}

export interface FormatInfo {
  container: string;
  /** Human name of the detected format, e.g. "MPEG-4 audio (M4A)". */
  description?: string;
  brand?: string;
  compatibleBrands?: string[];
  mime?: string;
  extension?: string;
  extensionMatches: boolean;
}

export interface DurationInfo {
  container?: number;
  stream?: number;
  decoded?: number;
  [source: string]: number | undefined;
}

export interface MediaInfo {
  codec?: string;
  codecProfile?: string;
  sampleRate?: number;
  channels?: number;
  bitrate?: number;
  bitrateMode?: string;
  bitsPerSample?: number;
  duration: DurationInfo;
  encoder?: string;
  created?: string;
  device?: string;
  tags: Record<string, unknown>;
}

/** Tool-side hiccups that did not stop the run (not statements about the recording). */
export interface ToolWarning {
  stage: string;
  message: string;
}

export interface Summary {
  verdict: Verdict;
  counts: { critical: number; warning: number; info: number };
}

/** What `inspect` returns for one file: exactly the contract object of DESIGN.md. */
export interface InspectResult {
  tool: ToolInfo;
  file: FileInfo;
  format: FormatInfo;
  media: MediaInfo;
  checks: CheckResult[];
  findings: Finding[];
  summary: Summary;
  warnings: ToolWarning[];
  /** Compact material for documents: waveform peaks and speech segments. */
  timeline?: TimelineInfo;
  /** Comparison with exemplar recordings; present only with --exemplar. */
  exemplar?: ExemplarInfo;
}

/** The `exemplar` object of DESIGN.md: which exemplars, whether the file matches them, and where not. */
export interface ExemplarInfo {
  files: Array<{ name: string; sha256: string }>;
  /** True when no difference a re-save would cause was found (a version string alone keeps it true). */
  matches: boolean;
  differences: Array<{ field: string; questioned: unknown; exemplar: unknown; meaning: string }>;
}

export interface TimelineInfo {
  duration: number;
  /** Peak absolute level (0..1) per bucket, evenly spread over `duration`. */
  peaks: number[];
  /** Detected speech segments [start, end] in seconds. */
  speech: Array<[number, number]>;
}

/** A person heard in the recording (pack --speaker NAME[:ROLE]). */
export interface Speaker {
  name: string;
  role?: string;
}

/**
 * What the submitter states about how the recording was made (pack --recorded-by, --place, --device,
 * --speaker): one shape for the options, the documents and evidence.json.
 */
export interface RecordingFacts {
  /** Who made the recording (录音人). */
  recordedBy?: string;
  /** Where it was made (录音地点). */
  place?: string;
  /** Device and app it was made with, e.g. "iPhone 13, 语音备忘录" (录音设备). */
  device?: string;
  /** Who speaks in it (在场人物), each with an optional role such as 原告, 被告, 证人. */
  speakers?: Speaker[];
}

/** The facts that were given, copied (an empty speaker list counts as not given). */
export function recordingFacts(from: RecordingFacts): RecordingFacts {
  const facts: RecordingFacts = {};
  if (from.recordedBy !== undefined) facts.recordedBy = from.recordedBy;
  if (from.place !== undefined) facts.place = from.place;
  if (from.device !== undefined) facts.device = from.device;
  if (from.speakers?.length)
    facts.speakers = from.speakers.map((s) => (s.role ? { name: s.name, role: s.role } : { name: s.name }));
  return facts;
}
