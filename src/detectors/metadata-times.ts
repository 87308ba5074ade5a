// The times a file records about itself against each other, the file system time, the duration and the present.
import type { AnalysisContext } from '../analysis/context.js';
import type { Finding } from '../types.js';
import { declaredDurations, decodedSeconds } from './duration-mismatch.js';
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable, round3 } from './types.js';

const meta: DetectorMeta = {
  id: 'metadata-times',
  title: 'Recorded times',
  category: 'metadata',
  aspect: 'originality',
  description:
    'Compares the creation/modification times inside the file with each other, with the file system time and the duration, and with the present.',
};

/** Clock and time-zone slack: devices write local time as UTC (up to ±14 h) and clocks drift. */
const ZONE_SLACK_MS = 26 * 3600_000;
/** Container modification may follow creation by the recording plus finishing the file. */
const FINISH_SLACK_MS = 120_000;
const EPOCHS = [Date.UTC(1904, 0, 1), Date.UTC(1970, 0, 1), Date.UTC(1980, 0, 1), Date.UTC(2000, 0, 1)];
const PLAUSIBLE_FROM = Date.UTC(1995, 0, 1);

interface Stamp {
  source: string;
  ms: number;
}

function parse(source: string, value: unknown): Stamp | undefined {
  if (typeof value !== 'string' && !(value instanceof Date)) return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? { source, ms } : undefined;
}

/** Times the file states about its own creation, strongest source first. */
function containerTimes(ctx: AnalysisContext): { created: Stamp[]; modified: Stamp[] } {
  const created: Stamp[] = [];
  const modified: Stamp[] = [];
  const add = (list: Stamp[], stamp: Stamp | undefined): void => {
    if (stamp && !list.some((s) => s.ms === stamp.ms)) list.push(stamp);
  };
  add(created, parse('container creation time', ctx.structure?.times.created));
  add(modified, parse('container modification time', ctx.structure?.times.modified));
  add(created, parse('creation_time tag', ctx.probe?.format?.tags?.['creation_time']));
  const tags = ctx.media.tags;
  add(created, parse('QuickTime creationdate', tags['ffprobe.format.com.apple.quicktime.creationdate']));
  add(created, parse('iTunes date', tags['iTunes.date'] ?? tags['iTunes.©day']));
  return { created, modified };
}

/**
 * Which end of the recording the writer stamps, when the writer is known: the `creationTime` of its
 * entry in templates/signatures.json (the same table the documents name the time from).
 */
