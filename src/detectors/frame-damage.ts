// Damaged or foreign units inside the stream (bad page/frame CRCs, junk, invalid frames, index faults) that
// the container parsers found and no timing or MP3 check already reports.
import type { Finding } from '../types.js';
import { TIMING_KINDS } from './timestamp-gap.js';
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable } from './types.js';

const meta: DetectorMeta = {
  id: 'frame-damage',
  title: 'Intact frames, pages and index',
  category: 'structure',
  aspect: 'integrity',
  description:
    'Reports checksum failures, junk between frames, invalid frames and index faults found by the container parser.',
};

/** A damaged file can have thousands of bad frames; the report lists the first ones and a count. */
const MAX_FINDINGS = 20;

/** Why each kind matters, in one sentence for the report. */
const EXPLAIN: Record<string, string> = {
  'page-crc': 'The page checksum does not match its content: the bytes changed after the writer computed it.',
  'frame-crc':
    'The frame checksum does not match its content: the bytes changed after the encoder wrote them.',
  junk: 'Bytes that are not audio frames sit between frames, where pieces of streams can be joined.',
  'invalid-frame-type': 'A frame type the codec does not define: damaged data or foreign bytes.',
  'edit-list':
    'An edit list makes players skip or repeat parts of the stored audio; recorders do not write such lists.',
};

/** Parser details start in lower case; a title is read as a sentence. */
const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export const frameDamage: Detector = {
  meta,
  run(ctx) {
    const s = ctx.structure;
    if (!s) return notAssessable(`no structure parser for ${ctx.identified.container}`);
    // MP3 frame problems are mp3-frame-integrity's; container timing faults are timestamp-gap's.
    if (ctx.identified.container === 'mp3')
      return notAssessable('MP3 frames are checked by mp3-frame-integrity');
    const issues = s.frameIssues.filter((issue) => !TIMING_KINDS.has(issue.kind));
    const findings: Finding[] = [];
    for (const issue of issues.slice(0, MAX_FINDINGS)) {
      const place = issue.at !== undefined ? ` at ${Math.round(issue.at * 1000) / 1000} s` : '';
      findings.push(
        finding(meta, {
          id: issue.kind,
          severity: issue.strong ? 'critical' : 'warning',
          title: `${capitalise(issue.detail)}${place}`,
          detail:
            `${issue.detail}${issue.offset !== undefined ? ` (byte ${issue.offset})` : ''}. ` +
            (EXPLAIN[issue.kind] ?? 'The container structure is not as its writer leaves it.'),
          ...(issue.at !== undefined ? { at: issue.at } : {}),
          ...(issue.end !== undefined ? { end: issue.end } : {}),
          evidence: {
            kind: issue.kind,
            ...(issue.offset !== undefined ? { offset: issue.offset } : {}),
            ...(issue.data ?? {}),
          },
        }),
      );
    }
    if (issues.length > MAX_FINDINGS) {
      findings.push(
        finding(meta, {
          id: 'more-frame-damage',
          severity: 'info',
          title: `${issues.length - MAX_FINDINGS} more damaged units not listed`,
          detail: `The parser found ${issues.length} damaged units in all; the first ${MAX_FINDINGS} are listed.`,
          evidence: { total: issues.length },
        }),
      );
    }
    const note = s.complete
      ? `${issues.length} damaged unit(s) in the ${s.container} structure`
      : `the ${s.container} structure could only be walked in part; ${issues.length} damaged unit(s) found`;
    return fromFindings(findings, note);
  },
};
