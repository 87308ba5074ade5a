// meta/evidence.json: the custody log of a bundle — tool, case, each item, and PREMIS-style events.

import { randomUUID } from 'node:crypto';
import type { Stats } from 'node:fs';
import type { InspectResult, RecordingFacts, ToolInfo } from '../types.js';
import { isoWithOffset } from './time.js';

/** PREMIS event types (Library of Congress preservation vocabulary) this tool records. */
export type EventType =
  | 'ingestion'
  | 'message digest calculation'
  | 'fixity check'
  | 'format identification'
  | 'metadata extraction'
  | 'filename change'
  | 'derivation'
  | 'packaging';

/** How a derivative (the access copy, data/access/) was made from the original: enough to make it again. */
export interface Derivation {
  /** The bag's copy of the original it was made from, and that file's SHA-256. */
  source: { path: string; sha256: string };
  /** The derivative, when it was made. */
  output?: { path: string; sha256: string; sm3: string; size: number; format: string };
  /** Program and version. */
  tool: string;
  /** Program (its path on the packing machine) and arguments as run; the working folder was the bag root. */
  argv?: string[];
  /** The command for people, run in the bag folder. */
  commandLine?: string;
  /** What it is for: listening only; never a substitute for the original. */
  purpose: string;
}

export interface EvidenceEvent {
  /** urn:uuid, so events can be cited one by one. */
  id: string;
  type: EventType;
  /** ISO-8601 with the local UTC offset. */
  dateTime: string;
  agent: string;
  outcome: 'success' | 'failure';
  detail: string;
  /** Bag paths the event is about. */
  objects: string[];
  /** For a derivation event: source, output and the exact command. */
  derivation?: Derivation;
}

export function event(
  type: EventType,
  at: Date,
  agent: string,
  detail: string,
  objects: string[],
  outcome: EvidenceEvent['outcome'] = 'success',
): EvidenceEvent {
  return {
    id: `urn:uuid:${randomUUID()}`,
    type,
    dateTime: isoWithOffset(at),
    agent,
    outcome,
    detail,
    objects,
  };
}

export interface FileTimes {
  modified: string;
  accessed: string;
  changed: string;
  created?: string;
}

/** The source's times as stat saw them before the read, with the local offset. */
export function fileTimes(stat: Stats): FileTimes {
  const times: FileTimes = {
    modified: isoWithOffset(stat.mtime),
    accessed: isoWithOffset(stat.atime),
    changed: isoWithOffset(stat.ctime),
  };
  if (stat.birthtimeMs > 0) times.created = isoWithOffset(stat.birthtime);
  return times;
}

export interface EvidenceItem {
  number: number;
  /** The file name exactly as it was on the carrier. */
  originalName: string;
  /** Where the byte-identical copy is in the bag. */
  bagPath: string;
  /** True when characters that break portable paths were replaced in `bagPath`. */
  nameChanged: boolean;
  /** The inspect object of this item, in the payload. */
  reportPath: string;
  /** This recording's own 证据名称 and 证明对象 (pack --title/--proves "01=…"), when given. */
  title?: string;
  proves?: string;
  source: { path: string; realPath?: string; linkPath?: string };
  size: number;
  times: FileTimes;
  sha256: string;
  sm3: string;
  format: InspectResult['format'];
  media: InspectResult['media'];
  summary: InspectResult['summary'];
  checks: InspectResult['checks'];
  findings: InspectResult['findings'];
}

export interface CaseInfo extends RecordingFacts {
  id?: string;
  title?: string;
  submitter?: string;
  proves?: string;
  /** The court the evidence list is addressed to (pack --court). */
  court?: string;
  /** The submitter's role in the case (pack --party-role). */
  partyRole?: string;
}

export interface Evidence {
  schema: 'audio-evidence/evidence/1';
  tool: ToolInfo & { platform: string };
  packedAt: string;
  bag: { name: string; payloadOxum: string; zip?: string };
  case: CaseInfo;
  items: EvidenceItem[];
  events: EvidenceEvent[];
  /** Tool-side hiccups that did not stop packing (not statements about a recording). */
  warnings: string[];
}

/** Serialised with a final newline; key order is the interface's, for people who open the file. */
export function formatEvidence(evidence: Evidence): string {
  return `${JSON.stringify(evidence, null, 2)}\n`;
}