function stampConvention(ctx: AnalysisContext): { convention: 'start' | 'end'; writer: string } | undefined {
  const stamped = ctx.writers?.find((w) => w.signature.creationTime);
  const convention = stamped?.signature.creationTime;
  return stamped && convention ? { convention, writer: stamped.signature.name } : undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const hours = (ms: number): string => `${round3(ms / 3600_000)} h`;

export const metadataTimes: Detector = {
  meta,
  run(ctx) {
    const { created, modified } = containerTimes(ctx);
    if (created.length === 0 && modified.length === 0)
      return notAssessable('the file records no creation time of its own');
    const now = Date.now();
    const fileMtime = new Date(ctx.file.modified).getTime();
    const seconds = decodedSeconds(ctx) ?? declaredDurations(ctx).reduce((m, d) => Math.max(m, d.seconds), 0);
    const durationMs = seconds * 1000;
    const findings: Finding[] = [];
    const usable: Stamp[] = [];

    for (const stamp of [...created, ...modified]) {
      if (EPOCHS.includes(stamp.ms) || stamp.ms <= EPOCHS[0]!) {
        findings.push(
          finding(meta, {
            id: 'time-not-set',
            severity: 'info',
            title: `The ${stamp.source} is not set (${iso(stamp.ms).slice(0, 10)})`,
            detail: `The ${stamp.source} holds a zero/epoch value. Some writers leave it empty (and tools that strip metadata zero it); it says nothing about when the recording was made.`,
            evidence: { source: stamp.source, value: iso(stamp.ms) },
          }),
        );
      } else if (stamp.ms < PLAUSIBLE_FROM) {
        findings.push(
          finding(meta, {
            id: 'time-implausible',
            severity: 'info',
            title: `The ${stamp.source} is ${iso(stamp.ms)}, before digital phone recorders`,
            detail: `A clock that was never set (or a reset device) gives such dates; the time cannot be relied on.`,
            evidence: { source: stamp.source, value: iso(stamp.ms) },
          }),
        );
      } else if (stamp.ms > now + ZONE_SLACK_MS) {
        findings.push(
          finding(meta, {
            id: 'time-in-future',
            severity: 'warning',
            title: `The ${stamp.source} (${iso(stamp.ms)}) lies in the future`,
            detail: `The ${stamp.source} is ${hours(stamp.ms - now)} after the time of this inspection. A recorder with a working clock cannot write that; the time was set by hand or by a tool.`,
            evidence: { source: stamp.source, value: iso(stamp.ms), inspected: iso(now) },
          }),
        );
      } else usable.push(stamp);
    }

    const firstCreated = usable.find((s) => created.includes(s));
    const lastModified = usable.find((s) => modified.includes(s));
    if (firstCreated && lastModified && lastModified.ms < firstCreated.ms - durationMs - FINISH_SLACK_MS) {
      findings.push(
        finding(meta, {
          id: 'modified-before-created',
          severity: 'warning',
          title: 'The file says it was modified before it was created',
          detail: `${lastModified.source} ${iso(lastModified.ms)} is ${hours(firstCreated.ms - lastModified.ms)} before ${firstCreated.source} ${iso(firstCreated.ms)}. A recorder writes both from one clock; one of them was changed.`,
          evidence: { created: iso(firstCreated.ms), modified: iso(lastModified.ms) },
        }),
      );
    }
    if (
      firstCreated &&
      Number.isFinite(fileMtime) &&
      fileMtime < firstCreated.ms - durationMs - ZONE_SLACK_MS
    ) {
      findings.push(
        finding(meta, {
          id: 'file-time-before-created',
          severity: 'warning',
          title: 'The file system time is earlier than the recording time inside the file',
          detail: `The file was last modified ${iso(fileMtime)}, ${hours(firstCreated.ms - fileMtime)} before the ${firstCreated.source} ${iso(firstCreated.ms)} (beyond the duration and a day of clock/time-zone slack). The file cannot have been written before it was recorded; one of the times was set.`,
          evidence: { created: iso(firstCreated.ms), fileModified: iso(fileMtime) },
        }),
      );
    }
    if (firstCreated) {
      const stamp = stampConvention(ctx);
      const convention = stamp?.convention;
      const start = convention === 'end' ? firstCreated.ms - durationMs : firstCreated.ms;
      const end = convention === 'end' ? firstCreated.ms : firstCreated.ms + durationMs;
      findings.push(
        finding(meta, {
          id: 'recording-time',
          severity: 'info',
          title: `Recorded ${convention === 'end' ? 'until' : convention === 'start' ? 'from' : 'about'} ${iso(firstCreated.ms)} (${firstCreated.source})`,
          detail:
            (stamp
              ? `${stamp.writer} stamps the time recording ${stamp.convention === 'end' ? 'stopped' : 'started'}, `
              : 'Which end of the recording the writer stamps is not known; ') +
            `so the recording presumably spans ${iso(start)} – ${iso(end)} (${round3(seconds)} s).` +
            (Number.isFinite(fileMtime) ? ` File system time: ${iso(fileMtime)}.` : ''),
          evidence: {
            source: firstCreated.source,
            value: iso(firstCreated.ms),
            convention: convention ?? 'unknown',
            start: iso(start),
            end: iso(end),
          },
        }),
      );
    }
    return fromFindings(findings);
  },
};
