// MP3 frames against their own bookkeeping: Xing/Info/VBRI counts, LAME CRCs, and bit-reservoir breaks from cut frames.
import type { Finding } from '../types.js';
import { type Detector, type DetectorMeta, finding, fromFindings, notAssessable, round3 } from './types.js';

const meta: DetectorMeta = {
  id: 'mp3-frame-integrity',
  title: 'MP3 frame integrity',
  category: 'encoding',
  aspect: 'integrity',
  description:
    'Checks the Xing/Info/VBRI frame and byte counts and the LAME CRCs against the frames, and the bit reservoir for frames that borrow data from frames no longer there.',
};

/** Frame issues that are about the encoder's bookkeeping or the bitstream, and what they mean. */
const MEANING: Record<string, string> = {
  'xing-frame-count-mismatch':
    'The Xing/Info header counts a different number of frames than the file holds.',
  'xing-byte-count-mismatch': 'The Xing/Info header counts a different number of bytes than the file holds.',
  'lame-music-crc-mismatch':
    'The LAME tag checksum of the audio data does not match the audio: frames were changed after encoding.',
  'lame-tag-crc-mismatch':
    'The LAME tag checksum of its own header does not match: the header was rewritten by another tool.',
  'reservoir-break':
    'This frame borrows bits from earlier frames that are not there: frames before it were removed without re-encoding (the classic trace of cutting an MP3).',
  'xing-frame-count': 'The Xing/Info header counts a different number of frames than the file holds.',
  'xing-byte-count': 'The Xing/Info header counts a different number of bytes than the file holds.',
  'vbri-frame-count': 'The VBRI header counts a different number of frames than the file holds.',
  'lame-music-crc':
    'The LAME tag checksum of the audio data does not match the audio: frames were changed after encoding.',
  'lame-tag-crc':
    'The LAME tag checksum of its own header does not match: the header was rewritten by another tool.',
  'lame-music-length': 'The LAME tag music length differs from the bytes of audio in the file.',
  'frame-crc': 'A frame fails its own CRC: the frame was changed or damaged.',
  junk: 'Bytes that are not MP3 frames sit between frames: data was inserted or frames were joined.',
};

const MAX_FINDINGS = 30;

export const mp3FrameIntegrity: Detector = {
  meta,
  run(ctx) {
    if (ctx.identified.container !== 'mp3') return notAssessable('not an MP3 file');
    const s = ctx.structure;
    if (!s || (!s.complete && s.counted.length === 0 && s.frameIssues.length === 0))
      return notAssessable(`MP3 frames not walked${s?.warnings.length ? ` (${s.warnings.join('; ')})` : ''}`);
    const findings: Finding[] = [];
    // A frame count that disagrees has a place: between where the header says the audio ends and where it does.
    const xing = s.declared.find((d) => /xing|info|vbri/i.test(d.source));
    const walkedFrames = s.counted.find((c) => c.source.startsWith('mp3'));
    const span =
      xing && walkedFrames
        ? {
            at: Math.min(xing.seconds, walkedFrames.seconds),
            end: Math.max(xing.seconds, walkedFrames.seconds),
          }
        : undefined;
    for (const issue of s.frameIssues.slice(0, MAX_FINDINGS)) {
      const place =
        issue.at === undefined && span && /count-mismatch$/.test(issue.kind)
          ? span
          : { at: issue.at, end: issue.end };
      const meaning = MEANING[issue.kind];
      // Without a known meaning, follow the parser's own judgement of strength. A weak reservoir reference in
      // the very first frame only says the stream starts mid-way (streaming encoders, messaging apps): context.
      const startsMidStream = issue.kind === 'reservoir-break' && !issue.strong && (issue.at ?? 1) < 0.1;
      const severity = issue.strong ? 'critical' : startsMidStream ? 'info' : 'warning';
      findings.push(
        finding(meta, {
          id: issue.kind,
          severity,
          title:
            issue.kind === 'reservoir-break' && issue.at !== undefined
              ? `Bit-reservoir break at ${round3(issue.at)} s`
              : issue.detail.charAt(0).toUpperCase() + issue.detail.slice(1),
          detail:
            `${issue.detail}${issue.offset !== undefined ? ` (byte ${issue.offset})` : ''}. ${meaning ?? ''}`.trim(),
          ...(place.at !== undefined ? { at: place.at } : {}),
          ...(place.end !== undefined ? { end: place.end } : {}),
          evidence: {
            kind: issue.kind,
            ...(issue.offset !== undefined ? { offset: issue.offset } : {}),
            ...(issue.data ?? {}),
          },
        }),
      );
    }
    if (s.frameIssues.length > MAX_FINDINGS)
      findings.push(
        finding(meta, {
          id: 'more-frame-issues',
          severity: 'info',
          title: `${s.frameIssues.length - MAX_FINDINGS} more frame issues not listed`,
          detail: 'Only the first issues are listed; the file has many more.',
        }),
      );
    const frames = s.counted.find((c) => c.source.startsWith('mp3'))?.frames;
    return fromFindings(
      findings,
      findings.length
        ? undefined
        : `frames${frames !== undefined ? ` (${frames})` : ''} agree with the Xing/LAME bookkeeping; no reservoir break`,
    );
  },
};
