// Signs that two pieces were joined: a second file header or stream inside the file, data after the last frame.
import type { Finding } from '../types.js';
import { declaredDurations, decodedSeconds, durationTolerance } from './duration-mismatch.js';
import { audible, median } from './timestamp-gap.js';
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable, round3 } from './types.js';

const meta: DetectorMeta = {
  id: 'appended-or-concatenated',
  title: 'Appended or concatenated content',
  category: 'structure',
  aspect: 'integrity',
  description:
    'Looks for a second ID3/ftyp/RIFF/#!AMR header or a new Ogg stream inside the file, data after the last frame, and a timeline that restarts.',
};

/** A restart of the timestamps by more than this is a new stream, not jitter. */
const RESTART_SECONDS = 1;

export const appendedOrConcatenated: Detector = {
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const sign of ctx.structure?.appended ?? []) {
      findings.push(
        finding(meta, {
          id: sign.kind,
          severity: sign.strong ? 'critical' : 'warning',
          title: sign.strong ? `Joined content: ${sign.detail}` : `Extra data: ${sign.detail}`,
          detail:
            sign.detail +
            (sign.offset !== undefined ? ` (at byte ${sign.offset} of ${ctx.file.size}).` : '.') +
            (sign.strong
              ? ' A recorder writes one header at the start; a second one inside the file means two files were joined.'
              : ' Recorders rarely leave data after the audio; an examiner should look at what it is.'),
          ...(sign.at !== undefined ? { at: sign.at } : {}),
          ...(sign.end !== undefined ? { end: sign.end } : {}),
          evidence: {
            kind: sign.kind,
            ...(sign.offset !== undefined ? { offset: sign.offset } : {}),
            ...(sign.data ?? {}),
          },
        }),
      );
    }

    // Generic: a packet timeline that restarts near zero after running for a while (a chained second stream).
    const p = ctx.packets;
    // It runs even when the parser saw the join (a chained Ogg link is only a weak sign to the parser, which
    // must allow internet-radio chains; in a recording, a restarting timeline is two recordings).
    if (p) {
      const typical = median(p.duration, p.count);
      let position = Number.isFinite(p.pts[0]!) ? p.pts[0]! : 0;
      for (let i = 1; i < p.count; i++) {
        position += audible(p.duration[i - 1]!, typical);
        const back = p.pts[i - 1]! - p.pts[i]!;
        const placed = findings.some(
          (f) => f.severity === 'critical' && f.at !== undefined && Math.abs(f.at - position) < 1,
        );
        if (back > RESTART_SECONDS && p.pts[i]! < RESTART_SECONDS && !placed) {
          findings.push(
            finding(meta, {
              id: 'timeline-restarts',
              severity: 'critical',
              title: `A second recording starts at ${round3(position)} s (timestamps restart from zero)`,
              detail: `Packet ${i} is stamped ${round3(p.pts[i]!)} s after a packet stamped ${round3(p.pts[i - 1]!)} s: a new stream with its own timeline begins inside the file.`,
              at: position,
              evidence: { packet: i, previous: round3(p.pts[i - 1]!), pts: round3(p.pts[i]!) },
            }),
          );
          break;
        }
      }
    }

    // Generic: the decode goes on well past the declared end (the header covers only the first piece).
    const decoded = decodedSeconds(ctx);
    const declared = declaredDurations(ctx);
    const longest = declared.length ? Math.max(...declared.map((d) => d.seconds)) : undefined;
    if (findings.length === 0 && decoded !== undefined && longest !== undefined) {
      const extra = decoded - longest;
      if (extra > durationTolerance(ctx) && extra > 0.5) {
        findings.push(
          finding(meta, {
            id: 'audio-after-declared-end',
            severity: 'warning',
            title: `${round3(extra)} s of audio after the declared end (${round3(longest)} s)`,
            detail: `The file declares ${round3(longest)} s but decodes to ${round3(decoded)} s: the extra audio may be a second recording appended to the first.`,
            at: longest,
            end: decoded,
            evidence: { declared: round3(longest), decoded: round3(decoded) },
          }),
        );
      }
    }
    if (!ctx.structure && !p)
      return notAssessable('neither a structure parse nor packet timestamps are available');
    return fromFindings(
      findings,
      findings.length ? undefined : 'one header, one stream, no data after the audio',
    );
  },
};
