// The transcript template as WebVTT: one cue per speech segment plus one per flagged moment, to play beside the recording.
import { clean } from './sanitize.js';
import type { DocText } from './text.js';
import { fill } from './text.js';
import { formatTimestamp } from './time.js';
import type { TranscriptDoc } from './transcript.js';
import { flagText } from './transcript.js';

/** How long a flagged instant stays on screen when the finding has no end of its own. */
const FLAG_SECONDS = 3;

/**
 * Cue text is parsed for tags and entities, and "-->" or a blank line would end the cue: escape the
 * markup characters and keep it on one line.
 */
export function vttText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export function renderTranscriptVtt(
  doc: TranscriptDoc,
  text: DocText,
  file: { name: string; sha256: string },
  duration: number | undefined,
): string {
  const cues: Array<{ id: string; start: number; end: number; text: string }> = [];
  let segment = 0;
  let flag = 0;
  for (const row of doc.plan.rows) {
    if (row.kind === 'flag') {
      const fallback = Math.max(
        row.start + 0.5,
        Math.min(row.start + FLAG_SECONDS, duration ?? Number.POSITIVE_INFINITY),
      );
      cues.push({
        id: `flag-${++flag}-n${row.number}`,
        start: row.start,
        end: row.end ?? fallback,
        text: flagText(text, row.severity, row.start, row.title),
      });
    } else {
      cues.push({
        id: `${row.kind}-${++segment}`,
        start: row.start,
        end: row.end,
        text: text.transcript.vttSegment,
      });
    }
  }
  // The file's cues must be ordered by start time; the plan already is, this keeps it true for equal starts.
  cues.sort((a, b) => a.start - b.start);
  const note = vttText(fill(text.transcript.vttNote, { file: clean(file.name, 200), sha256: file.sha256 }));
  const out = ['WEBVTT', '', `NOTE ${note}`, ''];
  for (const cue of cues)
    out.push(cue.id, `${formatTimestamp(cue.start)} --> ${formatTimestamp(cue.end)}`, vttText(cue.text), '');
  return out.join('\n');
}
