// The recording time a file states, named for what it is (start or end, per writer) and shown in the reader's zone.
import type { InspectResult } from '../types.js';
import { creationTimeMeaning, localTime, resolveTimeZone } from './local-time.js';
import type { DocText } from './text.js';

/** The zone of a document context: the one chosen for the bundle, else TZ / the system's. */
export const zoneOf = (ctx: { timeZone?: string }): string => ctx.timeZone ?? resolveTimeZone();

/**
 * Label and local time of the file's own creation time: "录制结束时间（据文件记载）" for writers that stamp
 * the end (Android MediaRecorder), "…开始…" for those that stamp the start (Voice Memos), otherwise a
 * label that does not pretend to know. Undefined when the file states no time.
 */
export function recordedAt(
  result: InspectResult,
  text: DocText,
  zone: string,
): { label: string; time: string } | undefined {
  const created = result.media.created;
  if (created === undefined || created === null || String(created).trim() === '') return undefined;
  const meaning = creationTimeMeaning(result) ?? 'unknown';
  return { label: text.recordingTime[meaning], time: localTime(String(created), zone) };
}
